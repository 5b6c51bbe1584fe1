import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CURATED_PREFIX,
  CURATED_TABLES,
  type CuratedTable,
  PARTITION_COLUMN,
  TABLE_COLUMNS,
} from '../../lambda/domain/curated/curated-tables';
import { NAMED_QUERIES } from '../../lambda/domain/curated/named-queries';
import { acknowledgeNag, nagResource } from '../nag-acknowledgments';

/** Where Athena writes query results, inside the results bucket. */
export const RESULTS_PREFIX = 'results/';

export interface ArchiveQueryProps {
  /** The archive bucket whose `curated/` area the tables read. */
  readonly archiveBucket: s3.IBucket;
  /**
   * The archive's key prefix ('' or 'a/b'), as the function uses it.
   * @default ''
   */
  readonly archivePrefix?: string;
  /** Receives the results bucket's server access logs (the archive's log bucket). */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Glue database name; the tables are `daily`, `hourly` and `distributions` in it. Unique per
   * account and region: set it when deploying the monitor twice.
   * @default 'airudder_stats'
   */
  readonly databaseName?: string;
  /**
   * Athena workgroup name, unique per account and region.
   * @default 'airudder-stats'
   */
  readonly workGroupName?: string;
  /**
   * First date partition projection offers (YYYY-MM-DD); the last is today.
   * @default '2020-01-01'
   */
  readonly firstDate?: string;
  /**
   * Days query results are kept.
   * @default 30
   */
  readonly resultsExpirationDays?: number;
  /**
   * What a stack deletion does to the results bucket; DESTROY empties it first (autoDeleteObjects).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Largest scan one query may make, in bytes (a year of curated data is a few MB).
   * @default 10 GiB
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/**
 * SQL over the archive with Athena: a Glue database with one table per curated table, partitioned
 * by `date` with partition projection (no crawler, no partitions to add), a workgroup whose results
 * are encrypted in a bucket and prefix of their own with a lifecycle, the project's named queries,
 * and a read-only managed policy for analysts.
 *
 * Results get their own bucket rather than a prefix of the archive: the archive may carry Object
 * Lock and a 90-day archive tier, neither of which suits throw-away results, and analysts may then
 * write nowhere near the auditors' record.
 */
export class ArchiveQuery extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly databaseName: string;
  public readonly tables: Readonly<Record<CuratedTable, glue.CfnTable>>;
  public readonly workGroup: athena.CfnWorkGroup;
  public readonly resultsBucket: s3.Bucket;
  /** Attach to analysts' roles or groups: run queries in the workgroup, read curated/ and results. */
  public readonly analystsPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ArchiveQueryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = (props.archivePrefix ?? '').replace(/^\/+|\/+$/g, '');
    const curatedKeyPrefix = `${prefix === '' ? '' : `${prefix}/`}${CURATED_PREFIX}`;
    const curatedUrl = `s3://${props.archiveBucket.bucketName}/${curatedKeyPrefix}`;
    this.databaseName = props.databaseName ?? 'airudder_stats';

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: 'airudder-stats-monitor: curated tables derived from the raw AIRUDDER archive',
      },
    });

    const tables: Partial<Record<CuratedTable, glue.CfnTable>> = {};
    for (const table of CURATED_TABLES) {
      const location = `${curatedUrl}${table}/`;
      const resource = new glue.CfnTable(this, `${table[0]?.toUpperCase()}${table.slice(1)}Table`, {
        catalogId: stack.account,
        databaseName: this.databaseName,
        tableInput: {
          name: table,
          description: `Curated ${table} records (NDJSON), one object per date under ${CURATED_PREFIX}${table}/`,
          tableType: 'EXTERNAL_TABLE',
          partitionKeys: [
            { name: PARTITION_COLUMN, type: 'string', comment: 'Account-local date, YYYY-MM-DD' },
          ],
          parameters: {
            classification: 'json',
            'projection.enabled': 'true',
            [`projection.${PARTITION_COLUMN}.type`]: 'date',
            [`projection.${PARTITION_COLUMN}.format`]: 'yyyy-MM-dd',
            [`projection.${PARTITION_COLUMN}.range`]: `${props.firstDate ?? '2020-01-01'},NOW`,
            [`projection.${PARTITION_COLUMN}.interval`]: '1',
            [`projection.${PARTITION_COLUMN}.interval.unit`]: 'DAYS',
            'storage.location.template': `${location}${PARTITION_COLUMN}=\${${PARTITION_COLUMN}}/`,
          },
          storageDescriptor: {
            // The partition column is also a field of every record (DuckDB reads it from there);
            // Glue may not list it twice, and the JSON SerDe ignores the field.
            columns: TABLE_COLUMNS[table]
              .filter((column) => column.name !== PARTITION_COLUMN)
              .map(({ name, type, comment }) => ({ name, type, comment })),
            location,
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
              parameters: { 'ignore.malformed.json': 'false' },
            },
          },
        },
      });
      resource.node.addDependency(this.database);
      tables[table] = resource;
    }
    this.tables = tables as Record<CuratedTable, glue.CfnTable>;

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [
        {
          id: 'ExpireQueryResults',
          prefix: RESULTS_PREFIX,
          expiration: Duration.days(props.resultsExpirationDays ?? 30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Results are disposable, but by default a stack deletion must not fail on (or silently
      // delete) a bucket someone may still be reading: it stays, and the lifecycle empties it.
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName ?? 'airudder-stats',
      description: `airudder-stats-monitor: queries over ${this.databaseName} (curated archive tables)`,
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // Clients cannot send results elsewhere or unencrypted.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 10 * 1024 ** 3,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: stack.account,
        },
      },
    });

    for (const query of NAMED_QUERIES) {
      const named = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: query.description,
        database: this.databaseName,
        workGroup: this.workGroup.ref,
        queryString: query.sql,
      });
      named.node.addDependency(this.database);
    }

    this.analystsPolicy = this.createAnalystsPolicy(props.archiveBucket, curatedKeyPrefix);
  }

  /**
   * Read-only towards the data: Athena in this workgroup only, Glue reads of this database, S3 reads
   * of curated/. The one write is Athena's own: it stores each result with the caller's credentials,
   * so the policy may put objects under the results prefix, and nowhere else.
   */
  private createAnalystsPolicy(archive: s3.IBucket, curatedKeyPrefix: string): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const workGroupArn = stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: this.workGroup.ref,
    });
    const glueArn = (resource: string, name?: string) =>
      stack.formatArn({ service: 'glue', resource, resourceName: name });
    const resultsObjects = this.resultsBucket.arnForObjects(`${RESULTS_PREFIX}*`);
    const curatedObjects = archive.arnForObjects(`${curatedKeyPrefix}*`);
    const policy = new iam.ManagedPolicy(this, 'AnalystsPolicy', {
      description: `airudder-stats-monitor analysts: query ${this.databaseName} in Athena, read-only`,
      statements: [
        new iam.PolicyStatement({
          sid: 'RunQueriesInTheWorkGroup',
          actions: [
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:GetQueryResultsStream',
            'athena:ListQueryExecutions',
            'athena:BatchGetQueryExecution',
            'athena:GetWorkGroup',
            'athena:ListNamedQueries',
            'athena:GetNamedQuery',
            'athena:BatchGetNamedQuery',
          ],
          resources: [workGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadTheCatalog',
          actions: [
            'glue:GetDatabase',
            'glue:GetDatabases',
            'glue:GetTable',
            'glue:GetTables',
            'glue:GetPartition',
            'glue:GetPartitions',
            'glue:BatchGetPartition',
          ],
          resources: [
            glueArn('catalog'),
            glueArn('database', this.databaseName),
            glueArn('table', `${this.databaseName}/*`),
            // The Athena console opens on the database "default"; without it, it shows an error.
            glueArn('database', 'default'),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'BrowseInTheAthenaConsole',
          actions: [
            'athena:GetDataCatalog',
            'athena:ListDatabases',
            'athena:GetDatabase',
            'athena:ListTableMetadata',
            'athena:GetTableMetadata',
          ],
          resources: [
            stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'ListInTheAthenaConsole',
          // These list calls take no resource: IAM accepts only "*" for them.
          actions: ['athena:ListWorkGroups', 'athena:ListDataCatalogs', 'athena:ListEngineVersions'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ReadCuratedTables',
          actions: ['s3:GetObject'],
          resources: [curatedObjects],
        }),
        new iam.PolicyStatement({
          sid: 'ListCuratedTables',
          actions: ['s3:ListBucket'],
          resources: [archive.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${curatedKeyPrefix}*`] } },
        }),
        // Apart from ListBucket: GetBucketLocation carries no s3:prefix, so under that condition it
        // would never be allowed.
        new iam.PolicyStatement({
          sid: 'LocateBuckets',
          actions: ['s3:GetBucketLocation'],
          resources: [archive.bucketArn, this.resultsBucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'QueryResults',
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [resultsObjects],
        }),
        new iam.PolicyStatement({
          sid: 'ListQueryResults',
          actions: ['s3:ListBucket'],
          resources: [this.resultsBucket.bucketArn],
        }),
      ],
    });
    const reason =
      'Keys are per date and per query: a prefix wildcard is the narrowest S3 resource that covers them.';
    // cdk-nag names the ARN as rendered: tokens for an environment-agnostic stack, values otherwise.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    acknowledgeNag(
      policy,
      {
        id: `AwsSolutions-IAM5[Resource::${nagResource(policy, curatedObjects)}]`,
        reason,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagResource(policy, resultsObjects)}]`,
        reason,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:${region}:${account}:table/${this.databaseName}/*]`,
        reason: 'Every table of this database (daily, hourly, distributions and any added later), read only.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'athena:ListWorkGroups, ListDataCatalogs and ListEngineVersions support no resource-level permission; they only list names.',
      },
    );
    return policy;
  }
}
