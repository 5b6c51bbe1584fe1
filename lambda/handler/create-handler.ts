import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FetchFn } from '../adapters/http/http-request';
import { loadRules } from '../adapters/rules/load-rules';
import type { MonitorSecret } from '../adapters/secrets/monitor-secret';
import { buildRunDeps, defaultSecretLoader } from '../composition';
import { type Config, loadConfig } from '../config';
import type { Logger } from '../shared/logger';
import { createRedactor } from '../shared/redact';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../shared/telemetry';
import { readFiredAlerts } from '../use-cases/fired-alerts';
import { AlertDeliveryError, runCheck } from '../use-cases/run-check';
import { DigestDeliveryError, runDigest } from '../use-cases/run-digest';
import { createPowertoolsLogger } from './powertools-logger';
import { createPowertoolsMetrics, type RunMetrics } from './run-metrics';
import { parseSchedulerEvent } from './scheduler-event';

export { METRICS_NAMESPACE, SERVICE_NAME };

/** Kept back from the Lambda timeout so a run can still record its outcome. */
const SAFETY_MARGIN_MS = 5_000;

/** The part of the Lambda context the handler uses. */
export interface InvocationContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export interface HandlerDeps {
  readonly env: Record<string, string | undefined>;
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
  readonly s3Client?: S3Client;
  readonly fetch?: FetchFn;
  readonly logger?: Logger;
  readonly metrics?: RunMetrics;
}

export interface RunSummary {
  readonly mode: 'check' | 'digest';
  readonly scheduledTime: string;
  readonly outcome: string;
  readonly archiveKey?: string;
}

/**
 * The composition root of the Lambda: parses the event and the environment once, reads the secret
 * once per container, builds the adapters and calls the use case. State that outlives an invocation
 * (config, secret, token cache) lives in this closure, so a warm start reuses it.
 */
export function createHandler(deps: HandlerDeps) {
  const redactor = createRedactor();
  let config: Config | undefined;
  let secret: Promise<MonitorSecret> | undefined;
  const loadSecretOnce = (secretId: string) => {
    secret ??= (deps.loadSecret ?? defaultSecretLoader)(secretId).catch((error: unknown) => {
      secret = undefined; // a failed read is tried again on the next invocation
      throw error;
    });
    return secret;
  };
  let logger = deps.logger;
  let metrics = deps.metrics;

  return async function handler(event: unknown, context: InvocationContext): Promise<RunSummary> {
    config ??= loadConfig(deps.env);
    logger ??= createPowertoolsLogger(
      new PowertoolsLogger({ serviceName: SERVICE_NAME, logLevel: config.logLevel }),
      redactor,
    );
    metrics ??= createPowertoolsMetrics(
      new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
    );
    const { mode, scheduledTime } = parseSchedulerEvent(event);
    const at = new Date(scheduledTime);
    const runLogger = withFields(logger, { mode, scheduledTime, requestId: context.awsRequestId });
    const deadline =
      Date.now() + Math.min(config.runDeadlineMs, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS);
    const zone = config.airudder.timeZone;
    try {
      const rules = await loadRules(config);
      const runDeps = await buildRunDeps({
        config,
        logger: runLogger,
        redactor,
        deadline,
        writeMessage: (text) => runLogger.info('Slack message (no webhook configured)', { text }),
        fetch: deps.fetch,
        s3Client: deps.s3Client,
        loadSecret: loadSecretOnce,
      });
      let summary: RunSummary;
      if (mode === 'check') {
        const outcome = await runCheck(
          {
            ...runDeps,
            notifier: runDeps.alertNotifier,
            rules,
            timeZone: zone,
            lineCapacity: config.lineCapacity,
            failureThreshold: config.failureThreshold,
            runId: context.awsRequestId,
            now: () => new Date(),
          },
          { scheduledTime: at, deadline },
        );
        if (outcome.outcome === 'evaluated') {
          metrics.record('AirudderApiLatency', outcome.apiLatencyMs);
          metrics.record('ArchivedBytes', outcome.archived.created ? outcome.archived.sizeBytes : 0);
          metrics.record(
            'AlertsFired',
            outcome.sent.filter((n) => n.kind === 'fired' || n.kind === 'escalated').length,
          );
          metrics.record('AlertsResolved', outcome.sent.filter((n) => n.kind === 'resolved').length);
        }
        summary = {
          mode,
          scheduledTime,
          outcome: outcome.outcome,
          archiveKey: outcome.outcome === 'evaluated' ? outcome.archived.key : undefined,
        };
        if (outcome.outcome === 'already-evaluated') {
          // Not a success: a state stuck ahead of the schedule must let the heartbeat alarm fire.
          metrics.record('CheckAlreadyEvaluated', 1);
          if (Date.parse(outcome.lastScheduledTime) > at.getTime())
            runLogger.warn('The alert state was evaluated for a later instant than this run', {
              lastScheduledTime: outcome.lastScheduledTime,
            });
          runLogger.info('Run finished', { ...summary });
          return summary;
        }
      } else {
        const outcome = await runDigest(
          {
            ...runDeps,
            notifier: runDeps.digestNotifier,
            timeZone: zone,
            topN: config.digestTopN,
            runId: context.awsRequestId,
            now: () => new Date(),
            firedAlerts: (date) => readFiredAlerts(runDeps.store, rules, date, zone),
          },
          { scheduledTime: at, deadline },
        );
        summary = {
          mode,
          scheduledTime,
          outcome: outcome.outcome,
          archiveKey: outcome.outcome === 'posted' ? outcome.rawKey : undefined,
        };
      }
      metrics.record('RunSucceeded', 1);
      runLogger.info('Run finished', { ...summary });
      return summary;
    } catch (error) {
      metrics.record('RunFailed', 1);
      if (error instanceof AlertDeliveryError || error instanceof DigestDeliveryError)
        metrics.record('SlackFailures', 1);
      const message = redactor.redact(error instanceof Error ? error.message : String(error));
      runLogger.error('Run failed', {
        error: message,
        errorName: error instanceof Error ? error.name : 'Error',
      });
      // Throwing lets Lambda and the scheduler see the failure: the Errors alarm, retries, the DLQ.
      throw error instanceof Error ? Object.assign(error, { message }) : new Error(message);
    } finally {
      metrics.flush(mode);
    }
  };
}

function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  return {
    debug: (message, extra) => logger.debug(message, { ...fields, ...extra }),
    info: (message, extra) => logger.info(message, { ...fields, ...extra }),
    warn: (message, extra) => logger.warn(message, { ...fields, ...extra }),
    error: (message, extra) => logger.error(message, { ...fields, ...extra }),
  };
}
