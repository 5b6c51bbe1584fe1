import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnOutput, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { parseRules } from '../lambda/domain/alerts/rules';
import {
  type ArchiveStorageClass,
  MonitorConfigError,
  type MonitorLogLevel,
  type ObjectLockConfig,
  parseMonitorProps,
} from './config';
import { ArchiveBucket } from './constructs/archive-bucket';
import { ArchiveQuery } from './constructs/archive-query';
import { InteractionsFunction } from './constructs/interactions-function';
import { MonitorDashboard } from './constructs/monitor-dashboard';
import { MonitorFunction } from './constructs/monitor-function';
import { MonitorSecret } from './constructs/monitor-secret';
import { RunSchedules } from './constructs/run-schedules';
import { SelfMonitoring } from './constructs/self-monitoring';
import { monitorNames } from './monitor-names';

/**
 * Everything the monitor can be told. Only `timeZone` is required; every other prop has the default
 * documented here. The names and defaults are those of the project's cdk.json context keys.
 */
export interface AirudderStatsMonitorProps {
  /** IANA time zone of the call centre: schedules run in it and days are counted in it (e.g. 'Asia/Jakarta'). */
  readonly timeZone: string;
  /**
   * Name of this monitor in its Slack messages (MONITOR_NAME) and on the dashboard; useful when
   * several centres post to one channel.
   * @default - not set
   */
  readonly displayName?: string;
  /**
   * Base URL of the AIRUDDER API; must be https.
   * @default 'https://api.airudder.com'
   */
  readonly airudderBaseUrl?: string;

  // --- Schedules (EventBridge Scheduler expressions, evaluated in timeZone) ---
  /**
   * When to check the statistics and alert.
   * @default 'cron(0/15 * * * ? *)' (every 15 minutes)
   */
  readonly checkSchedule?: string;
  /**
   * When to post yesterday's digest.
   * @default 'cron(30 8 * * ? *)' (08:30 local time)
   */
  readonly digestSchedule?: string;
  /**
   * Minutes Scheduler and Lambda keep retrying a run (1–360).
   * @default 60
   */
  readonly scheduleMaxEventAgeMinutes?: number;
  /**
   * Scheduler's retries of an invocation it could not deliver (0–185); Lambda retries a failed run at most twice.
   * @default 2
   */
  readonly scheduleRetryAttempts?: number;

  // --- Secret: created empty, or imported ---
  /**
   * An existing secret (from this app, or imported with `Secret.fromSecretNameV2`/`fromSecretCompleteArn`),
   * instead of secretArn/secretName. When it has an `encryptionKey`, the function may decrypt with it
   * only through Secrets Manager.
   * @default - see secretArn
   */
  readonly secret?: secretsmanager.ISecret;
  /**
   * Complete ARN (with its 6-character suffix) of an existing secret holding the AIRUDDER
   * credentials and Slack webhook URLs.
   * @default - see secretName
   */
  readonly secretArn?: string;
  /**
   * Name of an existing secret, instead of secretArn.
   * @default - a new secret is created without a value; put the JSON into it after deploy
   */
  readonly secretName?: string;
  /**
   * KMS key ARN encrypting an imported secret; the function may decrypt only via Secrets Manager.
   * @default - the AWS-managed key aws/secretsmanager
   */
  readonly secretKmsKeyArn?: string;

  // --- Alarms ---
  /**
   * E-mail address subscribed to the alarm topic (confirm the subscription from the e-mail).
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;
  /**
   * An existing SNS topic to send the alarms to. Its access policy (and key, if encrypted) must
   * let cloudwatch.amazonaws.com publish.
   * @default - a new topic encrypted with a new rotating KMS key
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * AWS Chatbot Slack workspace (team) id, e.g. 'T0123ABCD'; with chatbotSlackChannelId, alarms also
   * go to that Slack channel. Authorise the workspace in the AWS Chatbot console first.
   * @default - no Chatbot route
   */
  readonly chatbotSlackWorkspaceId?: string;
  /**
   * Slack channel id for the Chatbot route, e.g. 'C0123ABCD'; invite @aws into the channel.
   * @default - no Chatbot route
   */
  readonly chatbotSlackChannelId?: string;
  /**
   * Alarm when no check run succeeded for this many minutes (5–1440).
   * @default 60
   */
  readonly noSuccessfulCheckAlarmMinutes?: number;
  /**
   * A CloudWatch dashboard of runs, failures, API latency, alerts and archived bytes (about US$3 a month).
   * @default false
   */
  readonly dashboard?: boolean;

