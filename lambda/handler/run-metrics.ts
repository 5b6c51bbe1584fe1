import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName } from '../shared/telemetry';

export type { MetricName };

const UNITS: Record<MetricName, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  RunSucceeded: MetricUnit.Count,
  RunFailed: MetricUnit.Count,
  NotConfigured: MetricUnit.Count,
  CheckAlreadyEvaluated: MetricUnit.Count,
  AirudderApiLatency: MetricUnit.Milliseconds,
  AlertsFired: MetricUnit.Count,
  AlertsResolved: MetricUnit.Count,
  SlackFailures: MetricUnit.Count,
  ArchivedBytes: MetricUnit.Bytes,
};

/** Port: one run's metrics, flushed once at the end of the invocation. */
export interface RunMetrics {
  record(name: MetricName, value: number): void;
  /** Emits everything recorded under the run's mode (EMF to stdout with Powertools). */
  flush(mode: 'check' | 'digest'): void;
}

/** Powertools Metrics as the port: the `service` dimension comes from its serviceName. */
export function createPowertoolsMetrics(metrics: Metrics): RunMetrics {
  const pending: Array<[MetricName, number]> = [];
  return {
    record: (name, value) => {
      pending.push([name, value]);
    },
    flush: (mode) => {
      if (pending.length === 0) return;
      metrics.addDimension('mode', mode);
      for (const [name, value] of pending.splice(0)) metrics.addMetric(name, UNITS[name], value);
      metrics.publishStoredMetrics();
    },
  };
}
