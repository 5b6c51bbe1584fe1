import { describe, expect, it } from 'vitest';
import { openEpisode } from '../../../../lambda/domain/alerts/episode';
import type { SlackIncident } from '../../../../lambda/domain/alerts/incident';
import { type AlertState, emptyAlertState } from '../../../../lambda/domain/alerts/state';
import { checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';
import {
  applyIncidentAction,
  INCIDENT_ACTIONS,
  type IncidentActionId,
  incidentActionsBlock,
  incidentStanding,
  tomorrowMorning,
} from '../../../../lambda/domain/slack/incident-actions';

const JAKARTA = 'Asia/Jakarta';
// 2025-11-12 10:00 in Jakarta (UTC+7).
const AT = new Date('2025-11-12T03:00:00Z');
const FIRED = '2025-11-12T02:00:00Z';
const CHANNEL = 'C0ALERTS00';
const HEAD = '1762912800.000100';

const fired = (ruleId: string, peakAt = FIRED) => ({
  ...openEpisode(ruleId, 'threshold', FIRED, null),
  firedAt: FIRED,
  severity: 'warn' as const,
  peak: { severity: 'warn' as const, at: peakAt },
});

const incident = (overrides: Partial<SlackIncident> = {}): SlackIncident => ({
  channel: CHANNEL,
  ts: HEAD,
  openedAt: FIRED,
  members: [
    { id: 'transfer-success', firedAt: FIRED },
    { id: 'volume', firedAt: FIRED },
  ],
  replies: 0,
  supersedes: [],
  ...overrides,
});

const state = (overrides: Partial<AlertState> = {}): AlertState => ({
  ...emptyAlertState(),
  episodes: [fired('transfer-success'), fired('volume')],
  incident: incident(),
  ...overrides,
});

const click = (action: IncidentActionId, at = AT) => ({ action, userId: 'U0AMIRA', at });
const context = { timeZone: JAKARTA };
const open = (s: AlertState) => incidentStanding(s, CHANNEL, HEAD);

describe('incident actions: what a click does to the alert state', () => {
  it('snoozes each rule of the incident for 1 h, recording who clicked, and says so in the thread', () => {
    const before = state();
    const outcome = applyIncidentAction(before, open(before), click(INCIDENT_ACTIONS.snoozeHour), context);
    if (outcome.kind !== 'applied') throw new Error(`not applied: ${outcome.ephemeral}`);
    const snooze = { until: '2025-11-12T04:00:00.000Z', at: '2025-11-12T03:00:00.000Z', by: 'U0AMIRA' };
    expect(outcome.state.snoozes).toEqual({ 'transfer-success': snooze, volume: snooze });
    expect(outcome.state.snoozeLog).toHaveLength(2);
    expect(outcome.thread).toBe(
      '🔕 Snoozed 1 h by <@U0AMIRA> (until 2025-11-12 11:00); resolutions still go out.',
    );
  });

  it('snoozes until 08:00 of the next day on the account clock', () => {
    // 23:30 in Jakarta: tomorrow 08:00 is 8.5 h away, not 32.5 h.
    const late = new Date('2025-11-12T16:30:00Z');
    expect(tomorrowMorning(late, JAKARTA).toISOString()).toBe('2025-11-13T01:00:00.000Z');
    expect(tomorrowMorning(AT, JAKARTA).toISOString()).toBe('2025-11-13T01:00:00.000Z');
    // New York on the night the clocks go back: 08:00 EST is 13:00 UTC.
    expect(tomorrowMorning(new Date('2025-11-01T20:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2025-11-02T13:00:00.000Z',
    );
    const before = state();
    const outcome = applyIncidentAction(
      before,
      open(before),
      click(INCIDENT_ACTIONS.snoozeTomorrow),
      context,
    );
    if (outcome.kind !== 'applied') throw new Error('not applied');
    expect(outcome.state.snoozes?.volume?.until).toBe('2025-11-13T01:00:00.000Z');
    expect(outcome.thread).toContain('🔕 Snoozed until tomorrow 08:00 by <@U0AMIRA>');
  });

  it('unsnoozes only the incident’s own snoozes, and says when a snooze of all still holds', () => {
    const snoozed = applyIncidentAction(state(), open(state()), click(INCIDENT_ACTIONS.snoozeHour), context);
    if (snoozed.kind !== 'applied') throw new Error('not applied');
    const later = new Date(AT.getTime() + 600_000);
    const all = { until: '2025-11-12T09:00:00Z', at: FIRED };
    const withAll = { ...snoozed.state, snoozes: { ...snoozed.state.snoozes, all } };
    const outcome = applyIncidentAction(
      withAll,
      open(withAll),
      click(INCIDENT_ACTIONS.unsnooze, later),
      context,
    );
    if (outcome.kind !== 'applied') throw new Error('not applied');
    expect(outcome.state.snoozes?.volume?.until).toBe(later.toISOString());
    expect(outcome.state.snoozes?.all).toEqual(all);
    expect(outcome.thread).toContain('🔔 Unsnoozed by <@U0AMIRA>');
    expect(outcome.thread).toContain('A snooze of all alerts');
    // Nothing of the incident snoozed: nothing changes, the clicker is told.
    const again = applyIncidentAction(
      outcome.state,
      open(outcome.state),
      click(INCIDENT_ACTIONS.unsnooze, later),
      context,
    );
    expect(again.kind).toBe('unchanged');
  });

  it('acknowledges the incident once; a second click changes nothing and names who did', () => {
    const before = state();
    const outcome = applyIncidentAction(before, open(before), click(INCIDENT_ACTIONS.acknowledge), context);
    if (outcome.kind !== 'applied') throw new Error('not applied');
    expect(outcome.state.incident?.acknowledged).toEqual({ by: 'U0AMIRA', at: AT.toISOString() });
    expect(outcome.thread).toBe(
      '👀 Acknowledged by <@U0AMIRA>: reminders wait until it gets worse or 4 h pass.',
    );
    const second = applyIncidentAction(
      outcome.state,
      open(outcome.state),
      { ...click(INCIDENT_ACTIONS.acknowledge), userId: 'U0OTHER' },
      context,
    );
    expect(second).toEqual({ kind: 'unchanged', ephemeral: '👀 Already acknowledged by <@U0AMIRA>.' });
  });

  it('acknowledges anew once the incident got worse since the last acknowledgement', () => {
    const acknowledged = state({ incident: incident({ acknowledged: { by: 'U0FIRST', at: FIRED } }) });
    const worse = {
      ...acknowledged,
      episodes: [fired('transfer-success', '2025-11-12T02:30:00Z'), fired('volume')],
    };
    const outcome = applyIncidentAction(worse, open(worse), click(INCIDENT_ACTIONS.acknowledge), context);
    expect(outcome.kind).toBe('applied');
  });

  it.each([
    [
      'resolved',
      { incident: undefined, incidents: [incident({ closedAt: '2025-11-12T02:45:00Z' })] },
      /already resolved at 2025-11-12 09:45/,
    ],
    [
      'superseded',
      { incident: incident({ ts: '1762913000.000200', supersedes: [{ channel: CHANNEL, ts: HEAD }] }) },
      /superseded/,
    ],
    ['unknown', { incident: undefined }, /no open incident for this message/],
  ])('a click on a %s incident changes nothing and says so', (_, overrides, text) => {
    const before = state(overrides as Partial<AlertState>);
    for (const action of Object.values(INCIDENT_ACTIONS)) {
      const outcome = applyIncidentAction(before, open(before), click(action), context);
      expect(outcome.kind).toBe('unchanged');
      if (outcome.kind === 'unchanged') expect(outcome.ephemeral).toMatch(text);
    }
  });
});

describe('incidentActionsBlock: the head message’s buttons', () => {
  it('offers Acknowledge and both snoozes on a fresh incident, within Block Kit limits', () => {
    const s = state();
    const block = incidentActionsBlock(s, incident(), AT);
    expect(block.elements.map((button) => button.action_id)).toEqual([
      INCIDENT_ACTIONS.acknowledge,
      INCIDENT_ACTIONS.snoozeHour,
      INCIDENT_ACTIONS.snoozeTomorrow,
    ]);
    expect(checkBlockKitLimits({ text: 'x', blocks: [block] })).toEqual([]);
  });

  it('offers Unsnooze instead of the snoozes while snoozed, and no Acknowledge once acknowledged', () => {
    const s = state();
    const snoozed = applyIncidentAction(s, open(s), click(INCIDENT_ACTIONS.snoozeHour), context);
    if (snoozed.kind !== 'applied') throw new Error('not applied');
    const acknowledged = applyIncidentAction(
      snoozed.state,
      open(snoozed.state),
      click(INCIDENT_ACTIONS.acknowledge),
      context,
    );
    if (acknowledged.kind !== 'applied') throw new Error('not applied');
    const now = acknowledged.state;
    expect(
      incidentActionsBlock(now, now.incident ?? incident(), AT).elements.map((b) => b.action_id),
    ).toEqual([INCIDENT_ACTIONS.unsnooze]);
  });
});
