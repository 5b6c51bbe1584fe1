/** Small statistics for repeated timings. */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[above] ?? low;
  return low + (high - low) * (position - below);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export interface Spread {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly n: number;
}

export const spread = (values: readonly number[]): Spread => ({
  median: median(values),
  p10: quantile(values, 0.1),
  p90: quantile(values, 0.9),
  n: values.length,
});

export const kib = (bytes: number): number => bytes / 1024;
export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
