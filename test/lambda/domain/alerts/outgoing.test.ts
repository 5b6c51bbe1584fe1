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

describe('outgoing, webhook mode: what is no push of its own waits for the group next message (#24 Build 9)', () => {
  const told = {
    status: 'firing',
    severity: 'crit',
    condition: 'threshold',
    firedAt: '2025-11-11T02:00:00Z',
    at: '2025-11-11T02:00:00Z',
  } as const;
  // transfer-success was announced and still fires; volume has just started firing. The group last
  // posted (a reminder) at `lastPost`, 30 minutes before DAY unless said otherwise.
  const group = (extra: Partial<AlertState> = {}, lastPost = '2025-11-12T02:30:00.000Z'): AlertState => ({
    ...emptyAlertState(),
    rules: { 'transfer-success': { ...ruleState, notified: told }, volume: firingRuleState('warn') },
    episodes: [
      {
        ...openEpisode('transfer-success', 'threshold', told.firedAt, null),
        firedAt: told.firedAt,
        notified: [
          { kind: 'fired', key: 'transfer-success:fired', at: told.at, severity: 'crit', value: 0.5 },
          { kind: 'repeat', key: 'transfer-success:repeat', at: lastPost, severity: 'crit', value: 0.5 },
        ],
      },
    ],
    ...extra,
  });
  const warnFired = { ...note('fired', 'volume'), severity: 'warn' } as Notification;
  const critFired = { ...note('fired', 'volume'), severity: 'crit' } as Notification;
  const eased = note('de-escalated');
  const context = { rules, timeZone: JAKARTA };

  it('holds an easing and a WARN alert joining the firing group when nothing else goes, naming the stage', () => {
    const result = outgoing(group(), [eased, warnFired], DAY, context);
    expect(result.send).toEqual([]);
    expect(result.held).toEqual([
      { notification: eased, reason: { stage: 'waiting' } },
      { notification: warnFired, reason: { stage: 'waiting' } },
    ]);
  });

  it('lets them ride on the group reminder, and pushes a CRIT alert joining a group Slack was told is WARN', () => {
    expect(outgoing(group(), [warnFired, note('repeat')], DAY, context).send).toEqual([
      warnFired,
      note('repeat'),
    ]);
    const warnGroup = group({
      rules: {
        'transfer-success': { ...ruleState, notified: { ...told, severity: 'warn' } },
        volume: firingRuleState('crit'),
      },
    });
    expect(outgoing(warnGroup, [critFired], DAY, context).send).toEqual([critFired]);
    expect(
      outgoing(
        warnGroup,
        [{ ...note('escalated', 'volume'), severity: 'crit' } as Notification],
        DAY,
        context,
      ).send,
    ).toHaveLength(1);
  });

  it('holds a CRIT alert joining, or an alert escalating in, a group that already pushed CRIT: the incident is no worse', () => {
    const escalated = { ...note('escalated', 'volume'), severity: 'crit' } as Notification;
    expect(outgoing(group(), [critFired], DAY, context)).toEqual({
      send: [],
      held: [{ notification: critFired, reason: { stage: 'waiting' } }],
    });
    expect(outgoing(group(), [escalated], DAY, context).send).toEqual([]);
    expect(outgoing(group(), [critFired, note('repeat')], DAY, context).send).toEqual([
      critFired,
      note('repeat'),
    ]);
  });

  it('sends a WARN join at once when the group has no voice to carry it (its announced alert is snoozed)', () => {
    const state = group({
      snoozes: { 'transfer-success': { at: DAY.toISOString(), until: '2025-11-12T05:00:00Z' } },
    });
    expect(outgoing(state, [warnFired], DAY, context)).toEqual({ send: [warnFired], held: [] });
  });

  it("sends what waits once the group has been silent one reminder interval, the easing with it, as the group's next message", () => {
    // The reminder cadence backed off to hours, or the voice too quiet to be judged: the group last
    // posted 55 minutes before DAY (within the hourly interval), then 61.
    const reminders = { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 };
    const withPolicy = { ...context, reminders };
    const resolved = note('resolved', 'volume');
    expect(outgoing(group({}, '2025-11-12T02:05:00.000Z'), [eased, resolved], DAY, withPolicy).send).toEqual(
      [],
    );
    expect(outgoing(group({}, '2025-11-12T01:59:00.000Z'), [eased, resolved], DAY, withPolicy)).toEqual({
      send: [eased, resolved],
      held: [],
    });
    expect(outgoing(group({}, '2025-11-12T01:59:00.000Z'), [warnFired], DAY, withPolicy).send).toEqual([
      warnFired,
    ]);
  });

  it("keeps an easing alone waiting for its own alert's next message, however long the group was silent", () => {
    const reminders = { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 };
    const result = outgoing(group({}, '2025-11-11T20:00:00.000Z'), [eased], DAY, { ...context, reminders });
    expect(result).toEqual({ send: [], held: [{ notification: eased, reason: { stage: 'waiting' } }] });
  });

  it('holds nothing in app mode: every change is said at once', () => {
    expect(outgoing(group(), [eased, warnFired], DAY, { ...context, delivery: 'app' }).send).toEqual([
      eased,
      warnFired,
    ]);
  });
});
