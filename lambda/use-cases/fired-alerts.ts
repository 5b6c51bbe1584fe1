import { metricUnit } from '../domain/alerts/format-value';
import type { Rule } from '../domain/alerts/rules';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema } from '../domain/alerts/state';
import type { DaySnooze, FiredAlert } from '../domain/digest/day-data';
import { localDate } from '../domain/local-time';
import type { ObjectStore } from '../domain/object-store';
import { snoozesOn } from '../domain/snooze';
import { readDocument } from './json-document';

/**
 * The alerts that fired on a local date, read from each rule's transition history in the alert
 * state (the history keeps the last transitions per rule: enough for yesterday). An episode that
 * started on the date counts, with the time it resolved if it has, and its worst value: the worst
 * the state recorded (the values at its transitions, and the latest value while it still fires),
 * since the state keeps no value of the runs in between.
 */
export function firedAlertsOn(
  state: AlertState,
  rules: readonly Rule[],
  date: string,
  timeZone: string,
): FiredAlert[] {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const fired: FiredAlert[] = [];
  for (const [ruleId, ruleState] of Object.entries(state.rules)) {
    const history = ruleState.history;
    history.forEach((transition, index) => {
      const severity =
        transition.to === 'firing:crit' ? 'crit' : transition.to === 'firing:warn' ? 'warn' : undefined;
      if (!severity || transition.from.startsWith('firing')) return;
      if (localDate(new Date(transition.at), timeZone) !== date) return;
      const resolved = history.slice(index + 1).find((later) => !later.to.startsWith('firing'));
      // An escalation inside the episode raises its severity.
      const escalated = history
        .slice(index + 1, resolved ? history.indexOf(resolved) : undefined)
        .some((later) => later.to === 'firing:crit');
      const rule = byId.get(ruleId);
      const episode = history.slice(index, resolved ? history.indexOf(resolved) : undefined);
      const values = episode.flatMap((step) => (step.value === null ? [] : [step.value]));
      if (!resolved && ruleState.lastValue !== null && ruleState.lastOutcome !== 'no-data') {
        values.push(ruleState.lastValue);
      }
      const worst =
        rule === undefined || values.length === 0
          ? undefined
          : {
              value: rule.comparison === 'below' ? Math.min(...values) : Math.max(...values),
              unit: metricUnit(rule),
            };
      fired.push({
        ruleId,
        title: rule?.title ?? ruleId,
        severity: escalated ? 'crit' : severity,
        at: transition.at,
        ...(resolved ? { resolvedAt: resolved.at } : {}),
        ...(worst ? { worst } : {}),
      });
    });
  }
  return fired.sort((a, b) => a.at.localeCompare(b.at));
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
