import { describe, expect, it } from 'vitest';
import { type Episode, openEpisode } from '../../../../lambda/domain/alerts/episode';
import { evaluateRules, initialRuleState, nextRuleState } from '../../../../lambda/domain/alerts/evaluate';
import { type Measurement, measureRule } from '../../../../lambda/domain/alerts/measure';
import {
  markNotified,
  owedNotifications,
  type RuleNotification,
} from '../../../../lambda/domain/alerts/notify';
import {
  emptyAlertState,
  type RuleState,
  RuleStateSchema,
  statusLabel,
} from '../../../../lambda/domain/alerts/state';
import {
  EXAMPLE_AT,
  exampleStatistics,
  JAKARTA,
  minutesAfter,
  type RuleInput,
  rates,
  rule,
  simulate,
  withTotal,
} from './alert-test-helpers';

describe('evaluateRules: firing and resolving', () => {
  it('raises nothing for a single breach shorter than pendingRuns', () => {
    // Act
    const { runs, state } = simulate([rule()], rates(0.5, 0.9));
    // Assess
    expect(runs.map((run) => run.kinds)).toEqual([[], []]);
    expect(state.rules['transfer-success']).toMatchObject({ status: 'ok', pendingCount: 0 });
    expect(state.rules['transfer-success']?.history.map((t) => `${t.from}>${t.to}`)).toEqual([
      'ok>pending',
      'pending>ok',
    ]);
  });

  it('fires once, not twice, on a sustained breach', () => {
    const { runs, state } = simulate([rule()], rates(0.5, 0.5, 0.5, 0.5));
    expect(runs.map((run) => run.kinds)).toEqual([[], ['fired'], [], []]);
    expect(state.rules['transfer-success']).toMatchObject({ status: 'firing', severity: 'warn' });
  });

  it.each([
    { name: 'straight to crit', values: [0.3, 0.3], severity: 'crit' },
    { name: 'at warn', values: [0.5, 0.55], severity: 'warn' },
    { name: 'at the severity of the run that completes pendingRuns', values: [0.5, 0.3], severity: 'crit' },
  ])('fires $name', ({ values, severity }) => {
    const { runs } = simulate([rule()], rates(...values));
    expect(runs[1]?.notifications).toMatchObject([{ kind: 'fired', severity, value: values[1] }]);
  });

  it('treats a value equal to warn as no breach', () => {
    const { runs } = simulate([rule({ pendingRuns: 1 })], rates(0.6, 0.6));
    expect(runs.flatMap((run) => run.kinds)).toEqual([]);
  });

  it('announces warn → crit as an escalation, at once', () => {
    const { runs } = simulate([rule()], rates(0.5, 0.5, 0.3));
    expect(runs.map((run) => run.kinds)).toEqual([[], ['fired'], ['escalated']]);
    expect(runs[2]?.notifications[0]).toMatchObject({
      severity: 'crit',
      previousSeverity: 'warn',
      threshold: 0.4,
    });
  });

  it.each([
    // crit 40% + the rule's recovery margin (65% − 60%) = 45%: below that it stays crit.
    { value: 0.42, expected: [] as string[], severity: 'crit' },
    { value: 0.46, expected: ['de-escalated'], severity: 'warn' },
  ])(
    'eases crit → warn only past the crit release point ($value → $severity)',
    ({ value, expected, severity }) => {
      const { runs, state } = simulate([rule()], rates(0.3, 0.3, value));
      // Owed (webhook mode holds the easing for the group's next message; outgoing.ts).
      expect(runs[2]?.evaluation.notifications.map((n) => n.kind)).toEqual(expected);
      expect(state.rules['transfer-success']).toMatchObject({ status: 'firing', severity });
    },
  );

  it.each([0.6, 0.62, 0.6499])(
    'keeps firing, owing nothing, while the value %s is inside the hysteresis band',
    (value) => {
      const { runs, state } = simulate([rule()], rates(0.5, 0.5, value, value));
      expect(runs.slice(2).flatMap((run) => run.kinds)).toEqual([]);
      expect(state.rules['transfer-success']?.status).toBe('firing');
    },
  );

  it('sends one resolved message, with the duration, when the rate recovers past the recovery threshold', () => {
    // Act: breaches from run 0, fires at run 1 (+15 min), recovers at run 6 (+90 min); no reminder in between
    const { runs, state } = simulate([rule()], rates(0.5, 0.5, 0.5, 0.5, 0.55, 0.5, 0.7, 0.8, 0.9), {
      reminders: { everyMinutes: 1440 },
    });
    // Assess
    expect(runs.map((run) => run.kinds)).toEqual([[], ['fired'], [], [], [], [], ['resolved'], [], []]);
    expect(runs[6]?.notifications[0]).toMatchObject({
      kind: 'resolved',
      title: 'Transfer success rate',
      severity: 'warn',
      value: 0.7,
      threshold: 0.65,
      // The condition's span: first breaching run (+0) to first healthy run (+90 min).
      breachedAt: EXAMPLE_AT.toISOString(),
      endedAt: minutesAfter(EXAMPLE_AT, 90).toISOString(),
      durationMs: 90 * 60_000,
    });
    expect(state.rules['transfer-success']).toMatchObject({ status: 'ok', notified: { status: 'ok' } });
  });

  it('does not judge a scope with fewer calls than minCalls: state unchanged, nothing owed', () => {
    // Prepare: one breach makes the rule pending
    const { state: pending } = simulate([rule()], rates(0.5));
    const before = pending.rules['transfer-success'];
    // Act: 10 calls, a rate of 0 that would be crit
    const { runs, state } = simulate(
      [rule()],
      [{ statistics: withTotal({ total_calls: 10, transfer_success_rate: 0 }) }],
      {
        state: pending,
        start: minutesAfter(EXAMPLE_AT, 15),
      },
    );
    // Assess
    expect(runs[0]?.evaluation.results[0]?.measurement).toMatchObject({ kind: 'not-judged', calls: 10 });
    expect(runs[0]?.kinds).toEqual([]);
    const after = state.rules['transfer-success'];
    expect(after).toMatchObject({
      status: before?.status,
      pendingCount: 1,
      since: before?.since,
      history: before?.history,
    });
    expect(after?.lastValue).toBe(before?.lastValue);
  });
});

