import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AirudderStatsMonitor,
  type AirudderStatsMonitorProps,
  MonitorConfigError,
  ObjectLockMode,
} from '../../lib';
import { acknowledgeNag } from '../../lib/nag-acknowledgments';
import {
  actionsOf,
  monitorFunction,
  objectArn,
  onlyResource,
  statementsOfRole,
} from './helpers/template-queries';

const STUB_HANDLER = path.join(__dirname, 'fixtures', 'stub-handler.ts');
const work = mkdtempSync(path.join(tmpdir(), 'airudder-construct-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A team's stack holding the construct (bundling skipped: these tests read the template only). */
function synthConstruct(
  props: Partial<AirudderStatsMonitorProps>,
  extra?: (stack: Stack) => Partial<AirudderStatsMonitorProps>,
) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'TeamStack', { env: { account: '123456789012', region: 'ap-southeast-3' } });
  const monitor = new AirudderStatsMonitor(stack, 'Monitor', {
    timeZone: 'Asia/Jakarta',
    handlerSourceEntry: STUB_HANDLER,
    ...props,
    ...extra?.(stack),
  });
  return { app, stack, monitor, template: Template.fromStack(stack) };
}

/** A one-rule rules file whose warn threshold is `warn`. */
function writeRules(name: string, warn: unknown): string {
  const file = path.join(work, name);
  const rule = { id: 'tsr', title: 'Transfer success', metric: 'transfer_success_rate', scope: 'day-so-far' };
  writeFileSync(file, JSON.stringify({ version: 1, rules: [{ ...rule, comparison: 'below', warn }] }));
  return file;
}

function constructError(
  props: Partial<AirudderStatsMonitorProps>,
  extra?: (stack: Stack) => Partial<AirudderStatsMonitorProps>,
): string {
  try {
    synthConstruct(props, extra);
  } catch (error) {
    if (error instanceof MonitorConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the construct to refuse the props');
}

describe('AirudderStatsMonitor with only a time zone', () => {
  const { template, monitor } = synthConstruct({});

  it('exposes the function, bucket, topic and dead-letter queue it created', () => {
    const stack = Stack.of(monitor);
    expect(stack.resolve(monitor.function.functionArn)).toEqual({
      'Fn::GetAtt': [monitorFunction(template).logicalId, 'Arn'],
    });
    expect(stack.resolve(monitor.bucket.bucketName)).toEqual({
      Ref: onlyResource(template, 'AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } })
        .logicalId,
    });
    expect(stack.resolve(monitor.alarmTopic.topicArn)).toEqual({
      Ref: onlyResource(template, 'AWS::SNS::Topic').logicalId,
    });
    expect(stack.resolve(monitor.deadLetterQueue.queueArn)).toEqual({
      'Fn::GetAtt': [onlyResource(template, 'AWS::SQS::Queue').logicalId, 'Arn'],
    });
    expect(monitor.alarms).toHaveLength(5);
  });

  // Inside a team's stack the ids derive from the construct's id ('Monitor'); a refactor inside the
  // construct must not change them, or the team's retained bucket is orphaned.
  it.each([
    ['AWS::S3::Bucket', 'MonitorArchiveBucket3F53A8BE'],
    ['AWS::S3::Bucket', 'MonitorArchiveAccessLogs7E30200D'],
    ['AWS::SecretsManager::Secret', 'MonitorSecret0F898E4D'],
  ])('keeps the logical id of its %s %s', (type, logicalId) => {
    expect(template.toJSON().Resources[logicalId]?.Type).toBe(type);
  });

  it('creates the secret without SecretString or GenerateSecretString', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/SecretString/);
  });
});

describe('AirudderStatsMonitor options', () => {
  it('routes alarms to Slack through AWS Chatbot, keeping the e-mail subscription, with cdk-nag clean', () => {
    const { app, template, monitor } = synthConstruct({
      alarmEmail: 'ops@example.com',
      chatbotSlackWorkspaceId: 'T0123ABCD',
      chatbotSlackChannelId: 'C0123ABCD',
    });
    const topic = Stack.of(monitor).resolve(monitor.alarmTopic.topicArn);

    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      SnsTopicArns: [topic],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: topic,
    });
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });

  it('refuses a Chatbot workspace without a channel, naming the missing prop', () => {
    expect(constructError({ chatbotSlackWorkspaceId: 'T0123ABCD' })).toMatch(/prop "chatbotSlackChannelId"/);
  });

  it('builds a dashboard of runs, failures, API latency, alerts and archived bytes when asked, with cdk-nag clean', () => {
    const { app, template } = synthConstruct({ dashboard: true, displayName: 'Surabaya inbound' });

    const dashboard = onlyResource(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.resource.Properties.DashboardName).toBe('team-stack-monitor');
    const body = JSON.stringify(dashboard.resource.Properties.DashboardBody);
    for (const metric of [
      'RunSucceeded',
      'RunFailed',
      'AirudderApiLatency',
      'AlertsFired',
      'ArchivedBytes',
      'Duration',
    ]) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });

  it('sends every alarm to an existing topic instead of creating one', () => {
    const { template } = synthConstruct({}, (stack) => ({
      alarmTopic: sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:ap-southeast-3:123456789012:ops-alarms'),
    }));

    expect(template.findResources('AWS::SNS::Topic')).toEqual({});
    expect(template.findResources('AWS::KMS::Key')).toEqual({});
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:ap-southeast-3:123456789012:ops-alarms']);
    }
  });

  it('puts the duration alarm at 80 % of the configured timeout', () => {
    const { template } = synthConstruct({ timeoutSeconds: 300 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 240_000 });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 300 });
  });

  it('names the monitor through MONITOR_NAME and ships a rules file as the default rules', () => {
    const rulesFile = writeRules('rules.json', 0.7);
    const { template } = synthConstruct({ displayName: 'Jakarta', rulesFile });
    expect(monitorFunction(template).environment).toMatchObject({
      MONITOR_NAME: 'Jakarta',
      DEFAULT_RULES_FILE: '/var/task/rules.json',
    });
  });

  it('refuses a rules file with a mistake at synth, naming the rule and field', () => {
    const rulesFile = writeRules('bad-rules.json', 'low');
    expect(constructError({ rulesFile })).toMatch(/tsr.*warn/);
  });

  it('names every bad prop at once', () => {
    const message = constructError({
      timeZone: 'Jakarta',
      memorySizeMb: 64,
      checkSchedule: 'every 5 minutes',
    });
    expect(message).toMatch(/^Invalid AirudderStatsMonitor props: /);
    for (const prop of ['timeZone', 'memorySizeMb', 'checkSchedule'])
      expect(message).toContain(`prop "${prop}"`);
  });

  it('runs the prebuilt bundle with source maps when no source entry is given', () => {
    const { template } = synthConstruct({ handlerSourceEntry: undefined });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });
});

