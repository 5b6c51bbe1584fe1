/**
 * The product's one metric vocabulary: how a rate, a count, a duration or a score reads, in alerts,
 * digests and terminal output alike, and which rates are derived from which counts. Fixed formats
 * (no locale), so a message is the same on every machine and golden files stay byte-for-byte stable.
 * Plain text: escape before putting anything here next to outside strings in mrkdwn.
 */

/**
 * How a value is shown. `rate` is a fraction (0.75 → 75%), `change` a relative change as a
 * fraction (0.45 → +45%), `seconds` a duration, `score` a 1–5 rating, `number` anything else.
 */
export const METRIC_UNITS = ['count', 'rate', 'change', 'seconds', 'score', 'number'] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

/** 12345 → '12,345'; 12.6 → '13'. */
export function formatCount(value: number): string {
  const sign = value < 0 && Math.round(Math.abs(value)) !== 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** One decimal at most, no trailing zero, never '-0': 4.8943 → '4.9', 75 → '75', -0.01 → '0'. */
function oneDecimal(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

/** Percentage points or a percent: 7.94 → '7.9', 75 → '75' (the caller adds '%' or ' pp'). */
export const formatPercentNumber = oneDecimal;

/** A fraction as a percent: 0.75 → '75%', 0.92345 → '92.3%'. */
export const formatRate = (fraction: number): string => `${oneDecimal(fraction * 100)}%`;

/** A relative change with its sign: 0.45 → '+45%', -0.5 → '-50%', 0 → '0%'. */
export function formatSignedRate(fraction: number): string {
  const shown = formatRate(fraction);
  return fraction > 0 && shown !== '0%' ? `+${shown}` : shown;
}

/** Up to two decimals, no trailing zeros: 4.8943 → '4.89', 4.1 → '4.1', 1234.5 → '1,234.5'. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const whole = Math.trunc(Math.abs(rounded));
  const fraction = String(Math.round((Math.abs(rounded) - whole) * 100))
    .padStart(2, '0')
    .replace(/0+$/, '');
  const sign = rounded < 0 ? '-' : '';
  return `${sign}${formatCount(whole)}${fraction === '' ? '' : `.${fraction}`}`;
}

const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

/**
 * A duration in seconds, in its two largest units: 32 → '32s', 85 → '1m 25s', 3_600 → '1h',
 * 5_100 → '1h 25m', 183_600 → '2d 3h'. The same words for an average call length and for how long
 * an alert lasted.
 */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const first = UNITS.findIndex(([, size]) => total >= size);
  if (first === -1) return '0s';
  const [suffix, size] = UNITS[first] as (typeof UNITS)[number];
  const parts = [`${Math.floor(total / size)}${suffix}`];
  const next = UNITS[first + 1];
  if (next !== undefined) {
    const amount = Math.floor((total % size) / next[1]);
    if (amount > 0) parts.push(`${amount}${next[0]}`);
  }
  return parts.join(' ');
}

/** A duration given in milliseconds (an alert's age), as `formatDuration` says it. */
export const formatElapsed = (ms: number): string => formatDuration(ms / 1000);

/** A metric value as it is shown everywhere; `null`/`undefined` (nothing measured) reads 'no data'. */
export function formatMetric(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined) return 'no data';
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'rate':
      return formatRate(value);
    case 'change':
      return formatSignedRate(value);
    case 'seconds':
      return formatDuration(value);
    case 'score':
      return `${formatNumber(value)} / 5`;
    case 'number':
      return formatNumber(value);
  }
}

/**
 * Rates AIRUDDER may leave null (or, in daily rows, not give at all), and the counts of the same row
 * they are derived from. AIRUDDER documents neither definition; these are the stand-in's and the
 * documented example's: attempted transfers divide by valid calls, not total calls.
 */
export const DERIVED_RATES: Readonly<Record<string, readonly [numerator: string, denominator: string]>> = {
  transfer_success_rate: ['transfer_success_calls', 'attempted_transfer_calls'],
  attempted_transfer_rate: ['attempted_transfer_calls', 'valid_calls'],
};

/**
 * The count a rate is a share of (its trials), for rates whose count the response carries: what a
 * confidence interval rests on. agent_reception_rate is the share of successful transfers an agent
 * picked up, so it rests on transfer_success_calls. AIRUDDER documents none of these definitions.
 */
export const RATE_TRIALS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(DERIVED_RATES).map(([rate, [, whole]]) => [rate, whole])),
  agent_reception_rate: 'transfer_success_calls',
  // Calls that were repeat calls, read as the stand-in defines it: (total_calls − call_users) / total_calls.
  duplicate_call_rate: 'total_calls',
  // Valid calls solved without a further call, read as the stand-in defines it: solved / valid_calls.
  one_call_problem_solve_rate: 'valid_calls',
};

/** A rate from its counts, rounded like AIRUDDER's (4 decimals); undefined when the divisor is 0 or unknown. */
export function deriveRate(part: number | undefined, whole: number | undefined): number | undefined {
  if (part === undefined || whole === undefined || !(whole > 0)) return undefined;
  return Math.round((part / whole) * 10_000) / 10_000;
}
