import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/shared/telemetry';

export { METRICS_NAMESPACE, SERVICE_NAME };

/** The package root: the nearest folder with a package.json, from lib/ (source) or dist/lib/ (compiled). */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** The function's source entry; it exports `handler`. */
export const DEFAULT_HANDLER_ENTRY = path.join(PACKAGE_ROOT, 'lambda', 'handler.ts');

/** Where `npm run build` puts the bundled handler (index.js + index.js.map); the package ships it. */
export const PREBUILT_HANDLER_DIR = path.join(PACKAGE_ROOT, 'dist', 'handler');

/** The newest Node.js LTS runtime Lambda offers; the stack and `npm run bench` share it. */
export const MONITOR_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** How the handler is bundled (locally by esbuild, no Docker); `npm run bench` builds it the same way. */
export const MONITOR_BUNDLING: nodejs.BundlingOptions = {
  forceDockerBundling: false,
  format: nodejs.OutputFormat.CJS,
  minify: true,
  // The Node.js runtime ships AWS SDK v3.
  externalModules: ['@aws-sdk/*'],
  // A linked index.js.map: stack traces name lambda/*.ts files and lines. Mappings only, no
  // sources: the asset stays small and carries no source text.
  sourceMap: true,
  sourcesContent: false,
};

export interface MonitorFunctionProps {
  /** IANA time zone of the call centre (AIRUDDER_TIMEZONE). */
  readonly timeZone: string;
  /**
   * Base URL of the AIRUDDER API (AIRUDDER_BASE_URL).
   * @default 'https://api.airudder.com'
   */
  readonly airudderBaseUrl?: string;
  /**
   * Bundle the function from this TypeScript entry with esbuild at synth time, instead of using the
   * prebuilt code. For developing this project: needs esbuild and the project's lock file.
   * @default - the prebuilt code from `npm run build` (PREBUILT_HANDLER_DIR)
   */
  readonly sourceEntry?: string;
  /**
   * A rules file (JSON) shipped with the function as its default rules (DEFAULT_RULES_FILE);
   * validated at synth.
   * @default - the rules built into the function
   */
  readonly rulesFile?: string;
  /**
   * The monitor's telemetry identity (POWERTOOLS_SERVICE_NAME): the `service` dimension of its
   * metrics, which its alarms and dashboard read. Unique per monitor, or two monitors share a heartbeat.
   * @default SERVICE_NAME
   */
  readonly serviceName?: string;
  /**
   * Names the monitor in its messages (MONITOR_NAME).
   * @default - not set
   */
  readonly displayName?: string;
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
   * What a stack deletion does to the log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
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
   * Entries per ranking in the digest (DIGEST_TOP_N).
   * @default - the function's default
   */
  readonly digestTopN?: number;
  /**
   * The application log level, applied by Lambda's advanced logging controls (the function reads
   * it as AWS_LAMBDA_LOG_LEVEL, as Powertools does).
   * @default 'INFO'
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

/** Where the function reads a rules file shipped with its code. */
const SHIPPED_RULES_FILE = 'rules.json';

/**
 * The monitor function: Node LTS on arm64, its own log group and a role without managed policies.
 * Its code is the prebuilt bundle (what an installed package has: no esbuild, no lock file), or
 * for this project's own stack bundled from source by esbuild (no Docker). Either way it has a
 * source map and Node applies it, so errors name lambda/*.ts files. Archive and secret grants are
 * added by their constructs' `grantTo`, which also set the matching environment variables.
 */
export class MonitorFunction extends Construct {
  /** The Lambda function. */
  public readonly function: lambda.Function;
  /** Its log group, with retention. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    super(scope, id);
    const timeoutSeconds = props.timeoutSeconds ?? 120;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
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
      POWERTOOLS_SERVICE_NAME: props.serviceName ?? SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      // Node applies index.js.map to every stack trace: errors name lambda/*.ts files and lines.
      NODE_OPTIONS: '--enable-source-maps',
    };
    const optional: Record<string, string | number | undefined> = {
      LINE_CAPACITY: props.lineCapacity,
      MONITOR_FAILURE_THRESHOLD: props.failureThreshold,
      DIGEST_TOP_N: props.digestTopN,
      AIRUDDER_TIMEOUT_MS: props.airudderTimeoutMs,
      AIRUDDER_MAX_ATTEMPTS: props.airudderMaxAttempts,
      MONITOR_NAME: props.displayName,
      // The deployment's default rules: config/rules.json in the archive (the rules CLI) still wins.
      DEFAULT_RULES_FILE: shippedRulesPath(props.rulesFile),
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== undefined) environment[key] = String(value);
    }

    const common = {
      description: 'Checks AIRUDDER inbound statistics, archives them to S3 and alerts Slack',
      runtime: MONITOR_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySizeMb ?? 256,
      timeout: Duration.seconds(timeoutSeconds),
      role,
      logGroup: this.logGroup,
      // JSON for the platform's lines too (START, END, REPORT), and levels Lambda itself filters:
      // applicationLogLevel reaches the code as AWS_LAMBDA_LOG_LEVEL, which Powertools obeys.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel ?? 'INFO'],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment,
    } satisfies Partial<lambda.FunctionProps>;
    const rulesFile = props.rulesFile;

    if (props.sourceEntry !== undefined) {
      this.function = new nodejs.NodejsFunction(this, 'Function', {
        ...common,
        entry: props.sourceEntry,
        handler: 'handler',
        projectRoot: PACKAGE_ROOT,
        depsLockFilePath: path.join(PACKAGE_ROOT, 'package-lock.json'),
        bundling: { ...MONITOR_BUNDLING, commandHooks: shipRulesHooks(rulesFile) },
      });
    } else {
      this.function = new lambda.Function(this, 'Function', {
        ...common,
        code: lambda.Code.fromAsset(prebuiltAsset(rulesFile)),
        handler: 'index.handler',
      });
    }
  }
}

/** The environment value telling a function where its shipped rules file is. */
export const shippedRulesPath = (rulesFile: string | undefined) =>
  rulesFile === undefined ? undefined : `/var/task/${SHIPPED_RULES_FILE}`;

/** esbuild command hooks that put the rules file beside the bundled code. */
export function shipRulesHooks(rulesFile: string | undefined): nodejs.ICommandHooks | undefined {
  if (rulesFile === undefined) return undefined;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_input, output) => [`cp "${rulesFile}" "${output}/${SHIPPED_RULES_FILE}"`],
  };
}

/** A prebuilt function folder, or a copy of it with the rules file beside the code. */
export function prebuiltAsset(rulesFile: string | undefined, dir: string = PREBUILT_HANDLER_DIR): string {
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(
      `The prebuilt function code is missing at ${dir}: run \`npm run build\` in airudder-stats-monitor (npm ci runs it).`,
    );
  }
  if (rulesFile === undefined) return dir;
  const staged = fs.mkdtempSync(path.join(os.tmpdir(), 'airudder-stats-monitor-'));
  fs.cpSync(dir, staged, { recursive: true });
  fs.copyFileSync(rulesFile, path.join(staged, SHIPPED_RULES_FILE));
  return staged;
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
