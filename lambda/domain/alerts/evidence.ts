/**
 * How much a window's figures can be trusted. A rate measured over few calls swings widely by
 * chance; rather than a fixed call minimum, a rule may judge the bound of the rate's confidence
 * interval that is least in favour of an alert. Few calls give a wide interval, so a handful of
 * night calls cannot cross a threshold, while a busy hour's real drop of a few points can.
 */

/**
 * The numbers a rule's thresholds are compared with when they are not the quoted value: `breach` is
 * the figure least in favour of an alert (a confidence bound, or the healthier of two windows), so
 * a breach is only called when even it is beyond the threshold; `recovery` the figure least in
 * favour of recovery, so an alert only ends when even it is back past `recovery`.
 */
export interface Judged {
  readonly breach: number;
  readonly recovery: number;
}

/** A two-sided interval around a measured rate, both ends in 0..1. */
export interface RateInterval {
  readonly low: number;
  readonly high: number;
}

/**
 * The standard normal quantile (inverse CDF) of `p`, 0 < p < 1: 0.975 → 1.95996…. Acklam's rational
 * approximation (relative error below 1.2e-9), ample for a confidence setting.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const tail = (q: number) =>
    ((((((c[0] ?? 0) * q + (c[1] ?? 0)) * q + (c[2] ?? 0)) * q + (c[3] ?? 0)) * q + (c[4] ?? 0)) * q +
      (c[5] ?? 0)) /
    (((((d[0] ?? 0) * q + (d[1] ?? 0)) * q + (d[2] ?? 0)) * q + (d[3] ?? 0)) * q + 1);
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    (((((((a[0] ?? 0) * r + (a[1] ?? 0)) * r + (a[2] ?? 0)) * r + (a[3] ?? 0)) * r + (a[4] ?? 0)) * r +
      (a[5] ?? 0)) *
      q) /
    ((((((b[0] ?? 0) * r + (b[1] ?? 0)) * r + (b[2] ?? 0)) * r + (b[3] ?? 0)) * r + (b[4] ?? 0)) * r + 1)
  );
}

/**
 * The Wilson score interval of `successes` out of `trials` at a two-sided `confidence` (0.95 → the
 * usual 95 % interval). Unlike the plain ±z·√(p(1−p)/n) interval it stays inside 0..1 and is honest
 * for 0 % and 100 % and for small counts. No trials: the whole 0..1 range (nothing is known).
 */
export function wilsonInterval(successes: number, trials: number, confidence: number): RateInterval {
  if (!(trials > 0)) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = Math.min(Math.max(successes / trials, 0), 1);
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const scale = 1 + z2 / trials;
  return {
    low: Math.max(0, (centre - spread) / scale),
    high: Math.min(1, (centre + spread) / scale),
  };
}

/** The nearest-rank `q` quantile (0 < q ≤ 1): the smallest value with at least q of them at or below it. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The median of `values` (at least one). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * The median absolute deviation scaled to estimate a standard deviation (×1.4826, exact for normal
 * data): one outlying week (a holiday) moves it little, unlike the standard deviation.
 */
export function robustSpread(values: readonly number[]): number {
  const centre = median(values);
  return 1.4826 * median(values.map((value) => Math.abs(value - centre)));
}
