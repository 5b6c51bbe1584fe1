import {
  addDays,
  formatDate,
  formatWallClock,
  fromWallClock,
  localDate,
  parseWallClock,
  toWallClock,
  type WallClock,
} from '../shared/local-time';
import { dayRows, latestOfflineRow } from '../statistics/day-rows';
import { DERIVED_RATES, formatMetric } from '../statistics/metric-format';
import { type Row, readNumber, readObject } from '../statistics/numbers';
import type { StatisticsResponse } from '../statistics/schema';
import { type Judged, median, robustSpread, wilsonInterval } from './evidence';
import { metricUnit } from './format-value';
import { type Metric, type MetricKind, rateTrials } from './metrics';
import { isBackPast, type Rule } from './rules';

/**
 * The rows a scope reads from a response. Rows are plain records so that a rule can name any numeric
 * field, including ones AIRUDDER adds later (the schema keeps unknown keys).
 */

export interface ScopeData {
  /** Looked up in order: the first row holding a field wins. */
  readonly rows: readonly Row[];
  /** Calls in scope for `minCalls`; undefined = no gate (the offline row lacks call_users). */
  readonly calls: number | undefined;
  /** For messages, without the zone: "last 60 min", "today so far", "13:00–14:00", "2025-11-10 (offline)". */
  readonly window: string;
  /** The local start of the hour, for `last-complete-hour` (week-over-week looks it up a week back). */
  readonly hour?: WallClock;
}

export type ScopeResult =
  | { readonly found: true; readonly data: ScopeData }
  | { readonly found: false; readonly reason: string };

export interface ScopeSources {
  readonly statistics: StatisticsResponse;
  /** This run's rolling-window responses, by window length in minutes. */
  readonly windows?: ReadonlyMap<number, StatisticsResponse>;
  /** Another response whose offline rows count too (the check window holds no finished day). */
  readonly latestOffline?: StatisticsResponse;
  readonly at: Date;
  readonly timeZone: string;
}

const HOUR_MS = 3_600_000;
const pad = (value: number) => String(value).padStart(2, '0');
const hhmm = (clock: WallClock) => `${pad(clock.hour)}:${pad(clock.minute)}`;

/** What a rule judges: its rolling window, or its fixed scope. */
export function selectScope(rule: Pick<Rule, 'scope' | 'window'>, sources: ScopeSources): ScopeResult {
  if (rule.window !== undefined) return rollingWindow(rule.window.minutes, sources.windows);
  switch (rule.scope ?? 'day-so-far') {
    case 'day-so-far':
      return daySoFar(sources);
    case 'last-complete-hour':
      return lastCompleteHour(sources);
    case 'latest-offline-day':
      return latestOfflineDay(sources);
  }
}

/** The whole response of a rolling window: its total carries every figure a rule may name. */
function rollingWindow(
  minutes: number,
  windows: ReadonlyMap<number, StatisticsResponse> | undefined,
): ScopeResult {
  const response = windows?.get(minutes);
  if (response === undefined)
    return { found: false, reason: `the ${minutes}-min window response is missing` };
  const total = response.data.realtime?.total;
  if (total == null)
    return { found: false, reason: `the ${minutes}-min window response has no realtime total` };
  const rows = [total];
  return {
    found: true,
    data: { rows, calls: readNumber(rows, 'total_calls'), window: `last ${minutes} min` },
  };
}

function daySoFar({ statistics, at, timeZone }: ScopeSources): ScopeResult {
  // The day's daily row carries the distributions the total lacks (hangups, satisfaction).
  const daily = dayRows(statistics, localDate(at, timeZone)).realtimeDaily;
  const rows = [statistics.data.realtime?.total, daily].filter(
    (row): row is NonNullable<typeof row> => row != null,
  );
  if (rows.length === 0) return { found: false, reason: 'the response has no realtime total' };
  const calls = readNumber(rows, 'total_calls');
  const window = `today so far (00:00–${hhmm(toWallClock(at, timeZone))})`;
  return { found: true, data: { rows, calls, window } };
}

