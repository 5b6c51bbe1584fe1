import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag-acknowledgments';

/** The run modes the handler accepts in its scheduled event. */
export type RunMode = 'check' | 'digest';

export interface RunSchedulesProps {
  /** The function both schedules invoke. */
  readonly target: lambda.Function;
  /** IANA time zone the expressions are evaluated in. */
  readonly timeZone: string;
  /**
   * When to check the statistics.
   * @default 'cron(0/15 * * * ? *)' (every 15 minutes)
   */
  readonly checkSchedule?: string;
  /**
   * When to post the daily digest.
   * @default 'cron(30 8 * * ? *)' (08:30 local time)
   */
  readonly digestSchedule?: string;
  /**
   * How long Scheduler, and then Lambda's asynchronous invocation, keep retrying (at most 6 hours).
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
  /**
   * Retries after a failed invocation; Lambda retries a failed run at most twice whatever the value.
   * @default 2
   */
  readonly retryAttempts?: number;
}

/**
 * EventBridge Scheduler schedules for the two run modes, evaluated in the centre's time zone.
 * Invocations Scheduler cannot deliver, and runs that still fail after Lambda's retries, land in
 * one encrypted dead-letter queue.
 */
export class RunSchedules extends Construct {
  /** Receives invocations Scheduler gave up on. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The 'check' schedule. */
  public readonly checkSchedule: scheduler.Schedule;
  /** The 'digest' schedule. */
  public readonly digestSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: RunSchedulesProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNag(this.deadLetterQueue, {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the Scheduler targets; an alarm watches its depth.',
    });

    // One role for both schedules, trusted only by Scheduler acting for this account's default group.
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'InvokeRole', {
      description: 'airudder-stats-monitor schedules: invoke the function, dead-letter to the queue',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
    });
    acknowledgeNag(role, {
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(props.target.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason:
        'LambdaInvoke grants lambda:InvokeFunction on the function and its qualified ARNs (versions/aliases); only this function.',
    });

    // Scheduler invokes Lambda asynchronously: its retry policy covers only failed Invoke calls.
    // Function errors are retried by Lambda's async config, and end in the same queue.
    const maxEventAge = props.maxEventAge ?? Duration.hours(1);
    const retryAttempts = props.retryAttempts ?? 2;
    const queue = this.deadLetterQueue;
    props.target.configureAsyncInvoke({
      maxEventAge,
      retryAttempts: Math.min(retryAttempts, 2),
      onFailure: {
        // Only SendMessage, where SqsDestination would also grant GetQueueAttributes and GetQueueUrl.
        bind: (_scope, fn) => {
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              sid: 'DeadLetterFailedRuns',
              actions: ['sqs:SendMessage'],
              resources: [queue.queueArn],
            }),
          );
          return { destination: queue.queueArn };
        },
      },
    });

    const timeZone = TimeZone.of(props.timeZone);
    const schedule = (scheduleId: string, mode: RunMode, expression: string, description: string) =>
      new scheduler.Schedule(this, scheduleId, {
        description,
        schedule: scheduler.ScheduleExpression.expression(expression, timeZone),
        target: new targets.LambdaInvoke(props.target, {
          input: scheduler.ScheduleTargetInput.fromObject({
            mode,
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
          role,
          deadLetterQueue: this.deadLetterQueue,
          maxEventAge,
          retryAttempts,
        }),
      });

    this.checkSchedule = schedule(
      'Check',
      'check',
      props.checkSchedule ?? 'cron(0/15 * * * ? *)',
      'airudder-stats-monitor: check the statistics and alert on breaches',
    );
    this.digestSchedule = schedule(
      'Digest',
      'digest',
      props.digestSchedule ?? 'cron(30 8 * * ? *)',
      'airudder-stats-monitor: post the daily digest',
    );
  }
}
