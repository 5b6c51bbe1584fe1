/**
 * airudder-stats-monitor as a CDK construct library: `new AirudderStatsMonitor(stack, 'Monitor',
 * { timeZone: 'Asia/Jakarta' })` in any CDK app.
 */

export { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/shared/telemetry';
export { AirudderStatsMonitor, type AirudderStatsMonitorProps } from './airudder-stats-monitor';
export {
  ArchiveStorageClass,
  MonitorConfigError,
  MonitorLogLevel,
  type ObjectLockConfig,
  ObjectLockMode,
} from './config';
export { SECRET_KEYS } from './constructs/monitor-secret';
export { DURATION_ALARM_SHARE } from './constructs/self-monitoring';
