import { formatDate, toWallClock } from '../shared/local-time';
import { kindOf, type Unit } from './metrics';
import type { Rule } from './rules';

/** Units and local times for alert messages; values and durations read as `../metric-format` says. */

/** The unit a rule's values are shown in: its `unit`, or one inferred from the metric. */
export const metricUnit = (rule: Pick<Rule, 'metric' | 'unit'>): Unit =>
  rule.unit ?? kindOf(rule.metric).unit(rule.metric);

/** "13:05" when `instant` falls on the same local date as `reference`, else "2026-03-07 13:05". */
export function formatLocalTime(instant: string | Date, timeZone: string, reference: Date): string {
  const clock = toWallClock(new Date(instant), timeZone);
  const time = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
  const date = formatDate(clock);
  return date === formatDate(toWallClock(reference, timeZone)) ? time : `${date} ${time}`;
}
