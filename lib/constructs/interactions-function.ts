import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { MonitorNames } from '../monitor-names';
import {
  MONITOR_BUNDLING,
  MONITOR_RUNTIME,
  PACKAGE_ROOT,
  prebuiltAsset,
  shippedRulesPath,
  shipRulesHooks,
} from './monitor-function';

/** The interactions function's source entry; it exports `handler`. */
export const DEFAULT_INTERACTIONS_ENTRY = path.join(PACKAGE_ROOT, 'lambda', 'interactions.ts');

/**
 * The interactions function is bundled like the monitor function, except that the AWS SDK goes
 * into the bundle instead of coming from the runtime: from its ES modules (`module` first), esbuild
 * keeps the S3 client with the two commands a click sends and Secrets Manager's GetSecretValue,
 * instead of the runtime packages' every command and schema. A click is a cold start more often
 * than not, and loading the SDK was most of it (docs/performance.md: callgrind, require of both
 * runtime packages 0.57 G instructions, the tree-shaken pair 0.46 G).
 */
export const INTERACTIONS_BUNDLING: nodejs.BundlingOptions = {
  ...MONITOR_BUNDLING,
  externalModules: [],
  mainFields: ['module', 'main'],
};

/** Where `npm run build` puts the bundled interactions function; the package ships it. */
export const PREBUILT_INTERACTIONS_DIR = path.join(PACKAGE_ROOT, 'dist', 'interactions');

/**
 * Slack gives up after 3 s; the function answers within 2 s (ANSWER_BUDGET_MS). A longer timeout
 * would only keep a stuck invocation billed; a shorter one could cut a cold start's first answer.
 */
const TIMEOUT = Duration.seconds(10);

export interface InteractionsFunctionProps {
  readonly names: MonitorNames;
  /** The environment both functions share (zone, name, Slack app mode settings). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Bundle from this TypeScript entry with esbuild at synth time instead of the prebuilt code.
   * @default - the prebuilt code from `npm run build` (PREBUILT_INTERACTIONS_DIR)
   */
  readonly sourceEntry?: string;
  /**
   * The rules file the monitor function ships (its DEFAULT_RULES_FILE), shipped here too: a click
   * re-renders the head with the same rules and reminder cadence the checks use.
   * @default - the rules built into the function
   */
  readonly rulesFile?: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** The alarm topic: its errors alarm goes there. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * Slack app mode's interactions endpoint: a small function of its own, so a click never waits
 * behind a check (separate concurrency, a bundle without the AIRUDDER client), behind a Lambda
 * Function URL. The URL's auth type is NONE because Slack cannot sign AWS requests: every request
 * is authenticated in code by Slack's signature (lambda/shared/slack-signature.ts) before anything
 * is read. Function URLs created since October 2025 need both `lambda:InvokeFunctionUrl` and
 * `lambda:InvokeFunction` in the resource policy; aws-cdk-lib's `addFunctionUrl` grants both for
 * NONE (the stack test asserts them). Archive and secret grants come from their constructs.
 */
export class InteractionsFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  public readonly url: lambda.FunctionUrl;
  /** Any error of the interactions function in 5 minutes: a click went unanswered. */
  public readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: InteractionsFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'airudder-stats-monitor Slack interactions: its log group, the alert state, the secret',
    });
    this.logGroup.grantWrite(role);
    const common = {
      description: 'Slack app mode: applies the buttons of incident messages (signature-verified)',
      runtime: MONITOR_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: TIMEOUT,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment: {
        ...props.environment,
        ...(props.rulesFile === undefined
          ? {}
          : { DEFAULT_RULES_FILE: shippedRulesPath(props.rulesFile) ?? '' }),
        NODE_OPTIONS: '--enable-source-maps',
      },
    } satisfies Partial<lambda.FunctionProps>;
    this.function =
      props.sourceEntry !== undefined
        ? new nodejs.NodejsFunction(this, 'Function', {
            ...common,
            entry: props.sourceEntry,
            handler: 'handler',
            projectRoot: PACKAGE_ROOT,
            depsLockFilePath: path.join(PACKAGE_ROOT, 'package-lock.json'),
            bundling: { ...INTERACTIONS_BUNDLING, commandHooks: shipRulesHooks(props.rulesFile) },
          })
        : new lambda.Function(this, 'Function', {
            ...common,
            code: lambda.Code.fromAsset(prebuiltAsset(props.rulesFile, PREBUILT_INTERACTIONS_DIR)),
            handler: 'index.handler',
          });
    this.url = this.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    this.errorsAlarm = new cloudwatch.Alarm(this, 'Errors', {
      alarmName: props.names.alarm('slack interactions errors'),
      alarmDescription: `${props.names.label}: the Slack interactions function failed; a button click went unanswered (see its log group).`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new actions.SnsAction(props.alarmTopic);
    this.errorsAlarm.addAlarmAction(action);
    this.errorsAlarm.addOkAction(action);
  }
}
