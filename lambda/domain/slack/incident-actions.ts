import { acknowledgeIncident, acknowledgementOf, acknowledgementSpanMs } from '../alerts/acknowledgement';
import { findIncident, MONITOR_MEMBER, type SlackIncident } from '../alerts/incident';
import type { RepeatPolicy } from '../alerts/rules';
import { activeSnooze, endSnooze, localMinute, SNOOZE_ALL, setSnooze } from '../alerts/snooze';
import type { AlertState } from '../alerts/state';
import { addDays, fromWallClock, toWallClock } from '../shared/local-time';
import { escapeMrkdwn } from './mrkdwn';
import type { ActionsBlock, Block, ButtonElement, ContextBlock, SlackMessage } from './slack-message';

/**
 * The buttons on an incident's head message (Slack app mode) and what a click does to the alert
 * state. Pure: the interactions function verifies the request, applies `applyIncidentAction` inside
 * the alert state's compare-and-swap (the same update the CLI's snooze uses), then edits the head
 * and says in its thread who did what.
 *
 * - Acknowledge: the incident is acknowledged (alerts/acknowledgement.ts): its reminders wait until
 *   it gets worse or 4 reminder cadences pass.
 * - Snooze 1 h / Snooze until tomorrow 08:00 (the account's zone): each rule of the incident is
 *   snoozed (domain/snooze.ts), with who clicked; resolutions still go out. The monitor's own
 *   health is not a rule: snoozing it would take a snooze of `all`, which stays the CLI's.
 * - Unsnooze: ends those rules' own snoozes now (a CLI snooze of `all` is not the incident's to end).
 */

export const INCIDENT_ACTIONS = {
  acknowledge: 'incident.acknowledge',
  snoozeHour: 'incident.snooze-1h',
  snoozeTomorrow: 'incident.snooze-tomorrow',
  unsnooze: 'incident.unsnooze',
} as const;
export type IncidentActionId = (typeof INCIDENT_ACTIONS)[keyof typeof INCIDENT_ACTIONS];

export const isIncidentActionId = (id: string): id is IncidentActionId =>
  Object.values(INCIDENT_ACTIONS).some((known) => known === id);

/** The block_id of the actions block: the interactions function reads clicks only from it. */
export const INCIDENT_ACTIONS_BLOCK_ID = 'incident-actions';
/** The block_id of the line saying who acknowledged or snoozed the incident. */
export const INCIDENT_STATUS_BLOCK_ID = 'incident-status';

/** "Snooze until tomorrow" ends at this hour of the account's wall clock. */
export const TOMORROW_HOUR = 8;
const HOUR_MS = 3_600_000;

/** Where the incident a click names stands in the alert state. */
export type IncidentStanding =
  /** The incident the head message shows is open: these rules are its alerts. */
  | { readonly status: 'open'; readonly ruleIds: readonly string[] }
  /** It is over (at `resolvedAt`, when known). */
  | { readonly status: 'resolved'; readonly resolvedAt?: string }
  /** Another head message now stands for it (a fresh head after this one was lost). */
  | { readonly status: 'superseded' }
  /** No incident the state remembers (older than its retention, or another monitor's message). */
  | { readonly status: 'unknown' };

/** The rules of an incident (its members, without the monitor's own health). */
export const incidentRules = (incident: Pick<SlackIncident, 'members'>): string[] =>
  incident.members.map((member) => member.id).filter((id) => id !== MONITOR_MEMBER);

/** Where the incident whose head is message `ts` in `channel` stands in `state`. */
export function incidentStanding(state: AlertState, channel: string, ts: string): IncidentStanding {
  const found = findIncident(state, channel, ts);
  switch (found.status) {
    case 'open':
      return { status: 'open', ruleIds: incidentRules(found.incident) };
    case 'closed':
      return {
        status: 'resolved',
        ...(found.incident.closedAt === undefined ? {} : { resolvedAt: found.incident.closedAt }),
      };
    case 'superseded':
      return found.incident.closedAt === undefined
        ? { status: 'superseded' }
        : { status: 'resolved', resolvedAt: found.incident.closedAt };
    case 'unknown':
      return { status: 'unknown' };
  }
}

const button = (text: string, action: IncidentActionId, value: string, primary = false): ButtonElement => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id: action,
  value,
  ...(primary ? { style: 'primary' as const } : {}),
});

/**
 * The head message's buttons for the open `incident` at `at`: Acknowledge until it is acknowledged,
 * the two snoozes while none of its rules is snoozed, Unsnooze while one is. The buttons' value is
 * the incident's `openedAt` (for the record; a click is matched by its message, channel and ts).
 */
