import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RUN_SUCCEEDED_METRIC } from '../../lambda/shared/telemetry';
import { METRICS_NAMESPACE, SERVICE_NAME } from './monitor-function';

export { RUN_SUCCEEDED_METRIC };

/** The metric a successful run publishes (EMF, via Powertools Metrics), Count 1 per run. */

export interface SelfMonitoringProps {
  /** The monitor function whose errors are watched. */
  readonly function: lambda.IFunction;
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
}

/**
 * Alarms that reach the operator without Slack: function errors, dead letters, and silence (no
 * successful check). All go to one KMS-encrypted SNS topic.
 */
export class SelfMonitoring extends Construct {
  /** Receives every alarm and OK transition. */
  public readonly topic: sns.Topic;
  /** Any function error in 15 minutes. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** A scheduled invocation ended up in the dead-letter queue. */
  public readonly deadLettersAlarm: cloudwatch.Alarm;
  /** No check run succeeded within the window. */
  public readonly noSuccessfulCheckAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SelfMonitoringProps) {
    super(scope, id);

    // A customer-managed key, because CloudWatch cannot publish to a topic under the AWS-managed
    // alias/aws/sns key (its policy cannot grant cloudwatch.amazonaws.com).
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the airudder-stats-monitor alarm topic',
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

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'airudder-stats-monitor alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, so allow the alarms of this account explicitly.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    this.errorsAlarm = new cloudwatch.Alarm(this, 'FunctionErrors', {
      alarmDescription: 'airudder-stats-monitor: the function failed (see its log group).',
      metric: props.function.metricErrors({ period: Duration.minutes(15), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.deadLettersAlarm = new cloudwatch.Alarm(this, 'DeadLetters', {
      alarmDescription:
        'airudder-stats-monitor: Scheduler gave up invoking the function; the failed events are in the dead-letter queue.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const window = props.noSuccessfulCheckWindow ?? Duration.minutes(60);
    this.noSuccessfulCheckAlarm = new cloudwatch.Alarm(this, 'NoSuccessfulCheck', {
      alarmDescription: `airudder-stats-monitor: no check run succeeded in the last ${window.toMinutes()} minutes.`,
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: RUN_SUCCEEDED_METRIC,
        dimensionsMap: { service: SERVICE_NAME, mode: 'check' },
        statistic: cloudwatch.Stats.SUM,
        period: window,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // Silence is the failure this alarm exists for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    const action = new actions.SnsAction(this.topic);
    for (const alarm of [this.errorsAlarm, this.deadLettersAlarm, this.noSuccessfulCheckAlarm]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
