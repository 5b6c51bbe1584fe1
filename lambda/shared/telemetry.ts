/**
 * Names shared by the function's metrics and logs and the stack's alarms: if they drifted apart,
 * the "no successful check" alarm would watch a metric nobody publishes.
 */
export const SERVICE_NAME = 'airudder-stats-monitor';
export const METRICS_NAMESPACE = 'AirudderStatsMonitor';
export const RUN_SUCCEEDED_METRIC = 'RunSucceeded';

/**
 * What a run reports; the alarms and the dashboard read them with dimensions {service, mode}. A check
 * whose instant was already evaluated did nothing: it counts as CheckAlreadyEvaluated, not RunSucceeded.
 * A run before the secret holds a value counts as NotConfigured: neither a success nor a failure.
 */
export type MetricName =
  | 'RunSucceeded'
  | 'RunFailed'
  | 'NotConfigured'
  | 'CheckAlreadyEvaluated'
  | 'AirudderApiLatency'
  | 'AlertsFired'
  | 'AlertsResolved'
  | 'SlackFailures'
  | 'ArchivedBytes';
