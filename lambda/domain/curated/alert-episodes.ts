import { type Episode, type FiredEpisode, isFired } from '../alerts/episode';
import type { SlackIncident } from '../alerts/incident';
import type { Rule } from '../alerts/rules';
import { localDate } from '../shared/local-time';
import type { CuratedRecord } from './curate-day';
import { TABLE_COLUMNS } from './curated-tables';

/**
 * The curated `alert_episodes` table: one record per alert episode that fired, under the local date
 * its condition began (`curated/alert_episodes/date=<date>/alert_episodes.ndjson`). Taken from the
 * episode record the checks keep in the alert state (domain/alerts/episode.ts), the same account the
 * alert messages and the digest read. The state keeps closed episodes for two weeks; the curated
 * table keeps them for good: a record already curated stays when the state has dropped it, and is
 * updated when its episode moves on (ended, escalated, a worse value).
 *
 * Acknowledgement is known in Slack app mode only: it is recorded on the incident (the Acknowledge
 * button, see domain/alerts/acknowledgement.ts), so an episode's `acknowledged_by`/`_at` are those
 * of the incident it belongs to (the latest, when acknowledged again), provided the acknowledgement
 * came at or after the episode fired: an alert that joined after it was not what was acknowledged.
 * Unknown (webhook mode, never acknowledged, or the incident no longer kept): null.
 */

const MINUTE_MS = 60_000;

/** The records the alert state gives, by the local date each began. */
export function alertEpisodeRecords(
  episodes: readonly Episode[],
  rules: readonly Rule[],
  timeZone: string,
  /** The incidents the alert state keeps (open and closed; Slack app mode only). */
  incidents: readonly SlackIncident[] = [],
): Map<string, CuratedRecord[]> {
  const titles = new Map(rules.map((rule) => [rule.id, rule.title]));
  const byDate = new Map<string, CuratedRecord[]>();
  for (const episode of episodes.filter(isFired)) {
    const date = localDate(new Date(episode.began), timeZone);
    const acknowledged = acknowledgementOfEpisode(episode, incidents);
    const record = episodeRecord(episode, date, timeZone, titles.get(episode.ruleId), acknowledged);
    byDate.set(date, [...(byDate.get(date) ?? []), record]);
  }
  for (const records of byDate.values()) records.sort(compareRecords);
  return byDate;
}

/** The acknowledgement of the incident `episode` belongs to, when it came at or after the episode fired. */
function acknowledgementOfEpisode(
  episode: FiredEpisode,
  incidents: readonly SlackIncident[],
): SlackIncident['acknowledged'] {
  const incident = incidents.find((candidate) =>
    candidate.members.some((member) => member.id === episode.ruleId && member.firedAt === episode.firedAt),
  );
  const acknowledged = incident?.acknowledged;
  if (acknowledged === undefined || Date.parse(acknowledged.at) < Date.parse(episode.firedAt))
    return undefined;
  return acknowledged;
}

function episodeRecord(
  episode: FiredEpisode,
  date: string,
  timeZone: string,
  title: string | undefined,
  acknowledged: SlackIncident['acknowledged'],
): CuratedRecord {
  const minutesBetween = (from: string, to: string | undefined) =>
    to === undefined ? null : (Date.parse(to) - Date.parse(from)) / MINUTE_MS;
  const values: Record<string, string | number | boolean | null> = {
    date,
    time_zone: timeZone,
    rule_id: episode.ruleId,
    rule_title: title ?? null,
    condition: episode.condition,
    began: episode.began,
    fired_at: episode.firedAt,
    ended: episode.ended ?? null,
    resolved_at: episode.resolvedAt ?? null,
    minutes_breaching: minutesBetween(episode.began, episode.ended),
    minutes_to_resolve: minutesBetween(episode.firedAt, episode.resolvedAt),
    peak_severity: episode.peak.severity,
    peak_at: episode.peak.at,
    worst_value: episode.worst?.value ?? null,
    worst_at: episode.worst?.at ?? null,
    messages: episode.notified.length,
    reminders: episode.reminders,
    acknowledged_by: acknowledged?.by ?? null,
    acknowledged_at: acknowledged?.at ?? null,
  };
  return Object.fromEntries(
    TABLE_COLUMNS.alert_episodes.map((column) => [column.name, values[column.name] ?? null]),
  );
}

/** An episode's identity across curations: its rule and the run its condition began at. */
const identity = (record: CuratedRecord) => `${String(record.rule_id)}\u0000${String(record.began)}`;

const compareRecords = (a: CuratedRecord, b: CuratedRecord) =>
  String(a.began).localeCompare(String(b.began)) || String(a.rule_id).localeCompare(String(b.rule_id));

/**
 * The records of one date after a curation: those already curated, each replaced by the state's
 * newer account of the same episode, plus the episodes the state has that were not curated yet.
 */
export function mergeEpisodeRecords(
  curated: readonly CuratedRecord[],
  fromState: readonly CuratedRecord[],
): CuratedRecord[] {
  const merged = new Map(curated.map((record) => [identity(record), record]));
  for (const record of fromState) merged.set(identity(record), record);
  return [...merged.values()].sort(compareRecords);
}
