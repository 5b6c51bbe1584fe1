import { describe, expect, it } from 'vitest';
import { archivedNeeds, type MeasureContext, measureRule } from '../../../../lambda/domain/alerts/measure';
import type { Rule } from '../../../../lambda/domain/alerts/rules';
import type { StatisticsResponse } from '../../../../lambda/domain/statistics/schema';
import {
  EXAMPLE_AT,
  exampleStatistics,
  generated,
  JAKARTA,
  rule,
  withoutRealtime,
  withTotal,
} from './alert-test-helpers';

const context = (statistics: StatisticsResponse, extra: Partial<MeasureContext> = {}): MeasureContext => ({
  statistics,
  at: EXAMPLE_AT,
  timeZone: JAKARTA,
  ...extra,
});

const measuredValue = (measurement: ReturnType<typeof measureRule>) =>
  measurement.kind === 'value' ? measurement.value : measurement;

describe('measureRule: fields of the day so far', () => {
  it('reads a rate from realtime.total and names the window', () => {
    expect(measureRule(rule(), context(exampleStatistics()))).toEqual({
      kind: 'value',
      value: 0.9234,
      calls: 892,
      window: 'today so far (00:00–14:30)',
    });
  });

  it.each([
    { field: 'max_concurrent_call_count', scope: 'latest-offline-day' as const, expected: 144 },
    { field: 'user_distribution.call_users', scope: 'latest-offline-day' as const, expected: 4835 },
    { field: 'satisfied_distribution.5', scope: 'day-so-far' as const, expected: 30 },
    { field: 'avg_robot_score', scope: 'day-so-far' as const, expected: 3.2391 },
    { field: 'queue_wait_seconds', scope: 'day-so-far' as const, expected: 12.5 },
  ])('reaches $field in scope $scope, including fields the API adds later', ({ field, scope, expected }) => {
    // Prepare: a field unknown to the schema, sent as a string
    const statistics = exampleStatistics();
    Object.assign(statistics.data.realtime?.total ?? {}, { queue_wait_seconds: '12.5' });
    // Act / Assess
    expect(
      measuredValue(
        measureRule(
          rule({ metric: field, scope, minCalls: 0, allowUnknownMetric: true }),
          context(statistics),
        ),
      ),
    ).toBe(expected);
  });

  it.each<{ name: string; fields: Record<string, number | null>; metric: string; expected: number }>([
    {
      name: 'transfer_success_rate is null',
      fields: { transfer_success_rate: null },
      metric: 'transfer_success_rate',
      expected: 126 / 218,
    },
    {
      name: 'attempted_transfer_rate is null',
      fields: { attempted_transfer_rate: null },
      metric: 'attempted_transfer_rate',
      expected: 218 / 756,
    },
    {
      name: 'the rate is present (it wins over the counts)',
      fields: {},
      metric: 'transfer_success_rate',
      expected: 0.9234,
    },
  ])('derives a rate from its counts when $name', ({ fields, metric, expected }) => {
    expect(measuredValue(measureRule(rule({ metric }), context(withTotal(fields))))).toBeCloseTo(
      expected,
      10,
    );
  });

  it.each<{ name: string; fields: Record<string, number | null>; reason: string }>([
    {
      name: 'the rate and its counts are missing',
      fields: { transfer_success_rate: null, transfer_success_calls: null },
      reason: 'transfer_success_rate is missing and transfer_success_calls is missing',
    },
    {
      name: 'nothing was transferred',
      fields: { transfer_success_rate: null, attempted_transfer_calls: 0 },
      reason: 'transfer_success_rate is missing and attempted_transfer_calls is 0',
    },
  ])("has no data when $name (in the total and in the day's daily row)", ({ fields, reason }) => {
    // Prepare: the day's daily row would otherwise stand in for the total
    const statistics = withTotal(fields);
    const today = statistics.data.realtime?.daily?.data_list.find((row) => row.date === '2025-11-12');
    Object.assign(today ?? {}, fields);
    // Act / Assess
    expect(measureRule(rule(), context(statistics))).toMatchObject({ kind: 'no-data', reason });
  });

  it('quotes the counts behind a published rate when they agree with it to its 4 places, naming what they count', () => {
    const statistics = withTotal({ transfer_success_rate: 0.578 }); // 126 of 218 is 0.57798…
    expect(measureRule(rule(), context(statistics))).toEqual({
      kind: 'value',
      value: 0.578,
      calls: 892,
      window: 'today so far (00:00–14:30)',
      basis: { part: 126, whole: 218, noun: 'transfers' },
    });
    const attempted = withTotal({ attempted_transfer_rate: 0.2884 }); // 218 of 756 is 0.28836…
    expect(measureRule(rule({ metric: 'attempted_transfer_rate' }), context(attempted))).toMatchObject({
      basis: { part: 218, whole: 756, noun: 'valid calls' },
    });
  });

  it('quotes no counts that disagree with the published rate, or that count nothing', () => {
    const disagreeing = measureRule(rule(), context(withTotal({ transfer_success_rate: 0.579 })));
    expect(disagreeing).toMatchObject({ kind: 'value', value: 0.579 });
    expect(disagreeing).not.toHaveProperty('basis');
    const nothing = withTotal({
      transfer_success_rate: 0,
      transfer_success_calls: 0,
      attempted_transfer_calls: 0,
    });
    const none = measureRule(rule(), context(nothing));
    expect(none).toMatchObject({ kind: 'value', value: 0 });
    expect(none).not.toHaveProperty('basis');
  });

  it('quotes the counts a missing rate was derived from', () => {
    const derived = measureRule(rule(), context(withTotal({ transfer_success_rate: null })));
    expect(derived).toMatchObject({ kind: 'value', basis: { part: 126, whole: 218, noun: 'transfers' } });
  });

  it('has no data for a rolling window whose response carries no realtime total', () => {
    const empty = exampleStatistics();
    empty.data.realtime = null;
    const windowed = rule({ scope: undefined, window: { minutes: 60 } });
    expect(measureRule(windowed, context(exampleStatistics(), { windows: new Map([[60, empty]]) }))).toEqual({
      kind: 'no-data',
      reason: 'the 60-min window response has no realtime total',
    });
  });

  it('judges exactly minCalls calls', () => {
    expect(measureRule(rule({ minCalls: 892 }), context(exampleStatistics()))).toEqual({
      kind: 'value',
      value: 0.9234,
      calls: 892,
      window: 'today so far (00:00–14:30)',
    });
  });

  it('does not judge fewer calls than minCalls', () => {
    expect(measureRule(rule({ minCalls: 1000 }), context(exampleStatistics()))).toEqual({
      kind: 'not-judged',
      reason: '892 calls, fewer than minCalls 1000',
      calls: 892,
      window: 'today so far (00:00–14:30)',
      value: 0.9234,
    });
  });
});