function lastCompleteHour({ statistics, at, timeZone }: ScopeSources): ScopeResult {
  // Wall-clock strings sort as their instants do, so only the newest rows need a (costly) zone
  // conversion: scan from the newest down to the first complete hour.
  const newestFirst = (statistics.data.realtime?.hourly?.data_list ?? [])
    .flatMap((row) => {
      const clock = parseWallClock(row.time);
      return clock === undefined ? [] : [{ row, clock }];
    })
    .sort((a, b) => b.row.time.localeCompare(a.row.time));
  for (const { row, clock } of newestFirst) {
    const start = fromWallClock(clock, timeZone).getTime();
    // Rows dated after the run (drift) or for the hour still running are not complete; the first
    // complete one is the latest.
    if (start + HOUR_MS <= at.getTime())
      return hourScope(row, clock, start, timeZone, localDate(at, timeZone));
  }
  return { found: false, reason: 'no hourly row has completed yet' };
}

/** One hourly row as a scope: "13:00–14:00", dated when it is not the run's day. */
function hourScope(row: Row, clock: WallClock, start: number, timeZone: string, today: string): ScopeResult {
  const end = toWallClock(new Date(start + HOUR_MS), timeZone);
  const day = formatDate(clock) === today ? '' : `${formatDate(clock)} `;
  const rows = [row];
  const window = `${day}${hhmm(clock)}–${hhmm(end)}`;
  return { found: true, data: { rows, calls: readNumber(rows, 'total_calls'), window, hour: clock } };
}

function latestOfflineDay({ statistics, latestOffline, at, timeZone }: ScopeSources): ScopeResult {
  const row = latestOfflineRow([statistics, latestOffline], localDate(at, timeZone));
  if (row === undefined) return { found: false, reason: 'no offline daily row is available' };
  const rows = [row];
  return {
    found: true,
    data: {
      rows,
      calls: readNumber(rows, 'user_distribution.call_users'),
      window: `${row.date} (offline)`,
    },
  };
}

/** The counts behind a rate, for messages: "57 of 118 transfers". */
export interface Basis {
  readonly part: number;
  readonly whole: number;
  readonly noun: string;
}

/** What one run found for one rule, before any state is involved. */
export type Measurement =
  | {
      readonly kind: 'value';
      readonly value: number;
      readonly calls?: number;
      readonly window: string;
      readonly basis?: Basis;
      /** What the thresholds are compared with, when not `value` itself (confidence bounds, two windows). */
      readonly judged?: Judged;
    }
  /**
   * Fewer calls than `minCalls`: no breach. `value` is what the few calls said; it may only end a
   * firing alert (recovery), so an incident that ends in the quiet evening resolves that evening.
   */
  | {
      readonly kind: 'not-judged';
      readonly reason: string;
      readonly calls: number;
      readonly window: string;
      readonly value?: number;
      /**
       * The figure a recovery is judged on when it is not `value`: a two-window rule with a
       * confidence whose long window is too quiet judges the short one's recovery bound.
       */
      readonly recovery?: number;
    }
  | { readonly kind: 'no-data'; readonly reason: string; readonly window?: string }
  /** The rule cannot run in this configuration (capacity without lineCapacity): a reason, not an error. */
  | { readonly kind: 'skipped'; readonly reason: string };

export interface MeasureContext extends ScopeSources {
  /** The response of the same scheduled time one week earlier (from the archive), for weekOverWeek. */
  readonly lastWeek?: StatisticsResponse;
  /** The rolling-window responses of the same scheduled time one week earlier, by minutes. */
  readonly lastWeekWindows?: ReadonlyMap<number, StatisticsResponse>;
  /**
   * The same, two, three… weeks earlier (index 0 = two weeks ago), for seasonal baselines; a week
   * whose response is not archived is an empty map.
   */
  readonly olderWeekWindows?: ReadonlyArray<ReadonlyMap<number, StatisticsResponse>>;
  /** Simultaneous calls the account's lines carry, for capacityUtilisation. */
  readonly lineCapacity?: number;
}

/** What the denominator of a derived rate counts, for "57 of 118 transfers". */
const BASIS_NOUNS: Readonly<Record<string, string>> = {
  transfer_success_rate: 'transfers',
  attempted_transfer_rate: 'valid calls',
};

type Computed =
  | {
      readonly value: number;
      readonly calls?: number;
      readonly basis?: Basis;
      readonly judged?: Judged;
      /** Said after the window: what the value was compared with, when that varies. */
      readonly note?: string;
    }
  | { readonly reason: string };

/** A capacity rule without a configured line capacity cannot run: it is skipped, and reads nothing. */
const lacksCapacity = (rule: Rule, lineCapacity: number | undefined): boolean =>
  rule.metric.kind === 'capacityUtilisation' && (lineCapacity ?? 0) <= 0;

