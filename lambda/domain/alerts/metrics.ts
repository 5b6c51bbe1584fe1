import * as z from '../shared/zod';
import { RATE_TRIALS } from '../statistics/metric-format';

/**
 * What a rule measures. In the file a metric is either a field name or an object with exactly one key:
 *
 *   "transfer_success_rate"                                    a numeric field of the scope's row/total
 *   "user_distribution.call_users"                             a dotted path reaches nested numbers
 *   { "share": { "of": "hangup_type_distribution", "key": "by_user" } }   key / sum of the distribution
 *   { "ratio": { "numerator": "transfer_success_calls", "denominator": "attempted_transfer_calls" } }
 *   { "weekOverWeek": "total_calls" }                          (this hour − same hour last week) / last week
 *   { "weekOverWeek": "total_calls", "weeks": 4 }              (this hour − median of the same hour of
 *                                                              the last 4 weeks) / that median
 *   { "capacityUtilisation": true }                            peak concurrent calls / configured line capacity
 *
 * Parsed into a tagged union so the evaluator switches on `kind` instead of probing keys.
 */

const FIELD_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

export const FieldPathSchema = z.string().check(
  z.regex(FIELD_PATH, {
    error:
      'expected a field name such as "transfer_success_rate" or a dotted path such as "user_distribution.call_users"',
  }),
);

/** The most weeks a seasonal baseline reaches back: each is one archived response read per check. */
export const MAX_BASELINE_WEEKS = 8;

const METRIC_KEYS = ['share', 'ratio', 'weekOverWeek', 'capacityUtilisation'] as const;

const MetricObjectSchema = z
  .strictObject({
    share: z.optional(z.strictObject({ of: FieldPathSchema, key: z.string().check(z.minLength(1)) })),
    ratio: z.optional(z.strictObject({ numerator: FieldPathSchema, denominator: FieldPathSchema })),
    weekOverWeek: z.optional(FieldPathSchema),
    /** weekOverWeek only: how many earlier weeks the baseline is the median of (1 = last week alone). */
    weeks: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_BASELINE_WEEKS))),
    capacityUtilisation: z.optional(z.literal(true)),
  })
  .check(
    z.refine((metric) => METRIC_KEYS.filter((key) => metric[key] !== undefined).length === 1, {
      error: `expected exactly one of ${METRIC_KEYS.join(', ')}`,
    }),
    z.refine((metric) => metric.weeks === undefined || metric.weekOverWeek !== undefined, {
      error: '"weeks" belongs to a weekOverWeek metric',
      path: ['weeks'],
    }),
  );

export type Metric =
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'share'; readonly of: string; readonly key: string }
  | { readonly kind: 'ratio'; readonly numerator: string; readonly denominator: string }
  | { readonly kind: 'weekOverWeek'; readonly field: string; readonly weeks: number }
  | { readonly kind: 'capacityUtilisation' };

export const MetricSchema = z.pipe(
  z.union([FieldPathSchema, MetricObjectSchema], {
    error: 'expected a field name or an object with one of share, ratio, weekOverWeek, capacityUtilisation',
  }),
  z.transform((metric): Metric => {
    if (typeof metric === 'string') return { kind: 'field', field: metric };
    if (metric.share) return { kind: 'share', ...metric.share };
    if (metric.ratio) return { kind: 'ratio', ...metric.ratio };
    if (metric.weekOverWeek)
      return { kind: 'weekOverWeek', field: metric.weekOverWeek, weeks: metric.weeks ?? 1 };
    return { kind: 'capacityUtilisation' };
  }),
);

/** The count a rate metric is a share of, when the response carries it (a ratio's denominator). */
export function rateTrials(metric: Metric): string | undefined {
  if (metric.kind === 'ratio') return metric.denominator;
  return metric.kind === 'field' ? RATE_TRIALS[metric.field] : undefined;
}

