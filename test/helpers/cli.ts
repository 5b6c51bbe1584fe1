import { runCli } from '../../lambda/cli/run-cli';
import { TEST_CREDENTIALS, TEST_ZONE } from './airudder';

/** Runs the CLI in-process against `baseUrl` and an archive folder, capturing everything it prints. */
export async function runTestCli(
  argv: string[],
  options: {
    baseUrl: string;
    archiveDir: string;
    env?: Record<string, string | undefined>;
    fetch?: typeof fetch;
    now?: () => Date;
  },
) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, {
    env: {
      AIRUDDER_BASE_URL: options.baseUrl,
      AIRUDDER_APP_KEY: TEST_CREDENTIALS.appKey,
      AIRUDDER_APP_SECRET: TEST_CREDENTIALS.appSecret,
      AIRUDDER_TIMEZONE: TEST_ZONE,
      ARCHIVE_DIR: options.archiveDir,
      LOG_LEVEL: 'DEBUG',
      ...options.env,
    },
    io: { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) },
    fetch: options.fetch,
    now: options.now,
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
