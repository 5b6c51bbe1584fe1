import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { TABLE_COLUMNS } from '../../../lambda/domain/curated/curated-tables';
import { NAMED_QUERIES } from '../../../lambda/domain/curated/named-queries';
import { synthMonitorStack } from '../helpers/synth';
import { monitorFunction, onlyResource, type Statement, statementsOfRole } from '../helpers/template-queries';

// One synthesis with the archive under a prefix, shared by every test in this file.
const { app, template } = synthMonitorStack({ archivePrefix: 'acme/centre-1' });
const archive = onlyResource(template, 'AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
const results = onlyResource(template, 'AWS::S3::Bucket', {
  LifecycleConfiguration: { Rules: [{ Id: 'ExpireQueryResults' }] },
});
const workGroup = onlyResource(template, 'AWS::Athena::WorkGroup');
const archiveRef = { Ref: archive.logicalId };

/** `s3://<archive bucket>/<suffix>` as CloudFormation renders it. */
const archiveUrl = (suffix: string) => ({ 'Fn::Join': ['', ['s3://', archiveRef, suffix]] });

const glueTables = Object.values(template.findResources('AWS::Glue::Table')).map(
  (resource) =>
    resource.Properties.TableInput as {
      Name: string;
      PartitionKeys: Array<{ Name: string; Type: string }>;
      Parameters: Record<string, unknown>;
      StorageDescriptor: {
        Location: unknown;
        Columns: Array<{ Name: string; Type: string }>;
        SerdeInfo: { SerializationLibrary: string };
      };
    },
);

describe('Glue tables over curated/', () => {
  it.each(['daily', 'hourly', 'distributions'] as const)(
    'reads %s from its prefix under the archive prefix, partitioned by projected date, with no crawler',
    (table) => {
      const input = glueTables.find((candidate) => candidate.Name === table);
      expect(input?.StorageDescriptor.Location).toEqual(archiveUrl(`/acme/centre-1/curated/${table}/`));
      expect(input?.PartitionKeys).toEqual([expect.objectContaining({ Name: 'date', Type: 'string' })]);
      expect(input?.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.date.type': 'date',
        'projection.date.format': 'yyyy-MM-dd',
        'projection.date.range': '2020-01-01,NOW',
        'storage.location.template': archiveUrl(`/acme/centre-1/curated/${table}/date=\${date}/`),
      });
      expect(input?.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
        'org.openx.data.jsonserde.JsonSerDe',
      );
      // The columns are the curated records' own, minus the partition column.
      expect(input?.StorageDescriptor.Columns.map((column) => [column.Name, column.Type])).toEqual(
        TABLE_COLUMNS[table]
          .filter((column) => column.name !== 'date')
          .map((column) => [column.name, column.type]),
      );
      expect(template.findResources('AWS::Glue::Crawler')).toEqual({});
    },
  );
});

describe('Athena workgroup', () => {
  it('writes results encrypted to a prefix of their own, and clients cannot override that', () => {
    expect(workGroup.resource.Properties.WorkGroupConfiguration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      ResultConfiguration: {
        OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: results.logicalId }, '/results/']] },
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
      },
    });
  });

  it('keeps results in an encrypted, TLS-only, private bucket that expires them', () => {
    expect(results.resource.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ Prefix: 'results/', ExpirationInDays: 30, Status: 'Enabled' }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: results.logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('installs every named query, word for word, in the workgroup and database', () => {
    const installed = Object.values(template.findResources('AWS::Athena::NamedQuery')).map(
      (resource) => resource.Properties,
    );
    expect(installed).toEqual(
      NAMED_QUERIES.map((query) =>
        expect.objectContaining({
          Name: query.name,
          QueryString: query.sql,
          Database: 'airudder_stats_monitor',
          WorkGroup: { Ref: workGroup.logicalId },
        }),
      ),
    );
  });
});

