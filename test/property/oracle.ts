/**
 * The reference: every figure a message may quote, recomputed straight from the archived response
 * bytes, with its own JSON reading, its own clock and its own formatting. It deliberately imports
 * nothing from lambda/ (no calculator, no formatter, no key builder), so a mistake there cannot
 * hide here. What it follows is the documented meaning (README, Alerts and Digest sections):
 * - a rate is the response's own rate field (a fraction, four decimals); a transfer success rate the
 *   response lacks is transfer_success_calls / attempted_transfer_calls rounded to four decimals;
 * - a rule on a rolling window reads the total of the window response the check archived for its
 *   scheduled time (raw/window/…/<scheduled UTC>_…); a week-over-week rule compares it with the
 *   window archived a week earlier, or, for a 60-minute window ending on the hour, with that hour's
 *   row of the whole-day response archived a week earlier: (now − then) / then;
 * - the counts behind a transfer rate ("57 of 118 transfers") are shown only when they give the rate;
 * - a peak-concurrency rule divides the latest finished day's max_concurrent_call_count (the
 *   whole-day response archived by the check's time) by the line capacity.
 */

type Json = { readonly [key: string]: unknown };

/** What the oracle reads: the archive's keys and bytes. */
export interface ArchiveBytes {
  keys(prefix: string): string[];
  bytes(key: string): Uint8Array | undefined;
}

