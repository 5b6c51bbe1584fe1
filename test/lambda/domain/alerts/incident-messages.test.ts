import { describe, expect, it } from 'vitest';
import type { SlackIncident } from '../../../../lambda/domain/alerts/incident';
import { buildIncidentHead } from '../../../../lambda/domain/alerts/incident-messages';
import { setSnooze } from '../../../../lambda/domain/alerts/snooze';
import { type AlertState, emptyAlertState } from '../../../../lambda/domain/alerts/state';
import {
  applyIncidentAction,
  INCIDENT_ACTIONS,
  incidentStanding,
  withIncidentControls,
} from '../../../../lambda/domain/slack/incident-actions';
import type { SlackMessage } from '../../../../lambda/domain/slack/slack-message';
import { expectWithinBlockKitLimits, firingRuleState, rule } from './alert-test-helpers';

const ZONE = 'Asia/Jakarta';
const FIRED = '2025-11-11T02:00:00Z';
const AT = new Date('2025-11-11T03:00:00Z');
const HEAD = { channel: 'C0ALERTS00', ts: '1762826400.000100' };
const RULES = [rule()];

const incident: SlackIncident = {
  ...HEAD,
  openedAt: FIRED,
  members: [{ id: 'transfer-success', firedAt: FIRED }],
  replies: 0,
  supersedes: [],
};
const firing = (): AlertState => ({
  ...emptyAlertState(),
  rules: { 'transfer-success': firingRuleState() },
  incident,
});
const head = (state: AlertState, at = AT) =>
  buildIncidentHead(state, state.incident ?? incident, { at, timeZone: ZONE, rules: RULES });

/** Every text of the message's blocks, as Slack shows them. */
const texts = (message: SlackMessage): string[] =>
  message.blocks.flatMap((block) => {
    if (block.type === 'context') return block.elements.map((element) => element.text);
    if (block.type === 'section') return [block.text?.text ?? ''];
    return [];
  });
const occurrences = (message: SlackMessage, needle: string) =>
  texts(message).join('\n').split(needle).length - 1;

describe('the head of an open incident says who snoozed or acknowledged it once', () => {
  it('a check renders the snooze in the status line only, not again in the footer', () => {
    const state = setSnooze(firing(), 'transfer-success', {
      until: '2025-11-11T04:00:00.000Z',
      at: AT.toISOString(),
      by: 'U0AMIRA',
    });
    const message = head(state);
    expect(occurrences(message, '🔕 Snoozed until')).toBe(1);
    expect(texts(message)).toContain('🔕 Snoozed until 2025-11-11 11:00 by <@U0AMIRA>');
    expectWithinBlockKitLimits(message);
  });

  it('a click on a head a check rendered leaves one status line, with what the click changed', () => {
    // A check rendered the head while a snooze of the CLI held; then Acknowledge is clicked.
    const snoozed = setSnooze(firing(), 'transfer-success', {
      until: '2025-11-11T04:00:00.000Z',
      at: AT.toISOString(),
      by: 'amira (CLI)',
    });
    const rendered = head(snoozed);
    const click = applyIncidentAction(
      snoozed,
      incidentStanding(snoozed, HEAD.channel, HEAD.ts),
      { action: INCIDENT_ACTIONS.acknowledge, userId: 'U0BAYU', at: AT },
      { timeZone: ZONE },
    );
    if (click.kind !== 'applied') throw new Error(click.ephemeral);
    const edited = withIncidentControls(rendered, click.state, HEAD, AT, { timeZone: ZONE });
    expect(occurrences(edited, '🔕 Snoozed until')).toBe(1);
    expect(occurrences(edited, '👀 Acknowledged by')).toBe(1);
    expect(texts(edited)).toContain(
      '👀 Acknowledged by <@U0BAYU> at 10:00 · 🔕 Snoozed until 2025-11-11 11:00 by amira (CLI)',
    );
    // The next check renders the same truth the click's edit showed.
    expect(head(click.state).blocks.slice(-2)).toEqual(edited.blocks.slice(-2));
  });

  it('an Unsnooze click leaves no stale "Snoozed" anywhere on the head', () => {
    const snoozed = setSnooze(firing(), 'transfer-success', {
      until: '2025-11-11T04:00:00.000Z',
      at: AT.toISOString(),
      by: 'U0AMIRA',
    });
    const click = applyIncidentAction(
      snoozed,
      incidentStanding(snoozed, HEAD.channel, HEAD.ts),
      { action: INCIDENT_ACTIONS.unsnooze, userId: 'U0AMIRA', at: AT },
      { timeZone: ZONE },
    );
    if (click.kind !== 'applied') throw new Error(click.ephemeral);
    const edited = withIncidentControls(head(snoozed), click.state, HEAD, AT, { timeZone: ZONE });
    expect(occurrences(edited, 'Snoozed')).toBe(0);
  });
});