describe('evaluateRules: no data', () => {
  it.each([
    { noData: 'ignore' as const, expected: [[], ['fired'], [], [], []], status: 'firing' },
    { noData: 'resolve' as const, expected: [[], ['fired'], ['resolved'], [], []], status: 'ok' },
    { noData: 'alert' as const, expected: [[], ['fired'], [], [], []], status: 'firing' },
  ])('$noData: a firing threshold alert meeting no data ends $status', ({ noData, expected, status }) => {
    const { runs, state } = simulate([rule({ noData })], rates(0.5, 0.5, 'no-data', 'no-data', 'no-data'));
    expect(runs.map((run) => run.kinds)).toEqual(expected);
    expect(state.rules['transfer-success']?.status).toBe(status);
  });

  it.each([
    { noData: 'ignore' as const, expected: [[], [], [], []] },
    { noData: 'resolve' as const, expected: [[], [], [], []] },
    { noData: 'alert' as const, expected: [[], ['fired'], [], ['resolved']] },
  ])('$noData: runs without data from a healthy start owe $expected', ({ noData, expected }) => {
    const { runs } = simulate([rule({ noData })], rates('no-data', 'no-data', 'no-data', 0.9));
    expect(runs.map((run) => run.kinds)).toEqual(expected);
  });

  it('announces a no-data alert with its reason and resolves it as "data is back"', () => {
    const { runs } = simulate([rule({ noData: 'alert' })], rates('no-data', 'no-data', 0.9));
    expect(runs[1]?.notifications[0]).toMatchObject({
      kind: 'fired',
      condition: 'no-data',
      value: null,
      reason: 'the response has no realtime total',
    });
    expect(runs[2]?.notifications[0]).toMatchObject({ kind: 'resolved', condition: 'no-data' });
  });
});

describe('evaluateRules: owed until Slack accepts', () => {
  it('keeps a refused notification owed, with the same key, until markNotified', () => {
    // Act: fires at run 1, Slack refuses runs 1 and 2
    const steps = rates(0.5, 0.5, 0.5, 0.5).map((step, i) => ({ ...step, delivered: i >= 3 }));
    const { runs, state } = simulate([rule()], steps);
    // Assess
    expect(runs.map((run) => run.kinds)).toEqual([[], ['fired'], ['fired'], ['fired']]);
    expect(new Set(runs.slice(1).map((run) => run.notifications[0]?.key)).size).toBe(1);
    expect(owedNotifications(state, [rule()], minutesAfter(EXAMPLE_AT, 60), JAKARTA)).toEqual([]);
  });

  it('owes the escalation Slack refused on a later run', () => {
    const steps = rates(0.5, 0.5, 0.3, 0.3).map((step, i) => ({ ...step, delivered: i !== 2 }));
    const { runs } = simulate([rule()], steps);
    expect(runs.map((run) => run.kinds)).toEqual([[], ['fired'], ['escalated'], ['escalated']]);
  });

  it('sends nothing for an alert that fired and resolved while Slack was down, and records it in history', () => {
    const steps = rates(0.5, 0.5, 0.5, 0.9).map((step) => ({ ...step, delivered: false }));
    const { runs, state } = simulate([rule()], steps);
    expect(runs.map((run) => run.kinds)).toEqual([[], ['fired'], ['fired'], []]);
    expect(state.rules['transfer-success']?.history.at(-1)).toMatchObject({
      from: 'firing:warn',
      to: 'ok',
      note: 'resolved before it was announced',
    });
  });

  it('closes the announced episode and opens the new one when both happened while undelivered', () => {
    // Prepare: fired and announced at run 1; resolved (run 2) and fired again (run 4) undelivered
    const steps = rates(0.3, 0.3, 0.9, 0.3, 0.3).map((step, i) => ({ ...step, delivered: i < 2 }));
    const { runs, state } = simulate([rule()], steps);
    // Assess
    expect(runs[4]?.kinds).toEqual(['resolved', 'fired']);
    const [resolved, fired] = (runs[4]?.notifications ?? []) as RuleNotification[];
    expect(resolved?.firedAt).toBe(minutesAfter(EXAMPLE_AT, 15).toISOString());
    // Breached at +0, healthy again at +30 min.
    expect(resolved?.durationMs).toBe(30 * 60_000);
    expect(fired?.firedAt).toBe(minutesAfter(EXAMPLE_AT, 60).toISOString());
    const at = minutesAfter(EXAMPLE_AT, 60);
    const delivered = markNotified(state, runs[4]?.notifications ?? [], at);
    expect(owedNotifications(delivered, [rule()], at, JAKARTA)).toEqual([]);
  });
});

