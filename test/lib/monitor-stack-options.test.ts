import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../../lambda/config';
import { synthMonitorStack } from './helpers/synth';
import { monitorFunction, objectArn, onlyResource, statementsOfRole } from './helpers/template-queries';

const KMS_KEY_ARN = 'arn:aws:kms:ap-southeast-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:airudder/monitor-AbCdEf';

/** Variables the stack never sets: secret values live in the secret, the rest are local-run or tuning knobs. */
const NOT_SET_BY_STACK = [
  // The CLI's level; the function's comes from Lambda's logging config as AWS_LAMBDA_LOG_LEVEL.
  'LOG_LEVEL',
  'AWS_LAMBDA_LOG_LEVEL',
  'AIRUDDER_APP_KEY',
  'AIRUDDER_APP_SECRET',
  'SLACK_WEBHOOK_URL',
  'SLACK_DIGEST_WEBHOOK_URL',
  'ARCHIVE_DIR',
  'RULES_FILE',
  'AIRUDDER_TOKEN_TTL_MINUTES',
  'SLACK_TIMEOUT_MS',
  'SLACK_MAX_ATTEMPTS',
  'AIRUDDER_MAX_RESPONSE_BYTES',
  'ARCHIVE_TIMEOUT_MS',
  'MONITOR_SECRET_TTL_MINUTES',
  // Slack app mode: the token and signing secret are keys of the monitor's secret, never env.
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  // Set by the construct's app-mode option (#24 Build 7), not by this options-only stack.
  'SLACK_ALERT_CHANNEL',
  'SLACK_DIGEST_CHANNEL',
  'SLACK_OPERATORS',
  'SLACK_API_URL',
];

