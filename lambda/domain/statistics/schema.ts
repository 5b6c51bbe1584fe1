import * as z from '../shared/zod';
import { parseJsonBounded } from './bounded-json';

/**
 * The AIRUDDER inbound dashboard statistics response, as documented, written to survive drift:
 * unknown keys are kept (loose objects), numbers may arrive as strings, a number may be null,
 * sections may be missing. What does not fit is reported with its path.
 */

const NUMERIC_STRING = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

const numericStrings = z.transform((value: unknown) =>
  typeof value === 'string' && NUMERIC_STRING.test(value) ? Number(value) : value,
);

/** A number, a numeric string, null or absent. */
export const LenientNumberSchema = z.optional(z.nullable(z.pipe(numericStrings, z.number())));

/**
 * Plausibility: a figure that cannot be true is not good news. Counts, durations and averages are
 * never negative, rates lie in 0–1, and no row has more successful transfers than attempts; a
 * response that breaks this is invalid (archived, marked, the run fails) with the path named.
 */
const atLeast = (min: number, what: string) =>
  LenientNumberSchema.check(
    z.superRefine((value, ctx) => {
      if (value !== null && value !== undefined && value < min)
        ctx.addIssue({ code: 'custom', message: `${value} is negative: ${what} cannot be` });
    }),
  );
const count = atLeast(0, 'a count');
const duration = atLeast(0, 'a duration or average');
const within = (min: number, max: number, what: string) =>
  LenientNumberSchema.check(
    z.superRefine((value, ctx) => {
      if (value !== null && value !== undefined && (value < min || value > max))
        ctx.addIssue({ code: 'custom', message: `${value} is outside ${min}–${max}: ${what}` });
    }),
  );
const RATE_MEANING = 'a rate is a fraction between 0 and 1';
const rate = within(0, 1, RATE_MEANING);

/** Open-ended label → count maps (stories, intentions, reasons, tickets…); the values are never negative. */
export const DistributionSchema = z.record(z.string(), count);
const optionalDistribution = z.optional(z.nullable(DistributionSchema));

const listOf = <Row extends z.ZodMiniType>(row: Row) =>
  z.looseObject({
    total_count: count,
    data_list: z.pipe(
      z.optional(z.nullable(z.array(row))),
      z.transform((rows) => rows ?? []),
    ),
  });

/** The call metrics shared by realtime totals, daily and hourly rows. */
const callMetrics = {
  total_calls: count,
  valid_calls: count,
  attempted_transfer_calls: count,
  transfer_success_calls: count,
  attempted_transfer_rate: rate,
  transfer_success_rate: rate,
  agent_reception_rate: rate,
  avg_agent_duration: duration,
  avg_robot_duration: duration,
  avg_total_duration: duration,
};

/**
 * Counts that contradict each other: a part can never exceed its whole (valid calls are some of the
 * calls, transfers are attempted on calls, succeed only when attempted; valid users are some of the
 * users). Each pair is checked when both figures are present.
 */
const PARTS_OF_WHOLES = [
  ['valid_calls', 'total_calls', 'valid calls exceed the', 'calls'],
  ['attempted_transfer_calls', 'total_calls', 'attempted transfers exceed the', 'calls'],
  ['transfer_success_calls', 'attempted_transfer_calls', 'successful transfers exceed the', 'attempted'],
  ['valid_users', 'call_users', 'valid users exceed the', 'users'],
] as const;

const partsWithinWholes = (row: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
  for (const [part, whole, exceed, noun] of PARTS_OF_WHOLES) {
    const [partValue, wholeValue] = [row[part], row[whole]];
    if (typeof partValue !== 'number' || typeof wholeValue !== 'number') continue;
    if (partValue > wholeValue)
      ctx.addIssue({
        code: 'custom',
        path: [part],
        message: `${partValue} ${exceed} ${wholeValue} ${noun}`,
      });
  }
};

/**
 * `satisfied_distribution` mixes counts under "1".."5" with rates (`robot_evaluation_rate`,
 * `robot_satisfied_rate`): a key ending in `_rate` is a fraction 0–1, every other value a count.
 */
