import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';

import type { FetchFn } from '../adapters/http/http-request';
import type { MonitorSecret } from '../adapters/secrets/monitor-secret';
import {
  createRunEdges,
  createWiring,
  MonitorSecretNotSetError,
  type RunEdges,
  type Wiring,
} from '../composition';
import { type Config, loadConfig } from '../config';
import { tooFarAhead } from '../domain/shared/scheduled-time';
import type { Logger } from '../shared/logger';
import { createRedactor, type Redactor } from '../shared/redact';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../shared/telemetry';
import { AlertDeliveryError, runCheck } from '../use-cases/run-check';
import { DigestDeliveryError, DigestInProgressError, runDigest } from '../use-cases/run-digest';
import { createPowertoolsLogger } from './powertools-logger';
import { logRuleEvaluations } from './rule-evaluation-log';
import { createPowertoolsMetrics, type RunMetrics } from './run-metrics';
import { InvalidEventError, parseSchedulerEvent, type SchedulerEvent } from './scheduler-event';

export { METRICS_NAMESPACE, SERVICE_NAME };

/** The outcome of a run before the monitor's secret holds a value. */
export const NOT_CONFIGURED = 'not configured';

/** Kept back from the Lambda timeout so a run can still record its outcome. */
const SAFETY_MARGIN_MS = 5_000;

/** The part of the Lambda context the handler uses; the rest is what Powertools adds to each log line. */
export type InvocationContext = Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'> &
  Partial<Pick<Context, 'functionName' | 'functionVersion' | 'invokedFunctionArn' | 'memoryLimitInMB'>>;

export interface HandlerDeps {
  readonly env: Record<string, string | undefined>;
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
  readonly s3Client?: S3Client;
  readonly fetch?: FetchFn;
  readonly logger?: Logger;
  readonly metrics?: RunMetrics;
  /** The clock for the secret's TTL (tests move it). */
  readonly now?: () => number;
  /** The run's wall clock: claim ages, and the bound on how far ahead a scheduled time may be. Default: the real one. */
  readonly clock?: () => Date;
}

export interface RunSummary {
  readonly mode: SchedulerEvent['mode'];
  readonly scheduledTime: string;
  readonly outcome: string;
  readonly archiveKey?: string;
  /** The version of the alert rules a check used (`sha256:…`). */
  readonly rulesVersion?: string;
}

/** One scheduled run: the use case a mode calls, and what it reports of the outcome. */
type ModeRun = (
  wiring: Wiring,
  request: { readonly scheduledTime: Date; readonly deadline: number },
  metrics: RunMetrics,
) => Promise<{
  readonly outcome: string;
  readonly archiveKey?: string;
  readonly rulesVersion?: string;
  /** The run did nothing (its instant was already evaluated): not a success for the heartbeat. */
  readonly idle?: boolean;
}>;

const RUNS: Record<SchedulerEvent['mode'], ModeRun> = {
  async check(wiring, request, metrics) {
    const deps = await wiring.check(request.scheduledTime);
    const rulesVersion = deps.activeRules?.version;
    const outcome = await runCheck(deps, request);
    if (outcome.outcome !== 'evaluated') {
      // Not a success: a state stuck ahead of the schedule must let the heartbeat alarm fire.
      metrics.record('CheckAlreadyEvaluated', 1);
      if (Date.parse(outcome.lastScheduledTime) > request.scheduledTime.getTime())
        deps.logger.warn('The alert state was evaluated for a later instant than this run', {
          lastScheduledTime: outcome.lastScheduledTime,
          fix: 'if that instant is in the future, move it back with "airudder-monitor watermark reset"',
        });
      return { outcome: outcome.outcome, rulesVersion, idle: true };
    }
    logRuleEvaluations(deps.logger.info, deps.rules, outcome.results);
    metrics.record('AirudderApiLatency', outcome.apiLatencyMs);
    metrics.record('ArchivedBytes', outcome.archived.created ? outcome.archived.sizeBytes : 0);
    metrics.record(
      'AlertsFired',
      outcome.sent.filter((n) => n.kind === 'fired' || n.kind === 'escalated').length,
    );
    metrics.record('AlertsResolved', outcome.sent.filter((n) => n.kind === 'resolved').length);
    return { outcome: outcome.outcome, archiveKey: outcome.archived.key, rulesVersion };
  },
  async digest(wiring, request) {
    const outcome = await runDigest(await wiring.digest(), request);
    // A retry inside the claim of a run that died must not succeed quietly: fail, so it is retried.
    if (outcome.outcome === 'in-progress') throw new DigestInProgressError(outcome);
    return {
      outcome: outcome.outcome,
      archiveKey: outcome.outcome === 'posted' ? outcome.rawKey : undefined,
    };
  },
};

