import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { IanaTimeZoneSchema } from '../lambda/shared/time-zone';

/**
 * Thrown when the CDK context or the construct's props do not describe a deployable monitor; the
 * message names every bad key or prop.
 */
export class MonitorConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MonitorConfigError';
  }
}

/** Context values given with `cdk -c key=value` arrive as strings; cdk.json gives numbers. */
const booleanValue = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** EventBridge Scheduler recurring expressions: six-field cron or rate. */
const scheduleExpression = z
  .string()
  .regex(/^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/, {
    message: 'must be an EventBridge Scheduler expression such as cron(0/15 * * * ? *) or rate(15 minutes)',
  });

/**
 * Key prefix inside the bucket. It ends up in IAM resource ARNs and conditions, so wildcard and
 * policy-variable characters are refused, not escaped.
 */
const archivePrefix = z
  .string()
  .transform((prefix) => prefix.replace(/^\/+|\/+$/g, ''))
  .refine((prefix) => /^[A-Za-z0-9._\-/]*$/.test(prefix), {
    message: 'may contain only letters, digits, ".", "_", "-" and "/"',
  })
  .refine((prefix) => prefix === '' || prefix.split('/').every((part) => part !== '' && part !== '..'), {
    message: 'must not contain empty or ".." segments',
  });

const logRetentionValues = Object.values(RetentionDays).filter(
  (value): value is number => typeof value === 'number' && value !== RetentionDays.INFINITE,
);

/** Storage classes that still answer GetObject at once: the function reads earlier days back. */
export enum ArchiveStorageClass {
  GLACIER_INSTANT_RETRIEVAL = 'GLACIER_INSTANT_RETRIEVAL',
  STANDARD_IA = 'STANDARD_IA',
  INTELLIGENT_TIERING = 'INTELLIGENT_TIERING',
}

/** S3 Object Lock retention modes. */
export enum ObjectLockMode {
  /** Users with s3:BypassGovernanceRetention can still delete or shorten. */
  GOVERNANCE = 'GOVERNANCE',
  /** Nobody, root included, can delete a version before its retention ends. */
  COMPLIANCE = 'COMPLIANCE',
}

/** The function's LOG_LEVEL. */
export enum MonitorLogLevel {
  DEBUG = 'DEBUG',
  INFO = 'INFO',
  WARN = 'WARN',
  ERROR = 'ERROR',
}

/** Default Object Lock retention applied to every new object version. */
export interface ObjectLockConfig {
  readonly mode: ObjectLockMode;
  /** Days each version is locked. */
  readonly days: number;
}

const ObjectLockSchema = z.strictObject({
  mode: z.enum(ObjectLockMode),
  days: intIn(1, 36_500),
});

/** AWS Chatbot ids: workspace (team) ids start with T, channel ids with C or G (private), as Slack shows them. */
const slackId = (first: string) =>
  z.string().regex(new RegExp(`^[${first}][A-Z0-9]{2,}$`), {
    message: `must be a Slack id starting with ${first.split('').join(' or ')} (from the Slack channel's details)`,
  });

/** JSON-valued keys may come from `-c objectLock='{"mode":"GOVERNANCE","days":30}'` as a string. */
const jsonObject = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }, schema);

/**
 * Every CDK context key the stack reads, with its default. cdk.json documents the same defaults;
 * bin/app.ts is the only reader.
 */
