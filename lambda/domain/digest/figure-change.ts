import type { FigureKind } from './figure-catalogue';

/** Good or bad news, or neither (a neutral figure, or a move smaller than its noise). */
export type Tone = 'good' | 'bad' | 'neutral';

/**
 * How a figure moved against an earlier day.
 * - `no-data`: either side is unknown; nothing to compare.
 * - `new`: the earlier value was 0 and a percentage (or a score difference) would mean nothing.
 * - `delta`: `delta` in % (counts, seconds), percentage points (rates) or points (scores).
 */
export type Change =
  | { readonly kind: 'no-data' }
  | { readonly kind: 'new'; readonly tone: Tone }
  | {
      readonly kind: 'delta';
      readonly delta: number;
      readonly unit: 'percent' | 'points';
      /** |delta| reached the figure's noise threshold. */
      readonly notable: boolean;
      readonly tone: Tone;
    };

/** Compares `current` with `previous` as `kind` says; never divides by zero. */
export function compareFigure(
  current: number | undefined,
  previous: number | undefined,
  kind: FigureKind,
): Change {
  if (current === undefined || previous === undefined) return { kind: 'no-data' };
  const relative = kind.measure === 'count' || kind.measure === 'seconds';
  if (previous === 0 && current !== 0 && kind.measure !== 'rate') {
    return { kind: 'new', tone: toneOf(current > 0 ? 1 : -1, kind) };
  }
  const delta = relative
    ? previous === 0
      ? 0
      : ((current - previous) / Math.abs(previous)) * 100
    : kind.measure === 'rate'
      ? (current - previous) * 100
      : current - previous;
  // Rates arrive with four decimals: compare what a reader sees, not binary-float residue.
  const rounded = Math.round(delta * 1e6) / 1e6;
  const notable = Math.abs(rounded) >= kind.noise && rounded !== 0;
  return {
    kind: 'delta',
    delta: rounded,
    unit: relative ? 'percent' : 'points',
    notable,
    tone: notable ? toneOf(Math.sign(rounded), kind) : 'neutral',
  };
}

function toneOf(direction: number, kind: FigureKind): Tone {
  if (kind.better === 'neither' || direction === 0) return 'neutral';
  return direction > 0 === (kind.better === 'up') ? 'good' : 'bad';
}
