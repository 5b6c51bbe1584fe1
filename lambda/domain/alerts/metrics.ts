import * as z from '../shared/zod';
import { DERIVED_RATES, RATE_TRIALS } from '../statistics/metric-format';

/**
 * What a rule measures: the kinds of metric, each one entry of METRIC_KINDS (how the rules file
 * writes it, how it reads in messages, its unit, what it reads), parsed into a tagged union so the
 * evaluator switches on `kind` instead of probing keys. How each kind is computed is measure.ts's
 * COMPUTE table; "Add a rule kind" in docs/contributing.md walks through it.
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

/** How a rule's values read (the product's metric units a rule can use). */
export const UnitSchema = z.enum(['rate', 'change', 'seconds', 'count', 'number']);
export type Unit = z.infer<typeof UnitSchema>;

// ---- the kinds of metric

/**
 * What each kind of metric holds once parsed. A kind is this one line and its entry in METRIC_KINDS
 * below (and, in measure.ts, how it is computed): `tsc` names whatever a new kind still lacks.
 * Exported: the declarations the package ships name it through the rule schemas.
 */
export interface MetricPayloads {
  readonly field: { readonly field: string };
  readonly share: { readonly of: string; readonly key: string };
  readonly ratio: { readonly numerator: string; readonly denominator: string };
  readonly weekOverWeek: { readonly field: string; readonly weeks: number };
  readonly capacityUtilisation: Record<never, never>;
}

export type MetricKind = keyof MetricPayloads;

/** A parsed metric, tagged by `kind` so the evaluator switches on it instead of probing keys. */
export type Metric<K extends MetricKind = MetricKind> = {
  readonly [P in K]: { readonly kind: P } & MetricPayloads[P];
}[K];

/** A name a metric reads, where it sits in the rule, and whether it names a distribution. */
interface NameRead {
  readonly path: readonly string[];
  readonly name: string;
  readonly distribution?: boolean;
}

/** How the rules file writes a kind: a bare field name, or an object under one key. */
type FileForm<K extends MetricKind> =
  | { readonly form: 'name'; readonly parse: (name: string) => Metric<K> }
  | {
      readonly form: 'object';
      /** The value under the kind's key, e.g. `{ "of": …, "key": … }` for share. */
      readonly value: z.ZodMiniType;
      /** Keys beside the kind's own that belong to it, e.g. weekOverWeek's `weeks`. */
      readonly extra?: Readonly<Record<string, z.ZodMiniType>>;
      /** The metric from the (validated) object the file holds. */
      readonly parse: (object: Readonly<Record<string, unknown>>) => Metric<K>;
    };

/** Everything the product needs to know about one kind of metric, apart from computing it. */
export interface MetricKindSpec<K extends MetricKind> {
  readonly file: FileForm<K>;
  /** A short plain-text name for messages (escape before putting it in mrkdwn). */
  readonly describe: (metric: Metric<K>) => string;
  /** The unit its values read in when the rule names none. */
  readonly unit: (metric: Metric<K>) => Unit;
  /** Its values lie in [0, 1] (with `unit`, the rule's unit in use), so a threshold outside can never be reached. */
  readonly bounded: (metric: Metric<K>, unit: Unit) => boolean;
  /** The count a rate is a share of, when the response carries it (for `confidence`). */
  readonly trials: (metric: Metric<K>) => string | undefined;
  /** The names it reads, for the catalogue check (a typo is an error). */
  readonly names: (metric: Metric<K>) => NameRead[];
  /** Alternatives, each a set of fields that together give it (`rules validate`: ever seen?). */
  readonly fields: (metric: Metric<K>) => string[][];
}

/** The fields that give a field's value: itself, or the counts a rate is derived from. */
const fieldOrCounts = (name: string): string[][] => {
  const counts = DERIVED_RATES[name];
  return counts === undefined ? [[name]] : [[name], [...counts]];
};

/** The unit a field reads in, from its name. */
function fieldUnit(field: string): Unit {
  const name = field.split('.').at(-1) ?? field;
  if (name.endsWith('_rate')) return 'rate';
  if (name.includes('duration')) return 'seconds';
  if (name.startsWith('avg') || name.startsWith('average') || name.includes('score')) return 'number';
  return 'count';
}

const none = (): undefined => undefined;
const unbounded = (): boolean => false;