  // --- Archive bucket ---
  /**
   * An existing bucket to archive into (several monitors may share one, each under its own
   * archivePrefix). Its owner keeps its settings: versioning, encryption, lifecycle, TLS-only policy
   * and access logs are theirs, so the archive* lifecycle props and objectLock are refused with it.
   * @default - a private, versioned, TLS-only bucket with access logs is created
   */
  readonly archiveBucket?: s3.IBucket;
  /**
   * What deleting the stack does to what the construct created and would otherwise keep: the
   * archive, access-logs and Athena results buckets and the function's log group. RETAIN for
   * production (the archive is an audit trail); DESTROY for dev and test stacks: the buckets are
   * emptied (autoDeleteObjects) and deleted with the stack. A given archiveBucket is never touched.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Key prefix for everything the function stores, e.g. 'acme/centre-1'.
   * @default '' (raw/, state/, digest/ at the bucket root)
   */
  readonly archivePrefix?: string;
  /**
   * Days before objects move to archiveStorageClass.
   * @default 90
   */
  readonly archiveTransitionDays?: number;
  /**
   * Storage class old objects move to; each still answers GetObject at once.
   * @default ArchiveStorageClass.GLACIER_INSTANT_RETRIEVAL
   */
  readonly archiveStorageClass?: ArchiveStorageClass;
  /**
   * Days before objects expire; must exceed archiveTransitionDays.
   * @default - never: the archive is an audit trail
   */
  readonly archiveExpirationDays?: number;
  /**
   * Days an overwritten or expired version is kept.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days the bucket's server access logs are kept.
   * @default 365
   */
  readonly accessLogExpirationDays?: number;
  /**
   * Default Object Lock retention for every new object version, e.g.
   * `{ mode: ObjectLockMode.COMPLIANCE, days: 400 }`. Only when the bucket is created: adding it
   * later replaces the bucket.
   * @default - no Object Lock
   */
  readonly objectLock?: ObjectLockConfig;

  // --- Athena over the curated tables ---
  /**
   * Glue tables over the curated archive, an Athena workgroup with the named queries, and the
   * analysts' policy. False leaves the whole Athena layer out (the CLI's `sql` still works).
   * @default true
   */
  readonly query?: boolean;
  /**
   * Glue database holding the curated tables; unique per account and region.
   * @default - the monitor's id with "_": `airudder_stats_monitor` for this project's stack,
   * `operations_surabaya` for a construct 'Surabaya' in a stack 'Operations'
   */
  readonly athenaDatabaseName?: string;
  /**
   * Athena workgroup for the named queries; unique per account and region like the database.
   * @default - the monitor's id (`operations-surabaya`)
   */
  readonly athenaWorkGroupName?: string;

  // --- Function ---
  /**
   * Memory in MB (128–10240).
   * @default 256
   */
  readonly memorySizeMb?: number;
  /**
   * Timeout in seconds (30–900); the duration alarm fires at 80 % of it.
   * @default 120
   */
  readonly timeoutSeconds?: number;
  /**
   * Days the function's log group keeps logs (a CloudWatch Logs retention value).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * The function's log level.
   * @default MonitorLogLevel.INFO
   */
  readonly logLevel?: MonitorLogLevel;
  /**
   * A rules file (JSON, as in the README's "Alert rules") the function starts with, instead of the
   * shipped defaults; rules pushed to the archive with the `rules` command still take precedence.
   * Validated at synth: a mistake fails `cdk synth` naming the rule and field.
   * @default - the shipped default rules
   */
  readonly rulesFile?: string;
  /**
   * Simultaneous calls the centre's lines carry, for the capacity rule.
   * @default - not set: the capacity rule is skipped
   */
  readonly lineCapacity?: number;
  /**
   * Consecutive failed runs before the monitor reports itself degraded in Slack.
   * @default - the function's default (3)
   */
  readonly failureThreshold?: number;
  /**
   * Entries per ranking in the digest.
   * @default - the function's default (5)
   */
  readonly digestTopN?: number;
  /**
   * Per-request timeout towards AIRUDDER in ms; shorter than the function timeout.
   * @default - the function's default (30000)
   */
  readonly airudderTimeoutMs?: number;
  /**
   * Attempts per AIRUDDER request (1–10).
   * @default - the function's default (3)
   */
  readonly airudderMaxAttempts?: number;
  /**
   * Bundle the function from this TypeScript entry with esbuild at synth time instead of using the
   * prebuilt code in the package. For developing airudder-stats-monitor itself: needs esbuild and
   * the project's lock file.
   * @default - the prebuilt code shipped in the package
   */
  readonly handlerSourceEntry?: string;

