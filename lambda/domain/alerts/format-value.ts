import { formatDate, toWallClock } from '../shared/local-time';
import type { Rule, Unit } from './rules';

/** Units and local times for alert messages; values and durations read as `../metric-format` says. */

/** The unit a rule's values are shown in: its `unit`, or one inferred from the metric. */
export function metricUnit(rule: Pick<Rule, 'metric' | 'unit'>): Unit {
  if (rule.unit !== undefined) return rule.unit;
  const { metric } = rule;
  if (metric.kind === 'weekOverWeek') return 'change';
  if (metric.kind !== 'field') return 'rate';
  const name = metric.field.split('.').at(-1) ?? metric.field;
  if (name.endsWith('_rate')) return 'rate';
  if (name.includes('duration')) return 'seconds';
  if (name.startsWith('avg') || name.startsWith('average') || name.includes('score')) return 'number';
  return 'count';
}

/** "13:05" when `instant` falls on the same local date as `reference`, else "2026-03-07 13:05". */
export function formatLocalTime(instant: string | Date, timeZone: string, reference: Date): string {
  const clock = toWallClock(new Date(instant), timeZone);
  const time = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
  const date = formatDate(clock);
  return date === formatDate(toWallClock(reference, timeZone)) ? time : `${date} ${time}`;
}
