import { describe, expect, it } from 'vitest';
import type { Metric, Unit } from '../../../../lambda/domain/alerts/metrics';
import { fixtureJson } from '../../../helpers/fixtures';

/**
 * The modules under test, loaded while this file is collected (so their tables count as covered by
 * every test here) but awaited inside each test: a table that fails to build then fails these tests,
 * where a failed top-level import would leave the file with no test to fail (StrykerJS's vitest runner
 * counts such a file as no test run).
 */
const loading = Promise.all([
  import('../../../../lambda/domain/alerts/metrics'),
  import('../../../../lambda/domain/alerts/rules'),
]);
await loading.catch(() => undefined);
const metrics = async () => (await loading)[0];
const rules = async () => (await loading)[1];

/** The problems a rules file reports for one rule whose metric is `written` (and nothing else wrong). */
async function problemsOfRuleWith(written: unknown): Promise<readonly string[]> {
  const { parseRules, RulesFileError } = await rules();
  const rule = {
    id: 'm',
    title: 'M',
    metric: written,
    window: { minutes: 60 },
    comparison: 'above',
    warn: 1,
  };
  try {
    parseRules(JSON.stringify({ rules: [rule] }), 'rules.json');
  } catch (error) {
    if (error instanceof RulesFileError) return error.problems;
    throw error;
  }
  return [];
}
const FIELD_NAME_PROBLEM =
  'expected a field name such as "transfer_success_rate" or a dotted path such as "user_distribution.call_users"';
const ONE_OF = 'share, ratio, weekOverWeek, capacityUtilisation';
const suggestionFor = async (field: string) =>
  (await metrics()).unknownMetricNames({ kind: 'field', field })[0]?.suggestion;

describe('MetricSchema: a metric as the rules file writes it', () => {
  it.each(['transfer_success_rate', 'user_distribution.call_users', 'satisfied_distribution.5', 'A.b.C9'])(
    'reads the field name %s as a field metric',
    async (name) => {
      const { MetricSchema } = await metrics();
      expect(MetricSchema.parse(name)).toEqual({ kind: 'field', field: name });
    },
  );

  it.each([
    'transfer success rate',
    'x-total_calls',
    'total_calls-x',
    'user_distribution..call_users',
    '.total_calls',
    'total_calls.',
    '',
  ])('refuses %j as a field name, saying what a name looks like', async (name) => {
    expect(await problemsOfRuleWith(name)).toEqual([`rule "m" field metric: ${FIELD_NAME_PROBLEM}`]);
  });

  it.each([
    [
      { share: { of: 'hangup_type_distribution', key: 'by_user' } },
      { kind: 'share', of: 'hangup_type_distribution', key: 'by_user' },
    ],
    [
      { ratio: { numerator: 'valid_calls', denominator: 'total_calls' } },
      { kind: 'ratio', numerator: 'valid_calls', denominator: 'total_calls' },
    ],
    [{ weekOverWeek: 'total_calls' }, { kind: 'weekOverWeek', field: 'total_calls', weeks: 1 }],
    [
      { weekOverWeek: 'total_calls', weeks: 1 },
      { kind: 'weekOverWeek', field: 'total_calls', weeks: 1 },
    ],
    [
      { weekOverWeek: 'total_calls', weeks: 8 },
      { kind: 'weekOverWeek', field: 'total_calls', weeks: 8 },
    ],
    [{ capacityUtilisation: true }, { kind: 'capacityUtilisation' }],
  ])('reads %j as %j', async (written, parsed) => {
    const { MetricSchema } = await metrics();
    expect(MetricSchema.parse(written)).toStrictEqual(parsed);
  });

  it.each([
    { written: { weekOverWeek: 'total_calls', weeks: 0 }, problem: 'field metric.weeks: Too small' },
    { written: { weekOverWeek: 'total_calls', weeks: 9 }, problem: 'field metric.weeks: Too big' },
    { written: { weekOverWeek: 'total_calls', weeks: 2.5 }, problem: 'field metric.weeks: expected int' },
    { written: { weekOverWeek: 'total calls' }, problem: `field metric.weekOverWeek: ${FIELD_NAME_PROBLEM}` },
    {
      written: { share: { of: 'hangup_type_distribution', key: 'by_user' }, weeks: 2 },
      problem: 'field metric.weeks: "weeks" belongs to a weekOverWeek metric',
    },
    { written: {}, problem: `field metric: expected exactly one of ${ONE_OF}` },
    {
      written: { weekOverWeek: 'total_calls', capacityUtilisation: true },
      problem: `field metric: expected exactly one of ${ONE_OF}`,
    },
    {
      written: { share: { of: 'hangup_type_distribution', key: 'by_user' }, key: 'by_user' },
      problem: 'field metric.key: unknown field',
    },
    {
      written: { share: { of: 'hangup_type_distribution', key: '' } },
      problem: 'field metric.share.key: Too small',
    },
    {
      written: { share: { of: 'hangup type', key: 'by_user' } },
      problem: 'field metric.share.of: expected a field name',
    },
    {
      written: { share: { of: 'hangup_type_distribution', key: 'by_user', weeks: 2 } },
      problem: 'field metric.share.weeks: unknown field',
    },
    {
      written: { ratio: { numerator: 'valid_calls' } },
      problem: 'field metric.ratio.denominator: expected string',
    },
    {
      written: { ratio: { numerator: 'valid calls', denominator: 'total_calls' } },
      problem: 'field metric.ratio.numerator: expected a field name',
    },
    { written: { capacityUtilisation: false }, problem: 'field metric.capacityUtilisation: expected true' },
    { written: 42, problem: `field metric: expected a field name or an object with one of ${ONE_OF}` },
  ])('refuses the metric $written: $problem', async ({ written, problem }) => {
    expect(await problemsOfRuleWith(written)).toEqual([expect.stringContaining(`rule "m" ${problem}`)]);
  });
});

