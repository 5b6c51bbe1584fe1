import * as z from 'zod';

/**
 * The AIRUDDER inbound dashboard statistics response, as documented, written to survive drift:
 * unknown keys are kept (loose objects), numbers may arrive as strings, a number may be null,
 * sections may be missing. What does not fit is reported with its path.
 */

const NUMERIC_STRING = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A number, a numeric string, null or absent. */
export const LenientNumberSchema = z
  .preprocess(
    (value) => (typeof value === 'string' && NUMERIC_STRING.test(value) ? Number(value) : value),
    z.number().finite(),
  )
  .nullable()
  .optional();

/** Open-ended label → count maps (stories, intentions, reasons, tickets…). */
export const DistributionSchema = z.record(z.string(), LenientNumberSchema);
const optionalDistribution = DistributionSchema.nullable().optional();

const listOf = <Row extends z.ZodType>(row: Row) =>
  z.looseObject({
    total_count: LenientNumberSchema,
    data_list: z
      .array(row)
      .nullable()
      .optional()
      .transform((rows) => rows ?? []),
  });

const n = LenientNumberSchema;

/** The call metrics shared by realtime totals, daily and hourly rows. */
const callMetrics = {
  total_calls: n,
  valid_calls: n,
  attempted_transfer_calls: n,
  transfer_success_calls: n,
  attempted_transfer_rate: n,
  transfer_success_rate: n,
  agent_reception_rate: n,
  avg_agent_duration: n,
  avg_robot_duration: n,
  avg_total_duration: n,
};

export const RealtimeTotalSchema = z.looseObject({
  ...callMetrics,
  average_robot_talk_round: n,
  avg_robot_score: n,
  one_call_problem_solve_rate: n,
  robot_evaluation_rate: n,
  robot_satisfied_rate: n,
  call_users: n,
  valid_users: n,
  new_users: n,
  old_users: n,
  duplicate_call_rate: n,
  story_distribution: optionalDistribution,
  intention_distribution: optionalDistribution,
});

export const RealtimeDailyRowSchema = z.looseObject({
  date: z.string(),
  ...callMetrics,
  hangup_type_distribution: optionalDistribution,
  story_distribution: optionalDistribution,
  intention_distribution: optionalDistribution,
  satisfied_distribution: optionalDistribution,
});

export const RealtimeHourlyRowSchema = z.looseObject({
  time: z.string(),
  ...callMetrics,
});

export const RealtimeSectionSchema = z.looseObject({
  time_range: z
    .looseObject({ start_time: z.string().optional(), end_time: z.string().optional() })
    .optional(),
  total: RealtimeTotalSchema.nullable().optional(),
  daily: listOf(RealtimeDailyRowSchema).nullable().optional(),
  hourly: listOf(RealtimeHourlyRowSchema).nullable().optional(),
});

export const OfflineDailyRowSchema = z.looseObject({
  date: z.string(),
  max_concurrent_call_count: n,
  transfer_reason_distribution: optionalDistribution,
  one_call_problem_solve_rate: n,
  user_distribution: optionalDistribution,
  fake_receipts_distribution: optionalDistribution,
  ticket_distribution: optionalDistribution,
});

export const OfflineSectionSchema = z.looseObject({
  data_range: z
    .looseObject({ start_date: z.string().optional(), end_date: z.string().optional() })
    .optional(),
  total: z
    .looseObject({
      transfer_reason_distribution: optionalDistribution,
      fake_receipts_count: n,
      daily_deduplicated_fake_receipts_count: n,
      deduplicated_fake_receipts_count: n,
      ticket_count: n,
    })
    .nullable()
    .optional(),
  daily: listOf(OfflineDailyRowSchema).nullable().optional(),
  hourly: listOf(z.looseObject({})).nullable().optional(),
});

export const StatisticsResponseSchema = z.looseObject({
  // A response without a body code is a failure, not a success by default.
  code: z.preprocess(
    (value) => (typeof value === 'string' && NUMERIC_STRING.test(value) ? Number(value) : value),
    z.number(),
  ),
  status: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
  request_params: z
    .looseObject({ start_time: z.string().optional(), end_time: z.string().optional() })
    .nullable()
    .optional(),
  data: z.looseObject({
    offline: OfflineSectionSchema.nullable().optional(),
    realtime: RealtimeSectionSchema.nullable().optional(),
  }),
});

export type StatisticsResponse = z.infer<typeof StatisticsResponseSchema>;
export type RealtimeTotal = z.infer<typeof RealtimeTotalSchema>;
export type RealtimeDailyRow = z.infer<typeof RealtimeDailyRowSchema>;
export type RealtimeHourlyRow = z.infer<typeof RealtimeHourlyRowSchema>;
export type OfflineDailyRow = z.infer<typeof OfflineDailyRowSchema>;
export type Distribution = z.infer<typeof DistributionSchema>;

/** One thing wrong with a response, at a dotted path such as `data.realtime.total.total_calls`. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown when a response is not JSON or does not fit the schema; the raw bytes are archived first. */
export class ResponseValidationError extends Error {
  readonly issues: ReadonlyArray<SchemaIssue>;
  constructor(message: string, issues: ReadonlyArray<SchemaIssue>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResponseValidationError';
    this.issues = issues;
  }
}

export type SchemaVerdict = 'valid' | 'invalid' | 'malformed-json';

export type ParsedStatistics =
  | { readonly verdict: 'valid'; readonly value: StatisticsResponse }
  | { readonly verdict: 'invalid' | 'malformed-json'; readonly error: ResponseValidationError };

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0
    ? '(root)'
    : path
        .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`))
        .join('');

/** A body read as UTF-8 JSON, once: its value, or why it is not JSON. */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly detail: string; readonly cause: unknown };

/** Reads bytes as strict UTF-8 JSON; never throws. */
export function readJsonBody(bytes: Uint8Array): JsonBody {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch (cause) {
    return { ok: false, detail: cause instanceof Error ? cause.message : String(cause), cause };
  }
}

/**
 * Parses raw response bytes, or a body already read by `readJsonBody` (the AIRUDDER client reads
 * the envelope from the same value, so a response is parsed once); never throws.
 */
export function parseStatistics(input: Uint8Array | JsonBody): ParsedStatistics {
  const body = input instanceof Uint8Array ? readJsonBody(input) : input;
  if (!body.ok) {
    const { detail, cause } = body;
    const issues = [{ path: '(root)', message: `not valid JSON: ${detail}` }];
    return {
      verdict: 'malformed-json',
      error: new ResponseValidationError(`Statistics response is not valid JSON: ${detail}`, issues, {
        cause,
      }),
    };
  }
  const json = body.value;
  const result = StatisticsResponseSchema.safeParse(json);
  if (result.success) return { verdict: 'valid', value: result.data };
  const issues = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  const shown = issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return {
    verdict: 'invalid',
    error: new ResponseValidationError(
      `Statistics response does not match the schema: ${shown}${more}`,
      issues,
      {
        cause: result.error,
      },
    ),
  };
}