describe('measureRule: shares and ratios', () => {
  it.each([
    { of: 'hangup_type_distribution', key: 'by_user', expected: 2090 / (959 + 220 + 2090) },
    // The satisfaction counts "1".."5" sum to 97; the two *_rate entries mixed in are not counts.
    { of: 'satisfied_distribution', key: '5', expected: 30 / 97 },
    { of: 'story_distribution', key: 'not_a_story_today', expected: 0 },
  ])('measures the share of $key in $of', ({ of, key, expected }) => {
    const share = rule({
      metric: { share: { of, key } },
      comparison: 'above',
      warn: 0.5,
      crit: undefined,
      recovery: 0.4,
    });
    expect(measuredValue(measureRule(share, context(exampleStatistics())))).toBeCloseTo(expected, 10);
  });

  it('has no data for the share of an empty distribution', () => {
    const statistics = exampleStatistics();
    const today = statistics.data.realtime?.daily?.data_list.find((row) => row.date === '2025-11-12');
    if (today) today.hangup_type_distribution = { by_agent: 0, by_robot: 0, by_user: 0 };
    const share = rule({ metric: { share: { of: 'hangup_type_distribution', key: 'by_user' } } });
    expect(measureRule(share, context(statistics))).toMatchObject({
      kind: 'no-data',
      reason: 'hangup_type_distribution is empty',
    });
  });

  it('has no data for a ratio missing either count, or a share of a distribution that is missing', () => {
    const ratio = (numerator: string, denominator: string) =>
      rule({ metric: { ratio: { numerator, denominator } }, allowUnknownMetric: true });
    expect(measureRule(ratio('valid_calls', 'no_such_calls'), context(exampleStatistics()))).toMatchObject({
      kind: 'no-data',
      reason: 'no_such_calls is missing',
    });
    expect(measureRule(ratio('no_such_calls', 'total_calls'), context(exampleStatistics()))).toMatchObject({
      kind: 'no-data',
      reason: 'no_such_calls is missing',
    });
    const statistics = exampleStatistics();
    const today = statistics.data.realtime?.daily?.data_list.find((row) => row.date === '2025-11-12');
    if (today) today.hangup_type_distribution = undefined;
    const share = rule({ metric: { share: { of: 'hangup_type_distribution', key: 'by_user' } } });
    expect(measureRule(share, context(statistics))).toMatchObject({
      kind: 'no-data',
      reason: 'hangup_type_distribution is missing',
    });
  });

  it('has no data for a ratio whose denominator is 0', () => {
    const ratio = rule({
      metric: { ratio: { numerator: 'valid_calls', denominator: 'attempted_transfer_calls' } },
    });
    expect(measureRule(ratio, context(withTotal({ attempted_transfer_calls: 0 })))).toEqual({
      kind: 'no-data',
      reason: 'attempted_transfer_calls is 0',
      window: 'today so far (00:00–14:30)',
    });
  });

  it('measures an explicit ratio of two counts', () => {
    const ratio = rule({ metric: { ratio: { numerator: 'valid_calls', denominator: 'total_calls' } } });
    expect(measuredValue(measureRule(ratio, context(exampleStatistics())))).toBeCloseTo(756 / 892, 10);
  });
});

describe('measureRule: the last complete hour and week over week', () => {
  const today = (timeZone: string, date: string, untilUtc: string) =>
    generated({
      timeZone,
      startTime: `${date} 00:00:00`,
      endTime: `${date} 23:59:59`,
      now: new Date(untilUtc),
    });
  const hourRow = (response: StatisticsResponse, time: string) =>
    response.data.realtime?.hourly?.data_list.find((row) => row.time === time);
  const wow = (overrides = {}) =>
    rule({
      metric: { weekOverWeek: 'total_calls' },
      scope: 'last-complete-hour',
      comparison: 'above',
      warn: 1,
      crit: undefined,
      recovery: 0.5,
      ...overrides,
    });

  it.each([
    { at: '2026-03-10T07:30:00Z', expected: '13:00–14:00', time: '2026-03-10 13:00:00' },
    { at: '2026-03-10T07:00:00Z', expected: '13:00–14:00', time: '2026-03-10 13:00:00' },
    { at: '2026-03-10T06:59:00Z', expected: '12:00–13:00', time: '2026-03-10 12:00:00' },
  ])('at $at judges the latest hour that has fully ended: $expected', ({ at, expected, time }) => {
    const statistics = today(JAKARTA, '2026-03-10', at);
    const measured = measureRule(
      rule({ scope: 'last-complete-hour', minCalls: 0 }),
      context(statistics, { at: new Date(at) }),
    );
    expect(measured).toMatchObject({
      kind: 'value',
      window: expected,
      value: hourRow(statistics, time)?.transfer_success_rate,
    });
  });

  it("finds the latest complete hour whatever the rows' order, skipping rows dated after the run", () => {
    // Prepare: rows shuffled, plus a drifted row from tomorrow
    const at = '2026-03-10T07:30:00Z';
    const statistics = today(JAKARTA, '2026-03-10', at);
    const hourly = statistics.data.realtime?.hourly;
    if (!hourly) throw new Error('fixture has no hourly rows');
    const drifted = {
      ...hourly.data_list[0],
      time: '2026-03-11 09:00:00',
    } as (typeof hourly.data_list)[number];
    hourly.data_list = [
      ...hourly.data_list.toReversed().slice(3),
      drifted,
      ...hourly.data_list.toReversed().slice(0, 3),
    ];
    // Act
    const measured = measureRule(
      rule({ scope: 'last-complete-hour', minCalls: 0 }),
      context(statistics, { at: new Date(at) }),
    );
    // Assess
    expect(measured).toMatchObject({ kind: 'value', window: '13:00–14:00' });
  });

  it.each([
    {
      zone: JAKARTA,
      date: '2026-03-10',
      lastWeekDate: '2026-03-03',
      at: '2026-03-10T07:30:00Z',
      lastWeekAt: '2026-03-03T07:30:00Z',
      hour: '13:00:00',
      window: '13:00–14:00',
    },
    // New York moved to EDT on 2026-03-08: the same local hour a week earlier was in EST.
    {
      zone: 'America/New_York',
      date: '2026-03-09',
      lastWeekDate: '2026-03-02',
      at: '2026-03-09T18:30:00Z',
      lastWeekAt: '2026-03-02T19:30:00Z',
      hour: '13:00:00',
      window: '13:00–14:00',
    },
    // On the change day the 02:00 hour does not exist: the hour after 01:00 EST ends at 03:00 EDT.
    {
      zone: 'America/New_York',
      date: '2026-03-08',
      lastWeekDate: '2026-03-01',
      at: '2026-03-08T07:30:00Z',
      lastWeekAt: '2026-03-01T07:30:00Z',
      hour: '01:00:00',
      window: '01:00–03:00',
    },
  ])('compares the last complete hour with the same local hour a week earlier ($zone $date $hour)', (c) => {
    // Prepare
    const statistics = today(c.zone, c.date, c.at);
    const lastWeek = today(c.zone, c.lastWeekDate, c.lastWeekAt);
    const current = hourRow(statistics, `${c.date} ${c.hour}`)?.total_calls ?? Number.NaN;
    const baseline = hourRow(lastWeek, `${c.lastWeekDate} ${c.hour}`)?.total_calls ?? Number.NaN;
    // Act
    const measured = measureRule(wow({ minCalls: 0 }), {
      statistics,
      lastWeek,
      at: new Date(c.at),
      timeZone: c.zone,
    });
    // Assess
    expect(measured).toMatchObject({ kind: 'value', window: c.window, calls: baseline });
    expect(measuredValue(measured)).toBeCloseTo((current - baseline) / baseline, 10);
  });

  it("gates week over week on last week's calls, so a drop to zero is still judged", () => {
    const at = '2026-03-10T07:30:00Z';
    const statistics = today(JAKARTA, '2026-03-10', at);
    const row = hourRow(statistics, '2026-03-10 13:00:00');
    if (row) row.total_calls = 0;
    const lastWeek = today(JAKARTA, '2026-03-03', '2026-03-03T07:30:00Z');
    const measured = measureRule(wow({ minCalls: 30 }), context(statistics, { lastWeek, at: new Date(at) }));
    expect(measured).toMatchObject({ kind: 'value', value: -1 });
  });

  it.each([
    {
      name: "last week's response is absent",
      lastWeek: undefined,
      reason: "last week's response is not available",
    },
    {
      name: 'last week has no row for the hour',
      lastWeek: today(JAKARTA, '2026-03-03', '2026-03-03T02:00:00Z'),
      reason: 'last week has no hourly row for 2026-03-03 13:00:00',
    },
  ])('has no data when $name', ({ lastWeek, reason }) => {
    const at = '2026-03-10T07:30:00Z';
    const measured = measureRule(
      wow(),
      context(today(JAKARTA, '2026-03-10', at), { lastWeek, at: new Date(at) }),
    );
    expect(measured).toMatchObject({ kind: 'no-data', reason });
  });

  it('has no data before the first hour of the day has ended', () => {
    const at = '2026-03-09T17:30:00Z'; // 00:30 on 10 March in Jakarta
    const measured = measureRule(
      rule({ scope: 'last-complete-hour', minCalls: 0 }),
      context(today(JAKARTA, '2026-03-10', at), { at: new Date(at) }),
    );
    expect(measured).toEqual({ kind: 'no-data', reason: 'no hourly row has completed yet' });
  });

  it("dates the window when the last complete hour is yesterday's", () => {
    const statistics = today(JAKARTA, '2026-03-10', '2026-03-10T16:59:59Z');
    const measured = measureRule(
      rule({ scope: 'last-complete-hour', minCalls: 0 }),
      context(statistics, { at: new Date('2026-03-10T17:30:00Z') }), // 00:30 on 11 March
    );
    expect(measured).toMatchObject({
      kind: 'value',
      window: '2026-03-10 23:00–00:00',
      value: hourRow(statistics, '2026-03-10 23:00:00')?.transfer_success_rate,
    });
  });

  it('has no data, saying why, for week over week on the day so far, and against a zero last week', () => {
    const at = '2026-03-10T07:30:00Z';
    const statistics = today(JAKARTA, '2026-03-10', at);
    // The rules schema refuses such a rule; a rule built in code still gets a reason, not a figure.
    const daySoFar: Rule = { ...wow(), scope: 'day-so-far' };
    expect(measureRule(daySoFar, context(statistics, { at: new Date(at) }))).toEqual({
      kind: 'no-data',
      reason: 'weekOverWeek needs a window or scope last-complete-hour',
      window: 'today so far (00:00–14:30)',
    });
    const lastWeek = today(JAKARTA, '2026-03-03', '2026-03-03T07:30:00Z');
    const row = hourRow(lastWeek, '2026-03-03 13:00:00');
    if (row) row.total_calls = 0;
    expect(measureRule(wow(), context(statistics, { lastWeek, at: new Date(at) }))).toEqual({
      kind: 'no-data',
      reason: 'total_calls was 0 in the same hour last week',
      window: '13:00–14:00',
    });
  });
});