describe('two monitors in one stack', () => {
  // Prepare: two centres side by side, with every optional named resource (dashboard, Chatbot)
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Operations', { env: { account: '123456789012', region: 'ap-southeast-3' } });
  const both = { timeZone: 'Asia/Jakarta', handlerSourceEntry: STUB_HANDLER, dashboard: true };
  const chatbot = { chatbotSlackWorkspaceId: 'T0123ABCD', chatbotSlackChannelId: 'C0123ABCD' };
  const jakarta = new AirudderStatsMonitor(stack, 'Jakarta', { ...both, ...chatbot });
  const surabaya = new AirudderStatsMonitor(stack, 'Surabaya', {
    ...both,
    ...chatbot,
    displayName: 'Jakarta',
  });
  const template = Template.fromStack(stack);
  const resources = Object.values(
    template.toJSON().Resources as Record<string, { Type: string; Properties?: any }>,
  );

  /** Every name a resource of `type` is given in `property`, for names unique per account and region. */
  const namesOf = (type: string, property: (properties: any) => unknown) =>
    resources.filter((resource) => resource.Type === type).map((resource) => property(resource.Properties));

  it.each([
    ['AWS::Glue::Database', (p: any) => p.DatabaseInput.Name],
    ['AWS::Athena::WorkGroup', (p: any) => p.Name],
    ['AWS::CloudWatch::Dashboard', (p: any) => p.DashboardName],
    ['AWS::CloudWatch::Alarm', (p: any) => p.AlarmName],
    ['AWS::Chatbot::SlackChannelConfiguration', (p: any) => p.ConfigurationName],
    ['AWS::Lambda::Function', (p: any) => p.Environment.Variables.POWERTOOLS_SERVICE_NAME],
  ])('gives each %s its own name, even with the same display name', (type, property) => {
    const names = namesOf(type, property);
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names.every((name) => typeof name === 'string')).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it("points each Glue table at its own monitor's database", () => {
    const databases = new Set(namesOf('AWS::Glue::Database', (p) => p.DatabaseInput.Name));
    const tables = namesOf('AWS::Glue::Table', (p) => p.DatabaseName);
    expect(new Set(tables)).toEqual(databases);
  });

  it("keeps separate heartbeats: each monitor's alarm and dashboard read the service its own function publishes", () => {
    for (const monitor of [jakarta, surabaya]) {
      const fn = Stack.of(monitor).resolve(monitor.function.functionArn)['Fn::GetAtt'][0] as string;
      const service =
        template.toJSON().Resources[fn].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME;
      expect(service).toBe(monitor.monitorId);
      const heartbeat = resources.find(
        (resource) =>
          resource.Type === 'AWS::CloudWatch::Alarm' &&
          resource.Properties.MetricName === 'RunSucceeded' &&
          resource.Properties.Dimensions.some((d: any) => d.Name === 'service' && d.Value === service),
      );
      expect(heartbeat, `heartbeat of ${service}`).toBeDefined();
      const dashboard = resources.find(
        (resource) =>
          resource.Type === 'AWS::CloudWatch::Dashboard' &&
          resource.Properties.DashboardName === monitor.monitorId,
      );
      const body = JSON.stringify(dashboard?.Properties.DashboardBody);
      expect(body).toContain(`\\"service\\",\\"${service}\\"`);
    }
    expect(jakarta.monitorId).toBe('operations-jakarta');
    expect(surabaya.monitorId).toBe('operations-surabaya');
  });

  it('synthesizes with cdk-nag finding nothing', () => {
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });

  it("outputs each monitor's secret, bucket, function, workgroup and dashboard URL", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const monitor of [jakarta, surabaya]) {
      const resolve = (value: string) => Stack.of(monitor).resolve(value);
      const values = Object.values(outputs).map((output) => JSON.stringify(output.Value));
      for (const value of [
        monitor.secretId,
        monitor.bucket.bucketName,
        monitor.function.functionName,
        monitor.query!.workGroup.ref,
      ])
        expect(values).toContain(JSON.stringify(resolve(value)));
      expect(values.join()).toContain(`#dashboards/dashboard/${monitor.monitorId}`);
    }
  });
});