describe('evaluateRules: determinism', () => {
  it('refuses an instant at or before the last one and returns the state untouched', () => {
    // Prepare
    const input = {
      rules: [rule()],
      statistics: withTotal({ transfer_success_rate: 0.5 }),
      timeZone: JAKARTA,
    };
    const first = evaluateRules({ ...input, state: emptyAlertState(), at: EXAMPLE_AT });
    // Act
    const again = evaluateRules({ ...input, state: first.state, at: EXAMPLE_AT });
    const earlier = evaluateRules({ ...input, state: first.state, at: minutesAfter(EXAMPLE_AT, -15) });
    // Assess
    expect(again).toMatchObject({ outcome: 'already-evaluated', notifications: [], results: [] });
    expect(again.state).toBe(first.state);
    expect(earlier.outcome).toBe('already-evaluated');
    expect(again.outcome === 'already-evaluated' && again.reason).toContain(EXAMPLE_AT.toISOString());
    expect(first.state.rules['transfer-success']?.pendingCount).toBe(1);
  });

  it('gives equal output for equal input', () => {
    const input = {
      rules: [rule({ pendingRuns: 1 })],
      state: emptyAlertState(),
      statistics: withTotal({ transfer_success_rate: 0.3 }),
      at: EXAMPLE_AT,
      timeZone: JAKARTA,
    };
    expect(evaluateRules(input)).toEqual(evaluateRules(structuredClone(input)));
  });

  it('drops the state of rules no longer in the file and reports them', () => {
    const { state } = simulate([rule(), rule({ id: 'old-rule' })], rates(0.5));
    const next = evaluateRules({
      rules: [rule()],
      state,
      statistics: withTotal({}),
      at: minutesAfter(EXAMPLE_AT, 15),
      timeZone: JAKARTA,
    });
    expect(next.outcome === 'evaluated' && next.droppedRuleIds).toEqual(['old-rule']);
    expect(Object.keys(next.state.rules)).toEqual(['transfer-success']);
  });

  it('keeps a removed rule that Slack was told fires until its "rule removed" resolution, its episode closed now', () => {
    const { state } = simulate([rule({ pendingRuns: 1 })], rates(0.3));
    const at = minutesAfter(EXAMPLE_AT, 15);
    const next = evaluateRules({ rules: [], state, statistics: withTotal({}), at, timeZone: JAKARTA });
    expect(next.state.rules['transfer-success']).toBe(state.rules['transfer-success']);
    expect(next.state.episodes).toMatchObject([
      {
        ruleId: 'transfer-success',
        ended: at.toISOString(),
        resolvedAt: at.toISOString(),
        resolvedValue: null,
      },
    ]);
    expect(next.notifications).toMatchObject([{ kind: 'resolved', ruleRemoved: true }]);
  });

  it('forgets a removed rule that was only pending: no state, no episode, nothing owed', () => {
    const { state } = simulate([rule()], rates(0.5));
    expect(state.episodes).toHaveLength(1);
    const next = evaluateRules({
      rules: [],
      state,
      statistics: withTotal({}),
      at: minutesAfter(EXAMPLE_AT, 15),
      timeZone: JAKARTA,
    });
    expect(next.state.rules).toEqual({});
    expect(next.state.episodes).toEqual([]);
    expect(next.notifications).toEqual([]);
  });

  it('keeps a closed episode past its retention while its resolution is still owed, and drops the others', () => {
    const old = '2025-10-20T00:00:00.000Z';
    const closed = (ruleId: string): Episode => ({
      ...openEpisode(ruleId, 'threshold', old, null),
      firedAt: old,
      severity: 'warn',
      peak: { severity: 'warn', at: old },
      ended: old,
      resolvedAt: old,
      resolvedValue: 0.7,
    });
    const told = (firedAt: string) =>
      ({ status: 'firing', severity: 'warn', condition: 'threshold', firedAt, at: firedAt }) as const;
    const ok = (notified?: RuleState['notified']): RuleState => ({
      ...initialRuleState(old),
      ...(notified === undefined ? {} : { notified }),
    });
    const state = {
      ...emptyAlertState(),
      rules: {
        owed: ok(told(old)),
        delivered: ok({ status: 'ok', at: old }),
        later: ok(told('2025-10-21T00:00:00.000Z')),
      },
      // 'gone' is no longer in the rules and has no state left.
      episodes: [closed('owed'), closed('delivered'), closed('later'), closed('gone')],
    };
    const rules = ['owed', 'delivered', 'later'].map((id) => rule({ id }));
    const next = evaluateRules({
      rules,
      state,
      statistics: withTotal({ transfer_success_rate: 0.9 }),
      at: EXAMPLE_AT,
      timeZone: JAKARTA,
    });
    expect(next.state.episodes.map((episode) => episode.ruleId)).toEqual(['owed']);
  });

  it('refuses an invalid instant, and says which instants a refused one is not after', () => {
    const input = { rules: [rule()], statistics: withTotal({}), timeZone: JAKARTA };
    expect(() => evaluateRules({ ...input, state: emptyAlertState(), at: new Date(Number.NaN) })).toThrow(
      new RangeError('evaluateRules: at is not a valid date'),
    );
    const state = { ...emptyAlertState(), lastScheduledTime: '2025-11-12T07:30:00.000Z' };
    const refused = evaluateRules({ ...input, state, at: minutesAfter(EXAMPLE_AT, -15) });
    expect(refused.outcome === 'already-evaluated' && refused.reason).toBe(
      'scheduled time 2025-11-12T07:15:00.000Z is not after the last evaluated 2025-11-12T07:30:00.000Z',
    );
  });
});

describe('evaluateRules: what a reminder shows', () => {
  it('keeps the window of the last judged value when a later run is not judged', () => {
    // Prepare: firing at 14:45; at 15:00 only 10 calls, not judged
    const steps = [
      ...rates(0.5, 0.5),
      { statistics: withTotal({ total_calls: 10, transfer_success_rate: 0.45 }) },
    ];
    // Act
    const { state } = simulate([rule()], steps);
    // Assess
    expect(state.rules['transfer-success']).toMatchObject({
      status: 'firing',
      lastValue: 0.5,
      lastWindow: 'today so far (00:00–14:45)',
      lastOutcome: 'not-judged',
      lastReason: '10 calls, fewer than minCalls 30',
    });
  });

  it('lets quiet healthy runs (below minCalls) end a firing alert, but never raise or keep one', () => {
    // Prepare: fires at 14:45; the evening is quiet (10 calls) and healthy again
    const quiet = (rate: number) => ({
      statistics: withTotal({ total_calls: 10, transfer_success_rate: rate }),
    });
    // Act
    const { runs } = simulate(
      [rule({ recoveryRuns: 2 })],
      [...rates(0.5, 0.5), quiet(0.9), quiet(0.3), quiet(0.9), quiet(0.9)],
    );
    // Assess: a quiet bad run breaks the healthy streak; two quiet healthy runs in a row resolve it
    expect(runs.map((run) => run.kinds.join())).toEqual(['', 'fired', '', '', '', 'resolved']);
    const { runs: neverFired } = simulate([rule()], [quiet(0.1), quiet(0.1), quiet(0.1)]);
    expect(neverFired.flatMap((run) => run.kinds)).toEqual([]);
  });
});

