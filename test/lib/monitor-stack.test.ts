import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS, loadConfig } from '../../lambda/config';
import { SECRET_KEYS } from '../../lib/constructs/monitor-secret';
import { synthMonitorStack } from './helpers/synth';
import {
  actionsOf,
  allIdentityStatements,
  monitorFunction,
  objectArn,
  onlyResource,
  statementsOfRole,
} from './helpers/template-queries';

// One synthesis with cdk.json's defaults, shared by every test in this file.
const { app, template } = synthMonitorStack();
const fn = monitorFunction(template);
const archive = onlyResource(template, 'AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
const queue = onlyResource(template, 'AWS::SQS::Queue');
const topic = onlyResource(template, 'AWS::SNS::Topic');
const secret = onlyResource(template, 'AWS::SecretsManager::Secret');

describe('schedules', () => {
  it.each([
    ['check', 'cron(0/15 * * * ? *)'],
    ['digest', 'cron(30 8 * * ? *)'],
  ])('runs %s on %s in the configured time zone with the scheduled time in its input', (mode, expression) => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'Asia/Jakarta',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fn.logicalId, 'Arn'] },
        Input: JSON.stringify({ mode, scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  it('retries a failed invocation twice within an hour, then dead-letters it', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(2);
    for (const schedule of schedules) {
      expect(schedule.Properties.Target).toMatchObject({
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue.logicalId, 'Arn'] } },
      });
    }
  });

  it('dead-letters a run that still fails after two Lambda retries within an hour', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fn.logicalId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue.logicalId, 'Arn'] } } },
    });
  });

  it('keeps dead letters encrypted, for 14 days, reachable over TLS only', () => {
    expect(queue.resource.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue.logicalId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets Scheduler invoke only the monitor function and write only to the dead-letter queue', () => {
    const role = onlyResource(template, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      },
    });
    const functionArn = { 'Fn::GetAtt': [fn.logicalId, 'Arn'] };
    expect(statementsOfRole(template, role.logicalId)).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [functionArn, { 'Fn::Join': ['', [functionArn, ':*']] }],
      },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queue.logicalId, 'Arn'] } },
    ]);
  });
});

