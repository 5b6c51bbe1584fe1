import type { DigestFigures } from './day-figures';
import type { FiredAlert } from './digest-input';
import { figureDefinition } from './figure-catalogue';
import { type Comparison, changesOf } from './figure-comparison';
import { formatChange, formatValue } from './format-figure';

/**
 * The notification fallback, for a phone's lock screen: the day, calls and transfer success with
 * their change against the nearest earlier day, and the alert count. Only our own words and
 * numbers, so there is nothing to escape.
 * e.g. 'Robot digest Tue 11 Nov: 966 calls (▼ 1.6% d/d), transfer success 84.8% (▼ 7.9 pp d/d), 2 alerts'
 */
export function notificationText(
  dayLabel: string,
  figures: DigestFigures,
  comparisons: ReadonlyArray<Comparison>,
  alerts: ReadonlyArray<FiredAlert>,
): string {
  const parts = [
    headline('totalCalls', 'calls', figures, comparisons, true),
    headline('transferSuccessRate', 'transfer success', figures, comparisons, false),
  ].filter((part) => part !== undefined);
  if (parts.length === 0) parts.push('no call figures');
  parts.push(alerts.length === 0 ? 'no alerts' : alerts.length === 1 ? '1 alert' : `${alerts.length} alerts`);
  if (!figures.offlineIn) parts.push('T+1 figures not in yet');
  return `Robot digest ${dayLabel}: ${parts.join(', ')}`;
}

function headline(
  key: 'totalCalls' | 'transferSuccessRate',
  name: string,
  figures: DigestFigures,
  comparisons: ReadonlyArray<Comparison>,
  nameAfter: boolean,
): string | undefined {
  const value = figures.values[key];
  if (value === undefined) return undefined;
  const figure = figureDefinition(key);
  const shown = formatValue(value, figure.measure);
  const text = nameAfter ? `${shown} ${name}` : `${name} ${shown}`;
  const nearest = changesOf(figure, figures, comparisons).find(({ change }) => change.kind !== 'no-data');
  return nearest === undefined
    ? text
    : `${text} (${formatChange(nearest.change, figure.measure)} ${nearest.tag})`;
}
