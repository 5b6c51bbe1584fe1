import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { runCli } from './cli/run-cli';
import { daySoFarWindow } from './domain/query-window';
import { startAirudderStandIn } from './stand-in/airudder-stand-in';

/**
 * `npm start`: the real job, end to end, on a laptop. It starts the embedded AIRUDDER stand-in on a
 * free loopback port, points the CLI at it with a folder archive under .data/, and runs it. Slack
 * output goes to the console (no webhook is configured).
 */
const TIME_ZONE = process.env.AIRUDDER_TIMEZONE ?? 'Asia/Jakarta';

async function main(): Promise<number> {
  // Throwaway credentials: the stand-in accepts exactly these, nothing real is involved.
  const credentials = {
    appKey: randomBytes(18).toString('base64'),
    appSecret: randomBytes(24).toString('base64'),
  };
  const now = new Date();
  const standIn = await startAirudderStandIn({ ...credentials, timeZone: TIME_ZONE, now: () => now });
  const env = {
    ...process.env,
    AIRUDDER_BASE_URL: standIn.url,
    AIRUDDER_APP_KEY: credentials.appKey,
    AIRUDDER_APP_SECRET: credentials.appSecret,
    AIRUDDER_TIMEZONE: TIME_ZONE,
    ARCHIVE_DIR: resolve(process.env.ARCHIVE_DIR ?? '.data/archive'),
    ARCHIVE_BUCKET: '',
    SLACK_WEBHOOK_URL: '',
    SLACK_DIGEST_WEBHOOK_URL: '',
    MONITOR_SECRET_ARN: '',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
  };
  const io = {
    stdout: (text: string) => process.stdout.write(`${text}\n`),
    stderr: (text: string) => process.stderr.write(`${text}\n`),
  };
  try {
    const window = daySoFarWindow(now, TIME_ZONE);
    io.stdout(
      `AIRUDDER stand-in listening on ${standIn.url} (${TIME_ZONE}); archive in ${env.ARCHIVE_DIR}\n`,
    );
    io.stdout(`$ npm run job -- fetch --from "${window.startTime}" --to "${window.endTime}"`);
    return await runCli(['fetch', '--from', window.startTime, '--to', window.endTime], { env, io });
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
