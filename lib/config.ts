import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { IanaTimeZoneSchema } from '../lambda/shared/time-zone';

/** Thrown when the CDK context does not describe a deployable stack; the message names every bad key. */
export class StackConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StackConfigError';
  }
}

/** Context values given with `cdk -c key=value` arrive as strings; cdk.json gives numbers. */
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
const ArchiveStorageClassSchema = z.enum(['GLACIER_INSTANT_RETRIEVAL', 'STANDARD_IA', 'INTELLIGENT_TIERING']);

const ObjectLockSchema = z.strictObject({
  mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
  days: intIn(1, 36_500),
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
    archiveStorageClass: ArchiveStorageClassSchema.default('GLACIER_INSTANT_RETRIEVAL'),
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
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).optional(),
    airudderTimeoutMs: intIn(1000, 900_000).optional(),
    airudderMaxAttempts: intIn(1, 10).optional(),
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
    if (config.airudderTimeoutMs !== undefined && config.airudderTimeoutMs >= config.timeoutSeconds * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['airudderTimeoutMs'],
        message: 'must be shorter than the function timeout (timeoutSeconds)',
      });
    }
  });

export type StackConfig = z.infer<typeof StackConfigSchema>;
export type ArchiveStorageClass = z.infer<typeof ArchiveStorageClassSchema>;
export type ObjectLockConfig = z.infer<typeof ObjectLockSchema>;

/** The context keys the stack reads; bin/app.ts looks up exactly these. */
export const STACK_CONTEXT_KEYS = Object.keys(StackConfigSchema.shape) as ReadonlyArray<keyof StackConfig>;

/** Validates raw context values; throws StackConfigError naming every bad key. */
export function parseStackConfig(context: Readonly<Record<string, unknown>>): StackConfig {
  // cdk.json lists optional keys as null so users can see them; null means "not set".
  const given = Object.fromEntries(Object.entries(context).filter(([, value]) => value !== null));
  const parsed = StackConfigSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || 'context';
      return `context key "${key}" ${issue.message.replace(/^Invalid input: /, '')}`;
    });
    throw new StackConfigError(`Invalid CDK context: ${problems.join('; ')}`);
  }
  return parsed.data;
}
