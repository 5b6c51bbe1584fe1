import { Annotations, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, RUN_SUCCEEDED_METRIC } from '../../lambda/shared/telemetry';
import { MonitorConfigError } from '../config';
import type { MonitorNames } from '../monitor-names';
import { activeHoursCondition, scheduleHours, watchedPeriods } from './active-hours';

export { RUN_SUCCEEDED_METRIC };

/** The duration alarm fires when a run takes this share of the function's timeout. */
export const DURATION_ALARM_SHARE = 0.8;

export interface SelfMonitoringProps {
  /** The monitor's names: its telemetry identity (the `service` dimension) and the alarm names. */
  readonly names: MonitorNames;
  /** The check schedule and its time zone: the heartbeat expects a run only when it runs. */
  readonly checkSchedule: string;
  readonly timeZone: string;
  /** The monitor function whose errors and duration are watched. */
  readonly function: lambda.IFunction;
  /** Its timeout: the duration alarm fires at DURATION_ALARM_SHARE of it. */
  readonly timeout: Duration;
  /** The schedules' dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Alarm when no check run succeeded for this long.
   * @default Duration.minutes(60)
   */
  readonly noSuccessfulCheckWindow?: Duration;
  /**
   * Address subscribed to the alarm topic (the subscription must be confirmed from the e-mail).
   * @default - no subscription; subscribe yourself to the topic
   */
  readonly alarmEmail?: string;
  /**
   * An existing topic to send the alarms to, instead of creating one. Its policy and key (if any)
   * must let CloudWatch publish.
   * @default - a new KMS-encrypted topic
   */
  readonly topic?: sns.ITopic;
  /**
   * Also send alarms to a Slack channel through AWS Chatbot. The workspace must already be
   * authorised in the AWS Chatbot console once per account.
   * @default - no Slack route (e-mail or your own topic subscriptions only)
   */
  readonly slack?: { readonly workspaceId: string; readonly channelId: string };
}

/**
 * Alarms that reach the operator without the monitor's own Slack webhooks: function errors and
 * throttles, runs near the timeout, each new dead letter, and silence (no successful check while
 * the check schedule runs). All go to one SNS topic (KMS-encrypted when created here), which e-mail
 * and optionally AWS Chatbot subscribe to. Alarm names start with the monitor's label, so an e-mail
 * subject or a Chatbot line says which monitor it is about.
 */