/** What outlives an invocation, built once per container during Lambda's init phase. */
interface Container {
  readonly config: Config;
  readonly logger: Logger;
  readonly powertools: PowertoolsLogger | undefined;
  readonly metrics: RunMetrics;
  /** The token, rules, state-document and secret caches and the S3 client, from the composition root. */
  readonly edges: RunEdges;
}

/**
 * Lambda's init phase (the handler module's scope): the configuration, Powertools, the SDK clients,
 * and the secret read started, so the first invocation does only its own work. The read runs on
 * while init ends; the invocation awaits it from the cache. A failed read is not cached (the
 * invocation reads again and reports the error), and an invalid configuration is reported by each
 * invocation, as before.
 */
function initContainer(deps: HandlerDeps, redactor: Redactor): Container {
  const config = loadConfig(deps.env);
  const powertools = deps.logger
    ? undefined
    : // Lambda's level when it sets one (Powertools would warn about any other), else LOG_LEVEL.
      new PowertoolsLogger({
        serviceName: config.serviceName,
        logLevel: config.lambdaLogLevel === 'FATAL' ? 'CRITICAL' : (config.lambdaLogLevel ?? config.logLevel),
      });
  const logger = deps.logger ?? createPowertoolsLogger(powertools as PowertoolsLogger, redactor);
  const edges = createRunEdges(config, {
    logger,
    ...(deps.s3Client ? { s3Client: deps.s3Client } : {}),
    ...(deps.loadSecret ? { loadSecret: deps.loadSecret } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  if (config.secretArn) edges.secrets.get(config.secretArn).catch(() => {});
  return {
    config,
    logger,
    powertools,
    metrics:
      deps.metrics ??
      createPowertoolsMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: config.serviceName })),
    edges,
  };
}

/**
 * The Lambda's edge: builds the container once (initContainer, at module scope), then per invocation
 * parses the event, asks the composition root for the mode's wiring and calls its use case. The
 * secret is read at most once per MONITOR_SECRET_TTL_MINUTES (and again at once after a refusal a
 * rotation explains), the rules parsed once per version. State that outlives an invocation lives in
 * this closure, so a warm start reuses it: a new S3Client per invocation cost 12.5 % of a warm
 * check's CPU.
 */
