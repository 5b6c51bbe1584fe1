import { type FiredEpisode, isFired } from '../domain/alerts/episode';
import { metricUnit } from '../domain/alerts/format-value';
import type { Rule } from '../domain/alerts/rules';
import type { DaySnooze } from '../domain/alerts/snooze';
import { snoozesOn } from '../domain/alerts/snooze';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import type { FiredAlert } from '../domain/digest/day-data';
import { localDate } from '../domain/shared/local-time';
import { readDocument } from './json-document';

/**
 * The alerts of a local date, read from the episode record in the alert state (see
 * domain/alerts/episode.ts): every episode that fired and whose condition held at some time that
 * day, with the times the alert messages show (first breaching run to first healthy run), its peak
 * severity and the worst value any check judged during it.
 */
export function firedAlertsOn(
  state: AlertState,
  rules: readonly Rule[],
  date: string,
  timeZone: string,
): FiredAlert[] {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  return state.episodes
    .filter(isFired)
    .filter((episode) => touches(episode, date, timeZone))
    .map((episode): FiredAlert => {
      const rule = byId.get(episode.ruleId);
      const worst =
        rule === undefined || episode.worst === null
          ? {}
          : { worst: { value: episode.worst.value, unit: metricUnit(rule) } };
      return {
        ruleId: episode.ruleId,
        title: rule?.title ?? episode.ruleId,
        severity: episode.peak.severity,
        at: episode.began,
        ...(episode.ended === undefined ? {} : { resolvedAt: episode.ended }),
        ...worst,
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.ruleId.localeCompare(b.ruleId));
}

/** Whether the condition held at some time on the local `date`: began by its end, ended after its start. */
function touches(episode: FiredEpisode, date: string, timeZone: string): boolean {
  if (localDate(new Date(episode.began), timeZone) > date) return false;
  if (episode.ended === undefined) return true;
  // The last instant the condition held; an episode ending exactly at midnight does not touch the next day.
  return localDate(new Date(Date.parse(episode.ended) - 1), timeZone) >= date;
}

/** What the alert state says of a local date: the alerts that fired and the snoozes in force. */
export interface DayAlerts {
  readonly fired: FiredAlert[];
  readonly snoozes: DaySnooze[];
}

/** Reads the alert state once and lists the alerts fired and the snoozes of `date` (none without a state). */
export async function readDayAlerts(
  store: ObjectStore,
  rules: readonly Rule[],
  date: string,
  timeZone: string,
): Promise<DayAlerts> {
  const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
  if (!state) return { fired: [], snoozes: [] };
  return {
    fired: firedAlertsOn(state.value, rules, date, timeZone),
    snoozes: snoozesOn(state.value, rules, date, timeZone),
  };
}