/** Which earlier archived responses the rules can use, so a check reads only those. */
export interface ArchivedNeeds {
  /** The check of the same time a week earlier: weekOverWeek on the last complete hour. */
  readonly lastWeekCheck: boolean;
  /** The latest finished day's response: rules on the latest offline day. */
  readonly latestOffline: boolean;
  /** Window lengths (minutes) whose response of a week earlier a weekOverWeek rule compares with. */
  readonly lastWeekWindows: readonly number[];
  /** How many weeks back those windows are read (1 = last week only; more for seasonal baselines). */
  readonly baselineWeeks: number;
}

export function archivedNeeds(rules: readonly Rule[], lineCapacity: number | undefined): ArchivedNeeds {
  const running = rules.filter((rule) => !lacksCapacity(rule, lineCapacity));
  // A rule has a window or a scope, never both (rules.ts): the window's minutes, else the scope.
  const weekOverWeek = running.flatMap(({ metric, window }) =>
    metric.kind === 'weekOverWeek' ? [{ minutes: window?.minutes, weeks: metric.weeks }] : [],
  );
  const windowed = weekOverWeek.flatMap(({ minutes, weeks }) =>
    minutes === undefined ? [] : [{ minutes, weeks }],
  );
  return {
    lastWeekCheck: weekOverWeek.some(({ minutes }) => minutes === undefined),
    latestOffline: running.some((rule) => rule.scope === 'latest-offline-day'),
    lastWeekWindows: [...new Set(windowed.map(({ minutes }) => minutes))].sort((a, b) => a - b),
    baselineWeeks: Math.max(0, ...windowed.map(({ weeks }) => weeks)),
  };
}

export function measureRule(rule: Rule, context: MeasureContext): Measurement {
  if (lacksCapacity(rule, context.lineCapacity)) {
    return { kind: 'skipped', reason: 'lineCapacity is not configured' };
  }
  const short = rule.window?.short;
  if (short === undefined) return measureScope(rule, scopeOnce(rule, context), context);
  return bothWindows(
    rule,
    measureScope(rule, rollingWindow(short, context.windows), context, 'confirms'),
    measureScope(rule, scopeOnce(rule, context), context),
  );
}

/**
 * The scopes one evaluation selected, by the window's minutes or the fixed scope's name (a rule has
 * one or the other): rules sharing a scope share its selection.
 */
const selectedScopes = new WeakMap<ScopeSources, Map<number | string | undefined, ScopeResult>>();

/** `selectScope`, once per scope and evaluation (its result depends on the scope and the sources only). */
function scopeOnce(rule: Rule, sources: ScopeSources): ScopeResult {
  const selected = selectedScopes.get(sources) ?? new Map<number | string | undefined, ScopeResult>();
  selectedScopes.set(sources, selected);
  const key = rule.window?.minutes ?? rule.scope;
  const scope = selected.get(key) ?? selectScope(rule, sources);
  selected.set(key, scope);
  return scope;
}

/**
 * What a window's figure is for. The evidence (a single window, or the long one of two) is judged
 * with the rule's call floor and confidence bounds. The short window of two only confirms that the
 * drop the long window proves is still going on, so it is judged on its raw figure with no floor:
 * a quiet quarter-hour with a handful of calls neither blocks an alert the hour proves nor raises one.
 */
type WindowRole = 'evidence' | 'confirms';

function measureScope(
  rule: Rule,
  scope: ScopeResult,
  context: MeasureContext,
  role: WindowRole = 'evidence',
): Measurement {
  if (!scope.found) return { kind: 'no-data', reason: scope.reason };
  const computed = compute(rule, scope.data, context);
  if ('reason' in computed) return { kind: 'no-data', reason: computed.reason, window: scope.data.window };
  const window = computed.note === undefined ? scope.data.window : `${scope.data.window} ${computed.note}`;
  const calls = computed.calls;
  const figure = {
    kind: 'value' as const,
    value: computed.value,
    ...(calls === undefined ? {} : { calls }),
    window,
    ...(computed.basis === undefined ? {} : { basis: computed.basis }),
  };
  // The short window of two has no call floor: it confirms a breach on its raw figure, while its
  // bounds still weigh the evidence for a recovery (see bothWindows).
  if (role === 'evidence' && calls !== undefined && calls < rule.minCalls) {
    return {
      kind: 'not-judged',
      reason: `${calls} calls, fewer than minCalls ${rule.minCalls}`,
      calls,
      window,
      value: computed.value,
    };
  }
  const judged = computed.judged ?? confidenceBounds(rule, scope.data, computed.value);
  return judged === undefined ? figure : { ...figure, judged };
}

