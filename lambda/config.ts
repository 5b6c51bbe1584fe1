import * as z from './domain/shared/zod';
import { isLoopbackUrl } from './shared/loopback';
import { SERVICE_NAME } from './shared/telemetry';
import { IanaTimeZoneSchema } from './shared/time-zone';

/** One variable that is missing or wrong, and what it should be. */
export interface ConfigProblem {
  readonly variable: string;
  /** "is not set (…)", "must use https (…)": follows the variable's name. */
  readonly problem: string;
}

/** Thrown when the environment does not describe a usable configuration; names the variable. */
export class ConfigError extends Error {
  /** Every variable found wrong, for a caller that lays them out (the CLI, one per line). */
  readonly problems: readonly ConfigProblem[];
  constructor(message: string, options?: ErrorOptions & { problems?: readonly ConfigProblem[] }) {
    super(message, options);
    this.name = 'ConfigError';
    this.problems = options?.problems ?? [];
  }
}

/** What a required variable holds, for the message when it is not set. */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  AIRUDDER_TIMEZONE: 'the IANA time zone of the AIRUDDER account, e.g. Asia/Jakarta',
};

const optionalString = z.pipe(
  z.optional(z.string()),
  z.transform((value) => (value === undefined || value.trim() === '' ? undefined : value)),
);

const positiveInt = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.positive()), fallback);
/** setTimeout's ceiling: a longer timeout fires at once (Node clamps it to 1 ms), breaking every request. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
const timeoutMs = (fallback: number) => positiveIntUpTo(fallback, MAX_TIMEOUT_MS, ' ms (about 24.8 days)');

const positiveIntUpTo = (fallback: number, max: number, unit = '') =>
  z._default(
    z.coerce
      .number()
      .check(z.int(), z.positive(), z.maximum(max, { message: `must be at most ${max}${unit}` })),
    fallback,
  );

/** https everywhere; plain http only for loopback hosts (the stand-in, tests). */
const serviceUrl = z.url().check(
  z.refine((url) => url.startsWith('https://') || isLoopbackUrl(url), {
    message: 'must use https (plain http is allowed only for 127.0.0.1, ::1 or localhost)',
  }),
);

/** A channel id as Slack shows it (channel details → bottom): C…, G… (private) or D…; never a #name. */
const slackChannelId = z.string().check(
  z.regex(/^[CGD][A-Z0-9]{6,}$/, {
    message: 'must be a Slack channel id such as C0123456789 (channel details, at the bottom), not a #name',
  }),
);

/** A bot token (xoxb-…); the value is never echoed. */
const slackToken = z.string().check(
  z.refine((token) => token.startsWith('xoxb-') || token.startsWith('xoxe.xoxb-'), {
    message: 'must be a bot token (xoxb-…, from OAuth & Permissions in the Slack app settings)',
  }),
);