describe('stack with every option configured', () => {
  const { app, template } = synthMonitorStack({
    timeZone: 'America/Sao_Paulo',
    airudderBaseUrl: 'https://api.airudder.example',
    checkSchedule: 'rate(5 minutes)',
    digestSchedule: 'cron(0 7 ? * MON-FRI *)',
    memorySizeMb: 512,
    timeoutSeconds: 300,
    logRetentionDays: 90,
    scheduleMaxEventAgeMinutes: 30,
    scheduleRetryAttempts: 5,
    archivePrefix: 'acme/centre-1',
    archiveTransitionDays: 30,
    archiveStorageClass: 'STANDARD_IA',
    archiveExpirationDays: 400,
    noncurrentVersionExpirationDays: 7,
    objectLock: { mode: 'GOVERNANCE', days: 30 },
    secretName: 'airudder/monitor',
    secretKmsKeyArn: KMS_KEY_ARN,
    alarmEmail: 'ops@example.com',
    noSuccessfulCheckAlarmMinutes: 30,
    lineCapacity: 40,
    failureThreshold: 4,
    monitorName: 'Acme centre 1',
    digestTopN: 10,
    logLevel: 'DEBUG',
    airudderTimeoutMs: 20_000,
    airudderMaxAttempts: 2,
    rulesFile: 'lambda/rules/default-rules.json',
  });
  const fn = monitorFunction(template);
  const archive = onlyResource(template, 'AWS::S3::Bucket', {
    VersioningConfiguration: { Status: 'Enabled' },
  });

  it('passes every configured value on to the function environment', () => {
    expect(fn.environment).toMatchObject({
      AIRUDDER_BASE_URL: 'https://api.airudder.example',
      AIRUDDER_TIMEZONE: 'America/Sao_Paulo',
      ARCHIVE_PREFIX: 'acme/centre-1',
      MONITOR_SECRET_ARN: 'airudder/monitor',
      RUN_DEADLINE_MS: '285000',
      LINE_CAPACITY: '40',
      MONITOR_FAILURE_THRESHOLD: '4',
      MONITOR_NAME: 'Acme centre 1',
      DIGEST_TOP_N: '10',
      AIRUDDER_TIMEOUT_MS: '20000',
      AIRUDDER_MAX_ATTEMPTS: '2',
    });
  });

  it('then sets every variable of the function configuration except secrets and local-only ones', () => {
    const expected = ENV_KEYS.filter((key) => !NOT_SET_BY_STACK.includes(key));
    const setByStack = Object.keys(fn.environment).filter(
      (key) => key !== 'POWERTOOLS_METRICS_NAMESPACE' && key !== 'NODE_OPTIONS',
    );
    expect(setByStack.sort()).toEqual([...expected].sort());
  });

  it("logs JSON, platform lines included, at the configured level through Lambda's logging controls", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: Match.objectLike({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'DEBUG',
        SystemLogLevel: 'INFO',
      }),
    });
  });

  it('sizes the function and its log retention as configured', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512, Timeout: 300 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('schedules both runs in the configured zone with the configured retry policy', () => {
    for (const expression of ['rate(5 minutes)', 'cron(0 7 ? * MON-FRI *)']) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: 'America/Sao_Paulo',
        Target: Match.objectLike({
          RetryPolicy: { MaximumEventAgeInSeconds: 1800, MaximumRetryAttempts: 5 },
        }),
      });
    }
  });

  it('caps Lambda retries of a failed run at two, its maximum, with the same event age', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 1800,
    });
  });

  it('locks every new object version by default in the configured mode', () => {
    expect(archive.resource.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
      },
    });
  });

  it('applies transition and expiry to the archive prefix only', () => {
    expect(archive.resource.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'ArchiveOldObjects',
          Status: 'Enabled',
          Prefix: 'acme/centre-1/',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
          ExpirationInDays: 400,
          NoncurrentVersionExpiration: { NoncurrentDays: 7 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ],
    });
  });

  it('scopes object access and listing to the four areas under the archive prefix', () => {
    const statements = statementsOfRole(template, fn.roleLogicalId);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['s3:GetObject', 's3:PutObject'],
          // Any order: the minimizePolicies feature flag sorts them.
          Resource: expect.arrayContaining([
            objectArn(archive.logicalId, '/acme/centre-1/raw/*'),
            objectArn(archive.logicalId, '/acme/centre-1/state/*'),
            objectArn(archive.logicalId, '/acme/centre-1/digest/*'),
            objectArn(archive.logicalId, '/acme/centre-1/curated/*'),
          ]),
        }),
        expect.objectContaining({
          Action: 's3:ListBucket',
          Condition: {
            StringLike: {
              's3:prefix': [
                'acme/centre-1/raw/*',
                'acme/centre-1/state/*',
                'acme/centre-1/digest/*',
                'acme/centre-1/curated/*',
              ],
            },
          },
        }),
      ]),
    );
  });

  it('reads the secret imported by name, and decrypts its key only through Secrets Manager', () => {
    const statements = statementsOfRole(template, fn.roleLogicalId);
    expect(template.findResources('AWS::SecretsManager::Secret')).toEqual({});
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Sid: 'ReadMonitorSecret',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':secretsmanager:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':secret:airudder/monitor-??????',
              ],
            ],
          },
        },
        {
          Sid: 'DecryptMonitorSecret',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: KMS_KEY_ARN,
          Condition: {
            StringEquals: {
              'kms:ViaService': {
                'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
              },
            },
          },
        },
      ]),
    );
  });

  it('alarms after the configured silence and e-mails the configured address', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RunSucceeded', Period: 1800 });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('still finds no unacknowledged AwsSolutions violation', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});

describe('stack with a secret imported by ARN', () => {
  const { template } = synthMonitorStack({ secretArn: SECRET_ARN });
  const fn = monitorFunction(template);

  it('creates no secret and grants GetSecretValue on exactly that ARN', () => {
    expect(template.findResources('AWS::SecretsManager::Secret')).toEqual({});
    expect(fn.environment.MONITOR_SECRET_ARN).toBe(SECRET_ARN);
    const secretStatements = statementsOfRole(template, fn.roleLogicalId).filter((statement) =>
      JSON.stringify(statement).includes('secretsmanager'),
    );
    expect(secretStatements).toEqual([
      {
        Sid: 'ReadMonitorSecret',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: SECRET_ARN,
      },
    ]);
  });
});