/** Peak concurrent calls over the line capacity, on the latest offline day. */
const capacity = () =>
  rule({
    id: 'capacity',
    metric: { capacityUtilisation: true },
    scope: 'latest-offline-day',
    comparison: 'above',
    warn: 0.8,
    crit: 0.95,
    recovery: 0.75,
    minCalls: 0,
  });

describe('measureRule: capacity utilisation', () => {
  it('divides the latest offline peak of concurrent calls by the line capacity', () => {
    expect(measureRule(capacity(), context(exampleStatistics(), { lineCapacity: 160 }))).toEqual({
      kind: 'value',
      value: 0.9,
      calls: 4835,
      window: '2025-11-12 (offline)',
    });
  });

  it('skips the rule with a reason, not an error, when no line capacity is configured', () => {
    expect(measureRule(capacity(), context(exampleStatistics()))).toEqual({
      kind: 'skipped',
      reason: 'lineCapacity is not configured',
    });
  });

  it('reads the offline row from latestOffline when the day-so-far response has none', () => {
    // Prepare: today's check window holds no finished day; yesterday's response does
    const at = new Date('2026-03-10T07:30:00Z');
    const statistics = generated({
      timeZone: JAKARTA,
      startTime: '2026-03-10 00:00:00',
      endTime: '2026-03-10 14:30:00',
      now: at,
    });
    const latestOffline = generated({
      timeZone: JAKARTA,
      startTime: '2026-03-09 00:00:00',
      endTime: '2026-03-09 23:59:59',
      now: at,
    });
    const peak = latestOffline.data.offline?.daily?.data_list[0]?.max_concurrent_call_count ?? Number.NaN;
    // Act
    const without = measureRule(capacity(), context(statistics, { at, lineCapacity: 10 }));
    const withYesterday = measureRule(
      capacity(),
      context(statistics, { at, lineCapacity: 10, latestOffline }),
    );
    // Assess
    expect(without).toMatchObject({ kind: 'no-data', reason: 'no offline daily row is available' });
    expect(withYesterday).toMatchObject({
      kind: 'value',
      value: peak / 10,
      window: '2026-03-09 (offline)',
    });
  });
});

describe('archivedNeeds: the earlier responses a check reads for its rules', () => {
  const rate = () => rule({ scope: undefined, window: { minutes: 60 } });
  const volume = {
    metric: { weekOverWeek: 'total_calls' },
    comparison: 'above',
    warn: 0.5,
    crit: 1,
    recovery: 0.4,
  } as const;
  const volumeHour = () => rule({ ...volume, id: 'volume-hour', scope: 'last-complete-hour' });
  const windowOverWeek = (minutes: number) =>
    rule({ ...volume, id: `volume-${minutes}`, scope: undefined, window: { minutes } });
  const offlineRate = () =>
    rule({ id: 'fcr', metric: 'one_call_problem_solve_rate', scope: 'latest-offline-day' });
  const none = { lastWeekCheck: false, latestOffline: false, lastWeekWindows: [], baselineWeeks: 0 };

  // The rules are built inside each test (a table holds how to build them).
  it.each<[string, () => Rule[], number | undefined, ReturnType<typeof archivedNeeds>]>([
    ['rates on rolling windows', () => [rate()], undefined, none],
    [
      'weekOverWeek on the last complete hour',
      () => [volumeHour()],
      undefined,
      { ...none, lastWeekCheck: true },
    ],
    [
      'weekOverWeek on windows, each length once',
      () => [windowOverWeek(60), windowOverWeek(30), windowOverWeek(60)],
      undefined,
      { ...none, lastWeekWindows: [30, 60], baselineWeeks: 1 },
    ],
    [
      'a seasonal baseline reads as many weeks as its longest rule',
      () => [
        windowOverWeek(60),
        rule({
          ...volume,
          id: 'seasonal',
          scope: undefined,
          window: { minutes: 60 },
          metric: { weekOverWeek: 'total_calls', weeks: 4 },
        }),
      ],
      undefined,
      { ...none, lastWeekWindows: [60], baselineWeeks: 4 },
    ],
    ['capacity without a line capacity (skipped)', () => [capacity()], undefined, none],
    ['capacity with a line capacity', () => [capacity()], 40, { ...none, latestOffline: true }],
    ['another latest-offline-day rule', () => [offlineRate()], undefined, { ...none, latestOffline: true }],
  ])('%s', (_case, rules, lineCapacity, needs) => {
    expect(archivedNeeds(rules(), lineCapacity)).toEqual(needs);
  });
});