describe('AirudderStatsMonitor without the Athena layer', () => {
  it('creates no Glue, Athena, results bucket or analysts policy with query: false', () => {
    const { template, monitor } = synthConstruct({ query: false });
    for (const type of [
      'AWS::Glue::Database',
      'AWS::Glue::Table',
      'AWS::Athena::WorkGroup',
      'AWS::Athena::NamedQuery',
      'AWS::IAM::ManagedPolicy',
    ])
      expect(template.findResources(type), type).toEqual({});
    expect(Object.keys(template.findResources('AWS::S3::Bucket'))).toHaveLength(2);
    expect(monitor.query).toBeUndefined();
  });
});

describe("operators' and readers' grants", () => {
  // Prepare: a team's roles for people running the CLI against the archive under a prefix
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Operations', { env: { account: '123456789012', region: 'ap-southeast-3' } });
  const monitor = new AirudderStatsMonitor(stack, 'Monitor', {
    timeZone: 'Asia/Jakarta',
    handlerSourceEntry: STUB_HANDLER,
    archivePrefix: 'acme',
  });
  const principal = new iam.AccountRootPrincipal();
  const operators = new iam.Role(stack, 'Operators', { assumedBy: principal });
  const readers = new iam.Role(stack, 'Readers', { assumedBy: principal });
  monitor.grantOperate(operators);
  monitor.grantRead(readers);
  const template = Template.fromStack(stack);
  const bucket = Stack.of(monitor).resolve(monitor.bucket.bucketArn)['Fn::GetAtt'][0] as string;
  const objects = (key: string) => objectArn(bucket, `/acme/${key}`);
  const areas = ['raw', 'state', 'digest', 'curated', 'config'].map((area) => `acme/${area}/*`);

  /** Every (action, resource, condition) the role's policies allow, one row per action and resource. */
  const allowed = (role: iam.Role) =>
    statementsOfRole(template, stack.getLogicalId(role.node.defaultChild as iam.CfnRole)).flatMap(
      (statement) =>
        actionsOf(statement).flatMap((action) =>
          ([] as unknown[]).concat(statement.Resource).map((resource) => ({
            action,
            resource,
            condition: statement.Condition,
          })),
        ),
    );

  it('lets readers get and list the archive areas and config/, and nothing else', () => {
    expect(allowed(readers)).toEqual(
      expect.arrayContaining([
        ...areas.map((area) => ({
          action: 's3:GetObject',
          resource: objectArn(bucket, `/${area}`),
          condition: undefined,
        })),
        {
          action: 's3:ListBucket',
          resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
          condition: { StringLike: { 's3:prefix': areas } },
        },
      ]),
    );
    expect(allowed(readers)).toHaveLength(areas.length + 1);
  });

  it('lets operators write exactly state/alerts.json, config/rules.json and curated/, besides reading', () => {
    const writes = allowed(operators).filter(
      (row) => row.action !== 's3:GetObject' && row.action !== 's3:ListBucket',
    );
    expect(writes).toEqual(
      expect.arrayContaining([
        { action: 's3:PutObject', resource: objects('state/alerts.json'), condition: undefined },
        { action: 's3:PutObject', resource: objects('config/rules.json'), condition: undefined },
        { action: 's3:PutObject', resource: objects('curated/*'), condition: undefined },
      ]),
    );
    expect(writes).toHaveLength(3);
    expect(allowed(operators).filter((row) => row.action === 's3:GetObject')).toHaveLength(areas.length);
  });

  it('grants no secret, no delete and no wildcard action', () => {
    const actions = [...allowed(operators), ...allowed(readers)].map((row) => row.action);
    expect(actions.filter((action) => /secretsmanager|kms|Delete|\*/.test(action))).toEqual([]);
  });

  it('keeps cdk-nag clean, the grantees included', () => {
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });
});

