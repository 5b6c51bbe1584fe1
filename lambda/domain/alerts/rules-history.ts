import type { StatisticsResponse } from '../statistics/schema';
import { kindOf } from './metrics';
import type { Rule } from './rules';

/**
 * "Does this metric ever show up?" — a rule on a field AIRUDDER never sends is valid to the schema
 * and silently does nothing. `rules validate` checks every rule against the fields that appeared in
 * the archived responses of the last days.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every field path in a response's rows and totals: `total_calls`, `user_distribution.call_users`… */
export function fieldsIn(statistics: StatisticsResponse, into = new Set<string>()): Set<string> {
  const { realtime, offline } = statistics.data;
  const rows: unknown[] = [
    realtime?.total,
    realtime?.daily?.data_list,
    realtime?.hourly?.data_list,
    offline?.total,
    offline?.daily?.data_list,
  ].flat();
  for (const row of rows) if (isRecord(row)) collect(row, '', into);
  return into;
}

function collect(record: Record<string, unknown>, prefix: string, into: Set<string>): void {
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined) continue;
    const path = `${prefix}${key}`;
    into.add(path);
    if (isRecord(value)) collect(value, `${path}.`, into);
  }
}

export interface UnseenMetric {
  readonly ruleId: string;
  /** The fields looked for, e.g. "transfer_success_rate (or transfer_success_calls + attempted_transfer_calls)". */
  readonly fields: string;
}

/** The rules whose metric could not be computed from any field seen. */
export function unseenMetrics(rules: readonly Rule[], seen: ReadonlySet<string>): UnseenMetric[] {
  return rules.flatMap((rule) => {
    const alternatives = kindOf(rule.metric).fields(rule.metric);
    if (alternatives.some((fields) => fields.every((field) => seen.has(field)))) return [];
    const [first, ...others] = alternatives.map((fields) => fields.join(' + '));
    const fields = [first, ...others.map((other) => `(or ${other})`)].join(' ');
    return [{ ruleId: rule.id, fields }];
  });
}
