import { MONITOR_MEMBER, type SlackIncident } from '../alerts/incident';
import type { Rule } from '../alerts/rules';
import type { AlertState } from '../alerts/state';
import { localDate } from '../shared/local-time';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import { formatElapsed } from '../statistics/metric-format';
import { ALERTS_SHOWN, instant, localTime } from './alerts-section';
import type { DayIncident } from './day-data';

/**
 * The digest's incident section (Slack app mode): each incident of the day with how long it took
 * to be acknowledged and to be resolved, the two figures an on-call rota is judged by. Both are
 * counted from the incident's opening (its first message, the head): time to acknowledge until the
 * Acknowledge click the incident record holds (the latest, when it was acknowledged again after
 * getting worse), time to resolve until the message that resolved its last alert.
 */

const TITLES_MAX = 160;

/** The incidents of the state's record that were open at some time on the local `date`. */
export function incidentsOn(
  state: Pick<AlertState, 'incident' | 'incidents'>,
  rules: readonly Rule[],
  date: string,
  timeZone: string,
): DayIncident[] {
  const titles = new Map(rules.map((rule) => [rule.id, rule.title]));
  const all: SlackIncident[] = [...(state.incidents ?? []), ...(state.incident ? [state.incident] : [])];
  return all
    .filter((incident) => {
      if (localDate(new Date(incident.openedAt), timeZone) > date) return false;
      return incident.closedAt === undefined || localDate(new Date(incident.closedAt), timeZone) >= date;
    })
    .map((incident) => ({
      openedAt: incident.openedAt,
      ...(incident.closedAt === undefined ? {} : { closedAt: incident.closedAt }),
      ...(incident.acknowledged === undefined ? {} : { acknowledged: incident.acknowledged }),
      titles: [
        ...new Set(
          incident.members.map((member) =>
            member.id === MONITOR_MEMBER ? 'monitor health' : (titles.get(member.id) ?? member.id),
          ),
        ),
      ],
    }))
    .sort((a, b) => instant(a.openedAt) - instant(b.openedAt));
}

/**
 * '*Incidents* · 2 (time to acknowledge, time to resolve)' and one line each:
 * '• 08:30 Transfer success rate · 👀 acknowledged after 12m by @amira · ✅ resolved after 6h 30m'.
 */
export function incidentsText(incidents: ReadonlyArray<DayIncident>, date: string, timeZone: string): string {
  const lines = incidents.slice(0, ALERTS_SHOWN).map((incident) => {
    const titles = truncate(escapeMrkdwn(incident.titles.join(', ')), TITLES_MAX);
    const acknowledged = incident.acknowledged
      ? `👀 acknowledged after ${formatElapsed(Date.parse(incident.acknowledged.at) - Date.parse(incident.openedAt))} by <@${incident.acknowledged.by}>`
      : 'not acknowledged';
    const resolved =
      incident.closedAt === undefined
        ? 'still open'
        : `✅ resolved after ${formatElapsed(Date.parse(incident.closedAt) - Date.parse(incident.openedAt))}`;
    return `• ${localTime(incident.openedAt, date, timeZone)} ${titles} · ${acknowledged} · ${resolved}`;
  });
  const more = incidents.length > ALERTS_SHOWN ? [`_…and ${incidents.length - ALERTS_SHOWN} more_`] : [];
  return [`*Incidents* · ${incidents.length} (time to acknowledge, time to resolve)`, ...lines, ...more].join(
    '\n',
  );
}
