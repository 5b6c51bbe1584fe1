import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/shared/telemetry';

export { METRICS_NAMESPACE, SERVICE_NAME };

const REPO_ROOT = path.join(__dirname, '..', '..');

/** The function's source entry; it exports `handler`. */
export const DEFAULT_HANDLER_ENTRY = path.join(REPO_ROOT, 'lambda', 'handler.ts');

/** The newest Node.js LTS runtime Lambda offers; the stack and `npm run bench` share it. */
export const MONITOR_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** How the handler is bundled (locally by esbuild, no Docker); `npm run bench` builds it the same way. */
export const MONITOR_BUNDLING: nodejs.BundlingOptions = {
  forceDockerBundling: false,
  format: nodejs.OutputFormat.CJS,
  minify: true,
  // The Node.js runtime ships AWS SDK v3.
  externalModules: ['@aws-sdk/*'],
};

/** Powertools names; the "no successful check" alarm reads metrics published under them. */

export interface MonitorFunctionProps {
  /** IANA time zone of the call centre (AIRUDDER_TIMEZONE). */
  readonly timeZone: string;
  /**
   * Base URL of the AIRUDDER API (AIRUDDER_BASE_URL).
   * @default 'https://api.airudder.com'
   */
  readonly airudderBaseUrl?: string;
  /**
   * Source entry of the handler.
   * @default DEFAULT_HANDLER_ENTRY (lambda/handler.ts)
   */
  readonly entry?: string;
  /**
   * Memory in MB.
   * @default 256
   */
  readonly memorySizeMb?: number;
  /**
   * Timeout in seconds; the run deadline (RUN_DEADLINE_MS) is derived from it.
   * @default 120
   */
  readonly timeoutSeconds?: number;
  /**
   * Log retention.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Lines the centre has (LINE_CAPACITY).
   * @default - not set
   */
  readonly lineCapacity?: number;
  /**
   * Consecutive failed runs before the function reports the monitor itself as down (MONITOR_FAILURE_THRESHOLD).
   * @default - the function's default
   */
  readonly failureThreshold?: number;
  /**
   * Display name heading every alert message (MONITOR_NAME), so two centres can share a channel.
   * @default - the function's default
   */
  readonly monitorName?: string;
  /**
   * Entries per ranking in the digest (DIGEST_TOP_N).
   * @default - the function's default
   */
  readonly digestTopN?: number;
  /**
   * LOG_LEVEL.
   * @default - the function's default (INFO)
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Per-request timeout towards AIRUDDER in ms (AIRUDDER_TIMEOUT_MS).
   * @default - the function's default
   */
  readonly airudderTimeoutMs?: number;
  /**
   * Attempts per AIRUDDER request (AIRUDDER_MAX_ATTEMPTS).
   * @default - the function's default
   */
  readonly airudderMaxAttempts?: number;
}

/**
 * Time the handler may plan for: the timeout minus a margin for writing state and sending the
 * failure alert after the last AIRUDDER call gives up.
 */
export function runDeadlineMs(timeoutSeconds: number): number {
  const timeoutMs = timeoutSeconds * 1000;
  return Math.max(timeoutMs - 15_000, Math.round(timeoutMs * 0.75));
}

/**
 * The monitor function: Node LTS on arm64, bundled locally by esbuild (no Docker), its own log
 * group and a role without managed policies. Archive and secret grants are added by their
 * constructs' `grantTo`, which also set the matching environment variables.
 */
export class MonitorFunction extends Construct {
  /** The Lambda function. */
  public readonly function: nodejs.NodejsFunction;
  /** Its log group, with retention. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    super(scope, id);
    const timeoutSeconds = props.timeoutSeconds ?? 120;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

    // An explicit role: AWSLambdaBasicExecutionRole would allow writing to any log group.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'airudder-stats-monitor function: its log group, its archive areas, its secret',
    });
    this.logGroup.grantWrite(role);

    const environment: Record<string, string> = {
      AIRUDDER_BASE_URL: props.airudderBaseUrl ?? 'https://api.airudder.com',
      AIRUDDER_TIMEZONE: props.timeZone,
      RUN_DEADLINE_MS: String(runDeadlineMs(timeoutSeconds)),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    const optional: Record<string, string | number | undefined> = {
      LINE_CAPACITY: props.lineCapacity,
      MONITOR_FAILURE_THRESHOLD: props.failureThreshold,
      MONITOR_NAME: props.monitorName,
      DIGEST_TOP_N: props.digestTopN,
      LOG_LEVEL: props.logLevel,
      AIRUDDER_TIMEOUT_MS: props.airudderTimeoutMs,
      AIRUDDER_MAX_ATTEMPTS: props.airudderMaxAttempts,
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== undefined) environment[key] = String(value);
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: 'Checks AIRUDDER inbound statistics, archives them to S3 and alerts Slack',
      entry: props.entry ?? DEFAULT_HANDLER_ENTRY,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: MONITOR_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySizeMb ?? 256,
      timeout: Duration.seconds(timeoutSeconds),
      role,
      logGroup: this.logGroup,
      environment,
      bundling: MONITOR_BUNDLING,
    });
  }
}