export function incidentActionsBlock(
  state: AlertState,
  incident: Pick<SlackIncident, 'members' | 'acknowledged'> &
    Partial<Pick<SlackIncident, 'openedAt' | 'closedAt'>>,
  at: Date,
  policy?: RepeatPolicy,
): ActionsBlock {
  const value = incident.openedAt ?? 'incident';
  const acknowledged = acknowledgementOf(state, incident, at, policy) !== undefined;
  const snoozed = incidentRules(incident).some((ruleId) => ownSnooze(state, ruleId, at) !== undefined);
  const elements: ButtonElement[] = [];
  if (!acknowledged) elements.push(button('👀 Acknowledge', INCIDENT_ACTIONS.acknowledge, value, true));
  if (snoozed) elements.push(button('🔔 Unsnooze', INCIDENT_ACTIONS.unsnooze, value));
  else {
    elements.push(button('🔕 Snooze 1 h', INCIDENT_ACTIONS.snoozeHour, value));
    elements.push(button('🌙 Snooze until tomorrow 08:00', INCIDENT_ACTIONS.snoozeTomorrow, value));
  }
  return { type: 'actions', block_id: INCIDENT_ACTIONS_BLOCK_ID, elements };
}

/** The incident as the head's controls need it: its members and acknowledgement (open: no closedAt). */
type IncidentView = Pick<SlackIncident, 'members' | 'acknowledged'> &
  Partial<Pick<SlackIncident, 'openedAt' | 'closedAt'>>;

/** A Slack user id is mentioned; an operator named on the command line ("amira (CLI)") is shown as typed. */
export const whoText = (by: string): string => (/^[UW][A-Z0-9]+$/.test(by) ? mention(by) : escapeMrkdwn(by));

/**
 * Who acknowledged or snoozed the open `incident`, as one context line ("👀 Acknowledged by @amira
 * at 10:05 · 🔕 Snoozed until 11:00 by @amira"); undefined when neither. The one place the head
 * says it: a check's render and a click's edit both end the head with it (`incidentControls`).
 */
export function incidentStatusBlock(
  state: AlertState,
  incident: IncidentView,
  at: Date,
  options: { readonly timeZone: string; readonly reminders?: RepeatPolicy },
): ContextBlock | undefined {
  const parts: string[] = [];
  const acknowledged = acknowledgementOf(state, incident, at, options.reminders);
  if (acknowledged) {
    parts.push(
      `👀 Acknowledged by ${whoText(acknowledged.by)} at ${localMinute(acknowledged.at, options.timeZone).slice(11)}`,
    );
  }
  // A rule's own snooze or a snooze of all (the monitor's health only by the latter).
  const targets = incident.members.map((member) => (member.id === MONITOR_MEMBER ? SNOOZE_ALL : member.id));
  const snoozes = targets
    .map((target) => activeSnooze(state, target, at))
    .filter((snooze) => snooze !== undefined)
    .sort((a, b) => Date.parse(b.until) - Date.parse(a.until));
  const longest = snoozes[0];
  if (longest) {
    const by = longest.by ? ` by ${whoText(longest.by)}` : '';
    parts.push(`🔕 Snoozed until ${escapeMrkdwn(localMinute(longest.until, options.timeZone))}${by}`);
  }
  if (parts.length === 0) return undefined;
  return {
    type: 'context',
    block_id: INCIDENT_STATUS_BLOCK_ID,
    elements: [{ type: 'mrkdwn', text: parts.join(' · ') }],
  };
}

/**
 * The blocks the head of an open incident ends with: who acknowledged or snoozed it (if anyone),
 * then its buttons. The checks' head rendering and a click's edit both end the head with these.
 */
export function incidentControls(
  state: AlertState,
  incident: IncidentView,
  at: Date,
  options: { readonly timeZone: string; readonly reminders?: RepeatPolicy },
): Block[] {
  const status = incidentStatusBlock(state, incident, at, options);
  return [...(status ? [status] : []), incidentActionsBlock(state, incident, at, options.reminders)];
}

/**
 * The head as Slack shows it (`current`, from the click's payload), with its controls replaced by
 * those of `state`: what the click changed is shown at once, the rest stays as the last check
 * rendered it (still true: a click changes no figure). Without an open incident, the controls go.
 */
export function withIncidentControls(
  current: SlackMessage,
  state: AlertState,
  head: { readonly channel: string; readonly ts: string },
  at: Date,
  options: { readonly timeZone: string; readonly reminders?: RepeatPolicy },
): SlackMessage {
  const kept = current.blocks.filter(
    (block) => block.block_id !== INCIDENT_ACTIONS_BLOCK_ID && block.block_id !== INCIDENT_STATUS_BLOCK_ID,
  );
  const found = findIncident(state, head.channel, head.ts);
  const controls = found.status === 'open' ? incidentControls(state, found.incident, at, options) : [];
  return { text: current.text, blocks: [...kept, ...controls] };
}

/** The rule's own snooze running at `at` (not `all`'s). */
const ownSnooze = (state: AlertState, ruleId: string, at: Date) => {
  const snooze = state.snoozes?.[ruleId];
  return snooze !== undefined && Date.parse(snooze.until) > at.getTime() ? snooze : undefined;
};

