import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../lambda/cli/cli-types';
import { runCli } from '../lambda/cli/run-cli';
import {
  formatWallClock,
  fromWallClock,
  parseWallClock,
  toWallClock,
} from '../lambda/domain/shared/local-time';
import { daySoFarWindow, previousLocalDate } from '../lambda/domain/statistics/query-window';
import { startAirudderStandIn } from './stand-in/airudder-stand-in';
import { WEEKDAY_FACTOR } from './stand-in/hour-model';
import { localMomentAt } from './stand-in/local-clock';
import { startSlackStandIn } from './stand-in/slack-stand-in';

/**
 * `npm start`: the real job, end to end, on a laptop. It starts the embedded AIRUDDER stand-in on a
 * free loopback port and points the real CLI at it, with a folder archive under .data/ and Slack
 * output on the console (no webhook is configured):
 *   1. fetch: the local day so far, archived;
 *   2. check: yesterday late morning, every 30 minutes, with an injected one-hour transfer failure:
 *      the rolling 60-minute alert fires, eases and resolves within the hour after it ends;
 *   3. digest: yesterday's digest, as it would be posted this morning.
 *
 * `npm start -- --slack-app` plays the same story in Slack app mode against the fake Slack Web API
 * (dev/stand-in/slack-stand-in.ts): the incident's one message, as edited, and its thread, then the
 * digest channel, are printed as the channels would show them.
 *
 * The demo writes only to its own folder, emptied at each start, whatever ARCHIVE_DIR or
 * ARCHIVE_BUCKET say: a demo must never add its made-up responses to a real archive.
 */
export const DEMO_ARCHIVE = join(__dirname, '..', '.data', 'demo-archive');
/** Calls in the demo day's busiest hour: the stand-in's default weekday centre. */
const DEMO_PEAK_CALLS = 120;
const CHECK_TIMES = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:00', '12:30', '13:00'];

export interface DemoOptions {
  readonly env: Record<string, string | undefined>;
  readonly io: CliIo;
  /** The demo's own archive folder (tests pass a temporary one). */
  readonly archiveDir?: string;
  readonly now?: () => Date;
  /** Slack app mode against the fake Slack Web API (`npm start -- --slack-app`). */
  readonly slackApp?: boolean;
}

/** The flag that plays the demo in Slack app mode. */
export const SLACK_APP_FLAG = '--slack-app';
const ALERT_CHANNEL = 'C0ALERTS00';
const DIGEST_CHANNEL = 'C0DIGEST00';