export const StackConfigSchema = z
  .object({
    /** IANA zone for both schedules and for AIRUDDER_TIMEZONE. No default: each centre must set it. */
    timeZone: IanaTimeZoneSchema,
    airudderBaseUrl: z
      .url()
      .refine((url) => url.startsWith('https://'), { message: 'must use https' })
      .default('https://api.airudder.com'),
    checkSchedule: scheduleExpression.default('cron(0/15 * * * ? *)'),
    digestSchedule: scheduleExpression.default('cron(30 8 * * ? *)'),
    memorySizeMb: intIn(128, 10_240).default(256),
    timeoutSeconds: intIn(30, 900).default(120),
    logRetentionDays: z.coerce
      .number()
      .refine((days) => logRetentionValues.includes(days), {
        message: `must be one of ${logRetentionValues.join(', ')}`,
      })
      .default(30),
    // Lambda keeps an asynchronous event at most 6 hours.
    scheduleMaxEventAgeMinutes: intIn(1, 360).default(60),
    scheduleRetryAttempts: intIn(0, 185).default(2),
    archivePrefix: archivePrefix.default(''),
    archiveTransitionDays: intIn(1, 36_500).default(90),
    archiveStorageClass: z.enum(ArchiveStorageClass).default(ArchiveStorageClass.GLACIER_INSTANT_RETRIEVAL),
    archiveExpirationDays: intIn(1, 36_500).optional(),
    noncurrentVersionExpirationDays: intIn(1, 36_500).default(30),
    accessLogExpirationDays: intIn(1, 36_500).default(365),
    objectLock: jsonObject(ObjectLockSchema).optional(),
    secretArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/, {
        message: 'must be the complete secret ARN, ending in the 6-character suffix (or use secretName)',
      })
      .optional(),
    secretName: z
      .string()
      .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, { message: 'must be a Secrets Manager secret name' })
      .optional(),
    secretKmsKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, {
        message: 'must be a KMS key ARN',
      })
      .optional(),
    alarmEmail: z.email().optional(),
    noSuccessfulCheckAlarmMinutes: intIn(5, 1440).default(60),
    lineCapacity: intIn(1, 1_000_000).optional(),
    failureThreshold: intIn(1, 100).optional(),
    /** MONITOR_NAME: display name heading every alert message. */
    monitorName: z.string().trim().min(1).max(80).optional(),
    digestTopN: intIn(1, 50).optional(),
    logLevel: z.enum(MonitorLogLevel).optional(),
    airudderTimeoutMs: intIn(1000, 900_000).optional(),
    airudderMaxAttempts: intIn(1, 10).optional(),
    /** Names this monitor in Slack messages (MONITOR_NAME) and on the dashboard. */
    displayName: z.string().trim().min(1).max(60).optional(),
    /** A CloudWatch dashboard (about US$3 a month). */
    dashboard: booleanValue.default(false),
    /** Glue tables, the Athena workgroup and the analysts' policy; false leaves the Athena layer out. */
    query: booleanValue.default(true),
    /** Alarms also to a Slack channel through AWS Chatbot; both ids, or neither. */
    chatbotSlackWorkspaceId: slackId('T').optional(),
    chatbotSlackChannelId: slackId('CG').optional(),
    /** Glue database and Athena workgroup names: unique per account and region; derived from the stack and construct when unset. */
    athenaDatabaseName: z
      .string()
      .regex(/^[a-z0-9_]{1,255}$/, { message: 'may contain only lower-case letters, digits and "_"' })
      .optional(),
    athenaWorkGroupName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,128}$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
      .optional(),
    /**
     * What deleting the stack does to the buckets and the log group: retain (production: the archive
     * is an audit trail) or destroy (non-production: emptied and deleted).
     */
    removalPolicy: z
      .enum([RemovalPolicy.RETAIN, RemovalPolicy.DESTROY], {
        message: `must be "${RemovalPolicy.RETAIN}" or "${RemovalPolicy.DESTROY}" (RemovalPolicy.RETAIN or RemovalPolicy.DESTROY)`,
      })
      .default(RemovalPolicy.RETAIN),
    /** Path of a rules file (JSON) replacing the shipped defaults; the archive's config/rules.json still wins. */
    rulesFile: z.string().min(1).optional(),
    /**
     * Slack app mode (SLACK_ALERT_CHANNEL): the channel id incidents are posted to with the bot token,
     * and the interactions function behind a Function URL for the buttons.
     */
    slackAlertChannel: slackId('CG').optional(),
    /** SLACK_DIGEST_CHANNEL: where the digest goes in app mode; the alert channel when unset. */
    slackDigestChannel: slackId('CG').optional(),
    /** SLACK_OPERATORS: who may use the buttons, comma-separated user (U…, W…) or user-group (S…) ids; everyone when unset. */
    slackOperators: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== '')
          .join(','),
      )
      .refine((text) => text.split(',').every((id) => /^[UWS][A-Z0-9]{2,}$/.test(id)), {
        message: 'must be comma-separated Slack user ids (U…, W…) or user-group ids (S…)',
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (config.secretArn && config.secretName) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretName'],
        message: 'set secretArn or secretName, not both',
      });
    }
    if (config.secretKmsKeyArn && !config.secretArn && !config.secretName) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretKmsKeyArn'],
        message: 'applies only to an imported secret (set secretArn or secretName)',
      });
    }
    if ((config.chatbotSlackWorkspaceId === undefined) !== (config.chatbotSlackChannelId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [
          config.chatbotSlackWorkspaceId === undefined ? 'chatbotSlackWorkspaceId' : 'chatbotSlackChannelId',
        ],
        message: 'is needed too: set both chatbotSlackWorkspaceId and chatbotSlackChannelId, or neither',
      });
    }
    for (const key of ['slackDigestChannel', 'slackOperators'] as const) {
      if (config[key] !== undefined && config.slackAlertChannel === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'applies to Slack app mode only: set slackAlertChannel too',
        });
      }
    }
    if (
      config.archiveExpirationDays !== undefined &&
      config.archiveExpirationDays <= config.archiveTransitionDays
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['archiveExpirationDays'],
        message: 'must be greater than archiveTransitionDays',
      });
    }
    if (config.objectLock !== undefined && config.removalPolicy === RemovalPolicy.DESTROY) {
      ctx.addIssue({
        code: 'custom',
        path: ['removalPolicy'],
        message: 'cannot be destroy with objectLock: locked versions cannot be deleted',
      });
    }
    if (config.airudderTimeoutMs !== undefined && config.airudderTimeoutMs >= config.timeoutSeconds * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['airudderTimeoutMs'],
        message: 'must be shorter than the function timeout (timeoutSeconds)',
      });
    }
  });

