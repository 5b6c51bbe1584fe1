import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runCli } from '../lambda/cli/run-cli';
import { formatWallClock, fromWallClock, parseWallClock, toWallClock } from '../lambda/domain/local-time';
import { daySoFarWindow, previousLocalDate } from '../lambda/domain/query-window';
import { startAirudderStandIn } from './stand-in/airudder-stand-in';

/**
 * `npm start`: the real job, end to end, on a laptop. It starts the embedded AIRUDDER stand-in on a
 * free loopback port and points the real CLI at it, with a folder archive under .data/ and Slack
 * output on the console (no webhook is configured):
 *   1. fetch: the local day so far, archived;
 *   2. check: yesterday replayed hour by hour, with an injected transfer failure in the morning, so
 *      the alert fires, escalates, eases and resolves;
 *   3. digest: yesterday's digest, as it would be posted this morning.
 */
const TIME_ZONE = process.env.AIRUDDER_TIMEZONE || 'Asia/Jakarta';
const DEFAULT_ARCHIVE = '.data/demo-archive';
const CHECK_HOURS = [6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 22];

const localInstant = (date: string, time: string) =>
  fromWallClock(parseWallClock(`${date} ${time}`) ?? toWallClock(new Date(), TIME_ZONE), TIME_ZONE);

async function main(): Promise<number> {
  // Throwaway credentials: the stand-in accepts exactly these; nothing real is involved.
  const credentials = {
    appKey: randomBytes(18).toString('base64'),
    appSecret: randomBytes(24).toString('base64'),
  };
  const realNow = new Date();
  const demoDay = previousLocalDate(realNow, TIME_ZONE);
  let clock = realNow;
  const standIn = await startAirudderStandIn({
    ...credentials,
    timeZone: TIME_ZONE,
    now: () => clock,
    incidents: [
      { start: `${demoDay} 06:00:00`, end: `${demoDay} 09:00:00`, effect: 'transfer-failure', severity: 0.9 },
    ],
  });
  const archiveDir = resolve(process.env.ARCHIVE_DIR || DEFAULT_ARCHIVE);
  // The demo's own folder starts empty each time, so the same story plays every run.
  if (!process.env.ARCHIVE_DIR) await rm(archiveDir, { recursive: true, force: true });
  const env = {
    ...process.env,
    AIRUDDER_BASE_URL: standIn.url,
    AIRUDDER_APP_KEY: credentials.appKey,
    AIRUDDER_APP_SECRET: credentials.appSecret,
    AIRUDDER_TIMEZONE: TIME_ZONE,
    ARCHIVE_DIR: archiveDir,
    ARCHIVE_BUCKET: '',
    SLACK_WEBHOOK_URL: '',
    SLACK_DIGEST_WEBHOOK_URL: '',
    MONITOR_SECRET_ARN: '',
    LOG_LEVEL: process.env.LOG_LEVEL || 'WARN',
  };
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const io = { stdout: print, stderr: (text: string) => process.stderr.write(`${text}\n`) };
  const job = async (argv: string[]) => {
    print(`\n$ npm run job -- ${argv.map((arg) => (arg.includes(' ') ? `"${arg}"` : arg)).join(' ')}`);
    const code = await runCli(argv, { env, io, now: () => clock });
    if (code !== 0) throw new Error(`"${argv[0]}" exited ${code}`);
  };
  try {
    print(
      `AIRUDDER stand-in on ${standIn.url} (${TIME_ZONE}); archive in ${archiveDir}; Slack output below.`,
    );

    print('\n## 1. Fetch the day so far and archive the exact response');
    const window = daySoFarWindow(realNow, TIME_ZONE);
    await job(['fetch', '--from', window.startTime, '--to', window.endTime]);

    print(`\n## 2. Replay ${demoDay} through scheduled checks (transfer failure injected 06:00–09:00)`);
    for (const hour of CHECK_HOURS) {
      clock = localInstant(demoDay, `${String(hour).padStart(2, '0')}:00:00`);
      await job(['check', '--at', clock.toISOString()]);
    }

    print(`\n## 3. This morning's digest of ${demoDay}`);
    clock = localInstant(formatWallClock(toWallClock(realNow, TIME_ZONE)).slice(0, 10), '08:30:00');
    await job(['digest']);
    return 0;
  } finally {
    await standIn.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