describe("the team's own secret and bucket (ISecret, IBucket)", () => {
  // Prepare: a team stack holding a KMS-encrypted secret and a bucket of its own, given to the monitor
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'TeamStack', { env: { account: '123456789012', region: 'ap-southeast-3' } });
  const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
  const teamSecret = new secretsmanager.Secret(stack, 'TeamSecret', { encryptionKey: key });
  acknowledgeNag(teamSecret, { id: 'AwsSolutions-SMG4', reason: 'The team rotates it by hand.' });
  const logs = new s3.Bucket(stack, 'TeamLogs', { enforceSSL: true });
  acknowledgeNag(logs, { id: 'AwsSolutions-S1', reason: 'The access log target itself.' });
  const teamBucket = new s3.Bucket(stack, 'TeamBucket', {
    enforceSSL: true,
    serverAccessLogsBucket: logs,
    versioned: true,
  });
  const monitor = new AirudderStatsMonitor(stack, 'Monitor', {
    timeZone: 'Asia/Jakarta',
    handlerSourceEntry: STUB_HANDLER,
    secret: teamSecret,
    archiveBucket: teamBucket,
    archivePrefix: 'airudder',
  });
  monitor.grantOperate(new iam.Role(stack, 'Operators', { assumedBy: new iam.AccountRootPrincipal() }));
  const template = Template.fromStack(stack);
  const ids = {
    secret: stack.getLogicalId(teamSecret.node.defaultChild as secretsmanager.CfnSecret),
    bucket: stack.getLogicalId(teamBucket.node.defaultChild as s3.CfnBucket),
    key: stack.getLogicalId(key.node.defaultChild as kms.CfnKey),
  };
  const fn = monitorFunction(template);
  const statements = statementsOfRole(template, fn.roleLogicalId);

  it('creates no secret and no archive bucket of its own, and says so in its outputs', () => {
    expect(Object.keys(template.findResources('AWS::SecretsManager::Secret'))).toEqual([ids.secret]);
    // The team's two buckets, the monitor's access-logs bucket (for Athena's results) and results bucket.
    expect(Object.keys(template.findResources('AWS::S3::Bucket'))).toHaveLength(4);
    expect(monitor.bucket).toBe(teamBucket);
    expect(monitor.secret).toBe(teamSecret);
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const output = (name: string) =>
      Object.entries(outputs).find(([id]) => id.startsWith(`Monitor${name}`))?.[1].Value;
    expect(output('ArchiveBucketName')).toEqual({ Ref: ids.bucket });
    expect(output('SecretId')).toEqual({ Ref: ids.secret });
  });

  it('reads that secret, decrypting with its key only through Secrets Manager', () => {
    expect(fn.environment.MONITOR_SECRET_ARN).toEqual({ Ref: ids.secret });
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.secret } }),
        expect.objectContaining({
          Action: 'kms:Decrypt',
          Resource: { 'Fn::GetAtt': [ids.key, 'Arn'] },
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-southeast-3.amazonaws.com' } },
        }),
      ]),
    );
  });

  it('archives into that bucket under its prefix, with the same narrow grants as its own bucket', () => {
    expect(fn.environment.ARCHIVE_BUCKET).toEqual({ Ref: ids.bucket });
    const readWrite = statements.find((statement) => statement.Sid === 'ReadWriteArchiveAreas');
    expect(readWrite?.Resource).toEqual(
      ['raw', 'state', 'digest', 'curated'].map((area) => objectArn(ids.bucket, `/airudder/${area}/*`)),
    );
  });

  it('keeps cdk-nag clean, its grants on the given bucket acknowledged like its own', () => {
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });

  it('takes a secret imported by name: reads it by name, allowing the ARN with any 6-character suffix', () => {
    const imported = synthConstruct({}, (team) => ({
      secret: secretsmanager.Secret.fromSecretNameV2(team, 'Imported', 'team/airudder'),
    }));
    const importedFn = monitorFunction(imported.template);
    expect(importedFn.environment.MONITOR_SECRET_ARN).toBe('team/airudder');
    const read = statementsOfRole(imported.template, importedFn.roleLogicalId).find(
      (statement) => statement.Sid === 'ReadMonitorSecret',
    );
    expect(JSON.stringify(read?.Resource)).toContain(':secret:team/airudder-??????');
    expect(imported.template.findResources('AWS::SecretsManager::Secret')).toEqual({});
  });

  it('refuses a secret object beside secretName, and bucket settings beside a given bucket, naming each prop', () => {
    const message = constructError(
      {
        secretName: 'team/other',
        archiveTransitionDays: 30,
        objectLock: { mode: ObjectLockMode.GOVERNANCE, days: 30 },
      },
      (team) => ({
        secret: secretsmanager.Secret.fromSecretNameV2(team, 'Imported', 'team/airudder'),
        archiveBucket: s3.Bucket.fromBucketName(team, 'Shared', 'team-shared'),
      }),
    );
    expect(message).toMatch(/prop "secretName" cannot be combined with secret/);
    expect(message).toMatch(/prop "archiveTransitionDays" applies only to a bucket the construct creates/);
    expect(message).toMatch(/prop "objectLock" applies only to a bucket the construct creates/);
  });
});