describe('measureRule: evidence that weighs the calls behind a rate', () => {
  /** A rolling-window response whose total carries these transfer counts. */
  const transfers = (successes: number, attempts: number, calls = 4 * attempts) =>
    withTotal({
      total_calls: calls,
      attempted_transfer_calls: attempts,
      transfer_success_calls: successes,
      transfer_success_rate: Math.round((successes / attempts) * 10_000) / 10_000,
    });
  const windowed = (extra: Parameters<typeof rule>[0] = {}) =>
    rule({ scope: undefined, window: { minutes: 60 }, minCalls: 0, ...extra });

  it('judges the Wilson bounds of the rate, quoting the rate and its count as before', () => {
    const measured = measureRule(
      windowed({ confidence: 0.95 }),
      context(exampleStatistics(), { windows: new Map([[60, transfers(5, 10)]]) }),
    );
    expect(measured).toMatchObject({
      kind: 'value',
      value: 0.5,
      basis: { part: 5, whole: 10, noun: 'transfers' },
      window: 'last 60 min',
    });
    // A "below" rule breaches on the upper bound and recovers on the lower one (Newcombe: 5/10).
    const judged = measured.kind === 'value' ? measured.judged : undefined;
    expect(judged?.breach).toBeCloseTo(0.7634, 4);
    expect(judged?.recovery).toBeCloseTo(0.2366, 4);
  });

  it('weighs first-call resolution on its valid calls: 15 solved of 60 is proven below 40 %', () => {
    const measured = measureRule(
      windowed({ metric: 'one_call_problem_solve_rate', confidence: 0.95 }),
      context(exampleStatistics(), {
        windows: new Map([
          [60, withTotal({ total_calls: 70, valid_calls: 60, one_call_problem_solve_rate: 0.25 })],
        ]),
      }),
    );
    expect(measured).toMatchObject({ kind: 'value', value: 0.25, calls: 70 });
    // 15 of 60 at 95 % (Wilson, by hand: z = 1.95996): 15.8 % to 37.2 %.
    const judged = measured.kind === 'value' ? measured.judged : undefined;
    expect(judged?.breach).toBeCloseTo(0.3723, 4);
    expect(judged?.recovery).toBeCloseTo(0.1578, 4);
  });

  it('mirrors the bounds for an "above" rule', () => {
    const measured = measureRule(
      windowed({ confidence: 0.95, comparison: 'above', warn: 0.4, crit: 0.6, recovery: 0.35 }),
      context(exampleStatistics(), { windows: new Map([[60, transfers(5, 10)]]) }),
    );
    const judged = measured.kind === 'value' ? measured.judged : undefined;
    expect(judged?.breach).toBeCloseTo(0.2366, 4);
    expect(judged?.recovery).toBeCloseTo(0.7634, 4);
  });

  it('takes each direction’s bound at its own confidence', () => {
    const measured = measureRule(
      windowed({ confidence: { breach: 0.95, recovery: 0.5 } }),
      context(exampleStatistics(), { windows: new Map([[60, transfers(5, 10)]]) }),
    );
    const judged = measured.kind === 'value' ? measured.judged : undefined;
    // Breach on the 95 % upper bound (Newcombe); recovery on the 50 % lower bound, computed by hand:
    // z = 0.67449, (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n) = 0.39570.
    expect(judged?.breach).toBeCloseTo(0.7634, 4);
    expect(judged?.recovery).toBeCloseTo(0.3957, 4);
  });

  it('judges the raw rate when the rule names no confidence', () => {
    const measured = measureRule(
      windowed(),
      context(exampleStatistics(), { windows: new Map([[60, transfers(5, 10)]]) }),
    );
    expect(measured).toMatchObject({ kind: 'value', value: 0.5 });
    expect(measured.kind === 'value' && measured.judged).toBe(undefined);
  });

  it('quotes the short window of a two-window rule, names the long one with its value, and judges both', () => {
    const measured = measureRule(
      windowed({ window: { minutes: 60, short: 15 } }),
      context(exampleStatistics(), {
        windows: new Map([
          [15, transfers(3, 15)],
          [60, transfers(33, 60)],
        ]),
      }),
    );
    expect(measured).toEqual({
      kind: 'value',
      value: 0.2,
      calls: 60,
      window: 'last 15 min; 60 min: 55%',
      basis: { part: 3, whole: 15, noun: 'transfers' },
      // Breach needs both: the healthier of the two is judged; recovery follows the short window.
      judged: { breach: 0.55, recovery: 0.2 },
    });
  });

  it('judges the short window of two on its raw rate, without the call floor or the confidence bound', () => {
    // 12 calls in the quarter-hour are under minCalls 60, and the Wilson bound of 1 in 3 would reach
    // far above the threshold: the short window only confirms the drop the hour's 200 transfers prove.
    const measured = measureRule(
      windowed({ window: { minutes: 60, short: 15 }, minCalls: 60, confidence: 0.95 }),
      context(exampleStatistics(), {
        windows: new Map([
          [15, transfers(1, 3, 12)],
          [60, transfers(100, 200)],
        ]),
      }),
    );
    // Recovery is judged on the quarter-hour whatever its count, so the message quotes it and names
    // the hour with its rate.
    expect(measured).toMatchObject({
      kind: 'value',
      value: 0.3333,
      calls: 12,
      window: 'last 15 min; 60 min: 50%',
      basis: { part: 1, whole: 3, noun: 'transfers' },
    });
    if (measured.kind !== 'value') throw new Error('expected a value');
    // The long window's upper bound (50 % of 200 at 95 %: 56.9 %) is the healthier figure; recovery
    // weighs the quarter-hour's evidence: the lower bound of 1 in 3 at 95 % (6.1 %).
    expect(measured.judged?.breach).toBeCloseTo(0.569, 3);
    expect(measured.judged?.recovery).toBeCloseTo(0.0615, 4);
  });

  it('judges recovery on the lower bound of the short window whatever its count', () => {
    const judge = (shortCalls: number) => {
      const measured = measureRule(
        windowed({ window: { minutes: 60, short: 15 }, minCalls: 60, confidence: 0.95 }),
        context(exampleStatistics(), {
          windows: new Map([
            [15, transfers(3, 3, shortCalls)],
            [60, transfers(100, 200)],
          ]),
        }),
      );
      return measured.kind === 'value' ? measured.judged?.recovery : measured.kind;
    };
    // The quarter-hour's 3 of 3, whose raw 100 % rests on so little that its 95 % lower bound is
    // 43.9 %, at 59 calls as at 60: the hour (100 of 200, lower bound 43.1 %) does not decide.
    expect(judge(59)).toBeCloseTo(0.4385, 4);
    expect(judge(60)).toBeCloseTo(0.4385, 4);
  });

  it('judges recovery of a two-window rule without a confidence on the raw rate', () => {
    const judge = (shortCalls: number) => {
      const measured = measureRule(
        windowed({ window: { minutes: 60, short: 15 }, minCalls: 60 }),
        context(exampleStatistics(), {
          windows: new Map([
            [15, transfers(3, 3, shortCalls)],
            [60, transfers(100, 200)],
          ]),
        }),
      );
      return measured.kind === 'value' ? measured.judged?.recovery : measured.kind;
    };
    expect(judge(59)).toBe(0.5);
    expect(judge(60)).toBe(1);
  });

  it('leaves a two-window rule unjudged when its long window has fewer calls than the floor', () => {
    const measured = measureRule(
      windowed({ window: { minutes: 60, short: 15 }, minCalls: 60 }),
      context(exampleStatistics(), {
        windows: new Map([
          [15, transfers(1, 3, 12)],
          [60, transfers(5, 10, 40)],
        ]),
      }),
    );
    expect(measured).toMatchObject({
      kind: 'not-judged',
      reason: 'long window: 40 calls, fewer than minCalls 60',
      // what may end a firing alert is the hour's figure, not one quiet quarter-hour's
      value: 0.5,
      window: 'last 60 min',
    });
  });

  it('quotes the long window when it has recovered beyond doubt and the quarter-hour cannot prove it yet', () => {
    const judge = (long: ReturnType<typeof transfers>) =>
      measureRule(
        windowed({
          window: { minutes: 45, short: 15 },
          minCalls: 45,
          confidence: { breach: 0.97, recovery: 0.5 },
          warn: 0.87,
          crit: 0.65,
          recovery: 0.87,
        }),
        context(exampleStatistics(), {
          windows: new Map([
            [15, transfers(3, 3, 12)],
            [45, long],
          ]),
        }),
      );
    // 3 of 3 (lower bound 86.8 %) prove nothing; 58 of 60 in the 45 minutes (94.7 %) do: the message
    // quotes the figure that ends the alert.
    expect(judge(transfers(58, 60, 240))).toMatchObject({
      kind: 'value',
      value: 0.9667,
      window: 'last 45 min; 15 min: 100%',
      judged: { recovery: expect.closeTo(0.9472, 4) },
    });
    // 30 of 60 (45.7 %) do not either: the quarter-hour is quoted, as whenever nothing has recovered.
    expect(judge(transfers(30, 60, 240))).toMatchObject({
      window: 'last 15 min; 45 min: 50%',
      judged: { recovery: expect.closeTo(0.8683, 4) },
    });
  });

  it("lets a quiet long window end a firing alert only on the short window's recovery bound, when the rule has a confidence", () => {
    const measured = measureRule(
      windowed({
        window: { minutes: 60, short: 15 },
        minCalls: 60,
        confidence: { breach: 0.95, recovery: 0.5 },
      }),
      context(exampleStatistics(), {
        windows: new Map([
          [15, transfers(4, 4, 12)],
          [60, transfers(5, 10, 40)],
        ]),
      }),
    );
    // The hour's 40 calls raise nothing; what may end a firing alert is the quarter-hour's 4 good
    // transfers of 4 weighed at 50 % (lower bound 89.8 %), not the hour that still holds the drop.
    expect(measured).toMatchObject({
      kind: 'not-judged',
      reason: 'long window: 40 calls, fewer than minCalls 60',
      value: 1,
      window: 'last 15 min',
    });
    expect(measured.kind === 'not-judged' && measured.recovery).toBeCloseTo(0.8979, 4);
  });

  it('has no data when the long window of a two-window rule is missing', () => {
    const measured = measureRule(
      windowed({ window: { minutes: 60, short: 15 } }),
      context(exampleStatistics(), { windows: new Map([[15, transfers(3, 15)]]) }),
    );
    expect(measured).toEqual({
      kind: 'no-data',
      reason: 'long window: the 60-min window response is missing',
      window: 'last 15 min',
    });
  });
});