describe('nextRuleState: before-state × measurement → after-state and history entry', () => {
  const NOW = new Date('2025-11-12T07:30:00.000Z');
  const EARLIER = '2025-11-12T07:00:00.000Z';
  const BREACHED = '2025-11-12T06:45:00.000Z';
  const base: RuleState = {
    status: 'ok',
    since: EARLIER,
    pendingCount: 0,
    lastValue: null,
    lastEvaluatedAt: EARLIER,
    healthyCount: 0,
    history: [],
  };
  const pending: RuleState = {
    ...base,
    status: 'pending',
    condition: 'threshold',
    pendingCount: 1,
    breachedAt: BREACHED,
    since: BREACHED,
  };
  const firing = (severity: 'warn' | 'crit', extra: Partial<RuleState> = {}): RuleState => ({
    ...base,
    status: 'firing',
    severity,
    condition: 'threshold',
    since: EARLIER,
    firedAt: EARLIER,
    breachedAt: BREACHED,
    ...extra,
  });
  const value = (v: number, calls = 100): Measurement => ({
    kind: 'value',
    value: v,
    calls,
    window: 'last 60 min',
  });
  const quiet = (v: number): Measurement => ({
    kind: 'not-judged',
    reason: 'few calls',
    calls: 5,
    window: 'last 60 min',
    value: v,
  });
  const noData: Measurement = { kind: 'no-data', reason: 'the 60-min window response is missing' };
  // warn < 60%, crit < 40%, recovery ≥ 65% (crit eases at ≥ 45%); pendingRuns 2, recoveryRuns 2.
  const machine = rule({ recoveryRuns: 2 });

  it.each([
    { name: 'ok, healthy value', before: base, m: value(0.9), after: { status: 'ok' }, entry: undefined },
    {
      name: 'ok, warn breach',
      before: base,
      m: value(0.5),
      after: { status: 'pending', pendingCount: 1, breachedAt: NOW.toISOString() },
      entry: { from: 'ok', to: 'pending', value: 0.5, threshold: 0.6 },
    },
    {
      name: 'ok, warn breach at exactly warn',
      before: base,
      m: value(0.6),
      after: { status: 'ok' },
      entry: undefined,
    },
    {
      name: 'pending, second breach fires with the first breach kept',
      before: pending,
      m: value(0.5),
      after: {
        status: 'firing',
        severity: 'warn',
        firedAt: NOW.toISOString(),
        breachedAt: BREACHED,
        pendingCount: 0,
      },
      entry: { from: 'pending', to: 'firing:warn', value: 0.5, threshold: 0.6 },
    },
    {
      name: 'pending, crit breach fires crit',
      before: pending,
      m: value(0.3),
      after: { status: 'firing', severity: 'crit' },
      entry: { from: 'pending', to: 'firing:crit', threshold: 0.4 },
    },
    {
      name: 'pending, healthy value settles',
      before: pending,
      m: value(0.9),
      after: { status: 'ok', pendingCount: 0, breachedAt: undefined },
      entry: { from: 'pending', to: 'ok', value: 0.9, threshold: 0.6 },
    },
    {
      name: 'pending, too few calls: unchanged',
      before: pending,
      m: quiet(0.1),
      after: { status: 'pending', pendingCount: 1 },
      entry: undefined,
    },
    {
      name: 'firing warn, crit value escalates at once',
      before: firing('warn'),
      m: value(0.3),
      after: { status: 'firing', severity: 'crit' },
      entry: { from: 'firing:warn', to: 'firing:crit', value: 0.3, threshold: 0.4 },
    },
    {
      name: 'firing crit, inside the crit band stays crit',
      before: firing('crit'),
      m: value(0.42),
      after: { severity: 'crit' },
      entry: undefined,
    },
    {
      name: 'firing crit, past the crit release eases to warn',
      before: firing('crit'),
      m: value(0.5),
      after: { severity: 'warn' },
      entry: { from: 'firing:crit', to: 'firing:warn', threshold: expect.closeTo(0.45, 10) },
    },
    {
      name: 'firing warn, inside the recovery band stays',
      before: firing('warn'),
      m: value(0.62),
      after: { status: 'firing', healthyCount: 0 },
      entry: undefined,
    },
    {
      name: 'firing warn, first healthy run counts',
      before: firing('warn'),
      m: value(0.7),
      after: { status: 'firing', healthyCount: 1, healthySince: NOW.toISOString() },
      entry: undefined,
    },
    {
      name: 'firing warn, second healthy run resolves with the condition span',
      before: firing('warn', { healthyCount: 1, healthySince: EARLIER }),
      m: value(0.7),
      after: { status: 'ok', healthyCount: 0, firedAt: undefined, breachedAt: undefined },
      entry: {
        from: 'firing:warn',
        to: 'ok',
        value: 0.7,
        threshold: 0.65,
        firedAt: EARLIER,
        breachedAt: BREACHED,
        endedAt: EARLIER,
      },
    },
    {
      name: 'firing warn, a bad run breaks the healthy streak',
      before: firing('warn', { healthyCount: 1, healthySince: EARLIER }),
      m: value(0.5),
      after: { status: 'firing', healthyCount: 0, healthySince: undefined },
      entry: undefined,
    },
    {
      name: 'firing warn, a quiet healthy run counts',
      before: firing('warn'),
      m: quiet(0.9),
      after: { status: 'firing', healthyCount: 1 },
      entry: undefined,
    },
    {
      name: 'firing warn, a quiet bad run breaks the streak',
      before: firing('warn', { healthyCount: 1, healthySince: EARLIER }),
      m: quiet(0.1),
      after: { healthyCount: 0, healthySince: undefined, severity: 'warn' },
      entry: undefined,
    },
    {
      name: 'firing warn, no data (ignore): unchanged',
      before: firing('warn'),
      m: noData,
      after: {
        status: 'firing',
        lastOutcome: 'no-data',
        lastReason: 'the 60-min window response is missing',
      },
      entry: undefined,
    },
  ])('$name', ({ before, m, after, entry }) => {
    // Act
    const next = nextRuleState(machine, before, m, NOW);
    // Assess
    for (const [key, expected] of Object.entries(after))
      expect(next[key as keyof RuleState], key).toEqual(expected);
    expect(next.lastEvaluatedAt).toBe(NOW.toISOString());
    const added = next.history.slice(before.history.length);
    if (entry === undefined) expect(added).toEqual([]);
    else expect(added).toEqual([expect.objectContaining({ at: NOW.toISOString(), ...entry })]);
  });

  it('records a value with its window, run and counts, and drops counts a later value lacks', () => {
    const withBasis: Measurement = {
      ...value(0.5),
      basis: { part: 50, whole: 100, noun: 'transfers' },
    } as Measurement;
    const first = nextRuleState(machine, base, withBasis, NOW);
    expect(first).toMatchObject({
      lastValue: 0.5,
      lastValueAt: NOW.toISOString(),
      lastWindow: 'last 60 min',
      lastBasis: { part: 50, whole: 100 },
    });
    expect(
      nextRuleState(machine, first, value(0.5), new Date(NOW.getTime() + 900_000)).lastBasis,
    ).toBeUndefined();
  });
});