describe('archive bucket', () => {
  it('is private, S3-encrypted, versioned and retained when the stack goes', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: Match.absent(),
        ObjectLockConfiguration: Match.absent(),
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('denies every request that does not use TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: archive.logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [{ 'Fn::GetAtt': [archive.logicalId, 'Arn'] }, objectArn(archive.logicalId, '/*')],
          },
        ]),
      },
    });
  });

  it('moves objects to Glacier Instant Retrieval after 90 days, never expires them and drops old versions after 30 days', () => {
    expect(archive.resource.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'ArchiveOldObjects',
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          ExpiredObjectDeleteMarker: true,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ],
    });
  });

  it('logs server access to a separate private bucket that S3 log delivery may write to', () => {
    const logs = onlyResource(template, 'AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ Id: 'ExpireAccessLogs', ExpirationInDays: 365 })],
      },
    });
    expect(archive.resource.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs.logicalId },
      LogFilePrefix: 'archive/',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logs.logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: Match.objectLike({
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [archive.logicalId, 'Arn'] } },
            }),
          }),
        ]),
      },
    });
  });
});

describe('function', () => {
  it('runs on the Node.js 24 runtime on arm64 with explicit memory and timeout', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 120,
      Handler: 'index.handler',
    });
  });

  it('logs to its own log group kept for 30 days', () => {
    const logGroup = onlyResource(template, 'AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: logGroup.logicalId } },
    });
  });

  it('gets an environment the function configuration accepts', () => {
    // Prepare: CloudFormation fills in the references at deploy time
    const deployed = {
      ...fn.environment,
      ARCHIVE_BUCKET: 'airudderstatsmonitor-archivebucket-abc123',
      MONITOR_SECRET_ARN: 'arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:Secret-AbCdEf',
    };

    // Act
    const config = loadConfig(deployed);

    // Assess
    expect(fn.environment.ARCHIVE_BUCKET).toEqual({ Ref: archive.logicalId });
    expect(fn.environment.MONITOR_SECRET_ARN).toEqual({ Ref: secret.logicalId });
    expect(config.airudder.timeZone).toBe('Asia/Jakarta');
    expect(config.airudder.baseUrl).toBe('https://api.airudder.com');
    expect(config.archive).toEqual({
      kind: 's3',
      bucket: deployed.ARCHIVE_BUCKET,
      prefix: '',
      timeoutMs: 10_000,
    });
    expect(config.runDeadlineMs).toBe(105_000);
  });

  it('sets only variables the function reads, plus the Powertools names the alarms rely on and source maps', () => {
    const known = new Set<string>([
      ...ENV_KEYS,
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'NODE_OPTIONS',
    ]);
    expect(Object.keys(fn.environment).filter((key) => !known.has(key))).toEqual([]);
    expect(fn.environment).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'airudder-stats-monitor',
      POWERTOOLS_METRICS_NAMESPACE: 'AirudderStatsMonitor',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('holds no secret in its environment, only the reference to the secret', () => {
    for (const key of SECRET_KEYS) expect(fn.environment).not.toHaveProperty(key);
    const values = JSON.stringify(fn.environment);
    expect(values).not.toMatch(/hooks\.slack\.com|xox[abprs]-|secret["']?\s*[:=]/i);
  });

  it('creates the secret without any value, so no template change can overwrite what the user put', () => {
    expect(secret.resource.Properties).not.toHaveProperty('SecretString');
    expect(secret.resource.Properties).not.toHaveProperty('GenerateSecretString');
    expect(JSON.stringify(template.toJSON())).not.toContain('SecretString');
  });
});

describe('function permissions', () => {
  const statements = statementsOfRole(template, fn.roleLogicalId);
  const bucketArn = { 'Fn::GetAtt': [archive.logicalId, 'Arn'] };

  it('are exactly: its log group, get/put in raw/ state/ digest/ curated/, reading config/, listing those prefixes, reading its secret, dead-lettering', () => {
    const logGroup = onlyResource(template, 'AWS::Logs::LogGroup');
    expect(statements).toHaveLength(7);
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroup.logicalId, 'Arn'] },
        },
        {
          Sid: 'ReadWriteArchiveAreas',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          // Any order: the minimizePolicies feature flag sorts them.
          Resource: expect.arrayContaining([
            objectArn(archive.logicalId, '/raw/*'),
            objectArn(archive.logicalId, '/state/*'),
            objectArn(archive.logicalId, '/digest/*'),
            objectArn(archive.logicalId, '/curated/*'),
          ]),
        },
        {
          Sid: 'ListArchiveAreas',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucketArn,
          Condition: { StringLike: { 's3:prefix': ['raw/*', 'state/*', 'digest/*', 'curated/*'] } },
        },
        {
          Sid: 'ReadRulesConfig',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: objectArn(archive.logicalId, '/config/*'),
        },
        {
          Sid: 'ListRulesConfig',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucketArn,
          Condition: { StringLike: { 's3:prefix': ['config/*'] } },
        },
        {
          Sid: 'ReadMonitorSecret',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: { Ref: secret.logicalId },
        },
        {
          Sid: 'DeadLetterFailedRuns',
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [queue.logicalId, 'Arn'] },
        },
      ]),
    );
  });

  it('may read the rules under config/ but never write there: operators push them', () => {
    const onConfig = statements.filter((statement) =>
      JSON.stringify(statement.Resource ?? '').includes('/config/'),
    );
    expect(onConfig.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    const writes = statements.filter((statement) => actionsOf(statement).includes('s3:PutObject'));
    expect(JSON.stringify(writes.map((statement) => statement.Resource))).not.toContain('config');
  });

  it('come without managed policies (no broad AWSLambdaBasicExecutionRole)', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
    });
  });

  it('nowhere in the stack include a wildcard action or any delete', () => {
    const actions = allIdentityStatements(template).flatMap(actionsOf);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(actions.filter((action) => /delete/i.test(action))).toEqual([]);
  });
});

describe('self-monitoring', () => {
  const alarmTarget = { Ref: topic.logicalId };

  it('alarms on any function error within 15 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn.logicalId } }],
      Statistic: 'Sum',
      Period: 900,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [alarmTarget],
    });
  });

  it('alarms on each new dead letter, whatever the queue already holds', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue.logicalId, 'QueueName'] } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [alarmTarget],
    });
  });

  it('alarms when no check run succeeded in 60 minutes, counting silence as failure', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AirudderStatsMonitor',
      MetricName: 'RunSucceeded',
      Dimensions: Match.arrayEquals([
        { Name: 'mode', Value: 'check' },
        { Name: 'service', Value: 'airudder-stats-monitor' },
      ]),
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [alarmTarget],
      OKActions: [alarmTarget],
    });
  });

  it('alarms when a run takes 80 % of the 120 s timeout (96 s) or more', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn.logicalId } }],
      Statistic: 'Maximum',
      Threshold: 96_000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [alarmTarget],
      OKActions: [alarmTarget],
    });
  });

  it('builds no dashboard and no Chatbot channel unless asked to', () => {
    expect(template.findResources('AWS::CloudWatch::Dashboard')).toEqual({});
    expect(template.findResources('AWS::Chatbot::SlackChannelConfiguration')).toEqual({});
  });

  it('sends alarms to a topic encrypted with a rotating key that CloudWatch may use, over TLS only', () => {
    const key = onlyResource(template, 'AWS::KMS::Key', { EnableKeyRotation: true });
    expect(topic.resource.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key.logicalId, 'Arn'] });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [alarmTarget],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
  });

  it('subscribes no e-mail address unless one is configured', () => {
    expect(template.findResources('AWS::SNS::Subscription')).toEqual({});
  });
});

describe('stateful resources', () => {
  // These ids are what CloudFormation knows the deployed resources by. A refactor that changed one
  // would create a new bucket and orphan the retained one (with the whole archive in it), or
  // replace the secret the user filled in. Never update these values to make the test pass.
  it.each([
    ['archive bucket', 'AWS::S3::Bucket', 'ArchiveBucket49F1AC64'],
    ['access log bucket', 'AWS::S3::Bucket', 'ArchiveAccessLogs31F4F9D7'],
    ['secret', 'AWS::SecretsManager::Secret', 'SecretA29EB826'],
    ['function log group', 'AWS::Logs::LogGroup', 'MonitorLogGroupE7672C83'],
  ])('keep their logical ids: the %s is %s %s', (_name, type, logicalId) => {
    expect(template.toJSON().Resources[logicalId]?.Type).toBe(type);
  });

  it('keep both buckets when the stack is deleted or the resource replaced', () => {
    for (const logicalId of ['ArchiveBucket49F1AC64', 'ArchiveAccessLogs31F4F9D7']) {
      expect(template.toJSON().Resources[logicalId]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });
});

describe('cdk-nag', () => {
  it('finds no unacknowledged AwsSolutions violation', () => {
    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });
});

describe('stack outputs', () => {
  it.each([
    ['SecretId', { Ref: secret.logicalId }],
    ['ArchiveBucketName', { Ref: archive.logicalId }],
    ['FunctionName', { Ref: fn.logicalId }],
    ['AlarmTopicArn', { Ref: topic.logicalId }],
    ['AthenaWorkGroup', { Ref: onlyResource(template, 'AWS::Athena::WorkGroup').logicalId }],
    ['GlueDatabase', 'airudder_stats_monitor'],
  ])('keep the output %s that the README names', (id, value) => {
    expect(template.findOutputs(id)[id]).toMatchObject({ Value: value });
  });
});
