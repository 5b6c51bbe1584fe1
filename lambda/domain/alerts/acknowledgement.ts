import { isFired } from './episode';
import type { SlackIncident } from './incident';
import type { Notification } from './notify';
import { DEFAULT_REMINDERS, type RepeatPolicy } from './rules';
import type { AlertState } from './state';

/**
 * Acknowledgement: someone said "I am on it" with the Acknowledge button of an incident's head
 * message (Slack app mode). It is recorded on the incident (`SlackIncident.acknowledged`), so it
 * ends with the incident: the next incident starts unacknowledged.
 *
 * It holds the REMINDERS of the incident's alerts (never news: fired, escalated, eased, resolved),
 * and only while
 *   - no alert of the incident reached its peak after the acknowledgement (an escalation to CRIT,
 *     or a new alert joining the incident, ends it: things got worse than what was acknowledged), and
 *   - fewer than ACKNOWLEDGEMENT_CADENCES × the group's reminder cadence (`everyMinutes`, so 4 h by
 *     default) passed since: an acknowledgement is not a silence, reminders then resume.
 */

/** How many reminder cadences an acknowledgement holds reminders for. */
export const ACKNOWLEDGEMENT_CADENCES = 4;

export interface Acknowledgement {
  /** Who acknowledged (a Slack user id). */
  readonly by: string;
  /** When (ISO). */
  readonly at: string;
}

/** How long an acknowledgement holds reminders under `policy`. */
export const acknowledgementSpanMs = (policy: RepeatPolicy = DEFAULT_REMINDERS): number =>
  ACKNOWLEDGEMENT_CADENCES * policy.everyMinutes * 60_000;

/** True when an alert of `incident` reached its peak after `since` (escalated, or joined). */
function worsenedSince(state: AlertState, incident: Pick<SlackIncident, 'members'>, since: number): boolean {
  return incident.members.some((member) =>
    state.episodes.some(
      (episode) =>
        episode.ruleId === member.id &&
        episode.firedAt === member.firedAt &&
        isFired(episode) &&
        Date.parse(episode.peak.at) > since,
    ),
  );
}

/** The open incident's acknowledgement, when it still holds at `at`. */
export const holdingAcknowledgement = (
  state: AlertState,
  at: Date,
  policy?: RepeatPolicy,
): Acknowledgement | undefined =>
  state.incident === undefined ? undefined : acknowledgementOf(state, state.incident, at, policy);

/** `incident`'s acknowledgement, when it still holds at `at` (the incident open, not worse since, not run out). */
export function acknowledgementOf(
  state: AlertState,
  incident: Pick<SlackIncident, 'members' | 'acknowledged'> & Partial<Pick<SlackIncident, 'closedAt'>>,
  at: Date,
  policy?: RepeatPolicy,
): Acknowledgement | undefined {
  const acknowledged = incident.acknowledged;
  if (acknowledged === undefined || incident.closedAt !== undefined) return undefined;
  const since = Date.parse(acknowledged.at);
  if (at.getTime() >= since + acknowledgementSpanMs(policy)) return undefined;
  return worsenedSince(state, incident, since) ? undefined : acknowledged;
}

/** The acknowledgement holding `notification` (a reminder of an open incident's alert) at `at`, if any. */
export function acknowledgementHolding(
  state: AlertState,
  notification: Notification,
  at: Date,
  policy?: RepeatPolicy,
): Acknowledgement | undefined {
  if (notification.kind !== 'repeat') return undefined;
  const member = state.incident?.members.some(
    (candidate) => candidate.id === notification.ruleId && candidate.firedAt === notification.firedAt,
  );
  return member ? holdingAcknowledgement(state, at, policy) : undefined;
}

/**
 * The open incident acknowledged by `by` at `at`. One that is acknowledged and still held keeps its
 * first acknowledgement (the time to acknowledge is the first answer); one whose acknowledgement
 * ended (worse since, or run out) is acknowledged anew. Undefined: nothing changed.
 */
export function acknowledgeIncident(
  state: AlertState,
  by: string,
  at: Date,
  policy?: RepeatPolicy,
): AlertState | undefined {
  const incident = state.incident;
  if (incident === undefined || incident.closedAt !== undefined) return undefined;
  if (holdingAcknowledgement(state, at, policy) !== undefined) return undefined;
  return { ...state, incident: { ...incident, acknowledged: { by, at: at.toISOString() } } };
}