describe("analysts' managed policy", () => {
  const policy = onlyResource(template, 'AWS::IAM::ManagedPolicy');
  const statements = (policy.resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
  const actions = (statement: Statement) =>
    typeof statement.Action === 'string' ? [statement.Action] : statement.Action;

  it('is exported for attaching to analysts', () => {
    const outputs = template.findOutputs('AnalystsPolicyArn');
    expect(Object.values(outputs)[0]).toMatchObject({
      Value: { Ref: policy.logicalId },
      Export: { Name: 'AirudderStatsMonitor-AnalystsPolicyArn' },
    });
  });

  it('reads curated/ only, and reads nothing else of the archive', () => {
    const onArchive = statements.filter(
      (statement) =>
        JSON.stringify(statement.Resource).includes(archive.logicalId) &&
        !actions(statement).includes('s3:GetBucketLocation'),
    );
    expect(onArchive.flatMap(actions).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    for (const statement of onArchive) {
      expect(JSON.stringify(statement)).toContain('acme/centre-1/curated/');
    }
  });

  it('allows GetBucketLocation in a statement of its own, which no s3:prefix condition can block', () => {
    const locate = statements.filter((statement) => actions(statement).includes('s3:GetBucketLocation'));
    expect(locate).toHaveLength(1);
    expect(actions(locate[0]!)).toEqual(['s3:GetBucketLocation']);
    expect(locate[0]?.Condition).toBeUndefined();
    expect(locate[0]?.Resource).toEqual([
      { 'Fn::GetAtt': [archive.logicalId, 'Arn'] },
      { 'Fn::GetAtt': [results.logicalId, 'Arn'] },
    ]);
  });

  it("lets the Athena console list and open the catalog, the database 'default' included", () => {
    const list = statements.find((statement) => statement.Resource === '*');
    expect(actions(list!).sort()).toEqual([
      'athena:ListDataCatalogs',
      'athena:ListEngineVersions',
      'athena:ListWorkGroups',
    ]);
    const browse = statements.find((statement) => actions(statement).includes('athena:ListDatabases'));
    expect(JSON.stringify(browse?.Resource)).toContain(':datacatalog/AwsDataCatalog');
    const glue = statements.find((statement) => actions(statement).includes('glue:GetDatabase'));
    expect(JSON.stringify(glue?.Resource)).toContain(':database/default');
    expect(JSON.stringify(glue?.Resource)).toContain(':database/airudder_stats_monitor');
  });

  it('writes nowhere but the results prefix, and changes no catalog or workgroup', () => {
    const writes = statements.filter((statement) =>
      actions(statement).some((action) => /^s3:(Put|Delete|Abort|Restore)|^s3:\*$/.test(action)),
    );
    expect(writes).toHaveLength(1);
    expect(writes[0]?.Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [results.logicalId, 'Arn'] }, '/results/*']],
    });
    const all = statements.flatMap(actions);
    expect(
      all
        .filter((action) => action.startsWith('glue:'))
        .every((action) => /^glue:(Get|BatchGet)/.test(action)),
    ).toBe(true);
    expect(all.filter((action) => /^athena:(Create|Delete|Update|Tag|Untag)|\*/.test(action))).toEqual([]);
    // Running and reading queries happens in this workgroup only; the console's lists are read-only.
    const athena = statements.filter((statement) =>
      actions(statement).some((action) => /^athena:.*Quer/.test(action)),
    );
    expect(athena.map((statement) => statement.Resource)).toEqual([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':athena:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':workgroup/',
            { Ref: workGroup.logicalId },
          ],
        ],
      },
    ]);
  });
});

describe('the function and the tables', () => {
  it('may add curated/ beside raw/, state/ and digest/, and nothing else', () => {
    const fn = monitorFunction(template);
    const objectStatements = statementsOfRole(template, fn.roleLogicalId).filter((statement) =>
      JSON.stringify(statement.Action).includes('s3:PutObject'),
    );
    const resources = objectStatements.flatMap((statement) => statement.Resource as unknown[]);
    // Any order: the minimizePolicies feature flag sorts them.
    expect(resources).toHaveLength(4);
    expect(resources).toEqual(
      expect.arrayContaining(
        ['raw', 'state', 'digest', 'curated'].map((area) => ({
          'Fn::Join': ['', [{ 'Fn::GetAtt': [archive.logicalId, 'Arn'] }, `/acme/centre-1/${area}/*`]],
        })),
      ),
    );
  });

  it('adds no unacknowledged AwsSolutions violation', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(
      report.violations.map(
        (violation) =>
          `${violation.ruleName} ${violation.violatingResources.map((r) => r.resourceLogicalId)}`,
      ),
    ).toEqual([]);
  });
});
