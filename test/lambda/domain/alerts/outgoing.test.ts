import { describe, expect, it } from 'vitest';
import { claim } from '../../../../lambda/domain/alerts/claims';
import { openEpisode } from '../../../../lambda/domain/alerts/episode';
import type { Notification } from '../../../../lambda/domain/alerts/notify';
import { outgoing } from '../../../../lambda/domain/alerts/outgoing';
import { type AlertState, emptyAlertState } from '../../../../lambda/domain/alerts/state';
import { CLAIM_TTL_MS, newClaim } from '../../../../lambda/domain/slack/claim';
import { firingRuleState, JAKARTA, rule } from './alert-test-helpers';

// 2025-11-11 23:00 in Jakarta (UTC+7).
const NIGHT = new Date('2025-11-11T16:00:00Z');
// 2025-11-12 10:00 in Jakarta.
const DAY = new Date('2025-11-12T03:00:00Z');

const ruleState = firingRuleState('warn');
const note = (kind: string, ruleId = 'transfer-success') =>
  ({ kind, key: `${ruleId}:${kind}`, ruleId }) as Notification;
const monitor = (kind: 'monitor-degraded' | 'monitor-recovered') => ({ kind, key: kind }) as Notification;
const quiet = rule({ id: 'transfer-success', mute: [{ from: '22:00', to: '06:00' }] });
const loud = rule({ id: 'volume' });
const rules = [quiet, loud];
const base = (): AlertState => ({
  ...emptyAlertState(),
  rules: { 'transfer-success': ruleState, volume: ruleState },
});
const snoozed = (target: string, until = '2025-11-12T05:00:00Z'): AlertState => ({
  ...base(),
  snoozes: { [target]: { at: '2025-11-12T01:00:00Z', until, reason: 'carrier maintenance' } },
});