export function createHandler(deps: HandlerDeps) {
  const redactor = createRedactor();
  let container: Container | undefined;
  let initError: unknown;
  try {
    container = initContainer(deps, redactor);
  } catch (error) {
    initError = error;
  }

  return async function handler(event: unknown, context: InvocationContext): Promise<RunSummary> {
    if (!container) throw initError;
    const { config, logger, powertools, metrics, edges } = container;
    // cold_start, function_name, function_request_id… on every line; Powertools reads only the
    // fields InvocationContext names.
    powertools?.addContext(context as Context);
    const { mode, scheduledTime } = parseSchedulerEvent(event);
    const runLogger = withFields(logger, { mode, scheduledTime, requestId: context.awsRequestId });
    const deadline =
      Date.now() + Math.min(config.runDeadlineMs, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS);
    const clock = deps.clock ?? (() => new Date());
    try {
      refuseFutureInstant(new Date(scheduledTime), clock());
      // Before anything else, so that a monitor deployed before its secret was put does nothing (README, Deploy step 3).
      if (config.secretArn) await edges.secrets.get(config.secretArn);
      const wiring = createWiring({
        config,
        logger: runLogger,
        redactor,
        runId: context.awsRequestId,
        now: clock,
        deadline,
        writeMessage: (text) => runLogger.info('Slack message (no webhook configured)', { text }),
        // A warm container reuses its token, and re-reads the rules object with a conditional GET.
        tokenCache: edges.tokenCache,
        rulesCache: edges.rulesCache,
        knownDocuments: edges.knownDocuments,
        fetch: deps.fetch,
        s3Client: edges.s3Client,
        loadSecret: (secretId) => edges.secrets.get(secretId),
        // Slack refused the bot token: a rotated one is read at once, past the cache.
        reloadSecret: (secretId) => edges.secrets.reload(secretId),
      });
      const { idle, ...result } = await RUNS[mode](
        wiring,
        { scheduledTime: new Date(scheduledTime), deadline },
        metrics,
      );
      const summary: RunSummary = { mode, scheduledTime, ...result };
      if (!idle) metrics.record('RunSucceeded', 1);
      runLogger.info('Run finished', { ...summary });
      return summary;
    } catch (error) {
      if (error instanceof MonitorSecretNotSetError) {
        // Not a failure: no retry or dead letter can help until someone puts the secret. One line,
        // one metric; the "no successful check" alarm still says the monitor is not watching.
        metrics.record('NotConfigured', 1);
        runLogger.warn(
          'Monitor not configured: put the secret (README, Deploy step 3); nothing was checked',
          {
            reason: redactor.redact(error.message),
          },
        );
        return { mode, scheduledTime, outcome: NOT_CONFIGURED };
      }
      metrics.record('RunFailed', 1);
      // A rotated credential or webhook: the next run reads the secret again instead of waiting for the TTL.
      if (config.secretArn && edges.secrets.refreshAfter(error)) {
        runLogger.warn('Credentials or webhook refused; the secret will be read again on the next run');
      }
      if (error instanceof AlertDeliveryError || error instanceof DigestDeliveryError)
        metrics.record('SlackFailures', 1);
      const message = redactor.redact(error instanceof Error ? error.message : String(error));
      // Source-mapped (NODE_OPTIONS=--enable-source-maps): frames name lambda/*.ts files and lines.
      const stack = error instanceof Error && error.stack ? redactor.redact(error.stack) : undefined;
      runLogger.error('Run failed', {
        error: message,
        errorName: error instanceof Error ? error.name : 'Error',
        stack,
      });
      // Throwing lets Lambda and the scheduler see the failure: the Errors alarm, retries, the DLQ.
      // The runtime logs what it is thrown, stack included: redacted too.
      throw error instanceof Error ? Object.assign(error, { message, stack }) : new Error(message);
    } finally {
      metrics.flush(mode);
    }
  };
}

/**
 * Like the CLI's `--at`: an event from the future (a hand-built event, a replayed one with a typo)
 * would move the alert state's watermark ahead and leave every later check evaluating nothing.
 */
function refuseFutureInstant(scheduledTime: Date, now: Date): void {
  const ahead = tooFarAhead(scheduledTime, now);
  if (ahead === undefined) return;
  throw new InvalidEventError(
    `scheduledTime ${scheduledTime.toISOString()} is ${Math.round(ahead / 1000)} s ahead of this function's clock (${now.toISOString()}): ` +
      'a run only evaluates what has happened, so the event is refused and nothing is fetched or recorded',
  );
}

function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  return {
    debug: (message, extra) => logger.debug(message, { ...fields, ...extra }),
    info: (message, extra) => logger.info(message, { ...fields, ...extra }),
    warn: (message, extra) => logger.warn(message, { ...fields, ...extra }),
    error: (message, extra) => logger.error(message, { ...fields, ...extra }),
  };
}