describe('measureRule: a seasonal baseline for volume', () => {
  const calls = (total: number) => withTotal({ total_calls: total });
  const measure = (lastWeek: number | undefined, older: Array<number | undefined>) =>
    measureRule(
      windowOverWeeks(4, { id: 'volume-spike' }),
      context(exampleStatistics(), {
        windows: new Map([[60, calls(300)]]),
        lastWeekWindows: new Map(lastWeek === undefined ? [] : [[60, calls(lastWeek)]]),
        olderWeekWindows: older.map((total) => new Map(total === undefined ? [] : [[60, calls(total)]])),
      }),
    );

  it('compares with the median of the same window in the last 4 weeks, one holiday among them', () => {
    const measured = measure(100, [104, 96, 20]);
    // Median of 100, 104, 96, 20 is 98; the deviations 2, 6, 2, 78 have a median of 4.
    const value = (300 - 98) / 98;
    const spread = (1.4826 * 4) / 98;
    expect(measured).toMatchObject({ kind: 'value', calls: 98, window: 'last 60 min vs median of 4 weeks' });
    expect(measured.kind === 'value' && measured.value).toBeCloseTo(value, 12);
    const judged = measured.kind === 'value' ? measured.judged : undefined;
    expect(judged?.breach).toBeCloseTo(value - 2 * spread, 12);
    expect(judged?.recovery).toBeCloseTo(value, 12);
  });

  it('falls back to last week alone with fewer than 3 weeks archived, and says so', () => {
    const measured = measure(100, [104, undefined, undefined]);
    expect(measured).toEqual({
      kind: 'value',
      value: 2,
      calls: 100,
      window: 'last 60 min vs last week only: 2 of 4 weeks archived',
    });
  });

  it('has no data when the weeks had no calls at all', () => {
    expect(measure(0, [0, 0, 0])).toEqual({
      kind: 'no-data',
      reason: 'total_calls had a median of 0 over 4 weeks',
      window: 'last 60 min',
    });
  });
});

/** A generated day in `timeZone`, as the API answers a check at `untilUtc`. */
const generatedDay = (timeZone: string, date: string, untilUtc: string) =>
  generated({
    timeZone,
    startTime: `${date} 00:00:00`,
    endTime: `${date} 23:59:59`,
    now: new Date(untilUtc),
  });

/** The hourly row of `response` that starts at `time` ("2026-03-10 13:00:00"). */
const hourlyRow = (response: StatisticsResponse, time: string) => {
  const row = response.data.realtime?.hourly?.data_list.find((candidate) => candidate.time === time);
  if (row === undefined) throw new Error(`no hourly row at ${time}`);
  return row;
};

/** The hourly rows of `response`, for tests that add or remove rows. */
const hourlyRows = (response: StatisticsResponse) => {
  const hourly = response.data.realtime?.hourly;
  if (!hourly) throw new Error('the response has no hourly rows');
  return hourly;
};

/** A volume rule comparing the last complete hour with the same hour a week earlier. */
const hourOverWeek = (overrides: Parameters<typeof rule>[0] = {}) =>
  rule({
    metric: { weekOverWeek: 'total_calls' },
    scope: 'last-complete-hour',
    comparison: 'above',
    warn: 1,
    crit: undefined,
    recovery: 0.5,
    ...overrides,
  });

/** A volume rule comparing the last 60 minutes with the same window of `weeks` earlier weeks. */
const windowOverWeeks = (weeks: number, overrides: Parameters<typeof rule>[0] = {}) =>
  rule({
    metric: { weekOverWeek: 'total_calls', weeks },
    scope: undefined,
    window: { minutes: 60 },
    comparison: 'above',
    warn: 1,
    crit: 2,
    recovery: 0.5,
    minCalls: 30,
    ...overrides,
  });

/** A 60-min window response whose total carries these fields (null removes one). */
const window60 = (fields: Record<string, number | null>) => new Map([[60, withTotal(fields)]]);