export type StackConfig = z.infer<typeof StackConfigSchema>;

/** The context keys the stack reads; bin/app.ts looks up exactly these. */
export const STACK_CONTEXT_KEYS = Object.keys(StackConfigSchema.shape) as ReadonlyArray<keyof StackConfig>;

/**
 * Refuses context keys shaped like ours (plain camelCase: not `@aws-cdk/…`, `aws:cdk:…` or CDK's
 * hyphenated keys) that the stack does not read: a misspelt key would otherwise be ignored and its
 * default used without a word. Names the closest key when one is near.
 */
export function checkContextKeys(keys: readonly string[]): void {
  const known = new Set<string>(STACK_CONTEXT_KEYS);
  const unknown = keys.filter((key) => /^[a-z][A-Za-z0-9]*$/.test(key) && !known.has(key));
  if (unknown.length === 0) return;
  const problems = unknown.map((key) => {
    const closest = closestKey(key, [...known]);
    return `context key "${key}" is not one the stack reads${closest ? `: did you mean "${closest}"?` : ''}`;
  });
  throw new MonitorConfigError(`Invalid CDK context: ${problems.join('; ')}`);
}

/** The known key within a third of the typo's length in edits (case-insensitive), if any. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const scored = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance);
  const best = scored[0];
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Validates raw context values; throws MonitorConfigError naming every bad key. */
export function parseStackConfig(context: Readonly<Record<string, unknown>>): StackConfig {
  return parseConfig(context, 'Invalid CDK context', 'context key');
}

/**
 * The same validation for the construct's props (same names, same rules, same defaults); the error
 * names the prop.
 */
export function parseMonitorProps(props: Readonly<Record<string, unknown>>): StackConfig {
  return parseConfig(props, 'Invalid AirudderStatsMonitor props', 'prop');
}

function parseConfig(values: Readonly<Record<string, unknown>>, title: string, noun: string): StackConfig {
  // cdk.json lists optional keys as null so users can see them; null means "not set".
  const given = Object.fromEntries(
    Object.entries(values).filter(
      ([key, value]) => value !== null && value !== undefined && key in StackConfigSchema.shape,
    ),
  );
  const parsed = StackConfigSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || 'context';
      return `${noun} "${key}" ${issue.message.replace(/^Invalid input: /, '')}`;
    });
    throw new MonitorConfigError(`${title}: ${problems.join('; ')}`);
  }
  return parsed.data;
}
