import { INCIDENT_NOTE_MAX, INCIDENT_NOTES_LIMIT, type SlackIncident } from '../alerts/incident';
import { SNOOZE_ALL } from '../alerts/snooze';
import type { AlertState } from '../alerts/state';
import { type Claim, isHeldByAnother } from './claim';
import { escapeMrkdwn, truncate } from './mrkdwn';

/**
 * Changes made outside a check — `snooze` and `unsnooze` on the command line — owe the open
 * incident's message (Slack app mode) what a button click gives it: the head edited to show the
 * change and one thread reply saying who did what ("🔕 Snoozed 1 h by amira (CLI)…"). They are
 * written as owed notes on the incident in the same compare-and-swap as the change itself, then
 * delivered through the delivery protocol (use-cases/incident-notes.ts): by the command at once, or,
 * when Slack refused, by the next check. Pure.
 */

/** One owed thread reply. */
export type IncidentNote = NonNullable<SlackIncident['notes']>[number];

/** True when a snooze of `target` touches `incident`: `all`, or one of its alerts' rule. */
export const touchesIncident = (incident: Pick<SlackIncident, 'members'>, target: string): boolean =>
  target === SNOOZE_ALL || incident.members.some((member) => member.id === target);

/** `state` with `text` owed on the open incident when one of `targets` touches it; `state` itself when none does. */
export function oweIncidentNote(
  state: AlertState,
  targets: readonly string[],
  text: string,
  at: Date,
): AlertState {
  const incident = state.incident;
  if (incident === undefined || incident.closedAt !== undefined) return state;
  if (!targets.some((target) => touchesIncident(incident, target))) return state;
  const note = { text: truncate(text, INCIDENT_NOTE_MAX), at: at.toISOString() };
  const notes = [...(incident.notes ?? []), note].slice(-INCIDENT_NOTES_LIMIT);
  return { ...state, incident: { ...incident, notes } };
}

/** Characters of an operator's name kept in `Snooze.by` (64) beside the " (CLI)" mark. */
export const CLI_OPERATOR_MAX = 50;

/** The operator a command-line change is recorded under (`Snooze.by`): their name, marked as the CLI's. */
export const cliOperator = (name: string): string =>
  `${name.trim().slice(0, CLI_OPERATOR_MAX) || 'an operator'} (CLI)`;

const what = (target: string) => (target === SNOOZE_ALL ? 'all alerts' : target);

/** "🔕 Snoozed 2 h by amira (CLI): transfer-success-rate, until 2025-11-12 12:00 — carrier maintenance…" */
export function cliSnoozeNote(snooze: {
  readonly target: string;
  readonly by: string;
  /** How long, as the command said it ("2 h"). */
  readonly span: string;
  /** Until when, on the account's clock. */
  readonly untilLocal: string;
  readonly reason?: string;
}): string {
  const reason = snooze.reason ? ` — ${snooze.reason}` : '';
  return escapeMrkdwn(
    `🔕 Snoozed ${snooze.span} by ${snooze.by}: ${what(snooze.target)}, until ${snooze.untilLocal}${reason}. Resolutions still go out.`,
  );
}

/** "🔔 Unsnoozed by amira (CLI): transfer-success-rate; reminders resume at the next check." */
export const cliUnsnoozeNote = (ended: readonly string[], by: string): string =>
  escapeMrkdwn(`🔔 Unsnoozed by ${by}: ${ended.map(what).join(', ')}; reminders resume at the next check.`);

/** The notes owed on the open incident, claimed by `claim`; undefined when none is owed or another run holds them. */
export function claimIncidentNotes(
  state: AlertState,
  claim: Claim,
  now: Date,
):
  | { readonly state: AlertState; readonly incident: SlackIncident; readonly notes: IncidentNote[] }
  | undefined {
  const incident = state.incident;
  const notes = incident?.notes ?? [];
  if (incident === undefined || incident.closedAt !== undefined || notes.length === 0) return undefined;
  if (isHeldByAnother(incident.notesClaim, claim.runId, now)) return undefined;
  const claimed = { ...incident, notesClaim: claim };
  return { state: { ...state, incident: claimed }, incident: claimed, notes: [...notes] };
}

/**
 * `state` once the notes of the incident opened at `openedAt` were delivered (`delivered`) or not
 * (empty): those delivered are dropped, and this run's claim on them. Another incident is left alone.
 */
export function settleIncidentNotes(
  state: AlertState,
  openedAt: string,
  delivered: readonly IncidentNote[],
  runId: string,
): AlertState {
  const incident = state.incident;
  if (incident === undefined || incident.openedAt !== openedAt) return state;
  const sent = (note: IncidentNote) =>
    delivered.some((done) => done.at === note.at && done.text === note.text);
  const notes = (incident.notes ?? []).filter((note) => !sent(note));
  const { notes: _notes, notesClaim, ...rest } = incident;
  return {
    ...state,
    incident: {
      ...rest,
      ...(notes.length === 0 ? {} : { notes }),
      ...(notesClaim === undefined || notesClaim.runId === runId ? {} : { notesClaim }),
    },
  };
}