describe('nextRuleState: the whole after-state, field by field', () => {
  const NOW = new Date('2025-11-12T07:30:00.000Z');
  const now = NOW.toISOString();
  const FIRED = '2025-11-12T07:00:00.000Z';
  const HEALTHY = '2025-11-12T07:15:00.000Z';
  const BREACHED = '2025-11-12T06:45:00.000Z';
  const OLDER = '2025-11-12T06:00:00.000Z';
  const WINDOW = 'last 60 min';
  const MISSING = 'the 60-min window response is missing';
  const base: RuleState = {
    status: 'ok',
    since: OLDER,
    pendingCount: 0,
    lastValue: 0.9,
    lastValueAt: OLDER,
    lastWindow: WINDOW,
    lastEvaluatedAt: OLDER,
    lastOutcome: 'value',
    healthyCount: 0,
    history: [],
  };
  const pending = (condition: 'threshold' | 'no-data', pendingCount = 1): RuleState => ({
    ...base,
    status: 'pending',
    condition,
    pendingCount,
    since: BREACHED,
    breachedAt: BREACHED,
  });
  const firing = (condition: 'threshold' | 'no-data', extra: Partial<RuleState> = {}): RuleState => ({
    ...base,
    status: 'firing',
    severity: 'warn',
    condition,
    since: FIRED,
    firedAt: FIRED,
    breachedAt: BREACHED,
    lastValue: 0.5,
    ...extra,
  });
  const toldFiring = (firedAt: string, condition: 'threshold' | 'no-data' = 'threshold') =>
    ({ status: 'firing', severity: 'warn', condition, firedAt, at: firedAt }) as const;
  const value = (v: number): Measurement => ({ kind: 'value', value: v, calls: 100, window: WINDOW });
  /** The reading of a value run: what `nextRuleState` records whatever the status does. */
  const read = (v: number) => ({ lastValue: v, lastValueAt: now, lastWindow: WINDOW });
  /** The reading kept as the alert's latest breach: what a late fired or escalated message quotes. */
  const breach = (v: number, at = now) => ({ value: v, at, window: WINDOW });
  const quiet = (v?: number): Measurement => ({
    kind: 'not-judged',
    reason: '5 calls, fewer than minCalls 30',
    calls: 5,
    window: WINDOW,
    ...(v === undefined ? {} : { value: v }),
  });
  const noData: Measurement = { kind: 'no-data', reason: MISSING };
  /** Status fields a return to ok removes. */
  const cleared = {
    status: 'ok',
    since: now,
    pendingCount: 0,
    healthyCount: 0,
    severity: undefined,
    condition: undefined,
    firedAt: undefined,
    breachedAt: undefined,
    healthySince: undefined,
    lastBreach: undefined,
  };
  // warn < 60%, crit < 40%, recovery ≥ 65%; pendingRuns 2 unless a row says otherwise, recoveryRuns 2.
  const machine = (overrides: Partial<RuleInput> = {}) => rule({ recoveryRuns: 2, ...overrides });

  /** `before` with `changes` applied; a change to undefined means the field is gone. */
  const applied = (before: RuleState, changes: Record<string, unknown>): RuleState =>
    Object.fromEntries(
      Object.entries({ ...before, ...changes }).filter(([, v]) => v !== undefined),
    ) as RuleState;

  it.each([
    {
      name: 'ok × healthy value → ok since the same time, reading updated, an earlier reason and counts gone',
      rule: machine(),
      before: { ...base, lastReason: 'old reason', lastBasis: { part: 9, whole: 10, noun: 'transfers' } },
      m: value(0.9),
      changes: { ...read(0.9), lastReason: undefined, lastBasis: undefined },
      entries: [],
    },
    {
      name: 'ok × warn breach → pending on the threshold condition, breached now',
      rule: machine(),
      before: base,
      m: value(0.5),
      changes: {
        ...read(0.5),
        status: 'pending',
        condition: 'threshold',
        pendingCount: 1,
        since: now,
        breachedAt: now,
      },
      entries: [{ from: 'ok', to: 'pending', value: 0.5, threshold: 0.6 }],
    },
    {
      name: 'pending × second breach → firing warn on the threshold condition, first breach kept',
      rule: machine(),
      before: pending('threshold'),
      m: value(0.5),
      changes: {
        ...read(0.5),
        status: 'firing',
        severity: 'warn',
        condition: 'threshold',
        pendingCount: 0,
        since: now,
        firedAt: now,
        breachedAt: BREACHED,
        lastBreach: breach(0.5),
      },
      entries: [{ from: 'pending', to: 'firing:warn', value: 0.5, threshold: 0.6 }],
    },
    {
      name: 'pending without a recorded breach (older document) × breach → fires, breached when pending began',
      rule: machine(),
      before: RuleStateSchema.parse(applied(pending('threshold'), { breachedAt: undefined })),
      m: value(0.5),
      changes: {
        ...read(0.5),
        status: 'firing',
        severity: 'warn',
        condition: 'threshold',
        pendingCount: 0,
        since: now,
        firedAt: now,
        breachedAt: BREACHED,
        lastBreach: breach(0.5),
      },
      entries: [{ from: 'pending', to: 'firing:warn', value: 0.5, threshold: 0.6 }],
    },
    {
      name: 'pending 1 of 3 × breach → pending 2 of 3, since and breach unchanged, no history entry',
      rule: machine({ pendingRuns: 3 }),
      before: pending('threshold'),
      m: value(0.5),
      changes: { ...read(0.5), pendingCount: 2 },
      entries: [],
    },
    {
      name: 'ok × skipped run → unchanged but for the outcome and its reason: not runnable is not "no data"',
      rule: machine({ noData: 'alert', pendingRuns: 1 }),
      before: base,
      m: { kind: 'skipped', reason: 'lineCapacity is not configured' } as Measurement,
      changes: {},
      entries: [],
    },
    {
      name: 'firing warn × a warn breach → still warn, this run kept as its latest breach',
      rule: machine(),
      before: firing('threshold', { lastBreach: breach(0.5, FIRED) }),
      m: value(0.55),
      changes: { ...read(0.55), lastBreach: breach(0.55) },
      entries: [],
    },
    {
      name: 'firing warn × a value inside the hysteresis band → still warn, the earlier breach kept',
      rule: machine(),
      before: firing('threshold', { lastBreach: breach(0.5, FIRED) }),
      m: value(0.62),
      changes: read(0.62),
      entries: [],
    },
    {
      name: 'firing warn × a crit breach → escalated, this run kept as its latest breach',
      rule: machine(),
      before: firing('threshold', { lastBreach: breach(0.5, FIRED) }),
      m: value(0.3),
      changes: { ...read(0.3), severity: 'crit', lastBreach: breach(0.3) },
      entries: [{ from: 'firing:warn', to: 'firing:crit', value: 0.3, threshold: 0.4 }],
    },
    {
      name: 'firing crit × a warn-level value inside the crit release → still crit, the crit breach kept',
      rule: machine(),
      before: firing('threshold', { severity: 'crit', lastBreach: breach(0.3, FIRED) }),
      m: value(0.42),
      changes: read(0.42),
      entries: [],
    },
    {
      name: 'firing × too few calls and no value → unchanged',
      rule: machine(),
      before: firing('threshold', { healthyCount: 1, healthySince: HEALTHY }),
      m: quiet(),
      changes: {},
      entries: [],
    },
    {
      name: 'pending × too few calls, healthy value → unchanged: a quiet run never ends a pending breach',
      rule: machine({ recoveryRuns: 1 }),
      before: pending('threshold'),
      m: quiet(0.9),
      changes: {},
      entries: [],
    },
    {
      name: 'firing on no data × too few calls, healthy value → still firing on no data',
      rule: machine({ noData: 'alert', recoveryRuns: 1 }),
      before: firing('no-data'),
      m: quiet(0.9),
      changes: {},
      entries: [],
    },
    {
      name: 'ok × no data (alert, 3 runs) → pending on no data from now',
      rule: machine({ noData: 'alert', pendingRuns: 3 }),
      before: base,
      m: noData,
      changes: { status: 'pending', condition: 'no-data', pendingCount: 1, since: now, breachedAt: now },
      entries: [{ from: 'ok', to: 'pending', value: null, threshold: null, condition: 'no-data' }],
    },
    {
      name: 'pending on no data 1 of 3 × no data → 2 of 3, since unchanged, no history entry',
      rule: machine({ noData: 'alert', pendingRuns: 3 }),
      before: pending('no-data'),
      m: noData,
      changes: { pendingCount: 2 },
      entries: [],
    },
    {
      name: 'pending on a breach × no data (alert) → pending on no data, counting again from 1',
      rule: machine({ noData: 'alert' }),
      before: pending('threshold'),
      m: noData,
      changes: { condition: 'no-data', pendingCount: 1 },
      entries: [{ from: 'pending', to: 'pending', value: null, threshold: null, condition: 'no-data' }],
    },
    {
      name: 'pending on no data × no data (alert, 2 runs) → firing warn on no data, breached when pending began',
      rule: machine({ noData: 'alert' }),
      before: pending('no-data'),
      m: noData,
      changes: {
        status: 'firing',
        severity: 'warn',
        condition: 'no-data',
        pendingCount: 0,
        since: now,
        firedAt: now,
        breachedAt: BREACHED,
      },
      entries: [{ from: 'pending', to: 'firing:warn', value: null, threshold: null, condition: 'no-data' }],
    },
    {
      name: 'pending on a breach × no data (resolve) → ok, the entry saying why and naming no value or threshold',
      rule: machine({ noData: 'resolve' }),
      before: pending('threshold'),
      m: noData,
      changes: cleared,
      entries: [
        {
          from: 'pending',
          to: 'ok',
          value: null,
          threshold: null,
          condition: 'threshold',
          note: 'no data, treated as OK',
        },
      ],
    },
    {
      name: 'firing, never announced × no data (resolve) → ok, both notes, ended now',
      rule: machine({ noData: 'resolve' }),
      before: firing('threshold'),
      m: noData,
      changes: cleared,
      entries: [
        {
          from: 'firing:warn',
          to: 'ok',
          value: null,
          threshold: null,
          condition: 'threshold',
          firedAt: FIRED,
          breachedAt: BREACHED,
          endedAt: now,
          note: 'no data, treated as OK; resolved before it was announced',
        },
      ],
    },
    {
      name: 'ok × no data (resolve) → unchanged',
      rule: machine({ noData: 'resolve' }),
      before: base,
      m: noData,
      changes: {},
      entries: [],
    },
    {
      name: 'firing, announced, 1 healthy run × healthy value → ok with no note, ended at the first healthy run',
      rule: machine(),
      before: firing('threshold', { healthyCount: 1, healthySince: HEALTHY, notified: toldFiring(FIRED) }),
      m: value(0.7),
      changes: { ...read(0.7), ...cleared },
      entries: [
        {
          from: 'firing:warn',
          to: 'ok',
          value: 0.7,
          threshold: 0.65,
          condition: 'threshold',
          firedAt: FIRED,
          breachedAt: BREACHED,
          endedAt: HEALTHY,
        },
      ],
    },
    {
      name: 'firing, only an earlier episode announced × second healthy run → ok, noted as never announced',
      rule: machine(),
      before: firing('threshold', { healthyCount: 1, healthySince: HEALTHY, notified: toldFiring(OLDER) }),
      m: value(0.7),
      changes: { ...read(0.7), ...cleared },
      entries: [
        {
          from: 'firing:warn',
          to: 'ok',
          value: 0.7,
          threshold: 0.65,
          condition: 'threshold',
          firedAt: FIRED,
          breachedAt: BREACHED,
          endedAt: HEALTHY,
          note: 'resolved before it was announced',
        },
      ],
    },
    {
      name: 'pending on no data × bad value → the no-data count ends ("data returned") and the value starts a new one',
      rule: machine({ noData: 'alert' }),
      before: pending('no-data'),
      m: value(0.5),
      changes: {
        ...read(0.5),
        status: 'pending',
        condition: 'threshold',
        pendingCount: 1,
        since: now,
        breachedAt: now,
      },
      entries: [
        {
          from: 'pending',
          to: 'ok',
          value: 0.5,
          threshold: null,
          condition: 'no-data',
          note: 'data returned',
        },
        { from: 'ok', to: 'pending', value: 0.5, threshold: 0.6 },
      ],
    },
    {
      name: 'firing on no data, announced × healthy value → ok at once ("data returned"), no threshold',
      rule: machine({ noData: 'alert' }),
      before: firing('no-data', { notified: toldFiring(FIRED, 'no-data') }),
      m: value(0.9),
      changes: { ...read(0.9), ...cleared },
      entries: [
        {
          from: 'firing:warn',
          to: 'ok',
          value: 0.9,
          threshold: null,
          condition: 'no-data',
          firedAt: FIRED,
          breachedAt: BREACHED,
          endedAt: now,
          note: 'data returned',
        },
      ],
    },
    {
      name: 'firing on no data, never announced × bad value → the no-data alert ends, the breach is judged afresh',
      rule: machine({ noData: 'alert' }),
      before: firing('no-data'),
      m: value(0.5),
      changes: {
        ...read(0.5),
        ...cleared,
        status: 'pending',
        condition: 'threshold',
        pendingCount: 1,
        breachedAt: now,
      },
      entries: [
        {
          from: 'firing:warn',
          to: 'ok',
          value: 0.5,
          threshold: null,
          condition: 'no-data',
          firedAt: FIRED,
          breachedAt: BREACHED,
          endedAt: now,
          note: 'data returned; resolved before it was announced',
        },
        { from: 'ok', to: 'pending', value: 0.5, threshold: 0.6 },
      ],
    },
  ])('$name', ({ rule: theRule, before, m, changes, entries }) => {
    // Act
    const next = nextRuleState(theRule, before, m, NOW);
    // Assess: every field, none more (a field set to undefined would be a difference too)
    const bookkeeping = {
      lastEvaluatedAt: now,
      lastOutcome: m.kind,
      lastReason: m.kind === 'value' ? undefined : m.reason,
    };
    expect(next).toStrictEqual(
      applied(before, {
        ...bookkeeping,
        ...changes,
        history: [...before.history, ...entries.map((entry) => ({ at: now, ...entry }))],
      }),
    );
  });

  it('keeps the last 20 history entries, dropping the oldest for a new one', () => {
    // Prepare: firing warn with a full history
    const old = Array.from({ length: 20 }, (_, i) => ({
      at: new Date(Date.parse(OLDER) - (20 - i) * 60_000).toISOString(),
      from: 'ok' as const,
      to: 'pending' as const,
      value: i / 100,
      threshold: 0.6,
    }));
    // Act: a crit value escalates
    const next = nextRuleState(machine(), firing('threshold', { history: old }), value(0.3), NOW);
    // Assess
    expect(next.history).toHaveLength(20);
    expect(next.history.slice(0, 19)).toStrictEqual(old.slice(1));
    expect(next.history[19]).toStrictEqual({
      at: now,
      from: 'firing:warn',
      to: 'firing:crit',
      value: 0.3,
      threshold: 0.4,
    });
  });
});