/** Comma-separated user ids (U…/W…) or user-group ids (S…). */
const slackOperators = z
  .pipe(
    z.string(),
    z.transform((text: string) =>
      text
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  )
  .check(
    z.refine((ids: string[]) => ids.every((id) => /^[UWS][A-Z0-9]{2,}$/.test(id)), {
      message: 'must be comma-separated Slack user ids (U…, W…) or user-group ids (S…)',
    }),
  );

/**
 * Every environment variable the CLI and the Lambda read, declared once. The names are a contract:
 * the CDK stack, the README and users' scripts rely on them.
 */
export const EnvSchema = z
  .object({
    AIRUDDER_BASE_URL: z._default(serviceUrl, 'https://api.airudder.com'),
    AIRUDDER_APP_KEY: optionalString,
    AIRUDDER_APP_SECRET: optionalString,
    AIRUDDER_TIMEZONE: IanaTimeZoneSchema,
    AIRUDDER_TIMEOUT_MS: timeoutMs(30_000),
    AIRUDDER_MAX_ATTEMPTS: positiveInt(3),
    // A real day's response is tens of KiB; the cap only stops an absurd body exhausting memory.
    AIRUDDER_MAX_RESPONSE_BYTES: positiveIntUpTo(16 * 1024 * 1024, 256 * 1024 * 1024, ' (256 MiB)'),
    // A token lives 24 h: reusing one longer would only meet refusals.
    AIRUDDER_TOKEN_TTL_MINUTES: positiveIntUpTo(23 * 60, 24 * 60, " (a token's 24 h life)"),
    RUN_DEADLINE_MS: timeoutMs(270_000),
    ARCHIVE_TIMEOUT_MS: timeoutMs(10_000),
    ARCHIVE_BUCKET: optionalString,
    ARCHIVE_DIR: optionalString,
    ARCHIVE_PREFIX: z
      .pipe(
        z._default(z.string(), ''),
        z.transform((prefix: string) => prefix.replace(/^\/+|\/+$/g, '')),
      )
      .check(z.refine((prefix) => !prefix.split('/').includes('..'), { message: 'must not contain ".."' })),
    MONITOR_SECRET_ARN: optionalString,
    MONITOR_SECRET_TTL_MINUTES: z._default(
      z.coerce
        .number()
        .check(z.int(), z.minimum(0), z.maximum(24 * 60, { message: 'must be at most 1440 (24 h)' })),
      // Longer than the 15-minute schedule, so a warm container reads it about once an hour (≤ 24 a
      // day); a refused credential or webhook still makes the next run read it at once.
      60,
    ),
    SLACK_WEBHOOK_URL: z.pipe(optionalString, z.optional(serviceUrl)),
    SLACK_DIGEST_WEBHOOK_URL: z.pipe(optionalString, z.optional(serviceUrl)),
    // Slack app mode (README, Slack app mode): a bot token and channel ids instead of webhooks.
    SLACK_BOT_TOKEN: z.pipe(optionalString, z.optional(slackToken)),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_ALERT_CHANNEL: z.pipe(optionalString, z.optional(slackChannelId)),
    SLACK_DIGEST_CHANNEL: z.pipe(optionalString, z.optional(slackChannelId)),
    SLACK_OPERATORS: z.pipe(optionalString, z.optional(slackOperators)),
    SLACK_API_URL: z.pipe(
      z._default(serviceUrl, 'https://slack.com/api/'),
      z.transform((url: string) => (url.endsWith('/') ? url : `${url}/`)),
    ),
    SLACK_TIMEOUT_MS: timeoutMs(10_000),
    SLACK_MAX_ATTEMPTS: positiveInt(3),
    RULES_FILE: optionalString,
    DEFAULT_RULES_FILE: optionalString,
    LINE_CAPACITY: z.optional(z.coerce.number().check(z.int(), z.positive())),
    MONITOR_FAILURE_THRESHOLD: positiveInt(3),
    /** Display name of the monitored robot or account; heads every alert so centres can share a channel. */
    MONITOR_NAME: z._default(
      z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
      'AIRUDDER stats monitor',
    ),
    /**
     * The monitor's telemetry identity: the `service` dimension of its metrics and logs. The
     * construct sets one per deployed monitor, so two monitors never share a heartbeat.
     */
    POWERTOOLS_SERVICE_NAME: z._default(
      z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
      SERVICE_NAME,
    ),
    DIGEST_TOP_N: positiveInt(5),
    LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']), 'INFO'),
    /**
     * Set by Lambda from the function's application log level (JSON log format); Powertools obeys
     * it over any other, so the handler takes it as its level. LOG_LEVEL stays for the CLI.
     */
    AWS_LAMBDA_LOG_LEVEL: z.optional(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'])),
  })
  .check(
    z.superRefine((env, ctx) => {
      if (env.ARCHIVE_BUCKET && env.ARCHIVE_DIR) {
        ctx.addIssue({
          code: 'custom',
          path: ['ARCHIVE_DIR'],
          message: 'set ARCHIVE_BUCKET or ARCHIVE_DIR, not both',
        });
      }
      if (!env.ARCHIVE_BUCKET && !env.ARCHIVE_DIR) {
        ctx.addIssue({
          code: 'custom',
          path: ['ARCHIVE_BUCKET'],
          message:
            'is not set, nor ARCHIVE_DIR (set ARCHIVE_BUCKET for S3, or ARCHIVE_DIR for a local folder)',
        });
      }
      // Half a credential is a mistake whatever the command; none at all is fine for commands that
      // only read the archive (verify, replay) and is reported when a run needs AIRUDDER.
      if (!env.MONITOR_SECRET_ARN && Boolean(env.AIRUDDER_APP_KEY) !== Boolean(env.AIRUDDER_APP_SECRET)) {
        const missing = env.AIRUDDER_APP_KEY ? 'AIRUDDER_APP_SECRET' : 'AIRUDDER_APP_KEY';
        ctx.addIssue({
          code: 'custom',
          path: [missing],
          message: 'is required with the other AIRUDDER credential',
        });
      }
      // App mode needs a channel to post in and a token (here, or in the monitor's secret).
      if (env.SLACK_BOT_TOKEN && !env.SLACK_ALERT_CHANNEL) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_ALERT_CHANNEL'],
          message: 'is required with SLACK_BOT_TOKEN (the id of the channel alerts go to)',
        });
      }
      if (env.SLACK_ALERT_CHANNEL && !env.SLACK_BOT_TOKEN && !env.MONITOR_SECRET_ARN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_BOT_TOKEN'],
          message:
            'is required with SLACK_ALERT_CHANNEL (or set MONITOR_SECRET_ARN to read it from the secret)',
        });
      }
      if (env.SLACK_DIGEST_CHANNEL && !env.SLACK_ALERT_CHANNEL) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_ALERT_CHANNEL'],
          message: 'is required with SLACK_DIGEST_CHANNEL (app mode posts alerts there)',
        });
      }
    }),
  );