const ShareValueSchema = z.strictObject({ of: FieldPathSchema, key: z.string().check(z.minLength(1)) });
const RatioValueSchema = z.strictObject({ numerator: FieldPathSchema, denominator: FieldPathSchema });
const WeeksSchema = z.number().check(z.int(), z.minimum(1), z.maximum(MAX_BASELINE_WEEKS));

/**
 * The kinds of metric, one entry each; in the rules file:
 *
 *   "transfer_success_rate"                                    a numeric field of the scope's row/total
 *   "user_distribution.call_users"                             a dotted path reaches nested numbers
 *   { "share": { "of": "hangup_type_distribution", "key": "by_user" } }   key / sum of the distribution
 *   { "ratio": { "numerator": "transfer_success_calls", "denominator": "attempted_transfer_calls" } }
 *   { "weekOverWeek": "total_calls" }                          (this hour − same hour last week) / last week
 *   { "weekOverWeek": "total_calls", "weeks": 4 }              (this hour − median of the same hour of
 *                                                              the last 4 weeks) / that median
 *   { "capacityUtilisation": true }                            peak concurrent calls / configured line capacity
 */
export const METRIC_KINDS = {
  field: {
    file: { form: 'name', parse: (field) => ({ kind: 'field', field }) },
    describe: (metric) => metric.field,
    unit: (metric) => fieldUnit(metric.field),
    bounded: (_metric, unit) => unit === 'rate',
    trials: (metric) => RATE_TRIALS[metric.field],
    names: (metric) => [{ path: [], name: metric.field }],
    fields: (metric) => fieldOrCounts(metric.field),
  },
  share: {
    file: {
      form: 'object',
      value: ShareValueSchema,
      parse: (object) => ({ kind: 'share', ...ShareValueSchema.parse(object.share) }),
    },
    describe: (metric) => `share of "${metric.key}" in ${metric.of}`,
    unit: () => 'rate',
    bounded: () => true,
    trials: none,
    names: (metric) => [{ path: ['share', 'of'], name: metric.of, distribution: true }],
    fields: (metric) => [[metric.of]],
  },
  ratio: {
    file: {
      form: 'object',
      value: RatioValueSchema,
      parse: (object) => ({ kind: 'ratio', ...RatioValueSchema.parse(object.ratio) }),
    },
    describe: (metric) => `${metric.numerator} / ${metric.denominator}`,
    unit: () => 'rate',
    bounded: unbounded,
    trials: (metric) => metric.denominator,
    names: (metric) => [
      { path: ['ratio', 'numerator'], name: metric.numerator },
      { path: ['ratio', 'denominator'], name: metric.denominator },
    ],
    fields: (metric) => [[metric.numerator, metric.denominator]],
  },
  weekOverWeek: {
    file: {
      form: 'object',
      value: FieldPathSchema,
      /** How many earlier weeks the baseline is the median of (1 = last week alone). */
      extra: { weeks: WeeksSchema },
      parse: (object) => ({
        kind: 'weekOverWeek',
        field: FieldPathSchema.parse(object.weekOverWeek),
        weeks: object.weeks === undefined ? 1 : WeeksSchema.parse(object.weeks),
      }),
    },
    describe: (metric) =>
      metric.weeks === 1
        ? `${metric.field} vs the same hour last week`
        : `${metric.field} vs the median of the same hour in the last ${metric.weeks} weeks`,
    unit: () => 'change',
    bounded: unbounded,
    trials: none,
    names: (metric) => [{ path: ['weekOverWeek'], name: metric.field }],
    fields: (metric) => fieldOrCounts(metric.field),
  },
  capacityUtilisation: {
    file: {
      form: 'object',
      value: z.literal(true),
      parse: () => ({ kind: 'capacityUtilisation' }),
    },
    describe: () => 'peak concurrent calls / line capacity',
    unit: () => 'rate',
    bounded: unbounded,
    trials: none,
    names: () => [],
    fields: () => [['max_concurrent_call_count']],
  },
} as const satisfies { readonly [K in MetricKind]: MetricKindSpec<K> };

const KINDS: { readonly [K in MetricKind]: MetricKindSpec<K> } = METRIC_KINDS;

/**
 * False for what a failed metric leaves behind in a rule: the rule's other checks still run (zod
 * reports every problem at once) on the metric as written.
 */
export const isParsedMetric = (metric: unknown): metric is Metric =>
  typeof metric === 'object' &&
  metric !== null &&
  'kind' in metric &&
  typeof metric.kind === 'string' &&
  Object.hasOwn(KINDS, metric.kind);