describe('METRIC_KINDS: how each kind reads, its unit, its range and what it reads', () => {
  it.each<{ metric: Metric; described: string; unit: Unit; trials?: string; fields: string[][] }>([
    {
      metric: { kind: 'field', field: 'transfer_success_rate' },
      described: 'transfer_success_rate',
      unit: 'rate',
      trials: 'attempted_transfer_calls',
      fields: [['transfer_success_rate'], ['transfer_success_calls', 'attempted_transfer_calls']],
    },
    {
      metric: { kind: 'field', field: 'total_calls' },
      described: 'total_calls',
      unit: 'count',
      fields: [['total_calls']],
    },
    {
      metric: { kind: 'share', of: 'hangup_type_distribution', key: 'by_user' },
      described: 'share of "by_user" in hangup_type_distribution',
      unit: 'rate',
      fields: [['hangup_type_distribution']],
    },
    {
      metric: { kind: 'ratio', numerator: 'valid_calls', denominator: 'total_calls' },
      described: 'valid_calls / total_calls',
      unit: 'rate',
      trials: 'total_calls',
      fields: [['valid_calls', 'total_calls']],
    },
    {
      metric: { kind: 'weekOverWeek', field: 'total_calls', weeks: 1 },
      described: 'total_calls vs the same hour last week',
      unit: 'change',
      fields: [['total_calls']],
    },
    {
      metric: { kind: 'weekOverWeek', field: 'transfer_success_rate', weeks: 4 },
      described: 'transfer_success_rate vs the median of the same hour in the last 4 weeks',
      unit: 'change',
      fields: [['transfer_success_rate'], ['transfer_success_calls', 'attempted_transfer_calls']],
    },
    {
      metric: { kind: 'capacityUtilisation' },
      described: 'peak concurrent calls / line capacity',
      unit: 'rate',
      fields: [['max_concurrent_call_count']],
    },
  ])('$metric reads "$described" in $unit, rests on $trials, and is given by $fields', async (expected) => {
    const { describeMetric, kindOf, rateTrials } = await metrics();
    const { metric } = expected;
    expect(describeMetric(metric)).toBe(expected.described);
    expect(kindOf(metric).unit(metric)).toBe(expected.unit);
    expect(rateTrials(metric)).toBe(expected.trials);
    expect(kindOf(metric).fields(metric)).toEqual(expected.fields);
  });

  it.each<{ metric: Metric; asRate: boolean; asCount: boolean }>([
    { metric: { kind: 'field', field: 'transfer_success_rate' }, asRate: true, asCount: false },
    {
      metric: { kind: 'share', of: 'hangup_type_distribution', key: 'by_user' },
      asRate: true,
      asCount: true,
    },
    {
      metric: { kind: 'ratio', numerator: 'valid_calls', denominator: 'total_calls' },
      asRate: false,
      asCount: false,
    },
    { metric: { kind: 'weekOverWeek', field: 'total_calls', weeks: 1 }, asRate: false, asCount: false },
    { metric: { kind: 'capacityUtilisation' }, asRate: false, asCount: false },
  ])('$metric lies in 0–1 read as a rate: $asRate, read as a count: $asCount', async (expected) => {
    // A ratio or a utilisation can exceed 100 %; a share never does; a field only when it is a rate.
    const { kindOf } = await metrics();
    const { metric } = expected;
    expect(kindOf(metric).bounded(metric, 'rate')).toBe(expected.asRate);
    expect(kindOf(metric).bounded(metric, 'count')).toBe(expected.asCount);
  });

  it.each<[string, Unit]>([
    ['transfer_success_rate', 'rate'],
    ['satisfied_distribution.robot_satisfied_rate', 'rate'],
    ['story_distribution.robot_rate.complain', 'count'],
    ['avg_talk_distribution.by_user', 'count'],
    ['rate_of_calls', 'count'],
    ['avg_agent_duration', 'seconds'],
    ['queue_duration_p90', 'seconds'],
    ['avg_wait', 'number'],
    ['wait_avg', 'count'],
    ['average_robot_talk_round', 'number'],
    ['talk_round_average', 'count'],
    ['quality_score_today', 'number'],
    ['total_calls', 'count'],
  ])('reads the field %s in %s', async (field, unit) => {
    const { kindOf } = await metrics();
    const metric: Metric = { kind: 'field', field };
    expect(kindOf(metric).unit(metric)).toBe(unit);
  });

  it.each(['rate', 'change', 'seconds', 'count', 'number'])(
    'lets a rule set its unit to %s',
    async (unit) => {
      const { UnitSchema } = await metrics();
      expect(UnitSchema.parse(unit)).toBe(unit);
    },
  );
});

