import { metricUnit } from './format-value';
import { kindOf } from './metrics';
import type { MutePeriod, Rule } from './rules';
import { WEEKDAYS } from './rules';

/**
 * A rule set that can never fire is not a quiet night: `{"rules": []}`, every rule muted around the
 * clock, or thresholds no data can reach (a rate above 100 %, a count below zero, minCalls of a
 * billion) all validated and then silenced the monitor. `rules validate` and `rules push` refuse such
 * a set unless `--allow-silent` is given, and the check tells Slack when one is in use.
 */

/** More calls in one scope than any call centre makes: a minCalls above it can never be met. */
export const MAX_PLAUSIBLE_CALLS = 10_000_000;

const WEEK_MINUTES = 7 * 1440;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when the periods together cover every minute of every weekday. */
export function mutedAllWeek(periods: readonly MutePeriod[]): boolean {
  if (periods.length === 0) return false;
  const covered = new Uint8Array(WEEK_MINUTES);
  for (const period of periods) {
    const from = minutesOf(period.from);
    const to = period.to === '24:00' ? 1440 : minutesOf(period.to);
    const length = from < to ? to - from : 1440 - from + to;
    WEEKDAYS.forEach((day, index) => {
      if (period.days !== undefined && !period.days.includes(day)) return;
      const start = index * 1440 + from;
      for (let minute = 0; minute < length; minute++) covered[(start + minute) % WEEK_MINUTES] = 1;
    });
  }
  return covered.every((minute) => minute === 1);
}

/** The values a rule's metric can take: a rate lies in [0, 1], a count is never negative… */
function range(rule: Rule): { readonly min: number; readonly max: number } {
  const unit = metricUnit(rule);
  const bounded = kindOf(rule.metric).bounded(rule.metric, unit);
  if (bounded) return { min: 0, max: 1 };
  if (unit === 'change') return { min: -1, max: Number.POSITIVE_INFINITY };
  if (unit === 'number') return { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
  return { min: 0, max: Number.POSITIVE_INFINITY };
}

const percent = (value: number) => `${Number((value * 100).toFixed(4))} %`;

/** Why `rule` can never fire; undefined when it can. */
export function whyRuleCannotFire(rule: Rule): string | undefined {
  if (mutedAllWeek(rule.mute)) return 'muted at every hour of every day';
  if (rule.minCalls > MAX_PLAUSIBLE_CALLS) {
    return `minCalls ${rule.minCalls} is more calls than any scope holds (at most ${MAX_PLAUSIBLE_CALLS} is plausible)`;
  }
  const { min, max } = range(rule);
  const least = rule.warn ?? rule.crit;
  if (least === undefined) return undefined;
  const shown = (value: number) => (metricUnit(rule) === 'rate' ? percent(value) : String(value));
  if (rule.comparison === 'above' && least >= max) {
    return `it fires above ${shown(least)}, and its metric is never more than ${shown(max)}`;
  }
  if (rule.comparison === 'below' && least <= min) {
    return `it fires below ${shown(least)}, and its metric is never less than ${shown(min)}`;
  }
  return undefined;
}

/** Every reason the set is silent, one line each; empty when every rule can fire. */
export function silentRuleProblems(rules: readonly Rule[]): string[] {
  if (rules.length === 0) return ['the set has no rules: nothing can ever fire'];
  return rules.flatMap((rule) => {
    const why = whyRuleCannotFire(rule);
    return why === undefined ? [] : [`rule "${rule.id}" can never fire: ${why}`];
  });
}