export type Env = z.infer<typeof EnvSchema>;

/** The names of every variable the configuration reads; the CDK stack sets these. */
export const ENV_KEYS = Object.keys(EnvSchema.shape) as ReadonlyArray<keyof Env>;

export interface AirudderCredentials {
  readonly appKey: string;
  readonly appSecret: string;
}

export type ArchiveLocation =
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string; readonly timeoutMs: number }
  | { readonly kind: 'folder'; readonly dir: string; readonly prefix: string };

/** The one typed configuration object, shared by the CLI and the Lambda. */
export interface Config {
  readonly airudder: {
    readonly baseUrl: string;
    readonly timeZone: string;
    readonly timeoutMs: number;
    readonly maxAttempts: number;
    readonly maxResponseBytes: number;
    readonly tokenTtlMs: number;
    /** Absent when they come from Secrets Manager (MONITOR_SECRET_ARN) or the command needs none. */
    readonly credentials: AirudderCredentials | undefined;
  };
  readonly archive: ArchiveLocation;
  readonly secretArn: string | undefined;
  /** How long a warm Lambda reuses the secret before reading it again. */
  readonly secretTtlMs: number;
  readonly slack: {
    readonly alertWebhookUrl: string | undefined;
    readonly digestWebhookUrl: string | undefined;
    readonly timeoutMs: number;
    readonly maxAttempts: number;
    /** Slack app mode: set when SLACK_ALERT_CHANNEL is (the token may come from the secret). */
    readonly app: SlackAppConfig | undefined;
  };
  readonly rulesFile: string | undefined;
  /** Replaces the bundled default rules (the construct's `rulesFile`); the archive's rules still win. */
  readonly defaultRulesFile: string | undefined;
  readonly lineCapacity: number | undefined;
  readonly failureThreshold: number;
  /** MONITOR_NAME: heads every alert message. */
  readonly monitorName: string;
  /** POWERTOOLS_SERVICE_NAME: the `service` dimension of the run metrics the alarms read. */
  readonly serviceName: string;
  readonly digestTopN: number;
  readonly runDeadlineMs: number;
  readonly logLevel: Env['LOG_LEVEL'];
  /** The level Lambda's advanced logging controls set (AWS_LAMBDA_LOG_LEVEL), when it does. */
  readonly lambdaLogLevel: Env['AWS_LAMBDA_LOG_LEVEL'];
}

/**
 * Slack app mode: the Web API with a bot token instead of incoming webhooks. One message per
 * incident, edited as it evolves, its history in its thread (README, Slack app mode).
 */
export interface SlackAppConfig {
  /** SLACK_BOT_TOKEN; undefined when it comes from the monitor's secret. A secret: never logged. */
  readonly botToken: string | undefined;
  /** SLACK_SIGNING_SECRET (interactions); undefined when it comes from the secret or is not used. */
  readonly signingSecret: string | undefined;
  readonly alertChannel: string;
  /** SLACK_DIGEST_CHANNEL, else the alert channel. */
  readonly digestChannel: string;
  /** SLACK_OPERATORS: who may act on a message; empty: everyone in the channel. */
  readonly operators: readonly string[];
  /** SLACK_API_URL, ending in "/": method names are appended. */
  readonly apiUrl: string;
}

