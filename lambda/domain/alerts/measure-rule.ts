import { addDays, formatWallClock, parseWallClock } from '../local-time';
import { DERIVED_RATES } from '../metric-format';
import type { StatisticsResponse } from '../statistics-schema';
import type { Rule } from './rules-schema';
import { readNumber, readObject, type ScopeData, type ScopeSources, selectScope } from './scope-data';

/** What one run found for one rule, before any state is involved. */
export type Measurement =
  | { readonly kind: 'value'; readonly value: number; readonly calls?: number; readonly window: string }
  /** Fewer calls than `minCalls`: neither breach nor recovery. */
  | { readonly kind: 'not-judged'; readonly reason: string; readonly calls: number; readonly window: string }
  | { readonly kind: 'no-data'; readonly reason: string; readonly window?: string }
  /** The rule cannot run in this configuration (capacity without lineCapacity): a reason, not an error. */
  | { readonly kind: 'skipped'; readonly reason: string };

export interface MeasureContext extends ScopeSources {
  /** The response of the same scheduled time one week earlier (from the archive), for weekOverWeek. */
  readonly lastWeek?: StatisticsResponse;
  /** Simultaneous calls the account's lines carry, for capacityUtilisation. */
  readonly lineCapacity?: number;
}

type Computed = { readonly value: number; readonly calls?: number } | { readonly reason: string };

export function measureRule(rule: Rule, context: MeasureContext): Measurement {
  if (rule.metric.kind === 'capacityUtilisation' && !(context.lineCapacity && context.lineCapacity > 0)) {
    return { kind: 'skipped', reason: 'lineCapacity is not configured' };
  }
  const scope = selectScope(rule.scope, context);
  if (!scope.found) return { kind: 'no-data', reason: scope.reason };
  const { window } = scope.data;
  const computed = compute(rule, scope.data, context);
  if ('reason' in computed) return { kind: 'no-data', reason: computed.reason, window };
  const calls = computed.calls;
  if (calls !== undefined && calls < rule.minCalls) {
    return {
      kind: 'not-judged',
      reason: `${calls} calls, fewer than minCalls ${rule.minCalls}`,
      calls,
      window,
    };
  }
  return calls === undefined
    ? { kind: 'value', value: computed.value, window }
    : { kind: 'value', value: computed.value, calls, window };
}

function compute(rule: Rule, data: ScopeData, context: MeasureContext): Computed {
  const { metric } = rule;
  const calls = data.calls === undefined ? {} : { calls: data.calls };
  switch (metric.kind) {
    case 'field':
      return withCalls(readField(data, metric.field), calls);
    case 'ratio':
      return withCalls(divide(data, metric.numerator, metric.denominator), calls);
    case 'share':
      return withCalls(share(data, metric.of, metric.key), calls);
    case 'capacityUtilisation': {
      const peak = readNumber(data.rows, 'max_concurrent_call_count');
      if (peak === undefined) return { reason: 'max_concurrent_call_count is missing' };
      return { value: peak / (context.lineCapacity ?? 1), ...calls };
    }
    case 'weekOverWeek':
      return weekOverWeek(metric.field, data, context);
  }
}

const withCalls = (computed: Computed, calls: { calls?: number }): Computed =>
  'reason' in computed ? computed : { ...computed, ...calls };

/**
 * The field itself; a missing rate is derived from the counts of the same row, before a later row
 * (the day's daily row behind the day's total) is asked, so one figure never mixes two sources.
 */
function readField(data: ScopeData, field: string): Computed {
  const counts = DERIVED_RATES[field];
  let reason = `${field} is missing`;
  for (const row of data.rows) {
    const value = readNumber([row], field);
    if (value !== undefined) return { value };
    if (counts === undefined) continue;
    const derived = divide({ ...data, rows: [row] }, counts[0], counts[1]);
    if (!('reason' in derived)) return derived;
    reason = `${field} is missing and ${derived.reason}`;
  }
  return { reason };
}

function divide(data: ScopeData, numerator: string, denominator: string): Computed {
  const top = readNumber(data.rows, numerator);
  const bottom = readNumber(data.rows, denominator);
  if (top === undefined) return { reason: `${numerator} is missing` };
  if (bottom === undefined) return { reason: `${denominator} is missing` };
  if (bottom === 0) return { reason: `${denominator} is 0` };
  return { value: top / bottom };
}

/** Counts only: satisfied_distribution mixes its "1".."5" counts with `*_rate` fractions. */
function share(data: ScopeData, of: string, key: string): Computed {
  const distribution = readObject(data.rows, of);
  if (distribution === undefined) return { reason: `${of} is missing` };
  let sum = 0;
  for (const [name, value] of Object.entries(distribution)) {
    if (!name.endsWith('_rate') && typeof value === 'number' && Number.isFinite(value)) sum += value;
  }
  if (sum === 0) return { reason: `${of} is empty` };
  // An open-ended key absent from the distribution simply had no calls.
  return { value: (readNumber([distribution], key) ?? 0) / sum };
}

/** Gated on last week's calls: a drop to zero this hour must still be judged. */
function weekOverWeek(field: string, data: ScopeData, context: MeasureContext): Computed {
  if (data.hour === undefined) return { reason: 'weekOverWeek needs scope last-complete-hour' };
  if (context.lastWeek === undefined) return { reason: "last week's response is not available" };
  const label = formatWallClock(addDays(data.hour, -7));
  const baselineRow = (context.lastWeek.data.realtime?.hourly?.data_list ?? []).find((row) => {
    const clock = parseWallClock(row.time);
    return clock !== undefined && formatWallClock(clock) === label;
  });
  if (baselineRow === undefined) return { reason: `last week has no hourly row for ${label}` };
  const current = readField(data, field);
  const baseline = readField({ ...data, rows: [baselineRow] }, field);
  if ('reason' in current) return current;
  if ('reason' in baseline) return { reason: `last week: ${baseline.reason}` };
  if (baseline.value === 0) return { reason: `${field} was 0 in the same hour last week` };
  const calls = readNumber([baselineRow], 'total_calls');
  const value = (current.value - baseline.value) / baseline.value;
  return calls === undefined ? { value } : { value, calls };
}