  // --- Slack app mode (README: Slack app mode) ---
  /**
   * Slack app mode: the id of the channel incidents are posted to (C…/G…), with the bot token from
   * the monitor's secret (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET). Adds the interactions function
   * behind a Function URL (output `InteractionsUrl`) for the incident messages' buttons.
   * @default - webhook mode (SLACK_WEBHOOK_URL in the secret)
   */
  readonly slackAlertChannel?: string;
  /**
   * App mode: the digest's channel id.
   * @default - the alert channel
   */
  readonly slackDigestChannel?: string;
  /**
   * App mode: who may use the buttons, comma-separated Slack user ids (U…, W…) or user-group ids
   * (S…; the app then needs the usergroups:read scope). Anyone else gets an ephemeral "not allowed".
   * @default - everyone in the channel
   */
  readonly slackOperators?: string;
  /**
   * Bundle the interactions function from this TypeScript entry at synth time instead of the
   * prebuilt code (developing this project, like handlerSourceEntry).
   * @default - the prebuilt code shipped in the package
   */
  readonly interactionsSourceEntry?: string;
}

/**
 * The whole monitor as one construct, to place in any stack: EventBridge Scheduler (in the centre's
 * time zone) → Lambda → AIRUDDER API, S3 archive, Slack; with its secret, dead-letter queue, alarms,
 * Athena over the curated tables, and optionally a dashboard and a Chatbot route.
 *
 * @example
 * new AirudderStatsMonitor(stack, 'Monitor', { timeZone: 'Asia/Jakarta' });
 */
export class AirudderStatsMonitor extends Construct {
  /** The monitor function. */
  public readonly function: lambda.Function;
  /** Its log group (the Logs Insights queries of the README run against it). */
  public readonly logGroup: logs.LogGroup;
  /** The archive bucket (raw responses, alert state, digests): created (retained unless removalPolicy says), or the one given. */
  public readonly bucket: s3.IBucket;
  /** The bucket receiving the server access logs of the buckets created here; absent when archiveBucket was given and query is false. */
  public readonly accessLogsBucket?: s3.Bucket;
  /** The secret the function reads (created or imported). */
  public readonly secret: secretsmanager.ISecret;
  /** What to pass to `aws secretsmanager put-secret-value --secret-id`. */
  public readonly secretId: string;
  /** Receives every alarm and OK transition (created, or the one given as alarmTopic). */
  public readonly alarmTopic: sns.ITopic;
  /** Scheduled runs that failed for good land here. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Function errors and throttles, runs near the timeout, dead letters, no successful check in the schedule's hours. */
  public readonly alarms: readonly cloudwatch.Alarm[];
  /** Slack app mode's interactions function and its Function URL, when `slackAlertChannel` is set. */
  public readonly interactions?: InteractionsFunction;
  /** The dashboard, when `dashboard` is true. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Athena and Glue over the curated tables, and the read-only analysts' policy to attach; absent with `query: false`. */
  public readonly query?: ArchiveQuery;
  /**
   * The monitor's id, unique per account and region (stack name + construct path, kebab-case): the
   * `service` dimension of its metrics, and the root of every name it gives a resource.
   */
  public readonly monitorId: string;
  private readonly archive: ArchiveBucket;

