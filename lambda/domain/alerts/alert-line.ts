import { formatMetric } from '../metric-format';
import { type DescribeContext, describeNotification, orderNotifications } from './describe-notification';
import type { RuleResult } from './evaluate-rules';
import { metricUnit } from './format-value';
import type { Notification } from './notification';
import type { Rule } from './rules-schema';

/**
 * Plain one-line renderings for a terminal (the CLI's check summary, logs). Not escaped: nothing here
 * is ever sent to Slack.
 */

/** "🔴 CRIT Transfer success rate — fired: 41.2% < 60% (day so far 00:00–14:30 Asia/Jakarta)". */
export function renderAlertLine(notification: Notification, context: DescribeContext): string {
  const text = describeNotification(notification, context);
  const details = text.details.length > 0 ? ` (${text.details.join(', ')})` : '';
  return `${text.icon} ${text.label} ${text.title} — ${text.event}: ${text.measure}${details}`;
}

/** Every notification, most important first, one line each. */
export const renderAlertLines = (
  notifications: readonly Notification[],
  context: DescribeContext,
): string[] =>
  orderNotifications(notifications).map((notification) => renderAlertLine(notification, context));

/** "transfer-success-rate  firing:crit  41.2% (warn < 75%, crit < 60%)  day so far 00:00–14:30 Asia/Jakarta". */
export function renderResultLine(rule: Rule, result: RuleResult): string {
  const unit = metricUnit(rule);
  const comparator = rule.comparison === 'below' ? '<' : '>';
  const limits = [
    rule.warn === undefined ? '' : `warn ${comparator} ${formatMetric(rule.warn, unit)}`,
    rule.crit === undefined ? '' : `crit ${comparator} ${formatMetric(rule.crit, unit)}`,
  ].filter(Boolean);
  const { after, measurement } = result;
  const status = after.status === 'firing' ? `firing:${after.severity ?? 'warn'}` : after.status;
  const pending = after.status === 'pending' ? ` ${after.pendingCount}/${rule.pendingRuns}` : '';
  const observed =
    measurement.kind === 'value'
      ? `${formatMetric(measurement.value, unit)} (${limits.join(', ')})`
      : `${measurement.kind}: ${measurement.reason}`;
  const window = 'window' in measurement && measurement.window !== undefined ? `  ${measurement.window}` : '';
  const muted = result.muted ? '  [muted]' : '';
  return `${rule.id}  ${status}${pending}  ${observed}${window}${muted}`;
}
