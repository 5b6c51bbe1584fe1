import { describe, expect, it } from 'vitest';
import { markNotified, owedNotifications } from '../../../../lambda/domain/alerts/notify';
import { buildAlertMessage } from '../../../../lambda/domain/alerts/render';
import {
  ALERT_STATE_KEY,
  type AlertState,
  AlertStateSchema,
  emptyAlertState,
  HISTORY_LIMIT,
  MONITOR_LOG_LIMIT,
  RuleStateSchema,
  recordRunFailure,
  recordRunSuccess,
  SNOOZE_REASON_MAX,
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

  it('starts a new streak at its own first failure, even when the stored document kept an older one', () => {
    // A document edited by hand or written by another version: no streak, yet a first-failure time
    const stored: AlertState = {
      ...emptyAlertState(),
      monitor: { status: 'ok', consecutiveFailures: 0, firstFailureAt: '2025-11-01T00:00:00.000Z' },
    };
    const next = recordRunFailure(stored, run(0), 'API down: HTTP 503', 3);
    expect(next.monitor.firstFailureAt).toBe(run(0).toISOString());
  });

  it('recovers a degraded monitor on success even when the stored document counts no failure', () => {
    const stored: AlertState = {
      ...emptyAlertState(),
      monitor: { status: 'degraded', since: run(0).toISOString(), consecutiveFailures: 0 },
    };
    const next = recordRunSuccess(stored, run(1));
    expect(next.monitor.status).toBe('ok');
    expect(next.monitor.consecutiveFailures).toBe(0);
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

describe('AlertStateSchema: the document as stored', () => {
  const T = (minute: number) => minutesAfter(EXAMPLE_AT, minute).toISOString();
  const bookkeeping = {
    since: T(0),
    pendingCount: 0,
    lastValue: 0.5,
    lastValueAt: T(15),
    lastBasis: { part: 57, whole: 118, noun: 'transfers' },
    lastEvaluatedAt: T(15),
    lastWindow: 'hour 14:00–15:00',
    healthyCount: 0,
    history: [],
  };
  /** Every part a document can hold, each enum value at least once. */
  const fullDocument = (): AlertState => {
    // Episodes as checks record them: one closed, one open.
    const { state: day } = simulate([rule({ pendingRuns: 1 })], rates(0.3, 0.7, 0.5));
    return {
      version: 1,
      // Any offset is an instant (a hand-edited document may carry the local one).
      lastScheduledTime: '2025-11-12T14:45:00+07:00',
      reminders: { lastAt: T(0), count: 2 },
      rules: {
        calm: {
          ...bookkeeping,
          status: 'ok',
          lastOutcome: 'value',
          notified: { status: 'ok', at: T(0) },
          history: [
            {
              at: T(0),
              from: 'firing:crit',
              to: 'ok',
              value: 0.7,
              threshold: 0.65,
              condition: 'threshold',
              firedAt: T(-30),
              breachedAt: T(-45),
              endedAt: T(0),
              note: 'resolved',
            },
          ],
        },
        waiting: {
          ...bookkeeping,
          status: 'pending',
          pendingCount: 1,
          lastValue: null,
          lastOutcome: 'no-data',
          lastReason: 'the response has no realtime total',
          condition: 'no-data',
          breachedAt: T(15),
          history: [
            { at: T(15), from: 'ok', to: 'pending', value: null, threshold: null, condition: 'no-data' },
          ],
        },
        burning: {
          ...bookkeeping,
          status: 'firing',
          lastOutcome: 'not-judged',
          severity: 'crit',
          condition: 'threshold',
          firedAt: T(0),
          breachedAt: T(-15),
          healthyCount: 1,
          healthySince: T(15),
          notified: { status: 'firing', severity: 'crit', condition: 'threshold', firedAt: T(0), at: T(0) },
          history: [{ at: T(0), from: 'pending', to: 'firing:crit', value: 0.3, threshold: 0.4 }],
          claim: { runId: 'run-1', at: T(15), until: T(17) },
        },
        warm: {
          ...bookkeeping,
          status: 'firing',
          lastOutcome: 'skipped',
          severity: 'warn',
          condition: 'no-data',
          firedAt: T(0),
          breachedAt: T(0),
          history: [{ at: T(0), from: 'ok', to: 'firing:warn', value: null, threshold: null }],
        },
      },
      monitor: {
        status: 'degraded',
        since: T(0),
        consecutiveFailures: 3,
        firstFailureAt: T(-30),
        lastFailureAt: T(0),
        lastError: 'API down: HTTP 503',
        notified: { status: 'degraded', since: T(-30), at: T(0) },
        claim: { runId: 'run-1', at: T(0) },
      },
      snoozes: { burning: { until: T(60), at: T(0), reason: 'maintenance', by: 'U0AMIRA' } },
      snoozeLog: [{ until: T(60), at: T(0), reason: 'maintenance', by: 'U0AMIRA', target: 'burning' }],
      monitorLog: [{ since: T(-30), until: T(-15), error: 'API down: HTTP 503' }, { since: T(0) }],
      episodes: day.episodes,
      incident: {
        channel: 'C0ALERTS00',
        ts: '1762932600.000100',
        openedAt: T(0),
        members: [{ id: 'burning', firedAt: T(0) }],
        severity: 'crit',
        replies: 1,
        supersedes: [{ channel: 'C0ALERTS00', ts: '1762932000.000100' }],
        acknowledged: { by: 'U0AMIRA', at: T(5) },
      },
      incidents: [
        {
          channel: 'C0ALERTS00',
          ts: '1762930000.000100',
          openedAt: T(-120),
          members: [{ id: 'calm', firedAt: T(-120) }],
          replies: 2,
          supersedes: [],
          closedAt: T(-60),
        },
      ],
    } as AlertState;
  };

  it('is one document per monitor, at state/alerts.json, empty before the first run', () => {
    expect(ALERT_STATE_KEY).toBe('state/alerts.json');
    expect(emptyAlertState()).toEqual({
      version: 1,
      rules: {},
      episodes: [],
      monitor: { status: 'ok', consecutiveFailures: 0 },
    });
    expect(AlertStateSchema.parse(emptyAlertState())).toEqual(emptyAlertState());
  });

  it('reads back every part of a document the monitor writes, unchanged', () => {
    const document = fullDocument();
    expect(document.episodes.length).toBeGreaterThan(1);
    expect(AlertStateSchema.parse(JSON.parse(JSON.stringify(document)))).toEqual(document);
  });

  it('reads a monitor that recovered, and fills in what documents of earlier versions lack', () => {
    const recovered = {
      status: 'ok',
      since: T(0),
      consecutiveFailures: 0,
      notified: { status: 'ok', at: T(0) },
    };
    const { healthyCount: _h, history: _history, ...older } = { ...bookkeeping, status: 'ok' };
    const parsed = AlertStateSchema.parse({ version: 1, rules: { calm: older }, monitor: recovered });
    expect(parsed.monitor).toEqual(recovered);
    expect(parsed.episodes).toEqual([]);
    expect(parsed.rules.calm).toMatchObject({ healthyCount: 0, history: [] });
    expect(parsed.incident).toBeUndefined();
  });

  it.each([
    ['another version', (d: AlertState) => ({ ...d, version: 2 })],
    [
      'a rule status it does not know',
      (d: AlertState) => ({ ...d, rules: { x: { ...d.rules.calm, status: 'muted' } } }),
    ],
    [
      'a severity it does not know',
      (d: AlertState) => ({ ...d, rules: { x: { ...d.rules.burning, severity: 'info' } } }),
    ],
    ['a time without its offset', (d: AlertState) => ({ ...d, lastScheduledTime: '2025-11-12T07:30:00' })],
    [
      'a negative failure count',
      (d: AlertState) => ({ ...d, monitor: { ...d.monitor, consecutiveFailures: -1 } }),
    ],
    ['a fractional reminder count', (d: AlertState) => ({ ...d, reminders: { lastAt: T(0), count: 1.5 } })],
    [
      'a monitor status it does not know',
      (d: AlertState) => ({ ...d, monitor: { ...d.monitor, status: 'down' } }),
    ],
    [
      'a snooze reason past its limit',
      (d: AlertState) => ({
        ...d,
        snoozes: { all: { until: T(60), at: T(0), reason: 'x'.repeat(SNOOZE_REASON_MAX + 1) } },
      }),
    ],
    [
      'a snooze set by an id past 64 characters',
      (d: AlertState) => ({ ...d, snoozes: { all: { until: T(60), at: T(0), by: 'U'.repeat(65) } } }),
    ],
    [
      'a transition to a status it does not know',
      (d: AlertState) => ({
        ...d,
        rules: {
          x: { ...d.rules.calm, history: [{ at: T(0), from: 'ok', to: 'firing', value: 1, threshold: 1 }] },
        },
      }),
    ],
  ])('refuses %s', (_what, change) => {
    const document = JSON.parse(JSON.stringify(fullDocument()));
    expect(AlertStateSchema.safeParse(document).success).toBe(true);
    expect(AlertStateSchema.safeParse(change(document)).success).toBe(false);
  });
});

describe('the monitor log', () => {
  it('keeps a long failure reason short, ending with an ellipsis', () => {
    const state = recordRunFailure(emptyAlertState(), run(0), 'x'.repeat(1000), 1);
    expect(state.monitor.lastError).toHaveLength(300);
    expect(state.monitor.lastError?.endsWith('x…')).toBe(true);
    expect(recordRunFailure(emptyAlertState(), run(0), 'y'.repeat(300), 1).monitor.lastError).toBe(
      'y'.repeat(300),
    );
  });

  it('records each degraded spell when it begins and closes it on the next success, keeping the last 50', () => {
    let state = emptyAlertState();
    for (let spell = 0; spell < 52; spell++) {
      state = recordRunFailure(state, run(spell * 2), `failure ${spell}`, 1);
      // A second failure in the same spell adds no entry.
      state = recordRunFailure(state, minutesAfter(run(spell * 2), 5), `again ${spell}`, 1);
      state = recordRunSuccess(state, run(spell * 2 + 1));
    }
    expect(state.monitorLog).toHaveLength(MONITOR_LOG_LIMIT);
    expect(state.monitorLog?.[0]).toEqual({
      since: run(4).toISOString(),
      until: run(5).toISOString(),
      error: 'failure 2',
    });
    expect(state.monitorLog?.at(-1)).toEqual({
      since: run(102).toISOString(),
      until: run(103).toISOString(),
      error: 'failure 51',
    });
  });

  it('stays degraded when the threshold was raised meanwhile, and says which threshold it refuses', () => {
    const degraded = recordRunFailure(emptyAlertState(), run(0), 'a', 1);
    expect(recordRunFailure(degraded, run(1), 'b', 5).monitor).toMatchObject({
      status: 'degraded',
      since: run(0).toISOString(),
      consecutiveFailures: 2,
    });
    expect(() => recordRunFailure(degraded, run(1), 'b', 0)).toThrow(
      'recordRunFailure: threshold must be an integer ≥ 1, got 0',
    );
  });

  it('keeps when the streak began, and the degraded status, over further failures', () => {
    const first = recordRunFailure(emptyAlertState(), run(0), 'a', 2);
    // A short streak that ends logs nothing (a document without a log stays without one).
    expect(recordRunSuccess(first, run(1)).monitorLog).toBeUndefined();
    expect(first.monitor).toMatchObject({
      status: 'ok',
      firstFailureAt: run(0).toISOString(),
      consecutiveFailures: 1,
    });
    expect(first.monitor.since).toBeUndefined();
    const degraded = recordRunFailure(first, run(1), 'b', 2);
    expect(degraded.monitor).toMatchObject({
      status: 'degraded',
      since: run(1).toISOString(),
      firstFailureAt: run(0).toISOString(),
    });
    const still = recordRunFailure(degraded, run(2), 'c', 2);
    expect(still.monitor).toMatchObject({
      status: 'degraded',
      since: run(1).toISOString(),
      firstFailureAt: run(0).toISOString(),
      lastError: 'c',
    });
    expect(still.monitorLog).toEqual([{ since: run(1).toISOString(), error: 'b' }]);
    const back = recordRunSuccess(still, run(3));
    expect(back.monitor).toEqual({
      status: 'ok',
      since: run(3).toISOString(),
      consecutiveFailures: 0,
      lastFailureAt: run(2).toISOString(),
    });
    expect(back.monitorLog).toEqual([
      { since: run(1).toISOString(), until: run(3).toISOString(), error: 'b' },
    ]);
    expect(recordRunSuccess(back, run(4))).toBe(back);
  });

  it('ends a short streak without touching the log or the time the monitor became ok', () => {
    const healthy = recordRunSuccess(
      recordRunFailure(recordRunFailure(emptyAlertState(), run(0), 'a', 1), run(1), 'b', 1),
      run(2),
    );
    const short = recordRunFailure(healthy, run(3), 'c', 3);
    const ended = recordRunSuccess(short, run(4));
    expect(ended.monitor.since).toBe(run(2).toISOString());
    expect(ended.monitorLog).toEqual(healthy.monitorLog);
  });
});
