import * as z from 'zod';

/**
 * What a rule measures. In the file a metric is either a field name or an object with exactly one key:
 *
 *   "transfer_success_rate"                                    a numeric field of the scope's row/total
 *   "user_distribution.call_users"                             a dotted path reaches nested numbers
 *   { "share": { "of": "hangup_type_distribution", "key": "by_user" } }   key / sum of the distribution
 *   { "ratio": { "numerator": "transfer_success_calls", "denominator": "attempted_transfer_calls" } }
 *   { "weekOverWeek": "total_calls" }                          (this hour − same hour last week) / last week
 *   { "capacityUtilisation": true }                            peak concurrent calls / configured line capacity
 *
 * Parsed into a tagged union so the evaluator switches on `kind` instead of probing keys.
 */

const FIELD_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

export const FieldPathSchema = z.string().regex(FIELD_PATH, {
  error:
    'expected a field name such as "transfer_success_rate" or a dotted path such as "user_distribution.call_users"',
});

const METRIC_KEYS = ['share', 'ratio', 'weekOverWeek', 'capacityUtilisation'] as const;

const MetricObjectSchema = z
  .strictObject({
    share: z.strictObject({ of: FieldPathSchema, key: z.string().min(1) }).optional(),
    ratio: z.strictObject({ numerator: FieldPathSchema, denominator: FieldPathSchema }).optional(),
    weekOverWeek: FieldPathSchema.optional(),
    capacityUtilisation: z.literal(true).optional(),
  })
  .refine((metric) => METRIC_KEYS.filter((key) => metric[key] !== undefined).length === 1, {
    error: `expected exactly one of ${METRIC_KEYS.join(', ')}`,
  });

export type Metric =
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'share'; readonly of: string; readonly key: string }
  | { readonly kind: 'ratio'; readonly numerator: string; readonly denominator: string }
  | { readonly kind: 'weekOverWeek'; readonly field: string }
  | { readonly kind: 'capacityUtilisation' };

export const MetricSchema = z
  .union([FieldPathSchema, MetricObjectSchema], {
    error: 'expected a field name or an object with one of share, ratio, weekOverWeek, capacityUtilisation',
  })
  .transform((metric): Metric => {
    if (typeof metric === 'string') return { kind: 'field', field: metric };
    if (metric.share) return { kind: 'share', ...metric.share };
    if (metric.ratio) return { kind: 'ratio', ...metric.ratio };
    if (metric.weekOverWeek) return { kind: 'weekOverWeek', field: metric.weekOverWeek };
    return { kind: 'capacityUtilisation' };
  });

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
      return `${metric.field} vs the same hour last week`;
    case 'capacityUtilisation':
      return 'peak concurrent calls / line capacity';
  }
}
