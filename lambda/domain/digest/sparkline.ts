const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** Shown for an hour without a row: a gap, so a missing hour does not pass for a quiet one. */
export const GAP = '·';

/**
 * One bar per value, scaled from 0 to the largest value: a quiet night stays low even when the
 * whole day was quiet. All zeros give a flat floor; a flat non-zero day gives full bars; an empty
 * list gives ''. Negative or non-finite values count as 0; null/undefined show as a gap.
 */
export function sparkline(values: ReadonlyArray<number | null | undefined>): string {
  const numbers = values.map((value) =>
    value === null || value === undefined ? undefined : Number.isFinite(value) && value > 0 ? value : 0,
  );
  const max = Math.max(0, ...numbers.map((value) => value ?? 0));
  return numbers
    .map((value) => {
      if (value === undefined) return GAP;
      const level = max === 0 ? 0 : Math.round((value / max) * (BARS.length - 1));
      return BARS[level] ?? BARS[0];
    })
    .join('');
}

/**
 * A label line to print under a sparkline: each label at the column of its bar, skipped when it
 * would touch or overlap the one before. `labels[i]` is undefined for unlabelled bars.
 */
export function sparklineAxis(labels: ReadonlyArray<string | undefined>): string {
  let line = '';
  labels.forEach((label, column) => {
    if (label === undefined || (line.length > 0 && line.length >= column)) return;
    line = line.padEnd(column, ' ') + label;
  });
  return line;
}