describe('removalPolicy, for stacks that come and go', () => {
  const resourcesOf = (template: Template, type: string) =>
    Object.values(
      template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>,
    ).filter((resource) => resource.Type === type);
  const kept = (template: Template) =>
    [...resourcesOf(template, 'AWS::S3::Bucket'), ...resourcesOf(template, 'AWS::Logs::LogGroup')].map(
      (resource) => resource.DeletionPolicy,
    );

  it('retains the three buckets and the log group by default, and empties nothing', () => {
    const { template } = synthConstruct({});
    expect(kept(template)).toEqual(['Retain', 'Retain', 'Retain', 'Retain']);
    expect(resourcesOf(template, 'Custom::S3AutoDeleteObjects')).toEqual([]);
  });

  it('with DESTROY deletes the three buckets (emptied first) and the log group, cdk-nag still clean', () => {
    const { app, template } = synthConstruct({ removalPolicy: RemovalPolicy.DESTROY });
    expect(kept(template)).toEqual(['Delete', 'Delete', 'Delete', 'Delete']);
    expect(resourcesOf(template, 'Custom::S3AutoDeleteObjects')).toHaveLength(3);
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });

  it('never empties a bucket it was given', () => {
    const { template } = synthConstruct({ removalPolicy: RemovalPolicy.DESTROY }, (team) => ({
      archiveBucket: s3.Bucket.fromBucketName(team, 'Shared', 'team-shared'),
    }));
    // Its own access-logs and results buckets only.
    expect(resourcesOf(template, 'Custom::S3AutoDeleteObjects')).toHaveLength(2);
    expect(JSON.stringify(resourcesOf(template, 'Custom::S3AutoDeleteObjects'))).not.toContain('team-shared');
  });

  it('refuses DESTROY with Object Lock, whose versions cannot be deleted', () => {
    expect(
      constructError({
        removalPolicy: RemovalPolicy.DESTROY,
        objectLock: { mode: ObjectLockMode.GOVERNANCE, days: 30 },
      }),
    ).toMatch(/prop "removalPolicy" cannot be destroy with objectLock/);
  });
});