describe('measureRule: which scope a rule reads', () => {
  it('judges the day so far for a rule built in code with neither a scope nor a window', () => {
    const bare: Rule = { ...rule(), scope: undefined };
    expect(measureRule(bare, context(exampleStatistics()))).toEqual({
      kind: 'value',
      value: 0.9234,
      calls: 892,
      window: 'today so far (00:00–14:30)',
    });
  });

  it('has no data for a rolling window when the run fetched no window responses at all', () => {
    const windowed = rule({ scope: undefined, window: { minutes: 60 } });
    expect(measureRule(windowed, context(exampleStatistics()))).toEqual({
      kind: 'no-data',
      reason: 'the 60-min window response is missing',
    });
  });

  it('has no data for the day so far when the response has no realtime section', () => {
    expect(measureRule(rule(), context(withoutRealtime()))).toEqual({
      kind: 'no-data',
      reason: 'the response has no realtime total',
    });
  });

  it("measures each rule of one run on its own scope or window, whatever order they're measured in", () => {
    // Prepare: one run's responses — the day so far, two rolling windows — shared by every rule
    const at = '2026-03-10T07:30:00Z';
    const statistics = generatedDay(JAKARTA, '2026-03-10', at);
    const sources = context(statistics, {
      at: new Date(at),
      windows: new Map([
        [60, withTotal({ transfer_success_rate: 0.5 })],
        [30, withTotal({ transfer_success_rate: 0.25 })],
      ]),
    });
    const hour = rule({ scope: 'last-complete-hour', minCalls: 0 });
    // Act
    const measured = [
      measureRule(rule({ scope: undefined, window: { minutes: 60 } }), sources),
      measureRule(rule({ scope: undefined, window: { minutes: 30 } }), sources),
      measureRule(rule({ minCalls: 0 }), sources),
      measureRule(hour, sources),
      measureRule(rule({ scope: undefined, window: { minutes: 60 } }), sources),
    ];
    // Assess
    expect(measured.map((measurement) => [measurement.kind, measuredValue(measurement)])).toEqual([
      ['value', 0.5],
      ['value', 0.25],
      ['value', statistics.data.realtime?.total?.transfer_success_rate],
      ['value', hourlyRow(statistics, '2026-03-10 13:00:00').transfer_success_rate],
      ['value', 0.5],
    ]);
    expect(measured.map((measurement) => (measurement.kind === 'value' ? measurement.window : ''))).toEqual([
      'last 60 min',
      'last 30 min',
      'today so far (00:00–14:30)',
      '13:00–14:00',
      'last 60 min',
    ]);
  });
});

describe('measureRule: the last complete hour, read from rows as they come', () => {
  it('has no data when the response has no realtime section or no hourly rows', () => {
    const at = '2026-03-10T07:30:00Z';
    const noRealtime = generatedDay(JAKARTA, '2026-03-10', at);
    noRealtime.data.realtime = null;
    const noHourly = generatedDay(JAKARTA, '2026-03-10', at);
    if (noHourly.data.realtime) noHourly.data.realtime.hourly = null;
    const hour = rule({ scope: 'last-complete-hour', minCalls: 0 });
    for (const statistics of [noRealtime, noHourly]) {
      expect(measureRule(hour, context(statistics, { at: new Date(at) }))).toEqual({
        kind: 'no-data',
        reason: 'no hourly row has completed yet',
      });
    }
  });

  it('skips hourly rows whose time cannot be read', () => {
    const at = '2026-03-10T07:30:00Z';
    const statistics = generatedDay(JAKARTA, '2026-03-10', at);
    const hourly = hourlyRows(statistics);
    hourly.data_list = [
      { ...hourlyRow(statistics, '2026-03-10 03:00:00'), time: 'not a time' },
      ...hourly.data_list,
    ];
    const measured = measureRule(
      rule({ scope: 'last-complete-hour', minCalls: 0 }),
      context(statistics, { at: new Date(at) }),
    );
    expect(measured).toMatchObject({
      kind: 'value',
      window: '13:00–14:00',
      value: hourlyRow(statistics, '2026-03-10 13:00:00').transfer_success_rate,
    });
  });

  it("gates the hour on that hour's own calls", () => {
    const at = '2026-03-10T07:30:00Z';
    const statistics = generatedDay(JAKARTA, '2026-03-10', at);
    const calls = hourlyRow(statistics, '2026-03-10 13:00:00').total_calls;
    const measure = (minCalls: number) =>
      measureRule(rule({ scope: 'last-complete-hour', minCalls }), context(statistics, { at: new Date(at) }));
    expect(measure(0)).toMatchObject({ kind: 'value', calls });
    expect(measure(Number(calls) + 1)).toMatchObject({
      kind: 'not-judged',
      reason: `${calls} calls, fewer than minCalls ${Number(calls) + 1}`,
    });
  });
});

describe('measureRule: week over week on the last complete hour, when the data falls short', () => {
  const at = '2026-03-10T07:30:00Z';
  const lastWeekAt = '2026-03-03T07:30:00Z';

  it("has no data when last week's response has no realtime section or no hourly rows", () => {
    const noRealtime = generatedDay(JAKARTA, '2026-03-03', lastWeekAt);
    noRealtime.data.realtime = null;
    const noHourly = generatedDay(JAKARTA, '2026-03-03', lastWeekAt);
    if (noHourly.data.realtime) noHourly.data.realtime.hourly = undefined;
    for (const lastWeek of [noRealtime, noHourly]) {
      const statistics = generatedDay(JAKARTA, '2026-03-10', at);
      expect(measureRule(hourOverWeek(), context(statistics, { lastWeek, at: new Date(at) }))).toEqual({
        kind: 'no-data',
        reason: 'last week has no hourly row for 2026-03-03 13:00:00',
        window: '13:00–14:00',
      });
    }
  });

  it("finds last week's hour past rows whose time cannot be read", () => {
    const statistics = generatedDay(JAKARTA, '2026-03-10', at);
    const lastWeek = generatedDay(JAKARTA, '2026-03-03', lastWeekAt);
    const hourly = hourlyRows(lastWeek);
    hourly.data_list = [
      { ...hourlyRow(lastWeek, '2026-03-03 02:00:00'), time: '13:00' },
      ...hourly.data_list,
    ];
    const current = Number(hourlyRow(statistics, '2026-03-10 13:00:00').total_calls);
    const baseline = Number(hourlyRow(lastWeek, '2026-03-03 13:00:00').total_calls);
    const measured = measureRule(
      hourOverWeek({ minCalls: 0 }),
      context(statistics, { lastWeek, at: new Date(at) }),
    );
    expect(measured).toMatchObject({ kind: 'value', calls: baseline });
    expect(measuredValue(measured)).toBeCloseTo((current - baseline) / baseline, 10);
  });

  it("has no data, naming the side, when this hour or last week's hour lacks the field", () => {
    const thisHourBlank = generatedDay(JAKARTA, '2026-03-10', at);
    hourlyRow(thisHourBlank, '2026-03-10 13:00:00').total_calls = null;
    expect(
      measureRule(
        hourOverWeek(),
        context(thisHourBlank, {
          lastWeek: generatedDay(JAKARTA, '2026-03-03', lastWeekAt),
          at: new Date(at),
        }),
      ),
    ).toEqual({ kind: 'no-data', reason: 'total_calls is missing', window: '13:00–14:00' });
    const lastWeekBlank = generatedDay(JAKARTA, '2026-03-03', lastWeekAt);
    hourlyRow(lastWeekBlank, '2026-03-03 13:00:00').total_calls = null;
    expect(
      measureRule(
        hourOverWeek(),
        context(generatedDay(JAKARTA, '2026-03-10', at), { lastWeek: lastWeekBlank, at: new Date(at) }),
      ),
    ).toEqual({ kind: 'no-data', reason: 'last week: total_calls is missing', window: '13:00–14:00' });
  });

  it("judges without a call floor, and quotes no call count, when last week's hour counted no calls", () => {
    // Prepare: valid calls week over week, last week's hour without its total_calls
    const statistics = generatedDay(JAKARTA, '2026-03-10', at);
    const lastWeek = generatedDay(JAKARTA, '2026-03-03', lastWeekAt);
    hourlyRow(lastWeek, '2026-03-03 13:00:00').total_calls = null;
    const current = Number(hourlyRow(statistics, '2026-03-10 13:00:00').valid_calls);
    const baseline = Number(hourlyRow(lastWeek, '2026-03-03 13:00:00').valid_calls);
    // Act
    const measured = measureRule(
      hourOverWeek({ metric: { weekOverWeek: 'valid_calls' }, minCalls: 1_000_000 }),
      context(statistics, { lastWeek, at: new Date(at) }),
    );
    // Assess
    expect(measured).toStrictEqual({
      kind: 'value',
      value: (current - baseline) / baseline,
      window: '13:00–14:00',
    });
  });
});

