import type { Rule, Severity } from './rules-schema';

/**
 * Threshold arithmetic for both directions. A breach is strictly beyond a threshold (a value equal
 * to warn is not a breach); a recovery is at or past `recovery`. Crit gets the same hysteresis as
 * warn: a crit alert eases to warn only once the value is `recovery − warn` back from crit, so a value
 * hovering around crit does not flap between the two.
 */

type Thresholds = Pick<Rule, 'comparison' | 'warn' | 'crit' | 'recovery'>;

/** True when `value` is strictly beyond `threshold` in the rule's direction. */
export const isBeyond = (rule: Pick<Rule, 'comparison'>, value: number, threshold: number): boolean =>
  rule.comparison === 'below' ? value < threshold : value > threshold;

/** True when `value` is at or back past `threshold`, on the OK side. */
export const isBackPast = (rule: Pick<Rule, 'comparison'>, value: number, threshold: number): boolean =>
  !isBeyond(rule, value, threshold);

/** The severity a value breaches with no history: crit beyond crit, warn beyond warn, else none. */
export function breachSeverity(rule: Thresholds, value: number): Severity | undefined {
  if (rule.crit !== undefined && isBeyond(rule, value, rule.crit)) return 'crit';
  if (rule.warn !== undefined && isBeyond(rule, value, rule.warn)) return 'warn';
  return undefined;
}

/** The least severe threshold the rule has: warn, or crit for a crit-only rule. */
export const leastThreshold = (rule: Thresholds): number => rule.warn ?? rule.crit ?? rule.recovery;

/** Where a crit alert eases to warn: crit shifted by the rule's recovery margin. */
export const critRelease = (rule: Thresholds): number =>
  (rule.crit ?? leastThreshold(rule)) + (rule.recovery - leastThreshold(rule));

/** The threshold a severity is judged against. */
export const thresholdFor = (rule: Thresholds, severity: Severity): number =>
  (severity === 'crit' ? rule.crit : rule.warn) ?? leastThreshold(rule);

/**
 * The next severity of a firing alert, or 'resolved'. Escalation is immediate (worse news should
 * not wait); easing and resolving need the value back past the hysteresis points.
 */
export function nextFiringSeverity(
  rule: Thresholds,
  value: number,
  current: Severity,
): Severity | 'resolved' {
  if (isBackPast(rule, value, rule.recovery)) return 'resolved';
  if (rule.crit !== undefined && isBeyond(rule, value, rule.crit)) return 'crit';
  if (current === 'crit' && !isBackPast(rule, value, critRelease(rule))) return 'crit';
  return rule.warn !== undefined ? 'warn' : 'crit';
}