export const SatisfiedDistributionSchema = z.record(z.string(), LenientNumberSchema).check(
  z.superRefine((distribution, ctx) => {
    for (const [key, value] of Object.entries(distribution)) {
      if (value === null || value === undefined) continue;
      if (key.endsWith('_rate') && (value < 0 || value > 1))
        ctx.addIssue({ code: 'custom', path: [key], message: `${value} is outside 0–1: ${RATE_MEANING}` });
      else if (!key.endsWith('_rate') && value < 0)
        ctx.addIssue({ code: 'custom', path: [key], message: `${value} is negative: a count cannot be` });
    }
  }),
);

export const RealtimeTotalSchema = z
  .looseObject({
    ...callMetrics,
    average_robot_talk_round: duration,
    avg_robot_score: within(0, 5, 'a caller rating is 1–5 (0 without ratings)'),
    one_call_problem_solve_rate: rate,
    robot_evaluation_rate: rate,
    robot_satisfied_rate: rate,
    call_users: count,
    valid_users: count,
    new_users: count,
    old_users: count,
    duplicate_call_rate: rate,
    story_distribution: optionalDistribution,
    intention_distribution: optionalDistribution,
  })
  .check(z.superRefine(partsWithinWholes));

export const RealtimeDailyRowSchema = z
  .looseObject({
    date: z.string(),
    ...callMetrics,
    hangup_type_distribution: optionalDistribution,
    story_distribution: optionalDistribution,
    intention_distribution: optionalDistribution,
    satisfied_distribution: z.optional(z.nullable(SatisfiedDistributionSchema)),
  })
  .check(z.superRefine(partsWithinWholes));

export const RealtimeHourlyRowSchema = z
  .looseObject({
    time: z.string(),
    ...callMetrics,
  })
  .check(z.superRefine(partsWithinWholes));

export const RealtimeSectionSchema = z.looseObject({
  time_range: z.optional(
    z.looseObject({ start_time: z.optional(z.string()), end_time: z.optional(z.string()) }),
  ),
  total: z.optional(z.nullable(RealtimeTotalSchema)),
  daily: z.optional(z.nullable(listOf(RealtimeDailyRowSchema))),
  hourly: z.optional(z.nullable(listOf(RealtimeHourlyRowSchema))),
});

export const OfflineDailyRowSchema = z.looseObject({
  date: z.string(),
  max_concurrent_call_count: count,
  transfer_reason_distribution: optionalDistribution,
  one_call_problem_solve_rate: rate,
  user_distribution: optionalDistribution,
  fake_receipts_distribution: optionalDistribution,
  ticket_distribution: optionalDistribution,
});

export const OfflineSectionSchema = z.looseObject({
  data_range: z.optional(
    z.looseObject({ start_date: z.optional(z.string()), end_date: z.optional(z.string()) }),
  ),
  total: z.optional(
    z.nullable(
      z.looseObject({
        transfer_reason_distribution: optionalDistribution,
        fake_receipts_count: count,
        daily_deduplicated_fake_receipts_count: count,
        deduplicated_fake_receipts_count: count,
        ticket_count: count,
      }),
    ),
  ),
  daily: z.optional(z.nullable(listOf(OfflineDailyRowSchema))),
  hourly: z.optional(z.nullable(listOf(z.looseObject({})))),
});

export const StatisticsResponseSchema = z.looseObject({
  // A response without a body code is a failure, not a success by default.
  code: z.pipe(numericStrings, z.number()),
  status: z.optional(z.nullable(z.string())),
  message: z.optional(z.nullable(z.string())),
  request_params: z.optional(
    z.nullable(z.looseObject({ start_time: z.optional(z.string()), end_time: z.optional(z.string()) })),
  ),
  data: z.looseObject({
    offline: z.optional(z.nullable(OfflineSectionSchema)),
    realtime: z.optional(z.nullable(RealtimeSectionSchema)),
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

/**
 * Reads bytes as strict UTF-8 JSON, each `*_distribution` bounded to its top DISTRIBUTION_KEYS_KEPT
 * labels and the sum of the rest (bounded-json.ts); never throws.
 */
export function readJsonBody(bytes: Uint8Array): JsonBody {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // Bounded: a distribution keeps its top labels and the sum of the rest (bounded-json.ts).
    return { ok: true, value: parseJsonBounded(text) };
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
