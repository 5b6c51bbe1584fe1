import { describe, expect, it } from 'vitest';
import { markNotified, owedNotifications } from '../../../../lambda/domain/alerts/notify';
import { buildAlertMessage } from '../../../../lambda/domain/alerts/render';
import {
  type AlertState,
  emptyAlertState,
  HISTORY_LIMIT,
  RuleStateSchema,
  recordRunFailure,
  recordRunSuccess,
} from '../../../../lambda/domain/alerts/state';
import {
  EXAMPLE_AT,
  expectWithinBlockKitLimits,
  JAKARTA,
  minutesAfter,
  rates,
  rule,
  simulate,
} from './alert-test-helpers';

describe('alert state history', () => {
  it(`keeps the last ${HISTORY_LIMIT} transitions of a flapping rule, enough to explain each`, () => {
    // Act: 30 alternations between crit and OK, each a transition
    const values = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.3 : 0.9));
    const { state } = simulate([rule({ pendingRuns: 1 })], rates(...values));
    // Assess
    const history = state.rules['transfer-success']?.history ?? [];
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.at(-1)).toMatchObject({ from: 'firing:crit', to: 'ok', value: 0.9, threshold: 0.65 });
    expect(history.at(-2)).toMatchObject({ from: 'ok', to: 'firing:crit', value: 0.3, threshold: 0.4 });
  });
});

const run = (i: number) => minutesAfter(EXAMPLE_AT, i * 15);
const owed = (state: AlertState, at: Date) => owedNotifications(state, [], at, JAKARTA);

function failTimes(times: number, state = emptyAlertState(), reason = 'API down: HTTP 503'): AlertState {
  let next = state;
  for (let i = 0; i < times; i++) next = recordRunFailure(next, run(i), reason, 3);
  return next;
}

describe('monitor health', () => {
  it.each([
    { failures: 1, expected: [] },
    { failures: 2, expected: [] },
    { failures: 3, expected: ['monitor-degraded'] },
    { failures: 5, expected: ['monitor-degraded'] },
  ])('after $failures consecutive failures (threshold 3) owes $expected', ({ failures, expected }) => {
    const state = failTimes(failures);
    expect(state.monitor.consecutiveFailures).toBe(failures);
    expect(owed(state, run(failures)).map((n) => n.kind)).toEqual(expected);
  });

  it('says what failed and since when', () => {
    const state = failTimes(3, emptyAlertState(), 'auth refused: body code 401');
    const [degraded] = owed(state, run(3));
    expect(degraded).toMatchObject({
      kind: 'monitor-degraded',
      consecutiveFailures: 3,
      since: run(0).toISOString(),
      lastError: 'auth refused: body code 401',
    });
    const message = buildAlertMessage([degraded ?? []].flat(), { at: run(3), timeZone: JAKARTA });
    expectWithinBlockKitLimits(message);
    expect(JSON.stringify(message.blocks)).toContain('auth refused: body code 401');
  });

  it('counts a retried run (the same scheduled time) once', () => {
    const once = recordRunFailure(emptyAlertState(), run(0), 'archive failing', 3);
    expect(recordRunFailure(once, run(0), 'archive failing', 3)).toBe(once);
  });

  it('owes one recovery, with the outage duration, on the next success, and nothing once it is delivered', () => {
    // Prepare
    const degraded = markNotified(failTimes(4), owed(failTimes(4), run(4)), run(4));
    // Act
    const recovered = recordRunSuccess(degraded, run(5));
    const [notification] = owed(recovered, run(5));
    // Assess
    expect(owed(degraded, run(4))).toEqual([]);
    expect(notification).toMatchObject({ kind: 'monitor-recovered', durationMs: 75 * 60_000 });
    expect(recovered.monitor).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect(owed(markNotified(recovered, [notification ?? []].flat(), run(5)), run(6))).toEqual([]);
  });

  it('owes nothing when the monitor degraded and recovered while nothing got through', () => {
    expect(owed(recordRunSuccess(failTimes(4), run(5)), run(5))).toEqual([]);
  });

  it('resets a short failure streak on success without owing anything', () => {
    const state = recordRunSuccess(failTimes(2), run(2));
    expect(state.monitor).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect(owed(state, run(2))).toEqual([]);
  });

  it.each([0, -1, 1.5])('refuses a threshold of %s', (threshold) => {
    expect(() => recordRunFailure(emptyAlertState(), run(0), 'x', threshold)).toThrow(RangeError);
  });
});

describe('RuleStateSchema: a union on status', () => {
  const common = {
    since: '2025-11-12T06:00:00.000Z',
    pendingCount: 0,
    lastValue: 0.5,
    lastEvaluatedAt: '2025-11-12T07:00:00.000Z',
    healthyCount: 0,
    history: [],
  };
  const firing = {
    ...common,
    status: 'firing',
    severity: 'crit',
    condition: 'threshold',
    firedAt: '2025-11-12T06:30:00.000Z',
    breachedAt: '2025-11-12T06:15:00.000Z',
  };

  it.each(['severity', 'condition', 'firedAt'])('refuses a firing rule without its %s', (field) => {
    const stored = Object.fromEntries(Object.entries(firing).filter(([key]) => key !== field));
    expect(RuleStateSchema.safeParse(stored).success).toBe(false);
  });

  it('refuses a pending rule without its condition', () => {
    const stored = { ...common, status: 'pending', pendingCount: 1, breachedAt: common.since };
    expect(RuleStateSchema.safeParse(stored).success).toBe(false);
  });

  it('reads a document written before breachedAt existed: pending since it became pending, firing since it fired', () => {
    const { breachedAt: _b, ...oldFiring } = firing;
    expect(RuleStateSchema.parse(oldFiring)).toMatchObject({ breachedAt: firing.firedAt });
    const oldPending = { ...common, status: 'pending', condition: 'no-data', pendingCount: 1 };
    expect(RuleStateSchema.parse(oldPending)).toMatchObject({ breachedAt: common.since });
  });

  it('parses a stored firing rule back to the same object', () => {
    expect(RuleStateSchema.parse(firing)).toEqual(firing);
  });
});
