import { formatMetric, formatNumber, formatPercentNumber } from '../metric-format';
import type { Measure } from './figure-catalogue';
import type { Change, Tone } from './figure-change';

/** How changes read in the digest; values read as `../metric-format` says, like in the alerts. */

export const TONE_EMOJI: Readonly<Record<Tone, string>> = { good: '🟢', bad: '🔴', neutral: '⚪' };

/** A figure's value as it is shown: the product's one metric vocabulary. */
export const formatValue = (value: number, measure: Measure): string => formatMetric(value, measure);

/**
 * A change with its arrow, no colour: '▲ 4%', '▼ 1.1 pp', '▲ 0.12', '= 0%', '▲ new', 'n/a'.
 */
export function formatChange(change: Change, measure: Measure): string {
  if (change.kind === 'no-data') return 'n/a';
  if (change.kind === 'new') return '▲ new';
  const magnitude = Math.abs(change.delta);
  let shown: string;
  if (measure === 'rate') shown = `${formatPercentNumber(magnitude)} pp`;
  else if (measure === 'score') shown = formatNumber(magnitude);
  else shown = `${formatPercentNumber(magnitude)}%`;
  // A move that rounds to nothing reads as no move, whichever way it went.
  if (!/[1-9]/.test(shown)) return `= ${shown}`;
  return `${change.delta > 0 ? '▲' : '▼'} ${shown}`;
}

/** A change with its colour and what it is against: '🔴 ▼ 7.9 pp d/d'; 'n/a d/d' without colour. */
export function formatToneChange(change: Change, measure: Measure, against: string): string {
  const text = `${formatChange(change, measure)} ${against}`;
  return change.kind === 'no-data' ? text : `${TONE_EMOJI[change.tone]} ${text}`;
}