/** 08:00 of the account's next calendar day, after `at`. */
export function tomorrowMorning(at: Date, timeZone: string): Date {
  const today = toWallClock(at, timeZone);
  return fromWallClock({ ...addDays(today, 1), hour: TOMORROW_HOUR, minute: 0, second: 0 }, timeZone);
}

export interface IncidentClick {
  readonly action: IncidentActionId;
  /** The Slack user id who clicked. */
  readonly userId: string;
  readonly at: Date;
}

export interface ActionContext {
  readonly timeZone: string;
  readonly reminders?: RepeatPolicy;
}

/** What a click did: the new state and what the thread says, or why nothing changed (said to the clicker only). */
export type ActionOutcome =
  | {
      readonly kind: 'applied';
      readonly state: AlertState;
      readonly thread: string;
      readonly ruleIds: string[];
    }
  | { readonly kind: 'unchanged'; readonly ephemeral: string };

const mention = (userId: string) => `<@${userId}>`;

/** "4 h", "2 h": how long an acknowledgement holds, for the thread. */
const spanText = (policy?: RepeatPolicy) => {
  const minutes = acknowledgementSpanMs(policy) / 60_000;
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
};

/**
 * Applies `click` to the incident standing as `standing` in `state`. Pure, so it can run inside
 * the compare-and-swap (re-applied to a newer state after a conflict).
 */
export function applyIncidentAction(
  state: AlertState,
  standing: IncidentStanding,
  click: IncidentClick,
  context: ActionContext,
): ActionOutcome {
  if (standing.status === 'resolved') {
    const when = standing.resolvedAt ? ` at ${localMinute(standing.resolvedAt, context.timeZone)}` : '';
    return { kind: 'unchanged', ephemeral: `✅ This incident is already resolved${when}; nothing to do.` };
  }
  if (standing.status === 'superseded') {
    return {
      kind: 'unchanged',
      ephemeral: '↪️ This message is superseded: use the buttons on the incident’s current message.',
    };
  }
  if (standing.status === 'unknown') {
    return {
      kind: 'unchanged',
      ephemeral:
        '🤷 This monitor has no open incident for this message (it may be long over); nothing changed.',
    };
  }
  const { at, userId } = click;
  const ruleIds = [...standing.ruleIds];
  const who = mention(userId);
  if (ruleIds.length === 0 && click.action !== INCIDENT_ACTIONS.acknowledge) {
    return {
      kind: 'unchanged',
      ephemeral:
        '🔕 Only the monitor’s own health is in this incident: snooze it from the command line (`snooze all`).',
    };
  }
  switch (click.action) {
    case INCIDENT_ACTIONS.acknowledge: {
      const next = acknowledgeIncident(state, userId, at, context.reminders);
      if (next === undefined) {
        const by = state.incident?.acknowledged?.by;
        return { kind: 'unchanged', ephemeral: `👀 Already acknowledged${by ? ` by ${mention(by)}` : ''}.` };
      }
      return {
        kind: 'applied',
        state: next,
        ruleIds,
        thread: `👀 Acknowledged by ${who}: reminders wait until it gets worse or ${spanText(context.reminders)} pass.`,
      };
    }
    case INCIDENT_ACTIONS.snoozeHour:
    case INCIDENT_ACTIONS.snoozeTomorrow: {
      const hour = click.action === INCIDENT_ACTIONS.snoozeHour;
      const until = hour ? new Date(at.getTime() + HOUR_MS) : tomorrowMorning(at, context.timeZone);
      const snooze = { until: until.toISOString(), at: at.toISOString(), by: userId };
      const next = ruleIds.reduce((current, ruleId) => setSnooze(current, ruleId, snooze), state);
      const span = hour ? '1 h' : `until tomorrow ${localMinute(until, context.timeZone).slice(11)}`;
      return {
        kind: 'applied',
        state: next,
        ruleIds,
        thread: `🔕 Snoozed ${span} by ${who} (until ${localMinute(until, context.timeZone)}); resolutions still go out.`,
      };
    }
    case INCIDENT_ACTIONS.unsnooze: {
      let next = state;
      const ended: string[] = [];
      for (const ruleId of ruleIds) {
        if (ownSnooze(next, ruleId, at) === undefined) continue;
        next = endSnooze(next, ruleId, at).state;
        ended.push(ruleId);
      }
      const all = activeSnooze(next, SNOOZE_ALL, at);
      const stillAll = all
        ? ` A snooze of all alerts (set from the command line) still holds until ${localMinute(all.until, context.timeZone)}.`
        : '';
      if (ended.length === 0)
        return { kind: 'unchanged', ephemeral: `🔔 Nothing of this incident is snoozed.${stillAll}` };
      return {
        kind: 'applied',
        state: next,
        ruleIds: ended,
        thread: `🔔 Unsnoozed by ${who}: reminders resume at the next check.${stillAll}`,
      };
    }
  }
}
