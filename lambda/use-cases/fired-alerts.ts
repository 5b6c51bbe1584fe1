import { type FiredEpisode, isFired } from '../domain/alerts/episode';
import { metricUnit } from '../domain/alerts/format-value';
import type { Rule } from '../domain/alerts/rules';
import type { DaySnooze } from '../domain/alerts/snooze';
import { snoozesOn } from '../domain/alerts/snooze';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import type { DayIncident, FiredAlert } from '../domain/digest/day-data';
import { incidentsOn } from '../domain/digest/incidents-section';
import { localDate } from '../domain/shared/local-time';
import type { MessageRef } from '../domain/slack/slack-app';
import type { Logger } from '../shared/logger';
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
): DayAlert[] {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  return state.episodes
    .filter(isFired)
    .filter((episode) => touches(episode, date, timeZone))
    .map((episode): DayAlert => {
      const rule = byId.get(episode.ruleId);
      const worst =
        rule === undefined || episode.worst === null
          ? {}
          : { worst: { value: episode.worst.value, unit: metricUnit(rule) } };
      const incident = incidentOf(state, episode);
      return {
        ...(incident === undefined ? {} : { incident }),
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

/** A fired alert, with where its incident's head message is (Slack app mode). */
export interface DayAlert extends FiredAlert {
  readonly incident?: MessageRef;
}

/** The incident (open or closed) the episode was announced in, by its rule and start. */
function incidentOf(state: AlertState, episode: FiredEpisode): MessageRef | undefined {
  const incidents = [...(state.incidents ?? []), ...(state.incident === undefined ? [] : [state.incident])];
  const found = incidents.find((incident) =>
    incident.members.some((member) => member.id === episode.ruleId && member.firedAt === episode.firedAt),
  );
  return found === undefined ? undefined : { channel: found.channel, ts: found.ts };
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
  readonly fired: DayAlert[];
  readonly snoozes: DaySnooze[];
  /** Slack app mode's incidents of the day; none in webhook mode. */
  readonly incidents?: DayIncident[];
}

/**
 * Reads the alert state once and lists the alerts fired and the snoozes of `date` (none without a
 * state). In Slack app mode (`permalink`), each alert links to its incident's head message
 * (chat.getPermalink, once per incident); a link Slack will not give is left out, never the digest.
 */
export async function readDayAlerts(
  store: ObjectStore,
  rules: readonly Rule[],
  date: string,
  timeZone: string,
  permalink?: (ref: MessageRef) => Promise<string>,
  logger?: Logger,
): Promise<DayAlerts> {
  const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
  if (!state) return { fired: [], snoozes: [], incidents: [] };
  const fired = firedAlertsOn(state.value, rules, date, timeZone);
  return {
    fired: permalink === undefined ? fired : await withLinks(fired, permalink, logger),
    snoozes: snoozesOn(state.value, rules, date, timeZone),
    incidents: incidentsOn(state.value, rules, date, timeZone),
  };
}

async function withLinks(
  alerts: readonly DayAlert[],
  permalink: (ref: MessageRef) => Promise<string>,
  logger: Logger | undefined,
): Promise<DayAlert[]> {
  const links = new Map<string, Promise<string | undefined>>();
  const linkOf = (ref: MessageRef) => {
    const key = `${ref.channel}/${ref.ts}`;
    let link = links.get(key);
    if (link === undefined) {
      link = permalink(ref).catch((error: unknown) => {
        logger?.warn('No permalink for an incident message; the digest lists its alert without a link', {
          channel: ref.channel,
          ts: ref.ts,
          reason: error instanceof Error ? error.message : String(error),
        });
        return undefined;
      });
      links.set(key, link);
    }
    return link;
  };
  return Promise.all(
    alerts.map(async (alert) => {
      const link = alert.incident === undefined ? undefined : await linkOf(alert.incident);
      return link === undefined ? alert : { ...alert, link };
    }),
  );
}