  constructor(scope: Construct, id: string, props: AirudderStatsMonitorProps) {
    super(scope, id);
    const config = parseMonitorProps({ ...props });
    checkGivenResources(props);
    if (config.rulesFile !== undefined) checkRulesFile(config.rulesFile);
    const displayName = config.displayName ?? config.monitorName;
    const names = monitorNames(this, displayName);
    this.monitorId = names.id;
    const timeout = Duration.seconds(config.timeoutSeconds);

    const secret = new MonitorSecret(this, 'Secret', {
      secret: props.secret,
      secretArn: config.secretArn,
      secretName: config.secretName,
      kmsKeyArn: config.secretKmsKeyArn,
    });

    const archive = new ArchiveBucket(this, 'Archive', {
      prefix: config.archivePrefix,
      transitionAfterDays: config.archiveTransitionDays,
      transitionStorageClass: config.archiveStorageClass,
      expireAfterDays: config.archiveExpirationDays,
      noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
      accessLogExpirationDays: config.accessLogExpirationDays,
      objectLock: config.objectLock,
      bucket: props.archiveBucket,
      removalPolicy: config.removalPolicy,
      accessLogsWanted: config.query,
    });

    const monitor = new MonitorFunction(this, 'Monitor', {
      sourceEntry: props.handlerSourceEntry,
      // Relative to the directory `cdk synth` runs in, like every path in a CDK app.
      rulesFile: config.rulesFile === undefined ? undefined : path.resolve(config.rulesFile),
      // monitorName is the context key #11 introduced for MONITOR_NAME: an alias of displayName.
      displayName,
      serviceName: names.id,
      timeZone: config.timeZone,
      airudderBaseUrl: config.airudderBaseUrl,
      memorySizeMb: config.memorySizeMb,
      timeoutSeconds: config.timeoutSeconds,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      lineCapacity: config.lineCapacity,
      failureThreshold: config.failureThreshold,
      digestTopN: config.digestTopN,
      logLevel: config.logLevel,
      airudderTimeoutMs: config.airudderTimeoutMs,
      airudderMaxAttempts: config.airudderMaxAttempts,
      logRemovalPolicy: config.removalPolicy,
    });

    const schedules = new RunSchedules(this, 'Schedules', {
      target: monitor.function,
      timeZone: config.timeZone,
      checkSchedule: config.checkSchedule,
      digestSchedule: config.digestSchedule,
      maxEventAge: Duration.minutes(config.scheduleMaxEventAgeMinutes),
      retryAttempts: config.scheduleRetryAttempts,
    });

    // Everything the function may do, in one place: its log group (MonitorFunction), the archive
    // areas and the secret (below, each with the environment variable naming it), and dead-lettering
    // a failed run (RunSchedules).
    archive.grantTo(monitor.function);
    secret.grantTo(monitor.function);

    const monitoring = new SelfMonitoring(this, 'SelfMonitoring', {
      names,
      checkSchedule: config.checkSchedule,
      timeZone: config.timeZone,
      function: monitor.function,
      timeout,
      deadLetterQueue: schedules.deadLetterQueue,
      noSuccessfulCheckWindow: Duration.minutes(config.noSuccessfulCheckAlarmMinutes),
      alarmEmail: config.alarmEmail,
      topic: props.alarmTopic,
      slack:
        config.chatbotSlackWorkspaceId !== undefined && config.chatbotSlackChannelId !== undefined
          ? { workspaceId: config.chatbotSlackWorkspaceId, channelId: config.chatbotSlackChannelId }
          : undefined,
    });

    let alarms: cloudwatch.Alarm[] = monitoring.alarms;
    if (config.slackAlertChannel !== undefined) {
      const slack: Record<string, string> = {
        SLACK_ALERT_CHANNEL: config.slackAlertChannel,
        ...(config.slackDigestChannel === undefined
          ? {}
          : { SLACK_DIGEST_CHANNEL: config.slackDigestChannel }),
        ...(config.slackOperators === undefined ? {} : { SLACK_OPERATORS: config.slackOperators }),
      };
      for (const [key, value] of Object.entries(slack)) monitor.function.addEnvironment(key, value);
      this.interactions = new InteractionsFunction(this, 'SlackInteractions', {
        names,
        environment: {
          ...slack,
          AIRUDDER_TIMEZONE: config.timeZone,
          POWERTOOLS_SERVICE_NAME: names.id,
          ...(displayName === undefined ? {} : { MONITOR_NAME: displayName }),
        },
        sourceEntry: props.interactionsSourceEntry,
        rulesFile: config.rulesFile === undefined ? undefined : path.resolve(config.rulesFile),
        logRetention: config.logRetentionDays as logs.RetentionDays,
        alarmTopic: monitoring.topic,
      });
      archive.grantInteractions(this.interactions.function);
      secret.grantTo(this.interactions.function);
      alarms = [...alarms, this.interactions.errorsAlarm];
    }

    if (config.query) {
      this.query = new ArchiveQuery(this, 'Query', {
        archiveBucket: archive.bucket,
        archivePrefix: archive.prefix,
        // Created whenever query is on (accessLogsWanted above).
        accessLogsBucket: archive.accessLogsBucket as s3.Bucket,
        removalPolicy: config.removalPolicy,
        databaseName: config.athenaDatabaseName ?? names.glueDatabase,
        workGroupName: config.athenaWorkGroupName ?? names.workGroup,
      });
    }

    if (config.dashboard) {
      this.dashboard = new MonitorDashboard(this, 'Dashboard', {
        function: monitor.function,
        serviceName: names.id,
        timeout,
        alarms: monitoring.alarms,
        dashboardName: names.dashboard,
      }).dashboard;
    }

    this.archive = archive;
    this.function = monitor.function;
    this.logGroup = monitor.logGroup;
    this.bucket = archive.bucket;
    this.accessLogsBucket = archive.accessLogsBucket;
    this.secret = secret.secret;
    this.secretId = secret.secretId;
    this.alarmTopic = monitoring.topic;
    this.deadLetterQueue = schedules.deadLetterQueue;
    this.alarms = alarms;
    this.addOutputs();
  }