/**
 * The bounds of the rate's Wilson interval that a rule with `confidence` judges: for a "below" rule a
 * breach needs the upper bound below the threshold and a recovery the lower bound back at `recovery`
 * or above (mirrored for "above"). Undefined when the rule has no confidence or the count is absent.
 */
function confidenceBounds(rule: Rule, data: ScopeData, value: number): Judged | undefined {
  const { confidence } = rule;
  const trialsField = rateTrials(rule.metric);
  if (confidence === undefined || trialsField === undefined) return undefined;
  const trials = readNumber(data.rows, trialsField);
  if (trials === undefined || trials <= 0) return undefined;
  const successes = Math.round(value * trials);
  const forBreach = wilsonInterval(successes, trials, confidence.breach);
  const forRecovery = wilsonInterval(successes, trials, confidence.recovery);
  return rule.comparison === 'below'
    ? { breach: forBreach.high, recovery: forRecovery.low }
    : { breach: forBreach.low, recovery: forRecovery.high };
}

/**
 * Two windows that must agree. A breach needs both: the figure judged is the one of the two less in
 * favour of an alert (the short window's raw figure, see `WindowRole`, against the long one's bound).
 * It resolves when the short window has recovered. With a confidence the judged figure is the short
 * window's recovery bound (the lower end of its Wilson interval at `confidence.recovery` for a
 * "below" rule), whatever its count: the bound itself says how little a quiet quarter-hour proves
 * (3 good transfers of 3 do not end an alert at 87 %, 4 of 4 do), so a lucky quarter-hour does not
 * end an alert while the problem goes on, and the long window, which still holds the incident's
 * calls for its whole length after the end, does not hold a recovered alert open. The long window's
 * own bound (its raw figure while it is too quiet to judge) may end it too, so a centre whose
 * quarter-hours hold two or three transfers still resolves once the long window has recovered. Without a
 * confidence nothing weighs a quarter-hour's count, so the raw short window speaks once it rests on
 * `minCalls` calls and the long window before that. The message quotes the window recovery is judged
 * on, with its count, and names the other with its value, so a reminder never quotes a figure it
 * does not judge.
 */
function bothWindows(rule: Rule, short: Measurement, long: Measurement): Measurement {
  if (short.kind !== 'value') return short;
  const weighed = short.judged !== undefined;
  /** Of two figures, the one less in favour of an alert. */
  const healthier = (a: number, b: number) => (rule.comparison === 'below' ? Math.max(a, b) : Math.min(a, b));
  if (long.kind !== 'value') {
    if (long.kind !== 'not-judged')
      return { kind: 'no-data', reason: `long window: ${long.reason}`, window: short.window };
    // Too few calls in the long window to raise anything: a quiet run may only end a firing alert, on
    // the short window's recovery bound (with a confidence), else on the long window's raw figure
    // (one good transfer in a quiet quarter-hour may not).
    const reason = `long window: ${long.reason}`;
    return weighed && isBackPast(rule, short.judged.recovery, rule.recovery)
      ? { ...long, reason, value: short.value, window: short.window, recovery: short.judged.recovery }
      : { ...long, reason };
  }
  const breach = healthier(short.value, long.judged?.breach ?? long.value);
  const also = (other: Measurement & { kind: 'value' }) =>
    `${other.window.replace('last ', '')}: ${formatMetric(other.value, metricUnit(rule))}`;
  if (weighed) {
    // The quarter-hour speaks, unless the long window has recovered where it cannot yet prove it:
    // then the message quotes the long window, the figure that ends the alert.
    const longRecovery = long.judged?.recovery ?? long.value;
    const longEndsIt =
      !isBackPast(rule, short.judged.recovery, rule.recovery) &&
      isBackPast(rule, longRecovery, rule.recovery);
    return longEndsIt
      ? { ...long, window: `${long.window}; ${also(short)}`, judged: { breach, recovery: longRecovery } }
      : {
          ...short,
          window: `${short.window}; ${also(long)}`,
          judged: { breach, recovery: short.judged.recovery },
        };
  }
  const shortIsEnough = short.calls === undefined || short.calls >= rule.minCalls;
  return shortIsEnough
    ? {
        ...short,
        window: `${short.window}; ${also(long)}`,
        judged: { breach, recovery: short.value },
      }
    : {
        ...long,
        window: `${long.window}; ${also(short)}`,
        judged: { breach, recovery: long.judged?.recovery ?? long.value },
      };
}

