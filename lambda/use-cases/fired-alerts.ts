import type { Rule } from '../domain/alerts/rules';
import { type AlertState, AlertStateSchema } from '../domain/alerts/state';
import type { FiredAlert } from '../domain/digest/digest-input';
import { localDate } from '../domain/local-time';
import type { ObjectStore } from '../domain/object-store';
import { readDocument } from './json-document';
import { ALERT_STATE_KEY } from './run-check';

/**
 * The alerts that fired on a local date, read from each rule's transition history in the alert
 * state (the history keeps the last transitions per rule: enough for yesterday). An episode that
 * started on the date counts, with the time it resolved if it has.
 */
export function firedAlertsOn(
  state: AlertState,
  rules: readonly Rule[],
  date: string,
  timeZone: string,
): FiredAlert[] {
  const titles = new Map(rules.map((rule) => [rule.id, rule.title]));
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
      fired.push({
        ruleId,
        title: titles.get(ruleId) ?? ruleId,
        severity: escalated ? 'crit' : severity,
        at: transition.at,
        ...(resolved ? { resolvedAt: resolved.at } : {}),
      });
    });
  }
  return fired.sort((a, b) => a.at.localeCompare(b.at));
}

/** Reads the alert state and lists the alerts fired on `date` (none when there is no state yet). */
export async function readFiredAlerts(
  store: ObjectStore,
  rules: readonly Rule[],
  date: string,
  timeZone: string,
): Promise<FiredAlert[]> {
  const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
  return state ? firedAlertsOn(state.value, rules, date, timeZone) : [];
}
