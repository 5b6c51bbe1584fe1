import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StackConfig } from './config';
import { ArchiveBucket } from './constructs/archive-bucket';
import { ArchiveQuery } from './constructs/archive-query';
import { MonitorFunction } from './constructs/monitor-function';
import { MonitorSecret } from './constructs/monitor-secret';
import { RunSchedules } from './constructs/run-schedules';
import { SelfMonitoring } from './constructs/self-monitoring';

export interface MonitorStackProps extends StackProps {
  /** Validated configuration (see lib/config.ts). */
  readonly config: StackConfig;
  /**
   * Source entry of the handler.
   * @default lambda/handler.ts
   */
  readonly handlerEntry?: string;
}

/** Schedules → function → AIRUDDER / S3 archive / Slack, with alarms that do not depend on Slack. */
export class MonitorStack extends Stack {
  constructor(scope: Construct, id: string, props: MonitorStackProps) {
    super(scope, id, props);
    const { config } = props;

    const secret = new MonitorSecret(this, 'Secret', {
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
    });

    const monitor = new MonitorFunction(this, 'Monitor', {
      entry: props.handlerEntry,
      timeZone: config.timeZone,
      airudderBaseUrl: config.airudderBaseUrl,
      memorySizeMb: config.memorySizeMb,
      timeoutSeconds: config.timeoutSeconds,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      lineCapacity: config.lineCapacity,
      failureThreshold: config.failureThreshold,
      monitorName: config.monitorName,
      digestTopN: config.digestTopN,
      logLevel: config.logLevel,
      airudderTimeoutMs: config.airudderTimeoutMs,
      airudderMaxAttempts: config.airudderMaxAttempts,
    });
    archive.grantTo(monitor.function);
    secret.grantTo(monitor.function);

    const schedules = new RunSchedules(this, 'Schedules', {
      target: monitor.function,
      timeZone: config.timeZone,
      checkSchedule: config.checkSchedule,
      digestSchedule: config.digestSchedule,
      maxEventAge: Duration.minutes(config.scheduleMaxEventAgeMinutes),
      retryAttempts: config.scheduleRetryAttempts,
    });

    const monitoring = new SelfMonitoring(this, 'SelfMonitoring', {
      function: monitor.function,
      deadLetterQueue: schedules.deadLetterQueue,
      noSuccessfulCheckWindow: Duration.minutes(config.noSuccessfulCheckAlarmMinutes),
      alarmEmail: config.alarmEmail,
    });

    const query = new ArchiveQuery(this, 'Query', {
      archiveBucket: archive.bucket,
      archivePrefix: archive.prefix,
      accessLogsBucket: archive.accessLogsBucket,
    });

    new CfnOutput(this, 'ArchiveBucketName', { value: archive.bucket.bucketName });
    new CfnOutput(this, 'AthenaWorkGroup', { value: query.workGroup.ref });
    new CfnOutput(this, 'GlueDatabase', { value: query.databaseName });
    new CfnOutput(this, 'AnalystsPolicyArn', {
      description: 'Attach to analysts: Athena in the workgroup, read-only over the curated tables',
      value: query.analystsPolicy.managedPolicyArn,
      exportName: `${this.stackName}-AnalystsPolicyArn`,
    });
    new CfnOutput(this, 'SecretId', {
      description: 'Put the AIRUDDER credentials and Slack webhook URLs into this secret',
      value: secret.secretId,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn });
    new CfnOutput(this, 'FunctionName', { value: monitor.function.functionName });
  }
}
