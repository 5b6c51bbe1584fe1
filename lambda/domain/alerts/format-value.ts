import { formatDate, toWallClock } from '../local-time';
import type { Rule, Unit } from './rules';

/** Plain-text formatting of values, durations and times for alert messages (escape before mrkdwn). */

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

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percent = (fraction: number) => `${Number((fraction * 100).toFixed(1))}%`;

/** 0.412 → "41.2%" (rate), 0.45 → "+45%" (change), 38 → "38s", 1234 → "1,234", 3.2391 → "3.24". */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return 'no data';
  switch (unit) {
    case 'rate':
      return percent(value);
    case 'change':
      return value > 0 ? `+${percent(value)}` : percent(value);
    case 'seconds':
      return `${Math.round(value)}s`;
    case 'count':
      return counts.format(value);
    case 'number':
      return decimals.format(value);
  }
}

/** 3_000 → "< 1 min", 5_100_000 → "1 h 25 min", 183_600_000 → "2 d 3 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return '< 1 min';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

/** "13:05" when `instant` falls on the same local date as `reference`, else "2026-03-07 13:05". */
export function formatLocalTime(instant: string | Date, timeZone: string, reference: Date): string {
  const clock = toWallClock(new Date(instant), timeZone);
  const time = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
  const date = formatDate(clock);
  return date === formatDate(toWallClock(reference, timeZone)) ? time : `${date} ${time}`;
}
