import { describe, expect, it } from 'vitest';
import type { RuleNotification } from '../../../lambda/domain/alerts/notify';
import { emptyAlertState } from '../../../lambda/domain/alerts/state';
import { firedAlertsOn } from '../../../lambda/use-cases/fired-alerts';
import {
  EXAMPLE_AT,
  JAKARTA,
  minutesAfter,
  rates,
  rule,
  simulate,
} from '../domain/alerts/alert-test-helpers';

// Runs every 15 minutes from 14:30 Jakarta (07:30 UTC) on 2025-11-12.
const run = (index: number) => minutesAfter(EXAMPLE_AT, index * 15).toISOString();
const transfer = rule({ pendingRuns: 2, recoveryRuns: 2 });

describe('firedAlertsOn: the digest reads the episode record', () => {
  it('gives the worst value any check judged, not the worst of the transitions (24% measured, 35% at a transition)', () => {
    // Prepare: pending 50%, fires WARN 50%, escalates CRIT at 35%, measures 24% and 30% without a
    // transition, then two healthy runs resolve it.
    const { state } = simulate([transfer], rates(0.5, 0.5, 0.35, 0.24, 0.3, 0.7, 0.7));
    // Act
    const [alert] = firedAlertsOn(state, [transfer], '2025-11-12', JAKARTA);
    // Assess
    expect(alert?.worst).toEqual({ value: 0.24, unit: 'rate' });
  });

  it('counts a pending run of the episode: it began at the first breaching run', () => {
    const { state } = simulate([transfer], rates(0.3, 0.5, 0.5, 0.7, 0.7));
    expect(firedAlertsOn(state, [transfer], '2025-11-12', JAKARTA)[0]?.worst?.value).toBe(0.3);
  });

  it('times an alert as the messages do: first breaching run to first healthy run, peak severity', () => {
    // Breaching from run 0 (fires at run 1), healthy from run 5 (resolved at run 6).
    const { state, runs } = simulate([transfer], rates(0.5, 0.5, 0.35, 0.5, 0.5, 0.7, 0.7));
    const resolution = runs[6]?.notifications.find((n) => n.kind === 'resolved') as RuleNotification;
    const [alert] = firedAlertsOn(state, [transfer], '2025-11-12', JAKARTA);
    expect(alert).toEqual({
      ruleId: 'transfer-success',
      title: 'Transfer success rate',
      severity: 'crit',
      at: run(0),
      resolvedAt: run(5),
      worst: { value: 0.35, unit: 'rate' },
    });
    // The resolution message shows the same span.
    expect([resolution?.breachedAt, resolution?.endedAt]).toEqual([alert?.at, alert?.resolvedAt]);
  });

  it('leaves a firing episode open, and lists it on every local date it touched, in the account zone', () => {
    // 22:30 Jakarta on the 12th (15:30 UTC): breaching from then on, past midnight.
    const start = new Date('2025-11-12T15:30:00Z');
    const { state } = simulate([transfer], rates(0.5, 0.5, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45), {
      start,
    });
    const on12 = firedAlertsOn(state, [transfer], '2025-11-12', JAKARTA);
    const on13 = firedAlertsOn(state, [transfer], '2025-11-13', JAKARTA);
    expect(on12).toEqual([
      {
        ruleId: 'transfer-success',
        title: 'Transfer success rate',
        severity: 'warn',
        at: start.toISOString(),
        worst: { value: 0.45, unit: 'rate' },
      },
    ]);
    expect(on13).toEqual(on12);
    expect(firedAlertsOn(state, [transfer], '2025-11-11', JAKARTA)).toEqual([]);
    expect(firedAlertsOn(state, [transfer], '2025-11-14', JAKARTA)).toEqual(on12);
  });

  it('does not list an episode that ended exactly at midnight on the next day', () => {
    // Breaching 23:15–23:30 Jakarta, healthy from 00:00: ended at midnight.
    const start = new Date('2025-11-12T16:15:00Z');
    const { state } = simulate([transfer], rates(0.5, 0.5, 0.7, 0.7), { start, everyMinutes: 15 });
    expect(firedAlertsOn(state, [transfer], '2025-11-12', JAKARTA)).toHaveLength(1);
    expect(firedAlertsOn(state, [transfer], '2025-11-13', JAKARTA)).toEqual([]);
  });

  it('leaves out an episode that never fired, and names a rule no longer in the rules file by its id', () => {
    const { state } = simulate([transfer, rule({ id: 'gone', pendingRuns: 5 })], rates(0.5, 0.5, 0.7, 0.7));
    const alerts = firedAlertsOn(state, [], '2025-11-12', JAKARTA);
    expect(alerts.map((alert) => [alert.ruleId, alert.title, alert.worst])).toEqual([
      ['transfer-success', 'transfer-success', undefined],
    ]);
  });

  it('lists nothing from a state without episodes (a document from before the record)', () => {
    expect(firedAlertsOn(emptyAlertState(), [transfer], '2025-11-12', JAKARTA)).toEqual([]);
  });
});