describe('nextRuleState: two windows that must agree', () => {
  const twoWindows = rule({
    scope: undefined,
    window: { minutes: 60, short: 15 },
    warn: 0.75,
    crit: 0.6,
    recovery: 0.8,
    pendingRuns: 1,
    recoveryRuns: 1,
    minCalls: 0,
  });
  const at = new Date('2025-11-12T01:15:00Z');
  const measured = (short: number, long: number) =>
    measureRule(twoWindows, {
      statistics: exampleStatistics(),
      at,
      timeZone: JAKARTA,
      windows: new Map([
        [15, withTotal({ transfer_success_rate: short })],
        [60, withTotal({ transfer_success_rate: long })],
      ]),
    });
  const firing = (severity: 'warn' | 'crit') =>
    nextRuleState(
      twoWindows,
      undefined,
      measured(severity === 'crit' ? 0.2 : 0.7, severity === 'crit' ? 0.2 : 0.7),
      new Date(at.getTime() - 900_000),
    );

  it.each([
    {
      from: 'ok',
      short: 0.2,
      long: 0.5,
      to: 'firing:crit',
      why: 'a severe drop both windows see fires at once',
    },
    { from: 'ok', short: 0.2, long: 0.7, to: 'firing:warn', why: 'the severity is the one both agree on' },
    { from: 'ok', short: 0.2, long: 0.9, to: 'ok', why: 'a brief dip the long window absorbs does not fire' },
    {
      from: 'ok',
      short: 0.9,
      long: 0.5,
      to: 'ok',
      why: 'a drop that is over in the short window does not fire',
    },
    {
      from: 'firing:crit',
      short: 0.85,
      long: 0.5,
      to: 'ok',
      why: 'it resolves once the short window has recovered',
    },
    {
      from: 'firing:warn',
      short: 0.7,
      long: 0.5,
      to: 'firing:warn',
      why: 'a short window short of recovery keeps it',
    },
    { from: 'firing:warn', short: 0.5, long: 0.5, to: 'firing:crit', why: 'both past crit escalate' },
    {
      from: 'firing:crit',
      short: 0.7,
      long: 0.5,
      to: 'firing:warn',
      why: 'the short window past the release eases it',
    },
  ] as const)('$from, short $short, long $long → $to: $why', ({ from, short, long, to }) => {
    const before = from === 'ok' ? undefined : firing(from === 'firing:crit' ? 'crit' : 'warn');
    expect(statusLabel(nextRuleState(twoWindows, before, measured(short, long), at))).toBe(to);
  });
});