/** Thrown when a run needs AIRUDDER and no credentials are configured. */
export const missingCredentialsError = () =>
  new ConfigError(
    'Invalid configuration: AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET are required (or set MONITOR_SECRET_ARN to read them from Secrets Manager)',
    {
      problems: [
        {
          variable: 'AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET',
          problem: 'are required (or set MONITOR_SECRET_ARN to read them from Secrets Manager)',
        },
      ],
    },
  );

/** Parses the environment once; throws ConfigError naming every variable that is wrong. */
export function loadConfig(environment: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue): ConfigProblem => {
      const variable = String(issue.path[0] ?? 'environment');
      // Never echo the offending value: it may be a credential or a webhook URL.
      const problem = / received undefined$/.test(issue.message)
        ? `is not set (${REQUIRED_HINTS[variable] ?? 'required'})`
        : issue.message.replace(/^Invalid input: /, '');
      return { variable, problem };
    });
    throw new ConfigError(
      `Invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`,
      { problems },
    );
  }
  const env = parsed.data;
  return {
    airudder: {
      baseUrl: env.AIRUDDER_BASE_URL.replace(/\/+$/, ''),
      timeZone: env.AIRUDDER_TIMEZONE,
      timeoutMs: env.AIRUDDER_TIMEOUT_MS,
      maxAttempts: env.AIRUDDER_MAX_ATTEMPTS,
      maxResponseBytes: env.AIRUDDER_MAX_RESPONSE_BYTES,
      tokenTtlMs: env.AIRUDDER_TOKEN_TTL_MINUTES * 60_000,
      credentials:
        env.AIRUDDER_APP_KEY && env.AIRUDDER_APP_SECRET
          ? { appKey: env.AIRUDDER_APP_KEY, appSecret: env.AIRUDDER_APP_SECRET }
          : undefined,
    },
    archive: env.ARCHIVE_BUCKET
      ? {
          kind: 's3',
          bucket: env.ARCHIVE_BUCKET,
          prefix: env.ARCHIVE_PREFIX,
          timeoutMs: env.ARCHIVE_TIMEOUT_MS,
        }
      : { kind: 'folder', dir: env.ARCHIVE_DIR ?? '', prefix: env.ARCHIVE_PREFIX },
    secretArn: env.MONITOR_SECRET_ARN,
    secretTtlMs: env.MONITOR_SECRET_TTL_MINUTES * 60_000,
    slack: {
      alertWebhookUrl: env.SLACK_WEBHOOK_URL,
      digestWebhookUrl: env.SLACK_DIGEST_WEBHOOK_URL,
      timeoutMs: env.SLACK_TIMEOUT_MS,
      maxAttempts: env.SLACK_MAX_ATTEMPTS,
      app:
        env.SLACK_ALERT_CHANNEL === undefined
          ? undefined
          : {
              botToken: env.SLACK_BOT_TOKEN,
              signingSecret: env.SLACK_SIGNING_SECRET,
              alertChannel: env.SLACK_ALERT_CHANNEL,
              digestChannel: env.SLACK_DIGEST_CHANNEL ?? env.SLACK_ALERT_CHANNEL,
              operators: env.SLACK_OPERATORS ?? [],
              apiUrl: env.SLACK_API_URL,
            },
    },
    rulesFile: env.RULES_FILE,
    defaultRulesFile: env.DEFAULT_RULES_FILE,
    lineCapacity: env.LINE_CAPACITY,
    failureThreshold: env.MONITOR_FAILURE_THRESHOLD,
    monitorName: env.MONITOR_NAME,
    serviceName: env.POWERTOOLS_SERVICE_NAME,
    digestTopN: env.DIGEST_TOP_N,
    runDeadlineMs: env.RUN_DEADLINE_MS,
    logLevel: env.LOG_LEVEL,
    lambdaLogLevel: env.AWS_LAMBDA_LOG_LEVEL,
  };
}