/** A short plain-text name of the metric for messages (escape before putting it in mrkdwn). */
export function describeMetric(metric: Metric): string {
  switch (metric.kind) {
    case 'field':
      return metric.field;
    case 'share':
      return `share of "${metric.key}" in ${metric.of}`;
    case 'ratio':
      return `${metric.numerator} / ${metric.denominator}`;
    case 'weekOverWeek':
      return metric.weeks === 1
        ? `${metric.field} vs the same hour last week`
        : `${metric.field} vs the median of the same hour in the last ${metric.weeks} weeks`;
    case 'capacityUtilisation':
      return 'peak concurrent calls / line capacity';
  }
}

/**
 * Every numeric field AIRUDDER's statistics carry (realtime rows and totals, offline daily rows),
 * the rates derived from them, and the distributions whose keys a dotted path or a share may name.
 * A rule naming anything else would silently never fire, so it is an error unless the rule says
 * `"allowUnknownMetric": true` (a field AIRUDDER adds later).
 */
export const KNOWN_FIELDS: readonly string[] = [
  'total_calls',
  'valid_calls',
  'attempted_transfer_calls',
  'transfer_success_calls',
  'attempted_transfer_rate',
  'transfer_success_rate',
  'agent_reception_rate',
  'avg_agent_duration',
  'avg_robot_duration',
  'avg_total_duration',
  'average_robot_talk_round',
  'avg_robot_score',
  'one_call_problem_solve_rate',
  'robot_evaluation_rate',
  'robot_satisfied_rate',
  'call_users',
  'valid_users',
  'new_users',
  'old_users',
  'duplicate_call_rate',
  'max_concurrent_call_count',
  'ticket_count',
  'fake_receipts_count',
  'deduplicated_fake_receipts_count',
  'daily_deduplicated_fake_receipts_count',
];

export const KNOWN_DISTRIBUTIONS: readonly string[] = [
  'hangup_type_distribution',
  'story_distribution',
  'intention_distribution',
  'satisfied_distribution',
  'transfer_reason_distribution',
  'user_distribution',
  'fake_receipts_distribution',
  'ticket_distribution',
];

/** A metric name the catalogue does not know, where it sits in the rule, and the closest known name. */
export interface UnknownMetricName {
  readonly path: readonly string[];
  readonly name: string;
  readonly suggestion?: string;
}

/** The names in `metric` that are neither a known field, a `distribution.key` path nor a known distribution. */
export function unknownMetricNames(metric: Metric): UnknownMetricName[] {
  const names: Array<{ path: string[]; name: string; distribution?: boolean }> = [];
  switch (metric.kind) {
    case 'field':
      names.push({ path: [], name: metric.field });
      break;
    case 'weekOverWeek':
      names.push({ path: ['weekOverWeek'], name: metric.field });
      break;
    case 'ratio':
      names.push({ path: ['ratio', 'numerator'], name: metric.numerator });
      names.push({ path: ['ratio', 'denominator'], name: metric.denominator });
      break;
    case 'share':
      names.push({ path: ['share', 'of'], name: metric.of, distribution: true });
      break;
    case 'capacityUtilisation':
      break;
  }
  return names.flatMap(({ path, name, distribution }) => {
    const candidates = distribution ? KNOWN_DISTRIBUTIONS : KNOWN_FIELDS;
    if (candidates.includes(name)) return [];
    const [head, ...rest] = name.split('.');
    if (!distribution && rest.length === 1 && KNOWN_DISTRIBUTIONS.includes(head ?? '')) return [];
    const suggestion = closest(distribution ? name : rest.length > 0 ? (head ?? name) : name, [
      ...candidates,
      ...(distribution || rest.length === 0 ? [] : KNOWN_DISTRIBUTIONS),
    ]);
    const suggested =
      suggestion && rest.length > 0 && !distribution ? `${suggestion}.${rest.join('.')}` : suggestion;
    return [{ path, name, ...(suggested === undefined ? {} : { suggestion: suggested }) }];
  });
}

/** The candidate nearest to `name` by edit distance, when it is near enough to be a typo. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(3, Math.floor(name.length / 3))
    ? best.candidate
    : undefined;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