/** Runs the demo; returns the folder it wrote to. */
export async function runDemo(options: DemoOptions): Promise<string> {
  const TIME_ZONE = options.env.AIRUDDER_TIMEZONE || 'Asia/Jakarta';
  const localInstant = (date: string, time: string) =>
    fromWallClock(parseWallClock(`${date} ${time}`) ?? toWallClock(new Date(), TIME_ZONE), TIME_ZONE);
  // Throwaway credentials: the stand-in accepts exactly these; nothing real is involved.
  const credentials = {
    appKey: randomBytes(18).toString('base64'),
    appSecret: randomBytes(24).toString('base64'),
  };
  const realNow = options.now?.() ?? new Date();
  const demoDay = previousLocalDate(realNow, TIME_ZONE);
  let clock = realNow;
  // The same story whatever weekday yesterday was: a Sunday has 45 % of a Monday's calls, too few to
  // judge the transfer rule at all, so the demo's centre is as busy on the demo day as on a weekday.
  const demoWeekday = localMomentAt(localInstant(demoDay, '12:00:00').getTime(), TIME_ZONE).weekday;
  const standIn = await startAirudderStandIn({
    ...credentials,
    timeZone: TIME_ZONE,
    now: () => clock,
    callsPerHourPeak: Math.round(DEMO_PEAK_CALLS / (WEEKDAY_FACTOR[demoWeekday] ?? 1)),
    incidents: [
      { start: `${demoDay} 10:00:00`, end: `${demoDay} 11:00:00`, effect: 'transfer-failure', severity: 0.9 },
    ],
  });
  // A throwaway bot token too: the fake Slack Web API accepts exactly this one.
  const botToken = `xoxb-demo-${randomBytes(12).toString('hex')}`;
  const slack = options.slackApp ? await startSlackStandIn({ token: botToken, now: () => clock }) : undefined;
  const archiveDir = options.archiveDir ?? DEMO_ARCHIVE;
  // The demo's own folder starts empty each time, so the same story plays every run.
  await rm(archiveDir, { recursive: true, force: true });
  const ignored = ['ARCHIVE_DIR', 'ARCHIVE_BUCKET'].filter((name) => options.env[name]);
  const env = {
    ...options.env,
    AIRUDDER_BASE_URL: standIn.url,
    AIRUDDER_APP_KEY: credentials.appKey,
    AIRUDDER_APP_SECRET: credentials.appSecret,
    AIRUDDER_TIMEZONE: TIME_ZONE,
    ARCHIVE_DIR: archiveDir,
    ARCHIVE_BUCKET: '',
    ARCHIVE_PREFIX: '',
    SLACK_WEBHOOK_URL: '',
    SLACK_DIGEST_WEBHOOK_URL: '',
    MONITOR_SECRET_ARN: '',
    LOG_LEVEL: options.env.LOG_LEVEL || 'WARN',
    MONITOR_NAME: options.env.MONITOR_NAME || 'Demo call centre',
    ...(slack === undefined
      ? { SLACK_ALERT_CHANNEL: '', SLACK_DIGEST_CHANNEL: '', SLACK_BOT_TOKEN: '' }
      : {
          SLACK_BOT_TOKEN: botToken,
          SLACK_ALERT_CHANNEL: ALERT_CHANNEL,
          SLACK_DIGEST_CHANNEL: DIGEST_CHANNEL,
          SLACK_API_URL: slack.url,
        }),
  };
  const { io } = options;
  const print = io.stdout;
  const job = async (argv: string[]) => {
    print(`\n$ npm run job -- ${argv.map((arg) => (arg.includes(' ') ? `"${arg}"` : arg)).join(' ')}`);
    const code = await runCli(argv, { env, io, now: () => clock });
    if (code !== 0) throw new Error(`"${argv[0]}" exited ${code}`);
  };
  try {
    print(
      `AIRUDDER stand-in on ${standIn.url} (${TIME_ZONE}); demo archive in ${archiveDir}; Slack output below.`,
    );
    if (slack !== undefined)
      print(`Slack app mode: a fake Slack Web API on ${slack.url}; the channels are shown after each step.`);
    if (ignored.length > 0)
      print(`(${ignored.join(' and ')} ignored: the demo never writes to a real archive.)`);

    print('\n## 1. Fetch the day so far and archive the exact response');
    const window = daySoFarWindow(realNow, TIME_ZONE);
    await job(['fetch', '--from', window.startTime, '--to', window.endTime]);

    print(`\n## 2. Replay ${demoDay} through scheduled checks (transfer failure injected 10:00–11:00)`);
    for (const time of CHECK_TIMES) {
      clock = localInstant(demoDay, `${time}:00`);
      await job(['check', '--at', clock.toISOString()]);
    }
    if (slack !== undefined) {
      print(
        `\n### The alert channel now: one message for the incident, edited as it went, its history in the thread\n`,
      );
      print(slack.render(ALERT_CHANNEL));
    }

    print(`\n## 3. This morning's digest of ${demoDay}`);
    clock = localInstant(formatWallClock(toWallClock(realNow, TIME_ZONE)).slice(0, 10), '08:30:00');
    await job(['digest']);
    if (slack !== undefined) {
      print(`\n### The digest channel: each alert links to its incident's message\n`);
      print(slack.render(DIGEST_CHANNEL));
    }
    print(`\nThe demo wrote to ${archiveDir} only (emptied at the next npm start).`);
    return archiveDir;
  } finally {
    await Promise.all([standIn.close(), slack?.close()]);
  }
}

if (require.main === module) {
  runDemo({
    env: process.env,
    slackApp: process.argv.includes(SLACK_APP_FLAG),
    io: {
      stdout: (text) => process.stdout.write(`${text}\n`),
      stderr: (text) => process.stderr.write(`${text}\n`),
    },
  }).then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