/** The entry of `metric`'s kind, typed for that kind. */
export const kindOf = <K extends MetricKind>(metric: Metric<K>): MetricKindSpec<K> => KINDS[metric.kind];

// ---- the file form

/** The keys of the object forms, in the table's order: share, ratio, weekOverWeek, capacityUtilisation. */
const OBJECT_KINDS = (Object.keys(KINDS) as MetricKind[]).flatMap((kind) => {
  const { file } = KINDS[kind];
  return file.form === 'object' ? [{ kind, file }] : [];
});
const METRIC_KEYS = OBJECT_KINDS.map(({ kind }) => kind);

const MetricObjectSchema = z
  .strictObject(
    Object.fromEntries(
      OBJECT_KINDS.flatMap(({ kind, file }) => [
        [kind, z.optional(file.value)],
        ...Object.entries(file.extra ?? {}).map(([key, schema]) => [key, z.optional(schema)] as const),
      ]),
    ),
  )
  .check(
    z.refine((metric) => METRIC_KEYS.filter((key) => metric[key] !== undefined).length === 1, {
      error: `expected exactly one of ${METRIC_KEYS.join(', ')}`,
    }),
    ...OBJECT_KINDS.flatMap(({ kind, file }) =>
      Object.keys(file.extra ?? {}).map((key) =>
        z.refine<Readonly<Record<string, unknown>>>(
          (metric) => metric[key] === undefined || metric[kind] !== undefined,
          {
            error: `"${key}" belongs to a ${kind} metric`,
            path: [key],
          },
        ),
      ),
    ),
  );

export const MetricSchema = z.pipe(
  z.union([FieldPathSchema, MetricObjectSchema], {
    error: `expected a field name or an object with one of ${METRIC_KEYS.join(', ')}`,
  }),
  z.transform((metric): Metric => {
    // A bare name is a field: the one kind the file writes as a name (`tsc` holds its form to that).
    if (typeof metric === 'string') return METRIC_KINDS.field.file.parse(metric);
    const found = OBJECT_KINDS.find(({ kind }) => metric[kind] !== undefined);
    if (found === undefined) throw new RangeError(`expected exactly one of ${METRIC_KEYS.join(', ')}`);
    return found.file.parse(metric);
  }),
);

/** The count a rate metric is a share of, when the response carries it (a ratio's denominator). */
export const rateTrials = (metric: Metric): string | undefined => kindOf(metric).trials(metric);

/** A short plain-text name of the metric for messages (escape before putting it in mrkdwn). */
export const describeMetric = (metric: Metric): string => kindOf(metric).describe(metric);

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
  return kindOf(metric)
    .names(metric)
    .flatMap(({ path, name, distribution }): UnknownMetricName[] => {
      if (distribution) {
        return KNOWN_DISTRIBUTIONS.includes(name)
          ? []
          : [unknownName(path, name, closest(name, KNOWN_DISTRIBUTIONS))];
      }
      if (KNOWN_FIELDS.includes(name)) return [];
      const [head = name, ...rest] = name.split('.');
      if (rest.length === 0) return [unknownName(path, name, closest(name, KNOWN_FIELDS))];
      if (rest.length === 1 && KNOWN_DISTRIBUTIONS.includes(head)) return [];
      // A dotted path: the head is what may be misspelt. A known head ("total_calls.by_user",
      // "story_distribution.a.b") has nothing nearer to offer.
      const suggestion = closest(head, [...KNOWN_FIELDS, ...KNOWN_DISTRIBUTIONS]);
      const nearer =
        suggestion === undefined || suggestion === head ? undefined : `${suggestion}.${rest.join('.')}`;
      return [unknownName(path, name, nearer)];
    });
}

const unknownName = (
  path: readonly string[],
  name: string,
  suggestion: string | undefined,
): UnknownMetricName => ({
  path,
  name,
  ...(suggestion === undefined ? {} : { suggestion }),
});

/**
 * The candidate nearest to `name` by edit distance, when it is near enough to be a typo (at most 3
 * edits, or a third of the name's length); the first of equally near candidates.
 */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let nearest: string | undefined;
  let distanceOfNearest = Math.max(3, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < distanceOfNearest) {
      nearest = candidate;
      distanceOfNearest = distance;
    }
  }
  return nearest;
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
