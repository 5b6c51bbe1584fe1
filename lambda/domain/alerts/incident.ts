import * as z from '../shared/zod';
import { ClaimSchema } from '../slack/claim';
import { SeveritySchema } from './rules';

/**
 * Slack app mode's incident record (README, Slack app mode): where an incident's one top-level
 * message (its "head") is, so every later change edits it (`chat.update`) and adds a reply in its
 * thread, and a button click on it finds the incident again.
 *
 * An incident is the group of alerts firing together, as the webhook mode's messages already group
 * them (one message per run, one reminder cadence for the group): it opens with the first message
 * that announces something firing while none is open (a rule firing, or the monitor degraded), every
 * alert announced while it is open joins it, and it closes with the message that announces the last
 * of them resolved. An alert firing after that opens the next incident.
 *
 * The head's `ts` is stored by the delivery protocol's confirm step, after Slack accepted the post and
 * before anything else is sent for the incident. A run that dies between the two leaves no `ts`: the
 * next run posts the head again (at most one duplicate head per crash; nothing is lost).
 */

const Instant = z.iso.datetime({ offset: true });

/** Characters of one owed thread note (a snooze reason is at most 500 of them). */
export const INCIDENT_NOTE_MAX = 1000;
/** Owed notes kept while Slack refuses them (the oldest go first: the head shows the truth anyway). */
export const INCIDENT_NOTES_LIMIT = 20;

/** The monitor's own health, as an incident member (the monitor degraded). */
export const MONITOR_MEMBER = 'monitor';

/** An alert the incident holds: one episode of a rule (or the monitor's degraded spell). */
export const IncidentMemberSchema = z.object({
  /** The rule id, or MONITOR_MEMBER. */
  id: z.string(),
  /** The episode's start as the rule state has it (`firedAt`); for the monitor, its failures' start. */
  firedAt: Instant,
});
export type IncidentMember = z.infer<typeof IncidentMemberSchema>;

/** Who acknowledged the incident, and when (Slack user id or CLI user). */
export const IncidentAcknowledgementSchema = z.object({ by: z.string(), at: Instant });

export const SlackIncidentSchema = z.object({
  /** The channel id the head is in. */
  channel: z.string(),
  /** The head message's ts. */
  ts: z.string(),
  /** The run whose message opened the incident. */
  openedAt: Instant,
  members: z.array(IncidentMemberSchema),
  /** The highest severity announced: the rise to CRIT is the one thing broadcast to the channel. */
  severity: z.optional(SeveritySchema),
  /** Thread replies Slack accepted. */
  replies: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  /**
   * Earlier heads of this incident, replaced by a fresh one because Slack no longer had them
   * (message_not_found, channel_not_found): a click on one of those is a click on a superseded head.
   */
  supersedes: z._default(z.array(z.object({ channel: z.string(), ts: z.string() })), []),
  acknowledged: z.optional(IncidentAcknowledgementSchema),
  /**
   * Thread replies owed for changes made outside a check — a `snooze` or `unsnooze` on the command
   * line (incident-notes.ts) — each with a head edit; dropped once Slack accepted them.
   */
  notes: z.optional(
    z
      .array(z.object({ text: z.string().check(z.maxLength(INCIDENT_NOTE_MAX)), at: Instant }))
      .check(z.maxLength(INCIDENT_NOTES_LIMIT)),
  ),
  /** The run delivering `notes` right now (use-cases/deliver-once.ts). */
  notesClaim: z.optional(ClaimSchema),
  /** The run whose message resolved the last member; absent while open. */
  closedAt: z.optional(Instant),
});
export type SlackIncident = z.infer<typeof SlackIncidentSchema>;

/** Closed incidents kept (as episodes are): the digest links to them; a click on one says it is over. */
export const INCIDENT_RETENTION_DAYS = 15;
export const INCIDENT_LIMIT = 200;

/** What a message ts is to the incident record: its open incident, a closed one, a superseded head, or nothing. */
export type IncidentLookup =
  | { readonly status: 'open' | 'closed'; readonly incident: SlackIncident }
  | { readonly status: 'superseded'; readonly incident: SlackIncident }
  | { readonly status: 'unknown' };

/** The incident whose head (or a superseded head) is message `ts` in `channel`. */
export function findIncident(
  record: { readonly incident?: SlackIncident; readonly incidents?: readonly SlackIncident[] },
  channel: string,
  ts: string,
): IncidentLookup {
  const all = [
    ...(record.incident === undefined ? [] : [record.incident]),
    ...[...(record.incidents ?? [])].reverse(),
  ];
  for (const incident of all) {
    if (incident.channel === channel && incident.ts === ts) {
      return { status: incident.closedAt === undefined ? 'open' : 'closed', incident };
    }
    if (incident.supersedes.some((old) => old.channel === channel && old.ts === ts)) {
      return { status: 'superseded', incident };
    }
  }
  return { status: 'unknown' };
}

/** The closed incidents worth keeping at `at`: closed within the retention, at most INCIDENT_LIMIT, newest kept. */
export function retainIncidents(closed: readonly SlackIncident[], at: Date): SlackIncident[] {
  const oldest = at.getTime() - INCIDENT_RETENTION_DAYS * 86_400_000;
  return closed
    .filter((incident) => Date.parse(incident.closedAt ?? incident.openedAt) >= oldest)
    .slice(-INCIDENT_LIMIT);
}