describe('outgoing: what is sent now, what is held and why', () => {
  it('sends everything owed when no stage holds it, in the order owed', () => {
    const owed = [note('fired', 'volume'), note('resolved'), monitor('monitor-degraded')];
    expect(outgoing(base(), owed, DAY, { rules, timeZone: JAKARTA })).toEqual({ send: owed, held: [] });
  });

  it('holds everything of a rule whose mute period is open on the local clock, its resolution too, and names the period', () => {
    const owed = [note('fired'), note('resolved'), note('fired', 'volume'), monitor('monitor-degraded')];
    const result = outgoing(base(), owed, NIGHT, { rules, timeZone: JAKARTA });
    expect(result.send).toEqual([note('fired', 'volume'), monitor('monitor-degraded')]);
    expect(result.held).toEqual([
      { notification: note('fired'), reason: { stage: 'muted', period: quiet.mute[0] } },
      { notification: note('resolved'), reason: { stage: 'muted', period: quiet.mute[0] } },
    ]);
    // By day the window is shut: the same notifications go out.
    expect(outgoing(base(), owed, DAY, { rules, timeZone: JAKARTA }).held).toEqual([]);
  });

  it('holds a snoozed rule but never its resolution, and names the snooze', () => {
    const state = snoozed('transfer-success');
    const owed = [note('fired'), note('repeat'), note('resolved'), note('fired', 'volume')];
    const result = outgoing(state, owed, DAY, { rules, timeZone: JAKARTA });
    expect(result.send).toEqual([note('resolved'), note('fired', 'volume')]);
    expect(result.held.map((held) => [held.notification.kind, held.reason])).toEqual([
      [
        'fired',
        { stage: 'snoozed', target: 'transfer-success', snooze: state.snoozes?.['transfer-success'] },
      ],
      [
        'repeat',
        { stage: 'snoozed', target: 'transfer-success', snooze: state.snoozes?.['transfer-success'] },
      ],
    ]);
  });

  it("lets 'all' hold every rule and the monitor's degradation, not its recovery, and ends with the snooze", () => {
    const state = snoozed('all');
    const owed = [note('fired', 'volume'), monitor('monitor-degraded'), monitor('monitor-recovered')];
    const during = outgoing(state, owed, DAY, { rules, timeZone: JAKARTA });
    expect(during.send).toEqual([monitor('monitor-recovered')]);
    expect(during.held.map((held) => held.reason)).toEqual([
      { stage: 'snoozed', target: 'all', snooze: state.snoozes?.all },
      { stage: 'snoozed', target: 'all', snooze: state.snoozes?.all },
    ]);
    const after = outgoing(state, owed, new Date('2025-11-12T05:00:00Z'), { rules, timeZone: JAKARTA });
    expect(after.send).toEqual(owed);
  });

  it('names the mute, the first stage, when a muted rule is snoozed as well', () => {
    const result = outgoing(snoozed('transfer-success', '2025-11-12T20:00:00Z'), [note('fired')], NIGHT, {
      rules,
      timeZone: JAKARTA,
    });
    expect(result.held.map((held) => held.reason.stage)).toEqual(['muted']);
  });

  it("holds the reminders of an acknowledged incident's alerts, not its news, for 4 reminder cadences", () => {
    const firedAt = '2025-11-12T01:00:00Z';
    const acknowledged = { by: 'U123', at: '2025-11-12T02:00:00Z' };
    const episode = {
      ...openEpisode('volume', 'threshold', firedAt, null),
      firedAt,
      severity: 'warn' as const,
      peak: { severity: 'warn' as const, at: firedAt },
    };
    const incident = {
      channel: 'C0123456789',
      ts: '1762909200.000100',
      openedAt: firedAt,
      members: [{ id: 'volume', firedAt }],
      replies: 0,
      supersedes: [],
      acknowledged,
    };
    const state: AlertState = { ...base(), episodes: [episode], incident };
    const withFiredAt = (n: Notification) => ({ ...n, firedAt }) as Notification;
    const owed = [note('repeat', 'volume'), note('escalated', 'volume'), note('repeat')].map(withFiredAt);
    const result = outgoing(state, owed, DAY, { rules, timeZone: JAKARTA });
    // Only the member's reminder: its escalation is news, and transfer-success is not in the incident.
    expect(result.send).toEqual([owed[1], owed[2]]);
    expect(result.held).toEqual([
      { notification: owed[0], reason: { stage: 'acknowledged', acknowledgement: acknowledged } },
    ]);
    // Hourly reminders: the acknowledgement at 02:00 holds until 06:00 (4 cadences), not after.
    const hourly = { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 };
    const context = { rules, timeZone: JAKARTA, reminders: hourly };
    expect(outgoing(state, owed, new Date('2025-11-12T05:59:00Z'), context).held).toHaveLength(1);
    expect(outgoing(state, owed, new Date('2025-11-12T06:00:00Z'), context).held).toEqual([]);
    // Half-hourly reminders: 2 h.
    const halfHourly = { ...context, reminders: { ...hourly, everyMinutes: 30 } };
    expect(outgoing(state, owed, new Date('2025-11-12T04:00:00Z'), halfHourly).held).toEqual([]);
    // An escalation after the acknowledgement ends it.
    const crit = { severity: 'crit' as const, at: '2025-11-12T02:30:00Z' };
    const escalated = { ...episode, severity: 'crit' as const, peak: crit };
    expect(outgoing({ ...state, episodes: [escalated] }, owed, DAY, context).held).toEqual([]);
    // A closed incident holds nothing.
    const closed = { ...incident, closedAt: '2025-11-12T02:45:00Z' };
    expect(outgoing({ ...state, incident: closed }, owed, DAY, context).held).toEqual([]);
  });

  it("holds what another run's live claim covers, not this run's own, and not once the claim has ended", () => {
    const stamp = newClaim('other', DAY, undefined);
    const state = claim(base(), [note('fired', 'volume'), monitor('monitor-degraded')], stamp);
    const owed = [note('fired', 'volume'), monitor('monitor-degraded'), note('fired')];
    const claims = (runId: string, now: Date) => ({ rules, timeZone: JAKARTA, claims: { runId, now } });
    const mine = outgoing(state, owed, DAY, claims('mine', DAY));
    expect(mine.send).toEqual([note('fired')]);
    expect(mine.held.map((held) => held.reason)).toEqual([
      { stage: 'claimed', claim: stamp },
      { stage: 'claimed', claim: stamp },
    ]);
    expect(outgoing(state, owed, DAY, claims('other', DAY)).send).toEqual(owed);
    const ended = new Date(DAY.getTime() + CLAIM_TTL_MS);
    expect(outgoing(state, owed, DAY, claims('mine', ended)).send).toEqual(owed);
    // Without a run to judge claims for (replay), no claim holds anything.
    expect(outgoing(state, owed, DAY, { rules, timeZone: JAKARTA }).send).toEqual(owed);
  });

  it('sends what is owed for a rule the state no longer holds: no claim can cover it', () => {
    const owed = [note('resolved', 'removed-rule')];
    const result = outgoing(base(), owed, DAY, {
      rules,
      timeZone: JAKARTA,
      claims: { runId: 'mine', now: DAY },
    });
    expect(result).toEqual({ send: owed, held: [] });
  });
});
