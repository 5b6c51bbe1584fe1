import type { DigestFigures } from './day-figures';
import type { FigureDefinition } from './figure-catalogue';
import { type Change, compareFigure } from './figure-change';

/** An earlier day the digest compares with: `tag` is how a change names it ('d/d', 'w/w'). */
export interface Comparison {
  readonly tag: 'd/d' | 'w/w';
  readonly figures: DigestFigures;
}

/** A figure's change against each comparison, in the comparisons' order. */
export function changesOf(
  figure: FigureDefinition,
  current: DigestFigures,
  comparisons: ReadonlyArray<Comparison>,
): Array<{ readonly tag: Comparison['tag']; readonly change: Change }> {
  return comparisons.map((comparison) => ({
    tag: comparison.tag,
    change: compareFigure(current.values[figure.key], comparison.figures.values[figure.key], figure),
  }));
}

/** Why a figure has no value: the T+1 batch has not run yet, or the response simply lacks it. */
export function missingValueText(figure: FigureDefinition, current: DigestFigures): string {
  return figure.fromOffline && !current.offlineIn ? '_not in yet (T+1)_' : '_no data_';
}