describe('isParsedMetric: what a metric that failed its schema leaves behind', () => {
  it.each([{ kind: 'field', field: 'total_calls' }, { kind: 'capacityUtilisation' }])(
    'takes %j for a parsed metric',
    async (metric) => {
      const { isParsedMetric } = await metrics();
      expect(isParsedMetric(metric)).toBe(true);
    },
  );

  it.each([
    ['total_calls'],
    [null],
    [42],
    [{}],
    [{ kind: 3 }],
    [{ kind: ['field'] }],
    [{ kind: 'toString' }],
    [{ kind: 'percentile' }],
  ])('takes %j for none', async (written) => {
    const { isParsedMetric } = await metrics();
    expect(isParsedMetric(written)).toBe(false);
  });
});

describe('unknownMetricNames: the catalogue of names a rule may read', () => {
  it("knows every number and every distribution's keys of the documented example response", async () => {
    const { unknownMetricNames } = await metrics();
    // Every row of the example: realtime and offline, totals, daily and hourly rows.
    const { realtime, offline } = fixtureJson('statistics-example.json').data;
    const rows: Record<string, unknown>[] = [realtime, offline].flatMap((section) => [
      section.total,
      ...section.daily.data_list,
      ...(section.hourly.data_list ?? []),
    ]);
    const named: Metric[] = rows.flatMap((row) =>
      Object.entries(row).flatMap(([name, value]): Metric[] => {
        if (typeof value === 'number') return [{ kind: 'field', field: name }];
        if (typeof value !== 'object' || value === null) return [];
        return [
          { kind: 'share', of: name, key: Object.keys(value)[0] ?? '' },
          ...Object.keys(value).map((key): Metric => ({ kind: 'field', field: `${name}.${key}` })),
        ];
      }),
    );
    expect(named.length).toBeGreaterThan(100);
    expect(named.flatMap(unknownMetricNames)).toEqual([]);
  });

  it('names each unknown name where it sits in the rule', async () => {
    const { unknownMetricNames } = await metrics();
    expect(
      unknownMetricNames({ kind: 'ratio', numerator: 'valid_cals', denominator: 'totl_calls' }),
    ).toStrictEqual([
      { path: ['ratio', 'numerator'], name: 'valid_cals', suggestion: 'valid_calls' },
      { path: ['ratio', 'denominator'], name: 'totl_calls', suggestion: 'total_calls' },
    ]);
    expect(unknownMetricNames({ kind: 'weekOverWeek', field: 'totl_calls', weeks: 1 })).toStrictEqual([
      { path: ['weekOverWeek'], name: 'totl_calls', suggestion: 'total_calls' },
    ]);
    expect(unknownMetricNames({ kind: 'share', of: 'hangup_distribution', key: 'by_user' })).toStrictEqual([
      { path: ['share', 'of'], name: 'hangup_distribution', suggestion: 'hangup_type_distribution' },
    ]);
    expect(unknownMetricNames({ kind: 'field', field: 'totl_calls' })).toStrictEqual([
      { path: [], name: 'totl_calls', suggestion: 'total_calls' },
    ]);
    expect(unknownMetricNames({ kind: 'capacityUtilisation' })).toStrictEqual([]);
  });

  it('takes a share of a whole distribution only, not of a key of one or of a field', async () => {
    const { unknownMetricNames } = await metrics();
    expect(unknownMetricNames({ kind: 'share', of: 'user_distribution.call_users', key: 'x' })).toStrictEqual(
      [{ path: ['share', 'of'], name: 'user_distribution.call_users' }],
    );
    expect(unknownMetricNames({ kind: 'share', of: 'total_calls', key: 'x' })).toStrictEqual([
      { path: ['share', 'of'], name: 'total_calls' },
    ]);
  });

  it('reads a dotted path only one key deep under a known distribution', async () => {
    const { unknownMetricNames } = await metrics();
    expect(unknownMetricNames({ kind: 'field', field: 'story_distribution.anything_new' })).toStrictEqual([]);
    expect(unknownMetricNames({ kind: 'field', field: 'story_distribution.complain.today' })).toStrictEqual([
      { path: [], name: 'story_distribution.complain.today' },
    ]);
    expect(unknownMetricNames({ kind: 'field', field: 'total_calls.by_user' })).toStrictEqual([
      { path: [], name: 'total_calls.by_user' },
    ]);
  });

  it('suggests the distribution or field a misspelt dotted path was meant for', async () => {
    expect(await suggestionFor('user_distributon.call_users')).toBe('user_distribution.call_users');
    expect(await suggestionFor('totl_calls.by_user')).toBe('total_calls.by_user');
    expect(await suggestionFor('totl_calls.by_user.today')).toBe('total_calls.by_user.today');
    expect(await suggestionFor('zzzz.by_user')).toBeUndefined();
  });

  it('suggests no distribution for a name without a dot (a distribution is no number)', async () => {
    const { unknownMetricNames } = await metrics();
    expect(unknownMetricNames({ kind: 'field', field: 'user_distributon' })).toStrictEqual([
      { path: [], name: 'user_distributon' },
    ]);
  });

  it('suggests a name at most 3 edits away for a short name, and a third of its length for a long one', async () => {
    expect(await suggestionFor('tl_calls')).toBe('total_calls'); // 3 edits
    expect(await suggestionFor('t_calls')).toBeUndefined(); // 4 edits
    expect(await suggestionFor('zzzz')).toBeUndefined();
    expect(await suggestionFor('tc')).toBeUndefined(); // 2 letters are 7 or more edits from any name
    expect(await suggestionFor('xxxxxxxxxproblem_solve_rate')).toBe('one_call_problem_solve_rate'); // 9 of 27
    expect(await suggestionFor('xxxxxxxxxxroblem_solve_rate')).toBeUndefined(); // 10 of 27
  });

  it('counts insertions, deletions and substitutions each as one edit', async () => {
    expect(await suggestionFor('nw_users')).toBe('new_users'); // one deletion
    expect(await suggestionFor('neww_users')).toBe('new_users'); // one insertion
    expect(await suggestionFor('oew_users')).toBe('new_users'); // one substitution, two from old_users
    expect(await suggestionFor('od_users')).toBe('old_users');
    expect(await suggestionFor('valid_ualls')).toBe('valid_calls');
    expect(await suggestionFor('avg_robt_duration')).toBe('avg_robot_duration');
    expect(await suggestionFor('avg_agen_duration')).toBe('avg_agent_duration');
  });

  it("suggests the catalogue's first of equally near names", async () => {
    expect(await suggestionFor('nd_users')).toBe('new_users'); // 2 edits from new_users and old_users
    expect(await suggestionFor('avg_xxxxx_duration')).toBe('avg_agent_duration'); // 5 from agent, robot and total
  });
});