const DAY_MS = 86_400_000;
const decoder = new TextDecoder();

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A number as the API may send it: a number or a numeric string. */
function numberAt(row: Json | undefined, field: string): number | undefined {
  const value = row?.[field];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function readJson(bytes: Uint8Array | undefined): Json | undefined {
  if (bytes === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(decoder.decode(bytes));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function path(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/** '20251104T030000Z', as archive keys name a scheduled instant. */
const compactUtc = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local wall clock of an instant, by the platform's time-zone database. */
export function wallClock(at: Date, timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    hour: Number(part('hour')),
    minute: Number(part('minute')),
    second: Number(part('second')),
    hhmm: `${part('hour')}:${part('minute')}`,
  };
}

/** The rate field of a row, or a transfer success rate from its counts (four decimals). */
export function rateOf(row: Json | undefined, field: string): number | undefined {
  const value = numberAt(row, field);
  if (value !== undefined) return value;
  if (field !== 'transfer_success_rate') return undefined;
  const part = numberAt(row, 'transfer_success_calls');
  const whole = numberAt(row, 'attempted_transfer_calls');
  return part === undefined || whole === undefined || whole <= 0
    ? undefined
    : Math.round((part / whole) * 10_000) / 10_000;
}

/** "57 of 118 transfers": the counts behind a transfer rate, when they give the rate shown. */
export function basisOf(row: Json | undefined, field: string): { part: number; whole: number } | undefined {
  const counts: Record<string, [string, string]> = {
    transfer_success_rate: ['transfer_success_calls', 'attempted_transfer_calls'],
    attempted_transfer_rate: ['attempted_transfer_calls', 'valid_calls'],
  };
  const names = counts[field];
  if (names === undefined) return undefined;
  const part = numberAt(row, names[0]);
  const whole = numberAt(row, names[1]);
  const value = numberAt(row, field);
  if (part === undefined || whole === undefined || !(whole > 0)) return undefined;
  if (value !== undefined && Math.abs(part / whole - value) >= 5e-4) return undefined;
  return { part, whole };
}

export class Oracle {
  constructor(
    private readonly archive: ArchiveBytes,
    private readonly timeZone: string,
  ) {}

  /**
   * The realtime total of the rolling window of `minutes` a check archived for the scheduled instant
   * `at` (the key names the instant, then the window's local start: `minutes` earlier on the clock).
   */
  windowTotal(at: Date, minutes = 60): Json | undefined {
    const start = wallClock(new Date(at.getTime() - minutes * 60_000), this.timeZone);
    const two = (n: number) => String(n).padStart(2, '0');
    const stamp = `${compactUtc(at)}_${start.date.replace(/-/g, '')}T${two(start.hour)}${two(start.minute)}${two(start.second)}_`;
    const key = this.archive
      .keys('raw/window/')
      .find((candidate) => candidate.split('/')[3]?.startsWith(stamp));
    const total = path(
      readJson(key === undefined ? undefined : this.archive.bytes(key)),
      'data',
      'realtime',
      'total',
    );
    return isRecord(total) ? total : undefined;
  }

  /** The newest whole-day response of `date` archived at or before `by` (any time when absent). */
  day(date: string, by?: Date): Json | undefined {
    const keys = this.archive
      .keys(`raw/day/${date}/`)
      .filter((key) => by === undefined || (key.split('/')[3] ?? '').slice(0, 16) <= compactUtc(by))
      .sort();
    for (const key of keys.toReversed()) {
      const json = readJson(this.archive.bytes(key));
      if (json !== undefined && json.code === 200) return json;
    }
    return undefined;
  }

  /** The hourly row of the local hour ending at `at` in the whole day, if `at` ends an hour. */
  private hourRowEnding(at: Date): Json | undefined {
    const end = wallClock(at, this.timeZone);
    const lastSecond = end.hour === 23 && end.minute === 59 && end.second === 59;
    if (!lastSecond && (end.minute !== 0 || end.second !== 0)) return undefined;
    const within = wallClock(new Date(at.getTime() - 1_000), this.timeZone);
    const time = `${within.date} ${String(within.hour).padStart(2, '0')}:00:00`;
    const rows = path(this.day(within.date), 'data', 'realtime', 'hourly', 'data_list');
    return Array.isArray(rows) ? rows.find((row) => isRecord(row) && row.time === time) : undefined;
  }

  /** The week-earlier counterpart of the window at `at`: archived, or that hour's row. */
  private weekAgoWindow(at: Date, minutes: number): Json | undefined {
    const weekAgo = new Date(at.getTime() - 7 * DAY_MS);
    return this.windowTotal(weekAgo, minutes) ?? (minutes === 60 ? this.hourRowEnding(weekAgo) : undefined);
  }

  /** The figure a rule quoted for the run at `at`: value, its counts, the calls that gate it. */
  measure(rule: OracleRule, at: Date, lineCapacity?: number): Measured | undefined {
    const minutes = rule.window?.minutes ?? 60;
    if (rule.metric.kind === 'field') {
      const field = rule.metric.field;
      // A two-window rule quotes its short window: with a confidence whenever the quarter-hour holds
      // any of the rate's trials, unless its lower bound has not recovered and the long window's
      // figure has (its bound, or its raw rate while it holds fewer than minCalls calls); without a
      // confidence once it holds minCalls calls. The long one otherwise.
      const short = rule.window?.short === undefined ? undefined : this.windowTotal(at, rule.window.short);
      const long = this.windowTotal(at, minutes);
      const shortCalls = numberAt(short, 'total_calls');
      const trials = TRIALS_OF[field];
      const recoveryConfidence = rule.confidence?.recovery;
      const weighed =
        recoveryConfidence !== undefined && trials !== undefined && (numberAt(short, trials) ?? 0) > 0;
      let quoteShort = shortCalls === undefined || shortCalls >= (rule.minCalls ?? 0);
      if (weighed && trials !== undefined && recoveryConfidence !== undefined) {
        const back = (figure: number | undefined) =>
          figure !== undefined &&
          (rule.comparison === 'below' ? figure >= (rule.recovery ?? 0) : figure <= (rule.recovery ?? 0));
        const bound = (row: Json | undefined) => {
          const rate = rateOf(row, field);
          const n = numberAt(row, trials);
          if (rate === undefined || n === undefined || n <= 0) return undefined;
          const [low, high] = wilson(Math.round(rate * n), n, recoveryConfidence);
          return rule.comparison === 'below' ? low : high;
        };
        const longJudged = (numberAt(long, 'total_calls') ?? 0) >= (rule.minCalls ?? 0);
        const longFigure = longJudged ? bound(long) : rateOf(long, field);
        quoteShort = back(bound(short)) || !back(longFigure);
      }
      const total = short !== undefined && quoteShort ? short : long;
      const value = rateOf(total, field);
      if (value === undefined) return undefined;
      const basis = basisOf(total, field);
      // The calls that gate the judgement are the long window's, whichever window is quoted.
      return { value, calls: numberAt(long, 'total_calls'), ...(basis ? { basis } : {}) };
    }
    if (rule.metric.kind === 'weekOverWeek') {
      const now = numberAt(this.windowTotal(at, minutes), rule.metric.field);
      const before = this.weekAgoWindow(at, minutes);
      const then = numberAt(before, rule.metric.field);
      if (now === undefined || then === undefined || then === 0) return undefined;
      return { value: (now - then) / then, calls: numberAt(before, 'total_calls') };
    }
    if (rule.metric.kind === 'capacityUtilisation' && lineCapacity) {
      const today = wallClock(at, this.timeZone).date;
      for (const back of [1, 2]) {
        const date = shiftDate(today, -back);
        const rows = path(this.day(date, at), 'data', 'offline', 'daily', 'data_list');
        const row = Array.isArray(rows)
          ? rows.find((candidate) => isRecord(candidate) && candidate.date === date)
          : undefined;
        const peak = numberAt(isRecord(row) ? row : undefined, 'max_concurrent_call_count');
        if (peak !== undefined) return { value: peak / lineCapacity, calls: undefined };
        if (this.day(date, at) !== undefined) return undefined;
      }
    }
    return undefined;
  }

  /** The whole day's realtime daily row of `date` (the digest's figures). */
  dailyRow(date: string): Json | undefined {
    const rows = path(this.day(date), 'data', 'realtime', 'daily', 'data_list');
    const row = Array.isArray(rows)
      ? rows.find((candidate) => isRecord(candidate) && candidate.date === date)
      : undefined;
    return isRecord(row) ? row : undefined;
  }
}

export interface Measured {
  readonly value: number;
  readonly calls: number | undefined;
  readonly basis?: { readonly part: number; readonly whole: number };
}

/** The count each rate is a share of, as AIRUDDER's fields define it (written out here, not imported). */
const TRIALS_OF: Readonly<Record<string, string>> = {
  transfer_success_rate: 'attempted_transfer_calls',
  attempted_transfer_rate: 'valid_calls',
  agent_reception_rate: 'transfer_success_calls',
  duplicate_call_rate: 'total_calls',
  one_call_problem_solve_rate: 'valid_calls',
};

/** The standard normal quantile, by bisection on an erf approximation (Abramowitz–Stegun 7.1.26). */
function normalQuantile(p: number): number {
  const erf = (x: number) => {
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const y =
      1 -
      t *
        (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
        Math.exp(-x * x);
    return x < 0 ? -y : y;
  };
  let low = -10;
  let high = 10;
  for (let step = 0; step < 80; step++) {
    const mid = (low + high) / 2;
    if (0.5 * (1 + erf(mid / Math.SQRT2)) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The Wilson score interval of k successes in n at a two-sided confidence, [low, high]. */
function wilson(k: number, n: number, confidence: number): [number, number] {
  const z = normalQuantile(0.5 + confidence / 2);
  const p = k / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const scale = 1 + (z * z) / n;
  return [Math.max(0, (centre - spread) / scale), Math.min(1, (centre + spread) / scale)];
}

/** The parts of a rule the oracle reads, as the rules file writes them. */
export interface OracleRule {
  readonly window?: { readonly minutes: number; readonly short?: number };
  readonly minCalls?: number;
  /** The Wilson confidences the rule judges with, when it weighs its evidence. */
  readonly confidence?: { readonly recovery: number };
  readonly comparison?: 'below' | 'above';
  readonly recovery?: number;
  readonly metric:
    | { readonly kind: 'field'; readonly field: string }
    | { readonly kind: 'weekOverWeek'; readonly field: string }
    | { readonly kind: 'capacityUtilisation' }
    | { readonly kind: 'share' | 'ratio' };
}

export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

// ---- printed precision, written out again

const oneDecimal = (value: number) => {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
};
const grouped = (value: number) => String(Math.round(Math.abs(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A value as a message prints it, by unit: '48.3%', '+120%', '1,234'. */
export function printed(value: number, unit: string): string {
  switch (unit) {
    case 'rate':
      return `${oneDecimal(value * 100)}%`;
    case 'change': {
      const shown = `${oneDecimal(value * 100)}%`;
      return value > 0 && shown !== '0%' ? `+${shown}` : shown;
    }
    case 'count':
      return `${value < 0 && Math.round(Math.abs(value)) !== 0 ? '-' : ''}${grouped(value)}`;
    default:
      throw new Error(`the oracle prints no ${unit} figures`);
  }
}

/** A duration as messages print it: its two largest units, '5h 15m', '45m', '1d 2h'. */
export function printedDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const first = units.findIndex(([, size]) => total >= size);
  if (first === -1) return '0s';
  const [suffix, size] = units[first] as [string, number];
  const parts = [`${Math.floor(total / size)}${suffix}`];
  const next = units[first + 1];
  if (next !== undefined && Math.floor((total % size) / next[1]) > 0) {
    parts.push(`${Math.floor((total % size) / next[1])}${next[0]}`);
  }
  return parts.join(' ');
}

/**
 * Slack app mode's incidents of a local date, read from the alert state document's bytes
 * (state/alerts.json: `incident`, the open one, and `incidents`, the closed ones): what the digest's
 * incident line must say of each, in the order they opened. Time to acknowledge counts from the
 * incident's opening to its acknowledgement, time to resolve to its closing.
 */
export function incidentFigures(
  stateBytes: Uint8Array | undefined,
  date: string,
  timeZone: string,
): Array<{ opened: string; acknowledged: string; resolved: string }> {
  const state = readJson(stateBytes);
  const open = path(state, 'incident');
  const closed = path(state, 'incidents');
  const records = [...(Array.isArray(closed) ? closed : []), ...(isRecord(open) ? [open] : [])].filter(
    isRecord,
  );
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return records
    .flatMap((record) => {
      const opened = text(record.openedAt);
      if (opened === undefined) return [];
      const closedAt = text(record.closedAt);
      if (wallClock(new Date(opened), timeZone).date > date) return [];
      if (closedAt !== undefined && wallClock(new Date(closedAt), timeZone).date < date) return [];
      const ackAt = text(path(record, 'acknowledged', 'at'));
      const ackBy = text(path(record, 'acknowledged', 'by'));
      return [
        {
          openedMs: Date.parse(opened),
          opened:
            wallClock(new Date(opened), timeZone).date === date
              ? wallClock(new Date(opened), timeZone).hhmm
              : '',
          acknowledged:
            ackAt === undefined
              ? 'not acknowledged'
              : `acknowledged after ${printedDuration(Date.parse(ackAt) - Date.parse(opened))} by <@${ackBy}>`,
          resolved:
            closedAt === undefined
              ? 'still open'
              : `resolved after ${printedDuration(Date.parse(closedAt) - Date.parse(opened))}`,
        },
      ];
    })
    .sort((a, b) => a.openedMs - b.openedMs)
    .map(({ opened, acknowledged, resolved }) => ({ opened, acknowledged, resolved }));
}
