import type { S3Client } from '@aws-sdk/client-s3';
import { runCli } from '../../lambda/cli/run-cli';
import { TEST_CREDENTIALS, TEST_ZONE } from './airudder';

/**
 * Runs the CLI in-process against `baseUrl`, capturing everything it prints. The archive is the
 * folder `archiveDir` unless `env` names a bucket (then pass the emulator's `s3Client`).
 */
export async function runTestCli(
  argv: string[],
  options: {
    baseUrl: string;
    archiveDir?: string;
    env?: Record<string, string | undefined>;
    fetch?: typeof fetch;
    s3Client?: S3Client;
    now?: () => Date;
    /** Pretend stdout is a terminal; what is written without a newline lands in `writes`. */
    tty?: boolean;
    /** Answers the CLI's yes/no questions (as a terminal would). */
    confirm?: (question: string) => Promise<boolean>;
  },
) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const writes: string[] = [];
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
    io: {
      stdout: (text) => stdout.push(text),
      stderr: (text) => stderr.push(text),
      ...(options.tty ? { isTTY: true, write: (text: string) => writes.push(text) } : {}),
    },
    fetch: options.fetch,
    s3Client: options.s3Client,
    now: options.now,
    ...(options.confirm ? { confirm: options.confirm } : {}),
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), writes };
}
