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
import type { CliIo, Command, CommandContext } from './cli-types';
import { renderCommandHelp, versionLine } from './command-help';
import { COMMANDS } from './commands';
import { UsageError } from './usage-error';

export interface CliDeps {
  readonly env: Record<string, string | undefined>;
  readonly io: CliIo;
  readonly now?: () => Date;
  readonly fetch?: FetchFn;
  readonly s3Client?: S3Client;
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
  /** A yes/no question on the terminal; absent when stdin is not a terminal. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: npm run job -- <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}\n            ${command.usage}`)
  .join('\n')}

"npm run job -- <command> --help" shows a command's flags and the environment it reads;
"npm run job -- --version" the version.
Exit codes: 0 done; 1 the run failed; 2 bad usage or configuration.`;

const isHelpFlag = (arg: string) => arg === '--help' || arg === '-h';

const commandNamed = (name: string): Command | undefined =>
  Object.hasOwn(COMMANDS, name) ? COMMANDS[name as keyof typeof COMMANDS] : undefined;

/** The whole CLI as a function: argv in, exit code out. Never throws. */
export async function runCli(argv: ReadonlyArray<string>, deps: CliDeps): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    deps.io.stdout(versionLine());
    return EXIT_OK;
  }
  if (!name || isHelpFlag(name) || name === 'help') {
    // `help <command>` is the command's help; bare `help` (or --help) the overview.
    const topic = name === 'help' && rest[0] !== undefined ? commandNamed(rest[0]) : undefined;
    if (topic && rest[0]) deps.io.stdout(renderCommandHelp(rest[0], topic));
    else (name ? deps.io.stdout : deps.io.stderr)(USAGE);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = commandNamed(name);
  if (!command) {
    deps.io.stderr(`Unknown command "${name}".\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  // Help comes before anything is read or checked, so it works with an empty environment.
  if (rest.some(isHelpFlag)) {
    deps.io.stdout(renderCommandHelp(name, command));
    return EXIT_OK;
  }
  const json = command.json && rest.includes('--json');
  const args = json ? rest.filter((arg) => arg !== '--json') : rest;
  // With --json, stdout carries one JSON document and nothing else: text and console messages go to stderr.
  const io: CliIo = json
    ? { stdout: deps.io.stderr, stderr: deps.io.stderr }
    : { ...deps.io, isTTY: deps.io.isTTY === true && !isDumbTerminal(deps.env) };
  let reported = false;
  const report = (text: string, document: Record<string, unknown>) => {
    if (reported) throw new Error(`${name} reported its result twice`);
    reported = true;
    if (json) deps.io.stdout(JSON.stringify({ command: name, ...document }, null, 2));
    else io.stdout(text);
  };
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
      json,
      report,
      ...(deps.confirm ? { confirm: deps.confirm } : {}),
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
    const usage =
      error instanceof UsageError || error instanceof ConfigError || error instanceof RulesFileError;
    if (json && !reported) {
      const failure = { name: error instanceof Error ? error.name : 'Error', message };
      deps.io.stdout(JSON.stringify({ command: name, ok: false, error: failure }, null, 2));
    }
    if (usage) {
      io.stderr(`${message}\n\nRun "npm run job -- ${name} --help" for usage.`);
      return EXIT_USAGE;
    }
    io.stderr(`${name} failed: ${message}`);
    return EXIT_FAILED;
  }
}

/** TERM=dumb (Emacs shells, some CI) cannot redraw a line: print plain lines there. */
const isDumbTerminal = (env: Record<string, string | undefined>) => env.TERM === 'dumb';
