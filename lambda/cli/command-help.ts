import packageJson from '../../package.json';
import { GLOBAL_FLAGS } from './global-flags';

/**
 * What `airudder-monitor <command> --help` prints: usage, flags, and the environment the command
 * reads. Built from data only, so it works before (and without) any configuration.
 */

/** One flag of a command, as help shows it: `--from YYYY-MM-DD`, "First day (account-local)". */
export interface FlagHelp {
  readonly flag: string;
  readonly description: string;
}

/** An environment variable (or a choice of them) a command reads. */
export interface EnvHelp {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

export interface CommandHelp {
  readonly summary: string;
  readonly usage: string;
  readonly flags: readonly FlagHelp[];
  readonly env: readonly EnvHelp[];
  /** Accepts `--json`: one JSON document on stdout, everything else on stderr. */
  readonly json: boolean;
}

export const VERSION: string = packageJson.version;

/** The command operators type: the package's `bin` (in a clone, `npm run job --` runs the same CLI). */
export const PROGRAM = 'airudder-monitor';

/** The exit codes, as every --help and the README list them. */
export const EXIT_CODES = `Exit codes: 0 done; 1 the run failed (verify: problems found; backfill, curate: days left undone); 2 bad usage or configuration;
130 interrupted (Ctrl-C).`;

/** What exit code 1 means for a command, where it means more than a failed run. */
const EXIT_ONE: Readonly<Record<string, string>> = {
  verify: 'verify found problems, or failed',
  backfill: 'backfill left days undone, or failed',
  curate: 'curate left days undone, or failed',
};

export const versionLine = () => `${packageJson.name} ${VERSION} (node ${process.version})`;

export const env = (name: string, description: string, required = false): EnvHelp => ({
  name,
  description,
  required,
});

/** The variables the commands read, grouped as they are needed. */
export const ENV_HELP = {
  zone: [env('AIRUDDER_TIMEZONE', 'IANA zone of the AIRUDDER account (e.g. Asia/Jakarta)', true)],
  archive: [
    env('ARCHIVE_BUCKET | ARCHIVE_DIR', 'the archive: an S3 bucket or a local folder (exactly one)', true),
    env('ARCHIVE_PREFIX', 'key prefix inside the bucket or folder'),
    env('AWS_ENDPOINT_URL_S3', 'an S3-compatible endpoint instead of AWS (SDK standard)'),
  ],
  airudder: [
    env(
      'AIRUDDER_APP_KEY + AIRUDDER_APP_SECRET | MONITOR_SECRET_ARN',
      'AIRUDDER credentials, or the Secrets Manager secret holding them',
      true,
    ),
    env('AIRUDDER_BASE_URL', 'API base URL (default https://api.airudder.com)'),
    env('AIRUDDER_TIMEOUT_MS, AIRUDDER_MAX_ATTEMPTS', 'per-request timeout and attempts'),
    env('RUN_DEADLINE_MS', 'overall deadline of the run'),
  ],
  slack: [
    env('SLACK_WEBHOOK_URL', 'alerts webhook; without it messages print to the console'),
    env('SLACK_TIMEOUT_MS, SLACK_MAX_ATTEMPTS', 'Slack request timeout and attempts'),
  ],
  digestSlack: [env('SLACK_DIGEST_WEBHOOK_URL', 'digest webhook (default SLACK_WEBHOOK_URL)')],
  rules: [
    env('RULES_FILE', 'a local rules file instead of config/rules.json in the archive'),
    env('LINE_CAPACITY', 'lines available, for the peak-concurrency rule'),
  ],
  failures: [env('MONITOR_FAILURE_THRESHOLD', 'failed runs before "monitor degraded" (default 3)')],
  digest: [env('DIGEST_TOP_N', 'items listed before "others" (default 5)')],
  monitor: [
    env('MONITOR_NAME', 'display name heading every alert and digest (default "AIRUDDER stats monitor")'),
  ],
  logs: [
    env(
      'LOG_LEVEL',
      'DEBUG (each request), INFO, WARN or ERROR; logs go to stderr (default INFO, WARN on a terminal)',
    ),
  ],
} satisfies Record<string, readonly EnvHelp[]>;

export const JSON_FLAG: FlagHelp = {
  flag: '--json',
  description: 'print one JSON document on stdout (logs and progress go to stderr)',
};
const HELP_FLAG: FlagHelp = { flag: '--help, -h', description: 'print this help and exit' };

/** Every flag a command takes, as its help lists them: its own, --json, the global ones, --help. */
export const helpFlags = (help: CommandHelp): FlagHelp[] => [
  ...help.flags,
  ...(help.json ? [JSON_FLAG] : []),
  ...GLOBAL_FLAGS,
  HELP_FLAG,
];

/** The help of one command, for a terminal 80 columns wide. */
export function renderCommandHelp(name: string, help: CommandHelp): string {
  const flags = helpFlags(help);
  const flagWidth = Math.max(...flags.map((flag) => flag.flag.length));
  const lines = [
    `Usage: ${PROGRAM} ${help.usage}`,
    '',
    help.summary,
    '',
    'Flags:',
    ...flags.map((flag) => `  ${flag.flag.padEnd(flagWidth)}  ${flag.description}`),
  ];
  if (help.env.length > 0) {
    lines.push('', 'Environment (required ones marked *):');
    for (const variable of help.env) {
      lines.push(`  ${variable.required ? '*' : ' '} ${variable.name}`, `      ${variable.description}`);
    }
  }
  const exitOne = EXIT_ONE[name] ?? `${name} failed`;
  lines.push('', EXIT_CODES.replace(/the run failed \([^)]*\)/, exitOne));
  return lines.join('\n');
}
