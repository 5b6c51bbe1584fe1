import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FetchFn } from '../adapters/http/http-request';
import type { MonitorSecret } from '../adapters/secrets/monitor-secret';
import { createCliFolderStore, createTokenCache, createWiring } from '../composition';
import { ConfigError, loadConfig } from '../config';
import { RulesFileError } from '../domain/alerts/rules';
import { createJsonLogger, type LogLevel } from '../shared/logger';
import { createRedactor } from '../shared/redact';
import type { CliIo, Command, CommandContext } from './cli-types';
import { EXIT_CODES, helpFlags, PROGRAM, renderCommandHelp, versionLine } from './command-help';
import { COMMANDS } from './commands';
import { archiveEnvironment, extractGlobalFlags, GLOBAL_FLAGS } from './global-flags';
import { InterruptedError } from './interrupted-error';
import { closest, knownFlags, refuseUnknownFlags } from './parse-flags';
import { shareTerminal } from './share-terminal';
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
  /** Stops a long-running command (serve-interactions) as Ctrl-C would: tests and the demo. */
  readonly signal?: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** What a shell reports for a process ended by SIGINT (128 + 2): Ctrl-C, also when a command stops cleanly. */
export const EXIT_INTERRUPTED = 130;

const USAGE = `Usage: ${PROGRAM} <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}\n            ${command.usage}`)
  .join('\n')}

Every command also takes:
${GLOBAL_FLAGS.map((flag) => `  ${flag.flag}\n            ${flag.description}`).join('\n')}

"${PROGRAM} <command> --help" shows a command's flags and the environment it reads (AIRUDDER_TIMEZONE,
ARCHIVE_BUCKET or ARCHIVE_DIR, MONITOR_NAME, LOG_LEVEL…); "${PROGRAM} --version" (-V) the version.
AWS access (S3, Secrets Manager) uses the AWS SDK's default credential chain: AWS_PROFILE, SSO,
environment variables, instance roles; the region from AWS_REGION or the profile.
${EXIT_CODES}`;

const isHelpFlag = (arg: string) => arg === '--help' || arg === '-h';

const commandNamed = (name: string): Command | undefined =>
  Object.hasOwn(COMMANDS, name) ? COMMANDS[name as keyof typeof COMMANDS] : undefined;

/** The whole CLI as a function: argv in, exit code out. Never throws. */
export async function runCli(argv: ReadonlyArray<string>, deps: CliDeps): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === '-v' || name === 'version') {
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
    const nearest = closest(name, Object.keys(COMMANDS));
    deps.io.stderr(`Unknown command "${name}".${nearest ? ` Did you mean "${nearest}"?` : ''}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  // Help comes before anything is read or checked, so it works with an empty environment.
  if (rest.some(isHelpFlag)) {
    deps.io.stdout(renderCommandHelp(name, command));
    return EXIT_OK;
  }
  const json = command.json && rest.includes('--json');
  // With --json, stdout carries one JSON document and nothing else: text and console messages go to stderr.
  const io: CliIo = json
    ? { stdout: deps.io.stderr, stderr: deps.io.stderr }
    : shareTerminal({ ...deps.io, isTTY: deps.io.isTTY === true && !isDumbTerminal(deps.env) });
  let reported = false;
  const report = (text: string, document: Record<string, unknown>) => {
    if (reported) throw new Error(`${name} reported its result twice`);
    reported = true;
    if (json) deps.io.stdout(JSON.stringify({ command: name, ...document }, null, 2));
    else io.stdout(text);
  };
  const redactor = createRedactor();
  try {
    refuseUnknownFlags(name, rest, knownFlags(helpFlags(command)));
    const global = extractGlobalFlags(json ? rest.filter((arg) => arg !== '--json') : rest);
    const args = global.args;
    const given = global.archive ? { ...deps.env, ...archiveEnvironment(global.archive) } : deps.env;
    const env = command.fillEnv ? command.fillEnv(given, args) : given;
    const config = loadConfig(env);
    for (const secret of [
      config.airudder.credentials?.appKey,
      config.airudder.credentials?.appSecret,
      config.slack.alertWebhookUrl,
      config.slack.digestWebhookUrl,
    ]) {
      redactor.add(secret);
    }
    const logger = createJsonLogger(
      (line) => io.stderr(redactor.redact(line)),
      logLevelFor(env, config.logLevel, { verbose: global.verbose, terminal: logsOnTerminal(deps.io) }),
    );
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
      ...(deps.signal ? { signal: deps.signal } : {}),
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
        tokenCache: createTokenCache(),
        folderStore: createCliFolderStore,
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
    if (error instanceof InterruptedError) {
      io.stderr(`${name} interrupted: ${message}`);
      return EXIT_INTERRUPTED;
    }
    if (usage) {
      const text = error instanceof ConfigError ? describeConfigError(error, redactor.redact) : message;
      io.stderr(`${text}\n\nRun "${PROGRAM} ${name} --help" for usage.`);
      return EXIT_USAGE;
    }
    io.stderr(`${name} failed: ${message}`);
    return EXIT_FAILED;
  }
}

/**
 * Logs go to stderr. A person at a terminal sees warnings and errors only (JSON lines would scroll the
 * progress line and the results away); a pipe, a file or CI gets INFO. LOG_LEVEL wins over both, and
 * --verbose asks for INFO on a terminal too.
 */
export function logLevelFor(
  env: Record<string, string | undefined>,
  configured: LogLevel,
  options: { readonly verbose: boolean; readonly terminal: boolean },
): LogLevel {
  if (env.LOG_LEVEL?.trim()) return configured;
  if (options.verbose) return 'INFO';
  return options.terminal ? 'WARN' : 'INFO';
}

const logsOnTerminal = (io: CliIo) => io.stderrIsTTY ?? io.isTTY === true;

/** Each wrong variable on a line of its own, and how to set one. */
function describeConfigError(error: ConfigError, redact: (text: string) => string): string {
  if (error.problems.length === 0) return redact(error.message);
  const archive = error.problems.some((problem) => problem.variable.startsWith('ARCHIVE_'));
  return [
    'The configuration is incomplete or wrong:',
    ...error.problems.map((problem) => redact(`  ${problem.variable} ${problem.problem}`)),
    '',
    'Set a variable in the environment of the command, e.g. "export AIRUDDER_TIMEZONE=Asia/Jakarta".',
    ...(archive
      ? ['The archive can also be given as --archive s3://BUCKET/PREFIX or --archive FOLDER.']
      : []),
  ].join('\n');
}

/** TERM=dumb (Emacs shells, some CI) cannot redraw a line: print plain lines there. */
const isDumbTerminal = (env: Record<string, string | undefined>) => env.TERM === 'dumb';