  /** What the README's next steps need after `cdk deploy`, as stack outputs named after the construct. */
  private addOutputs(): void {
    const output = (id: string, value: string, description?: string) =>
      new CfnOutput(this, id, { value, description });
    output('SecretId', this.secretId, 'Put the AIRUDDER credentials and Slack webhook URLs into this secret');
    output('ArchiveBucketName', this.bucket.bucketName);
    output('FunctionName', this.function.functionName, 'Invoke a check by hand to confirm the secret');
    output('LogGroupName', this.logGroup.logGroupName);
    output('AlarmTopicArn', this.alarmTopic.topicArn);
    if (this.interactions) {
      output(
        'InteractionsUrl',
        this.interactions.url.url,
        'Slack app mode: the Interactivity Request URL (npm run job -- slack-manifest --url …)',
      );
    }
    if (this.query) {
      output('AthenaWorkGroup', this.query.workGroup.ref);
      output('GlueDatabase', this.query.databaseName);
    }
    if (this.dashboard) {
      const region = Stack.of(this).region;
      output(
        'DashboardUrl',
        `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${this.monitorId}`,
      );
    }
  }

  /**
   * For the operator CLI from a laptop (`airudder-monitor --archive s3://…`): read-only over the
   * archive — `verify`, `replay`, `sql`, `snoozes`, `rules show`. No secret, no write.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.archive.grantRead(grantee);
  }

  /**
   * For operators: everything `grantRead` allows, plus the exact objects `snooze`/`unsnooze`/
   * `watermark reset` (state/alerts.json), `rules push` (config/rules.json) and `curate`
   * (curated/) write. No secret: a command that posts to Slack (`replay --post`) takes the webhook
   * from the operator's own SLACK_WEBHOOK_URL.
   */
  public grantOperate(grantee: iam.IGrantable): iam.Grant {
    return this.archive.grantOperate(grantee);
  }
}

/** Props taking a construct object cannot be validated by the schema: their conflicts are checked here. */
function checkGivenResources(props: AirudderStatsMonitorProps): void {
  const problems: string[] = [];
  if (props.secret !== undefined) {
    for (const key of ['secretArn', 'secretName', 'secretKmsKeyArn'] as const) {
      if (props[key] !== undefined) {
        problems.push(`prop "${key}" cannot be combined with secret (give the secret object alone)`);
      }
    }
  }
  if (props.archiveBucket !== undefined) {
    const bucketSettings = [
      'archiveTransitionDays',
      'archiveStorageClass',
      'archiveExpirationDays',
      'noncurrentVersionExpirationDays',
      'objectLock',
    ] as const;
    for (const key of bucketSettings) {
      if (props[key] !== undefined && props[key] !== null) {
        problems.push(
          `prop "${key}" applies only to a bucket the construct creates; with archiveBucket its owner sets it`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new MonitorConfigError(`Invalid AirudderStatsMonitor props: ${problems.join('; ')}`);
  }
}

/** The rules file must exist and pass the function's own schema, so a mistake fails synth, not a run. */
function checkRulesFile(file: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new MonitorConfigError(
      `Invalid AirudderStatsMonitor props: rulesFile ${file} cannot be read (${reason})`,
    );
  }
  try {
    parseRules(text, file);
  } catch (error) {
    throw new MonitorConfigError(
      `Invalid AirudderStatsMonitor props: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