describe('measureRule: week over week on a rolling window', () => {
  it('compares the window with the same window last week, gated on last week’s calls', () => {
    const measured = measureRule(
      windowOverWeeks(1),
      context(exampleStatistics(), {
        windows: window60({ total_calls: 300 }),
        lastWeekWindows: window60({ total_calls: 200 }),
      }),
    );
    expect(measured).toEqual({ kind: 'value', value: 0.5, calls: 200, window: 'last 60 min' });
  });

  it.each<{ name: string; lastWeekWindows: MeasureContext['lastWeekWindows']; reason: string }>([
    {
      name: 'last week’s window was not archived',
      lastWeekWindows: undefined,
      reason: 'last week: the 60-min window response is missing',
    },
    {
      name: 'last week’s window lacks the field',
      lastWeekWindows: window60({ total_calls: null }),
      reason: 'last week: total_calls is missing',
    },
    {
      name: 'last week’s window had no calls',
      lastWeekWindows: window60({ total_calls: 0 }),
      reason: 'total_calls was 0 in the same window last week',
    },
  ])('has no data when $name', ({ lastWeekWindows, reason }) => {
    const measured = measureRule(
      windowOverWeeks(1),
      context(exampleStatistics(), { windows: window60({ total_calls: 300 }), lastWeekWindows }),
    );
    expect(measured).toEqual({ kind: 'no-data', reason, window: 'last 60 min' });
  });
});

describe('measureRule: a seasonal baseline, week by week', () => {
  /** Weeks given as total_calls, null for a window without the field, undefined for one not archived. */
  const seasonalContext = (
    current: number | null,
    lastWeek: number | null | undefined,
    older: ReadonlyArray<number | null | undefined> | undefined,
  ) =>
    context(exampleStatistics(), {
      windows: window60({ total_calls: current }),
      lastWeekWindows: lastWeek === undefined ? undefined : window60({ total_calls: lastWeek }),
      olderWeekWindows: older?.map((total) =>
        total === undefined ? new Map() : window60({ total_calls: total }),
      ),
    });

  it('has no data when this window lacks the field', () => {
    expect(measureRule(windowOverWeeks(4), seasonalContext(null, 100, [104, 96, 20]))).toEqual({
      kind: 'no-data',
      reason: 'total_calls is missing',
      window: 'last 60 min',
    });
  });

  it('takes the median of as many weeks as the rule names, however many older weeks are archived', () => {
    // weeks 2: last week (100) and the one before (120); the older 500s are not the rule's
    const measured = measureRule(windowOverWeeks(2), seasonalContext(300, 100, [120, 500, 500]));
    expect(measured).toMatchObject({ kind: 'value', calls: 110, window: 'last 60 min vs median of 2 weeks' });
    expect(measuredValue(measured)).toBeCloseTo((300 - 110) / 110, 12);
  });

  it('stands on 3 of 4 weeks archived', () => {
    const measured = measureRule(windowOverWeeks(4), seasonalContext(300, 100, [104, undefined, 96]));
    expect(measured).toMatchObject({ kind: 'value', calls: 100, window: 'last 60 min vs median of 3 weeks' });
    expect(measuredValue(measured)).toBeCloseTo(2, 12);
  });

  it('counts only the weeks whose window carries the field', () => {
    // Prepare: one week's window lacks total_calls, another's response has no realtime section
    const sources = seasonalContext(300, 100, [104, null, 96]);
    const noRealtime = exampleStatistics();
    noRealtime.data.realtime = null;
    const withNoRealtime = {
      ...sources,
      olderWeekWindows: [...(sources.olderWeekWindows ?? []), new Map([[60, noRealtime]])],
    };
    // Act / Assess: 100, 104 and 96 stand; a fourth week is not made up
    for (const measured of [
      measureRule(windowOverWeeks(4), sources),
      measureRule(windowOverWeeks(5), withNoRealtime),
    ]) {
      expect(measured).toMatchObject({
        kind: 'value',
        calls: 100,
        window: 'last 60 min vs median of 3 weeks',
      });
    }
  });

  it('reads only last week when the run passes no older weeks, and only older weeks when last week is missing', () => {
    expect(measureRule(windowOverWeeks(4), seasonalContext(300, 100, undefined))).toEqual({
      kind: 'value',
      value: 2,
      calls: 100,
      window: 'last 60 min vs last week only: 1 of 4 weeks archived',
    });
    expect(measureRule(windowOverWeeks(4), seasonalContext(300, undefined, [104, 96, 100]))).toMatchObject({
      kind: 'value',
      calls: 100,
      window: 'last 60 min vs median of 3 weeks',
    });
  });

  it('has no data, saying why, when last week alone would stand and is missing or had no calls', () => {
    expect(
      measureRule(windowOverWeeks(4), seasonalContext(300, undefined, [104, undefined, undefined])),
    ).toEqual({
      kind: 'no-data',
      reason: 'last week: the 60-min window response is missing',
      window: 'last 60 min',
    });
    expect(
      measureRule(windowOverWeeks(4), seasonalContext(300, 0, [undefined, undefined, undefined])),
    ).toEqual({
      kind: 'no-data',
      reason: 'total_calls was 0 in the same window last week',
      window: 'last 60 min',
    });
  });

  it('gates on the median calls of the weeks that counted them, and not at all when none did', () => {
    // Prepare: valid calls against the weeks; total_calls (the calls) absent in some weeks or all
    const weeksOf = (valid: readonly number[], totals: ReadonlyArray<number | null>) =>
      valid.map((count, index) => window60({ valid_calls: count, total_calls: totals[index] ?? null }));
    const sources = (totals: ReadonlyArray<number | null>) => {
      const [lastWeek, ...older] = weeksOf([100, 104, 96, 100], totals);
      return context(exampleStatistics(), {
        windows: window60({ valid_calls: 300 }),
        lastWeekWindows: lastWeek,
        olderWeekWindows: older,
      });
    };
    const validOverWeeks = windowOverWeeks(4, {
      metric: { weekOverWeek: 'valid_calls', weeks: 4 },
      minCalls: 30,
    });
    // Act
    const someCounted = measureRule(validOverWeeks, sources([20, null, 40, 60]));
    const noneCounted = measureRule(validOverWeeks, sources([null, null, null, null]));
    // Assess: the median of the weeks that counted (20, 40, 60) is 40, above the floor of 30
    expect(someCounted).toMatchObject({
      kind: 'value',
      calls: 40,
      window: 'last 60 min vs median of 4 weeks',
    });
    expect(noneCounted).toMatchObject({ kind: 'value', window: 'last 60 min vs median of 4 weeks' });
    expect(noneCounted).not.toHaveProperty('calls');
    expect(measureRule(validOverWeeks, sources([10, null, 20, 25]))).toMatchObject({
      kind: 'not-judged',
      reason: '20 calls, fewer than minCalls 30',
    });
  });

  it('makes a drop clear the weeks’ spread upwards, away from an alert', () => {
    const drop = windowOverWeeks(4, { comparison: 'below', warn: -0.3, crit: -0.5, recovery: -0.2 });
    const measured = measureRule(drop, seasonalContext(50, 100, [104, 96, 20]));
    // Median 98; deviations 2, 6, 2, 78 have a median of 4
    const value = (50 - 98) / 98;
    const spread = (1.4826 * 4) / 98;
    const judged = measured.kind === 'value' ? measured.judged : undefined;
    expect(judged?.breach).toBeCloseTo(value + 2 * spread, 12);
    expect(judged?.recovery).toBeCloseTo(value, 12);
  });
});

