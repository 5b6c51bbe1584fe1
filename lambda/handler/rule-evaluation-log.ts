import type { RuleResult } from '../domain/alerts/evaluate';
import { describeMetric } from '../domain/alerts/metrics';
import type { Rule } from '../domain/alerts/rules';
import { statusLabel } from '../domain/alerts/state';
import type { LogFields } from '../shared/logger';

/** The message of the per-rule log line; the README's Logs Insights queries filter on it. */
export const RULE_EVALUATED_MESSAGE = 'Rule evaluated';

/**
 * One flat log record per rule and run, built from the evaluation results (the domain stays
 * silent): which rule, over which window, the measured value (null when there was none), the
 * thresholds it was compared with, and the state it is in now. Flat numeric fields, so Logs
 * Insights can chart `value` over time without custom metrics.
 */
export function ruleEvaluationFields(rule: Rule, result: RuleResult): LogFields {
  const { measurement } = result;
  return {
    rule: rule.id,
    metric: describeMetric(rule.metric),
    scope: rule.scope,
    window: 'window' in measurement ? measurement.window : null,
    value: measurement.kind === 'value' ? measurement.value : null,
    calls: 'calls' in measurement && measurement.calls !== undefined ? measurement.calls : null,
    comparison: rule.comparison,
    threshold: rule.warn ?? rule.crit ?? null,
    critThreshold: rule.crit ?? null,
    state: statusLabel(result.after),
    previousState: result.before ? statusLabel(result.before) : null,
    outcome: measurement.kind,
    ...('reason' in measurement ? { reason: measurement.reason } : {}),
    muted: result.muted,
  };
}

/** Logs one line per evaluated rule, in the rules file's order. */
export function logRuleEvaluations(
  log: (message: string, fields: LogFields) => void,
  rules: readonly Rule[],
  results: readonly RuleResult[],
): void {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  for (const result of results) {
    const rule = byId.get(result.ruleId);
    if (rule) log(RULE_EVALUATED_MESSAGE, ruleEvaluationFields(rule, result));
  }
}