/** How a metric of one kind is computed from the scope's rows. */
type Compute<K extends MetricKind> = (
  metric: Metric<K>,
  rule: Rule,
  data: ScopeData,
  context: MeasureContext,
) => Computed;

/**
 * How each kind of metric is computed: one entry per kind of metrics.ts's METRIC_KINDS (`tsc` names
 * a kind without one). The scope's calls gate the judgement unless the kind brings its own.
 */
const COMPUTE = {
  field: (metric, _rule, data) => withCalls(readField(data, metric.field), data),
  ratio: (metric, _rule, data) => withCalls(divide(data, metric.numerator, metric.denominator), data),
  share: (metric, _rule, data) => withCalls(share(data, metric.of, metric.key), data),
  capacityUtilisation: (_metric, _rule, data, context) => {
    const peak = readNumber(data.rows, 'max_concurrent_call_count');
    if (peak === undefined) return { reason: 'max_concurrent_call_count is missing' };
    return withCalls({ value: peak / (context.lineCapacity ?? 1) }, data);
  },
  weekOverWeek: (metric, rule, data, context) => weekOverWeek(rule, metric, data, context),
} satisfies { readonly [K in MetricKind]: Compute<K> };

const COMPUTE_BY_KIND: { readonly [K in MetricKind]: Compute<K> } = COMPUTE;

function compute<K extends MetricKind>(
  rule: Rule & { readonly metric: Metric<K> },
  data: ScopeData,
  context: MeasureContext,
): Computed {
  const run: Compute<K> = COMPUTE_BY_KIND[rule.metric.kind];
  return run(rule.metric, rule, data, context);
}

/** The scope's calls (none for a reason: `measureScope` reads a reason first, and undefined calls as none). */
const withCalls = (computed: Computed, { calls }: ScopeData): Computed => ({ ...computed, calls });

/**
 * The field itself; a missing rate is derived from the counts of the same row, before a later row
 * (the day's daily row behind the day's total) is asked, so one figure never mixes two sources.
 */
function readField(data: ScopeData, field: string): Computed {
  const countFields = DERIVED_RATES[field];
  let reason = `${field} is missing`;
  for (const row of data.rows) {
    const value = readNumber([row], field);
    if (countFields === undefined) {
      if (value !== undefined) return { value };
      continue;
    }
    const counts = rateCounts(row, countFields);
    if ('reason' in counts) {
      if (value !== undefined) return { value };
      reason = `${field} is missing and ${counts.reason}`;
      continue;
    }
    const basis = { ...counts, noun: BASIS_NOUNS[field] ?? 'calls' };
    const derived = counts.part / counts.whole;
    if (value === undefined) return { value: derived, basis };
    // The counts are shown only when they agree with the published rate (AIRUDDER rounds to 4 places).
    return Math.abs(derived - value) < 5e-4 ? { value, basis } : { value };
  }
  return { reason };
}

/** The counts of one row a rate is derived from, or why there are none. */
function rateCounts(
  row: Row,
  [partField, wholeField]: readonly [string, string],
): { readonly part: number; readonly whole: number } | { readonly reason: string } {
  const part = readNumber([row], partField);
  const whole = readNumber([row], wholeField);
  if (part === undefined) return { reason: `${partField} is missing` };
  if (whole === undefined) return { reason: `${wholeField} is missing` };
  if (whole <= 0) return { reason: `${wholeField} is ${whole}` };
  return { part, whole };
}

function divide(data: ScopeData, numerator: string, denominator: string): Computed {
  const top = readNumber(data.rows, numerator);
  const bottom = readNumber(data.rows, denominator);
  if (top === undefined) return { reason: `${numerator} is missing` };
  if (bottom === undefined) return { reason: `${denominator} is missing` };
  if (bottom === 0) return { reason: `${denominator} is 0` };
  return { value: top / bottom };
}

/** A finite number (`Number.isFinite` is false for anything else). */
const isCount = (value: unknown): value is number => Number.isFinite(value);

/** Counts only: satisfied_distribution mixes its "1".."5" counts with `*_rate` fractions. */
function share(data: ScopeData, of: string, key: string): Computed {
  const distribution = readObject(data.rows, of);
  if (distribution === undefined) return { reason: `${of} is missing` };
  let sum = 0;
  for (const [name, value] of Object.entries(distribution)) {
    if (!name.endsWith('_rate') && isCount(value)) sum += value;
  }
  if (sum === 0) return { reason: `${of} is empty` };
  // An open-ended key absent from the distribution simply had no calls.
  return { value: (readNumber([distribution], key) ?? 0) / sum };
}