describe('measureRule: capacity, when the line capacity or the peak is missing', () => {
  it.each([0, -5])('skips the rule when the configured line capacity is %d', (lineCapacity) => {
    expect(measureRule(capacity(), context(exampleStatistics(), { lineCapacity }))).toEqual({
      kind: 'skipped',
      reason: 'lineCapacity is not configured',
    });
    expect(archivedNeeds([capacity()], lineCapacity)).toMatchObject({ latestOffline: false });
  });

  it('has no data when the offline day does not carry its peak of concurrent calls', () => {
    const statistics = exampleStatistics();
    for (const row of statistics.data.offline?.daily?.data_list ?? [])
      row.max_concurrent_call_count = undefined;
    expect(measureRule(capacity(), context(statistics, { lineCapacity: 160 }))).toEqual({
      kind: 'no-data',
      reason: 'max_concurrent_call_count is missing',
      window: '2025-11-12 (offline)',
    });
  });
});

describe('measureRule: the counts behind a rate, and what a confidence bound rests on', () => {
  const windowed = (extra: Parameters<typeof rule>[0] = {}) =>
    rule({ scope: undefined, window: { minutes: 60 }, minCalls: 0, ...extra });

  it('has no data, naming the field, when no row carries a plain field', () => {
    const unknown = rule({ metric: 'queue_wait_seconds', allowUnknownMetric: true, minCalls: 0 });
    expect(measureRule(unknown, context(exampleStatistics()))).toEqual({
      kind: 'no-data',
      reason: 'queue_wait_seconds is missing',
      window: 'today so far (00:00–14:30)',
    });
  });

  it.each(['transfer_success_calls', 'attempted_transfer_calls'])(
    'quotes a published rate without counts when %s is missing',
    (missing) => {
      expect(measureRule(rule(), context(withTotal({ [missing]: null })))).toEqual({
        kind: 'value',
        value: 0.9234,
        calls: 892,
        window: 'today so far (00:00–14:30)',
      });
    },
  );

  it('has no data when the rate and the count it divides by are missing', () => {
    const fields = { transfer_success_rate: null, attempted_transfer_calls: null };
    const statistics = withTotal(fields);
    const today = statistics.data.realtime?.daily?.data_list.find((row) => row.date === '2025-11-12');
    Object.assign(today ?? {}, fields);
    expect(measureRule(rule(), context(statistics))).toMatchObject({
      kind: 'no-data',
      reason: 'transfer_success_rate is missing and attempted_transfer_calls is missing',
    });
  });

  it('quotes no counts that are off the published rate by half a point in its fourth place', () => {
    // 0 of 218 is 0.0000; the published 0.0005 differs by exactly 5e-4
    const measured = measureRule(
      rule(),
      context(withTotal({ transfer_success_rate: 0.0005, transfer_success_calls: 0 })),
    );
    expect(measured).toMatchObject({ kind: 'value', value: 0.0005 });
    expect(measured).not.toHaveProperty('basis');
  });

  it.each<{ name: string; fields: Record<string, number | null> }>([
    { name: 'is missing', fields: { attempted_transfer_calls: null, transfer_success_rate: 0.5 } },
    { name: 'is 0', fields: { attempted_transfer_calls: 0, transfer_success_rate: 0.5 } },
  ])('judges the raw rate when the count a confidence bound rests on $name', ({ fields }) => {
    const measured = measureRule(
      windowed({ confidence: 0.95 }),
      context(exampleStatistics(), { windows: window60(fields) }),
    );
    expect(measured).toMatchObject({ kind: 'value', value: 0.5, window: 'last 60 min' });
    expect(measured).not.toHaveProperty('judged');
  });

  it('judges the raw figure of a rule built in code with a confidence on a metric that has no count', () => {
    // The rules schema refuses such a rule; one built in code gets the raw figure, not an error.
    const scored: Rule = {
      ...rule({ metric: 'avg_robot_score', minCalls: 0 }),
      confidence: { breach: 0.95, recovery: 0.95 },
    };
    const measured = measureRule(scored, context(exampleStatistics()));
    expect(measured).toMatchObject({ kind: 'value', value: 3.2391 });
    expect(measured).not.toHaveProperty('judged');
  });
});

describe('measureRule: two windows, when one falls short or the rule watches a rise', () => {
  const transfers = (successes: number, attempts: number, calls: number | null = 4 * attempts) =>
    withTotal({
      total_calls: calls,
      attempted_transfer_calls: attempts,
      transfer_success_calls: successes,
      transfer_success_rate: Math.round((successes / attempts) * 10_000) / 10_000,
    });
  const twoWindows = (extra: Parameters<typeof rule>[0] = {}) =>
    rule({ scope: undefined, window: { minutes: 60, short: 15 }, minCalls: 0, ...extra });

  it('has no data when the short window is missing', () => {
    const measured = measureRule(
      twoWindows(),
      context(exampleStatistics(), { windows: new Map([[60, transfers(33, 60)]]) }),
    );
    expect(measured).toEqual({ kind: 'no-data', reason: 'the 15-min window response is missing' });
  });

  it('breaches an "above" rule on the lower of the two figures', () => {
    const measured = measureRule(
      twoWindows({ comparison: 'above', warn: 0.4, crit: 0.6, recovery: 0.35 }),
      context(exampleStatistics(), {
        windows: new Map([
          [15, transfers(3, 15)],
          [60, transfers(33, 60)],
        ]),
      }),
    );
    expect(measured).toMatchObject({ kind: 'value', value: 0.2, judged: { breach: 0.2, recovery: 0.2 } });
  });

  it('judges recovery on a short window that counts no calls, as no call floor applies to it', () => {
    const measured = measureRule(
      twoWindows({ minCalls: 60 }),
      context(exampleStatistics(), {
        windows: new Map([
          [15, transfers(3, 15, null)],
          [60, transfers(33, 60)],
        ]),
      }),
    );
    expect(measured).toMatchObject({
      kind: 'value',
      value: 0.2,
      window: 'last 15 min; 60 min: 55%',
      judged: { breach: 0.55, recovery: 0.2 },
    });
  });
});