describe('nextRuleState: two windows that weigh the evidence for a recovery too', () => {
  // The shipped transfer rule's shape: a breach needs the 45-min upper bound (97 %) below 87 % and
  // the quarter-hour's raw rate below it; it resolves when the quarter-hour has recovered: the lower
  // bound of its 50 % interval back at 87 %, whatever its count (the bound weighs how little it holds),
  // or the 45 minutes' bound, should a quiet quarter-hour hold too few transfers to prove it.
  const weighed = rule({
    scope: undefined,
    window: { minutes: 45, short: 15 },
    confidence: { breach: 0.97, recovery: 0.5 },
    warn: 0.87,
    crit: 0.65,
    recovery: 0.87,
    pendingRuns: 1,
    recoveryRuns: 1,
    minCalls: 45,
  });
  const at = new Date('2025-11-12T03:15:00Z');
  const transfers = (successes: number, attempts: number, calls: number) =>
    withTotal({
      total_calls: calls,
      attempted_transfer_calls: attempts,
      transfer_success_calls: successes,
      transfer_success_rate: Math.round((successes / attempts) * 10_000) / 10_000,
    });
  const measured = (short: readonly [number, number, number], long: readonly [number, number, number]) =>
    measureRule(weighed, {
      statistics: exampleStatistics(),
      at,
      timeZone: JAKARTA,
      windows: new Map([
        [15, transfers(...short)],
        [45, transfers(...long)],
      ]),
    });
  const firing = () =>
    nextRuleState(
      weighed,
      undefined,
      measured([10, 40, 160], [90, 120, 480]),
      new Date(at.getTime() - 900_000),
    );

  it.each([
    {
      from: 'firing',
      short: [20, 20, 80],
      long: [80, 120, 480],
      to: 'ok',
      why: '20 good transfers of 20 (lower bound 97.8 %) end it at once',
    },
    {
      from: 'firing',
      short: [36, 40, 160],
      long: [80, 120, 480],
      to: 'firing:warn',
      why: '90 % of 40 is past 87 % raw, but its lower bound (86.3 %) is not: no flap on a lucky quarter-hour',
    },
    {
      from: 'firing',
      short: [5, 5, 20],
      long: [30, 60, 240],
      to: 'ok',
      why: 'the quarter-hour has recovered (5 of 5, lower bound 91.7 %): the 45 minutes, still holding the drop (50 %), do not hold it open',
    },
    {
      from: 'firing',
      short: [3, 3, 12],
      long: [30, 60, 240],
      to: 'firing:warn',
      why: '3 good transfers of 3 (lower bound 86.8 %) prove no recovery while the 45 minutes (50 %) do not either',
    },
    {
      from: 'firing',
      short: [3, 3, 12],
      long: [58, 60, 240],
      to: 'ok',
      why: 'a quiet quarter-hour (3 of 3) with the 45 minutes recovered beyond doubt (58 of 60, lower bound 94.7 %) ends it',
    },
    {
      from: 'firing',
      short: [4, 4, 16],
      long: [10, 12, 40],
      to: 'ok',
      why: 'a quiet evening (45 minutes under minCalls) still ends it on the quarter-hour: 4 of 4, lower bound 89.8 %',
    },
    {
      from: 'firing',
      short: [3, 3, 12],
      long: [10, 12, 40],
      to: 'firing:warn',
      why: 'a quiet evening with 3 of 3 in the quarter-hour (lower bound 86.8 %) keeps it',
    },
    {
      from: 'ok',
      short: [30, 40, 160],
      long: [290, 360, 1440],
      to: 'firing:warn',
      why: '80.6 % of 360 proves the drop (upper bound 84.7 %) and the quarter-hour confirms it',
    },
    {
      from: 'ok',
      short: [30, 40, 160],
      long: [300, 360, 1440],
      to: 'ok',
      why: '83.3 % of 360 does not prove it below 87 % at 97 % (upper bound 87.2 %)',
    },
    {
      from: 'ok',
      short: [30, 40, 160],
      long: [40, 48, 192],
      to: 'ok',
      why: '83 % of 48 proves nothing yet (upper bound 91.9 %)',
    },
  ] as const)('$from, short $short, long $long → $to: $why', ({ from, short, long, to }) => {
    const before = from === 'ok' ? undefined : firing();
    expect(statusLabel(nextRuleState(weighed, before, measured(short, long), at))).toBe(to);
  });
});