/** Gated on last week's calls: a drop to zero this hour must still be judged. */
function weekOverWeek(
  rule: Rule,
  metric: Metric<'weekOverWeek'>,
  data: ScopeData,
  context: MeasureContext,
): Computed {
  if (rule.window !== undefined) return windowBaseline(rule, rule.window.minutes, metric, data, context);
  if (data.hour === undefined) return { reason: 'weekOverWeek needs a window or scope last-complete-hour' };
  if (context.lastWeek === undefined) return { reason: "last week's response is not available" };
  const label = formatWallClock(addDays(data.hour, -7));
  const baselineRow = (context.lastWeek.data.realtime?.hourly?.data_list ?? []).find((row) => {
    const clock = parseWallClock(row.time);
    return clock !== undefined && formatWallClock(clock) === label;
  });
  if (baselineRow === undefined) return { reason: `last week has no hourly row for ${label}` };
  return compareWithBaseline(metric.field, data, baselineRow, 'the same hour last week');
}

/** Weeks of history a seasonal baseline needs before it stands on its own (else: last week alone). */
const SEASONAL_MIN_WEEKS = 3;

/**
 * A rolling window against the same window of earlier weeks. With `weeks` > 1 the baseline is the
 * median of those weeks (one holiday among them moves it little) and a breach must also clear the
 * weeks' own spread (the median absolute deviation); with fewer than 3 of them archived it falls
 * back to last week alone and the window says so.
 */
function windowBaseline(
  rule: Rule,
  minutes: number,
  { field, weeks }: Metric<'weekOverWeek'>,
  data: ScopeData,
  context: MeasureContext,
): Computed {
  const lastWeek = rollingWindow(minutes, context.lastWeekWindows);
  const againstLastWeek = (): Computed =>
    lastWeek.found
      ? compareWithBaseline(field, data, lastWeek.data.rows[0] ?? {}, 'the same window last week')
      : { reason: `last week: ${lastWeek.reason}` };
  if (weeks === 1) return againstLastWeek();
  const current = readField(data, field);
  if ('reason' in current) return current;
  const earlier = [context.lastWeekWindows, ...(context.olderWeekWindows ?? []).slice(0, weeks - 1)];
  const baselines = earlier.flatMap((windows) => {
    const row = windows?.get(minutes)?.data.realtime?.total ?? {};
    const value = readField({ ...data, rows: [row] }, field);
    return 'reason' in value ? [] : [{ value: value.value, calls: readNumber([row], 'total_calls') }];
  });
  if (baselines.length < Math.min(SEASONAL_MIN_WEEKS, weeks)) {
    const fallback = againstLastWeek();
    return 'reason' in fallback
      ? fallback
      : { ...fallback, note: `vs last week only: ${baselines.length} of ${weeks} weeks archived` };
  }
  const centre = median(baselines.map((baseline) => baseline.value));
  if (centre === 0) return { reason: `${field} had a median of 0 over ${baselines.length} weeks` };
  const value = (current.value - centre) / centre;
  const spread = robustSpread(baselines.map((baseline) => baseline.value)) / centre;
  const counts = baselines.flatMap((baseline) => (baseline.calls === undefined ? [] : [baseline.calls]));
  // The change must clear twice the weeks' own wobble, on the side away from an alert.
  const cleared = rule.comparison === 'above' ? value - SPREADS * spread : value + SPREADS * spread;
  return {
    value,
    ...(counts.length === 0 ? {} : { calls: median(counts) }),
    judged: { breach: cleared, recovery: value },
    note: `vs median of ${baselines.length} weeks`,
  };
}

/** How many robust standard deviations a seasonal change must clear beyond its threshold. */
const SPREADS = 2;

/** The change against last week's figure, gated on last week's calls (absent when not counted). */
function compareWithBaseline(
  field: string,
  data: ScopeData,
  baselineRow: Row,
  baselineName: string,
): Computed {
  const current = readField(data, field);
  const baseline = readField({ ...data, rows: [baselineRow] }, field);
  if ('reason' in current) return current;
  if ('reason' in baseline) return { reason: `last week: ${baseline.reason}` };
  if (baseline.value === 0) return { reason: `${field} was 0 in ${baselineName}` };
  return {
    value: (current.value - baseline.value) / baseline.value,
    calls: readNumber([baselineRow], 'total_calls'),
  };
}