export class SelfMonitoring extends Construct {
  /** Receives every alarm and OK transition. */
  public readonly topic: sns.ITopic;
  /** A run took DURATION_ALARM_SHARE of the timeout or more. */
  public readonly durationAlarm: cloudwatch.Alarm;
  /** The Chatbot channel configuration, when a Slack route was asked for. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;
  /** Any function error in 15 minutes. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** Lambda refused to run the function (account or function concurrency exhausted). */
  public readonly throttlesAlarm: cloudwatch.Alarm;
  /** A scheduled invocation was dead-lettered: fires for each new dead letter, whatever the queue holds. */
  public readonly deadLettersAlarm: cloudwatch.Alarm;
  /** No check run succeeded within the window, in the hours the check schedule runs. */
  public readonly noSuccessfulCheckAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SelfMonitoringProps) {
    super(scope, id);
    const { names } = props;

    this.topic = props.topic ?? this.createTopic(names);
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    this.errorsAlarm = new cloudwatch.Alarm(this, 'FunctionErrors', {
      alarmName: names.alarm('function errors'),
      alarmDescription: `${names.label}: the function failed (see its log group).`,
      metric: props.function.metricErrors({ period: Duration.minutes(15), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.throttlesAlarm = new cloudwatch.Alarm(this, 'FunctionThrottles', {
      alarmName: names.alarm('function throttled'),
      alarmDescription: `${names.label}: Lambda throttled the function (concurrency exhausted in the account or region); runs are delayed and may be dead-lettered.`,
      metric: props.function.metricThrottles({
        period: Duration.minutes(15),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Messages sent, not messages visible: a queue nobody purged would keep a depth alarm in ALARM
    // and swallow every later failure. Scheduler and Lambda send with SendMessage, which this counts.
    this.deadLettersAlarm = new cloudwatch.Alarm(this, 'DeadLetters', {
      alarmName: names.alarm('run dead-lettered'),
      alarmDescription: `${names.label}: a scheduled run failed for good and was dead-lettered (see README, "Dead letters"). Fires for each new dead letter; it returns to OK on its own.`,
      metric: props.deadLetterQueue.metricNumberOfMessagesSent({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const window = props.noSuccessfulCheckWindow ?? Duration.minutes(60);
    this.noSuccessfulCheckAlarm = new cloudwatch.Alarm(this, 'NoSuccessfulCheck', {
      alarmName: names.alarm('no successful check'),
      alarmDescription: `${names.label}: no check run succeeded in the last ${window.toMinutes()} minutes while the check schedule (${props.checkSchedule}, ${props.timeZone}) runs. Right after the first deploy: put the secret (README, Deploy step 3).`,
      metric: this.heartbeat(props, window),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // Silence is the failure this alarm exists for; outside the schedule's hours the expression
      // answers 1, so only a watched hour can be missing.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    const timeoutMs = props.timeout.toMilliseconds();
    const threshold = Math.round(timeoutMs * DURATION_ALARM_SHARE);
    this.durationAlarm = new cloudwatch.Alarm(this, 'NearTimeout', {
      alarmName: names.alarm('run near timeout'),
      alarmDescription: `${names.label}: a run took ${threshold / 1000} s or more, ${DURATION_ALARM_SHARE * 100} % of the ${timeoutMs / 1000} s timeout (slow AIRUDDER or S3; raise timeoutSeconds or look at the log).`,
      metric: props.function.metricDuration({
        period: Duration.minutes(15),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    if (props.slack !== undefined) {
      // No guardrail or user-role policies: the channel only receives notifications.
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'SlackChannel', {
        slackChannelConfigurationName: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
        slackWorkspaceId: props.slack.workspaceId,
        slackChannelId: props.slack.channelId,
        notificationTopics: [this.topic],
      });
    }

    const action = new actions.SnsAction(this.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  /** Every alarm, in one list (the dashboard shows them). */
  public get alarms(): cloudwatch.Alarm[] {
    return [
      this.errorsAlarm,
      this.throttlesAlarm,
      this.durationAlarm,
      this.deadLettersAlarm,
      this.noSuccessfulCheckAlarm,
    ];
  }

  /**
   * Successful checks per window, under this monitor's own `service` dimension. When the check
   * schedule leaves hours out, metric math answers 1 (healthy) outside its hours, read from a
   * gap-free clock series (TIME_SERIES) so that the night's missing data cannot count as silence.
   */
  private heartbeat(props: SelfMonitoringProps, window: Duration): cloudwatch.IMetric {
    const runs = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: RUN_SUCCEEDED_METRIC,
      dimensionsMap: { service: props.names.id, mode: 'check' },
      statistic: cloudwatch.Stats.SUM,
      period: window,
    });
    const schedule = scheduleHours(props.checkSchedule, props.timeZone);
    let watched: readonly boolean[];
    try {
      watched = watchedPeriods(schedule, window.toMinutes());
    } catch (error) {
      throw new MonitorConfigError(
        `Invalid AirudderStatsMonitor props: noSuccessfulCheckAlarmMinutes ${(error as Error).message}`,
      );
    }
    if (schedule.caveats.length > 0) {
      Annotations.of(this).addWarningV2(
        'airudder-stats-monitor:heartbeat-schedule',
        `The "no successful check" alarm cannot follow ${schedule.caveats.join(', ')} of ${props.checkSchedule}: it expects checks on every day its hour and weekday fields select.`,
      );
    }
    const condition = activeHoursCondition(watched, 'clock');
    if (condition === undefined) return runs;
    return new cloudwatch.MathExpression({
      label: 'successful checks (1 outside the check schedule)',
      expression: `IF(${condition}, FILL(runs, 0), 1)`,
      usingMetrics: {
        runs,
        clock: new cloudwatch.MathExpression({
          expression: 'TIME_SERIES(0)',
          usingMetrics: {},
          period: window,
        }),
      },
      period: window,
    });
  }

  private createTopic(names: MonitorNames): sns.Topic {
    // A customer-managed key, because CloudWatch cannot publish to a topic under the AWS-managed
    // alias/aws/sns key (its policy cannot grant cloudwatch.amazonaws.com).
    const key = new kms.Key(this, 'TopicKey', {
      description: `Encrypts the alarm topic of ${names.id}`,
      enableKeyRotation: true,
      // It protects only in-flight notifications: nothing is left to decrypt once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    const topic = new sns.Topic(this, 'Topic', {
      displayName: `${names.label} alarms`.slice(0, 100),
      masterKey: key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, so allow the alarms of this account explicitly.
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return topic;
  }
}
