import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { TokenCache } from '../adapters/airudder/token-cache';
import type { FetchFn } from '../adapters/http/http-request';
import type { MonitorSecret } from '../adapters/secrets/monitor-secret';
import { createWiring } from '../composition';
import { ConfigError, loadConfig } from '../config';
import { RulesFileError } from '../domain/alerts/rules';
import { createJsonLogger } from '../shared/logger';
import { createRedactor } from '../shared/redact';
import type { CliIo, CommandContext } from './cli-types';
import { COMMANDS } from './commands';
import { UsageError } from './usage-error';

export interface CliDeps {
  readonly env: Record<string, string | undefined>;
  readonly io: CliIo;
  readonly now?: () => Date;
  readonly fetch?: FetchFn;
  readonly s3Client?: S3Client;
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: npm run job -- <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}\n            ${command.usage}`)
  .join('\n')}

Exit codes: 0 done; 1 the run failed; 2 bad usage or configuration.`;

/** The whole CLI as a function: argv in, exit code out. Never throws. */
export async function runCli(argv: ReadonlyArray<string>, deps: CliDeps): Promise<number> {
  const { io } = deps;
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(USAGE);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = COMMANDS[name as keyof typeof COMMANDS];
  if (!command) {
    io.stderr(`Unknown command "${name}".\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const redactor = createRedactor();
  try {
    const config = loadConfig(deps.env);
    for (const secret of [
      config.airudder.credentials?.appKey,
      config.airudder.credentials?.appSecret,
      config.slack.alertWebhookUrl,
      config.slack.digestWebhookUrl,
    ]) {
      redactor.add(secret);
    }
    const logger = createJsonLogger((line) => io.stderr(redactor.redact(line)), config.logLevel);
    const now = deps.now ?? (() => new Date());
    const deadline = Date.now() + config.runDeadlineMs;
    const context: CommandContext = {
      config,
      logger,
      redactor,
      io,
      now,
      deadline,
      wiring: createWiring({
        config,
        logger,
        redactor,
        runId: randomUUID(),
        now,
        deadline,
        writeMessage: io.stdout,
        // One command per invocation: its token lives as long as the command.
        tokenCache: new TokenCache(),
        fetch: deps.fetch,
        s3Client: deps.s3Client,
        loadSecret: deps.loadSecret,
      }),
    };
    await command.run(args, context);
    return EXIT_OK;
  } catch (error) {
    const message = redactor.redact(error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof RulesFileError) {
      io.stderr(`${message}\n\nRun "npm run job -- --help" for usage.`);
      return EXIT_USAGE;
    }
    io.stderr(`${name} failed: ${message}`);
    return EXIT_FAILED;
  }
}
