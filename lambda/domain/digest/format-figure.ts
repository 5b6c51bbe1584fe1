import type { Measure } from './figure-catalogue';
import type { Change, Tone } from './figure-change';

/**
 * How figures and changes read in the digest: fixed formats (no locale), so the message is the same
 * on every machine and the golden file stays byte-for-byte stable.
 */

export const TONE_EMOJI: Readonly<Record<Tone, string>> = { good: '🟢', bad: '🔴', neutral: '⚪' };

/** 12345 → '12,345'. */
export function formatCount(value: number): string {
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.92345 → '92.3%'. */
export const formatRate = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** 85 → '1m 25s'; 32 → '32s'. */
export function formatSeconds(value: number): string {
  const total = Math.round(value);
  if (total < 60) return `${total}s`;
  const seconds = total % 60;
  return seconds === 0 ? `${Math.floor(total / 60)}m` : `${Math.floor(total / 60)}m ${seconds}s`;
}

/** A figure's value as it is shown. */
export function formatValue(value: number, measure: Measure): string {
  switch (measure) {
    case 'count':
      return formatCount(value);
    case 'rate':
      return formatRate(value);
    case 'seconds':
      return formatSeconds(value);
    case 'score':
      return `${value.toFixed(2)} / 5`;
  }
}

/**
 * A change with its arrow, no colour: '▲ 4%', '▼ 1.1 pp', '▲ 0.12', '= 0%', '▲ new', 'n/a'.
 * Percent changes keep one decimal below 1%, so a small move does not read as none.
 */
export function formatChange(change: Change, measure: Measure): string {
  if (change.kind === 'no-data') return 'n/a';
  if (change.kind === 'new') return '▲ new';
  const magnitude = Math.abs(change.delta);
  let shown: string;
  if (measure === 'rate') shown = `${magnitude.toFixed(1)} pp`;
  else if (measure === 'score') shown = magnitude.toFixed(2);
  else shown = magnitude < 1 ? `${magnitude.toFixed(1)}%` : `${Math.round(magnitude)}%`;
  // A move that rounds to nothing reads as no move, whichever way it went.
  if (!/[1-9]/.test(shown)) return measure === 'count' || measure === 'seconds' ? '= 0%' : `= ${shown}`;
  return `${change.delta > 0 ? '▲' : '▼'} ${shown}`;
}

/** A change with its colour and what it is against: '🔴 ▼ 7.9 pp d/d'; 'n/a d/d' without colour. */
export function formatToneChange(change: Change, measure: Measure, against: string): string {
  const text = `${formatChange(change, measure)} ${against}`;
  return change.kind === 'no-data' ? text : `${TONE_EMOJI[change.tone]} ${text}`;
}
