import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { RULES_KEY, RULES_STATE_KEY } from '../../lambda/domain/alerts/rules-status';
import { ALERT_STATE_KEY } from '../../lambda/domain/alerts/state';
import { ArchiveStorageClass, type ObjectLockConfig, ObjectLockMode } from '../config';
import { acknowledgeNag, nagResource } from '../nag-acknowledgments';

/** The key areas the function uses, each directly under the archive prefix (curated: the SQL tables). */
export const ARCHIVE_AREAS = ['raw', 'state', 'digest', 'curated'] as const;

/** Everything operators' commands may read: the function's areas and config/, where rules are pushed. */
export const OPERATOR_READ_AREAS = [...ARCHIVE_AREAS, 'config'] as const;

export interface ArchiveBucketProps {
  /**
   * Key prefix for everything the function stores, without leading or trailing slash.
   * @default '' (areas sit at the bucket root: raw/, state/, digest/)
   */
  readonly prefix?: string;
  /**
   * Days after creation before current versions move to `transitionStorageClass`.
   * @default 90
   */
  readonly transitionAfterDays?: number;
  /**
   * Storage class for old objects; must still answer GetObject at once.
   * @default ArchiveStorageClass.GLACIER_INSTANT_RETRIEVAL
   */
  readonly transitionStorageClass?: ArchiveStorageClass;
  /**
   * Days after creation before current versions expire (become noncurrent).
   * @default - never
   */
  readonly expireAfterDays?: number;
  /**
   * Days a version stays after it becomes noncurrent (overwritten state, expired objects).
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days the server access logs are kept.
   * @default 365
   */
  readonly accessLogExpirationDays?: number;
  /**
   * Default Object Lock retention for every new object version. Can only be chosen when the bucket
   * is created: adding it later replaces the bucket.
   * @default - no Object Lock
   */
  readonly objectLock?: ObjectLockConfig;
  /**
   * An existing bucket to archive into instead of creating one. Its owner keeps its settings
   * (encryption, versioning, lifecycle, TLS-only policy, access logs); the lifecycle and Object Lock
   * props above then do not apply.
   * @default - a bucket is created
   */
  readonly bucket?: s3.IBucket;
  /**
   * What a stack deletion does to the buckets created here. DESTROY (for non-production) empties
   * them first (autoDeleteObjects), so the deletion succeeds.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Create the access-logs bucket even when the archive bucket is given (the Athena results bucket
   * logs into it).
   * @default false
   */
  readonly accessLogsWanted?: boolean;
}

/**
 * The archive: private, TLS-only, versioned, S3-managed encryption, server access logs in a
 * separate bucket, retained when the stack is deleted.
 *
 * SSE-S3 rather than SSE-KMS: the data is call statistics, access control is IAM plus the bucket
 * policy either way, the function then needs no kms:* grant, and there is no key to pay for or
 * lose. The logs bucket must use SSE-S3 anyway (S3 log delivery does not support SSE-KMS).
 */
export class ArchiveBucket extends Construct {
  /** The archive bucket (created, or the one given). */
  public readonly bucket: s3.IBucket;
  /**
   * Receives the server access logs of the buckets created here; absent when the archive bucket was
   * given and nothing else needs it.
   */
  public readonly accessLogsBucket?: s3.Bucket;
  /** The normalised key prefix ('' or 'a/b', no slashes at the ends). */
  public readonly prefix: string;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps = {}) {
    super(scope, id);
    // Log delivery through a bucket policy instead of the legacy ACL, whatever cdk.json says.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.prefix = (props.prefix ?? '').replace(/^\/+|\/+$/g, '');
    const keyPrefix = this.prefix === '' ? '' : `${this.prefix}/`;

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // DESTROY is for non-production: empty the bucket first, or CloudFormation cannot delete it.
    const removal = { removalPolicy, autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY };

    if (props.bucket === undefined || props.accessLogsWanted) {
      this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycleRules: [
          { id: 'ExpireAccessLogs', expiration: Duration.days(props.accessLogExpirationDays ?? 365) },
        ],
        ...removal,
      });
      acknowledgeNag(this.accessLogsBucket, {
        id: 'AwsSolutions-S1',
        reason: 'This bucket is the server access log target; logging it into itself would loop.',
      });
    }

    this.bucket = props.bucket ?? this.createBucket(props, keyPrefix, removal);
  }

  private createBucket(
    props: ArchiveBucketProps,
    keyPrefix: string,
    removal: { removalPolicy: RemovalPolicy; autoDeleteObjects: boolean },
  ): s3.Bucket {
    const expireAfterDays = props.expireAfterDays;
    return new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'archive/',
      objectLockEnabled: props.objectLock !== undefined ? true : undefined,
      objectLockDefaultRetention: props.objectLock && toRetention(props.objectLock),
      lifecycleRules: [
        {
          id: 'ArchiveOldObjects',
          prefix: keyPrefix === '' ? undefined : keyPrefix,
          // S3 skips objects under 128 KB by default, which suits us: the archive classes bill
          // each object as at least 128 KB.
          transitions: [
            {
              storageClass: toStorageClass(
                props.transitionStorageClass ?? ArchiveStorageClass.GLACIER_INSTANT_RETRIEVAL,
              ),
              transitionAfter: Duration.days(props.transitionAfterDays ?? 90),
            },
          ],
          expiration: expireAfterDays !== undefined ? Duration.days(expireAfterDays) : undefined,
          // An expiration also removes delete markers left without versions; without one, ask for it.
          expiredObjectDeleteMarker: expireAfterDays === undefined ? true : undefined,
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays ?? 30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      ...removal,
    });
  }

  /**
   * Read-only over the whole archive, for `verify`, `replay`, `sql`, `rules show` and `snoozes`:
   * GetObject and a listing of raw/, state/, digest/, curated/ and config/, nothing else.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const areas = OPERATOR_READ_AREAS.map((area) => `${this.keyPrefix}${area}/*`);
    const read = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: areas.map((pattern) => this.bucket.arnForObjects(pattern)),
    });
    const list = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': areas } },
    });
    this.acknowledgeOnGrantee(grantee, areas, 'Read-only: objects are keyed by date and run under each area');
    return read.combine(list);
  }

  /**
   * What an operator's commands need, and no more: everything `grantRead` gives, plus writing
   * exactly the objects the commands change — state/alerts.json (`snooze`, `unsnooze`,
   * `watermark reset`), config/rules.json (`rules push`) and curated/ (`curate`). No delete, no
   * write to raw/, digest/ or state/rules.json, which only the function writes.
   */
  public grantOperate(grantee: iam.IGrantable): iam.Grant {
    const writes = [ALERT_STATE_KEY, RULES_KEY, 'curated/*'].map((key) => `${this.keyPrefix}${key}`);
    const write = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject'],
      resourceArns: writes.map((key) => this.bucket.arnForObjects(key)),
    });
    this.acknowledgeOnGrantee(
      grantee,
      [`${this.keyPrefix}curated/*`],
      'curate rewrites one object per table and date',
    );
    return this.grantRead(grantee).combine(write);
  }

  private get keyPrefix(): string {
    return this.prefix === '' ? '' : `${this.prefix}/`;
  }

  /** cdk-nag acknowledgments on the grantee's policy, when the grantee is a construct of this app. */
  private acknowledgeOnGrantee(grantee: iam.IGrantable, patterns: string[], why: string): void {
    if (!Construct.isConstruct(grantee)) return;
    acknowledgeNag(
      grantee,
      ...patterns.map((pattern) => ({
        id: `AwsSolutions-IAM5[Resource::${nagResource(grantee, this.bucket.arnForObjects(pattern))}]`,
        reason: `${why}; a prefix wildcard is the narrowest S3 resource that covers new keys.`,
      })),
    );
  }

  /**
   * What the Slack interactions function needs, and no more: read and compare-and-swap the alert
   * state (a button click is a state update), read the rules in use (config/rules.json, and the last
   * valid copy state/rules.json). Listing is limited to those keys, so a missing object is a 404.
   * Sets ARCHIVE_BUCKET and ARCHIVE_PREFIX in the same call.
   */
  public grantInteractions(fn: lambda.Function): void {
    fn.addEnvironment('ARCHIVE_BUCKET', this.bucket.bucketName);
    fn.addEnvironment('ARCHIVE_PREFIX', this.prefix);
    const key = (name: string) => `${this.keyPrefix}${name}`;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteAlertState',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects(key(ALERT_STATE_KEY))],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadRules',
        actions: ['s3:GetObject'],
        resources: [RULES_KEY, RULES_STATE_KEY].map((name) => this.bucket.arnForObjects(key(name))),
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListInteractionKeys',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [ALERT_STATE_KEY, RULES_KEY, RULES_STATE_KEY].map(key) } },
      }),
    );
  }

  /**
   * Lets the function read and write its areas, and list them, and nothing else; sets
   * ARCHIVE_BUCKET and ARCHIVE_PREFIX in the same call so grant and configuration cannot drift.
   */
  public grantTo(fn: lambda.Function): void {
    const keyPrefix = this.prefix === '' ? '' : `${this.prefix}/`;
    const areas = ARCHIVE_AREAS.map((area) => `${keyPrefix}${area}/*`);

    fn.addEnvironment('ARCHIVE_BUCKET', this.bucket.bucketName);
    fn.addEnvironment('ARCHIVE_PREFIX', this.prefix);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteArchiveAreas',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: areas.map((pattern) => this.bucket.arnForObjects(pattern)),
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListArchiveAreas',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': areas } },
      }),
    );

    // The active alert rules (config/rules.json) are pushed by operators: the function only reads them.
    const config = `${keyPrefix}config/*`;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadRulesConfig',
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(config)],
      }),
    );
    // Without it S3 answers 403, not 404, for a missing rules object; listing tells the two apart.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListRulesConfig',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [config] } },
      }),
    );

    if (fn.role) {
      const { role } = fn;
      const resource = (pattern: string) => nagResource(role, this.bucket.arnForObjects(pattern));
      acknowledgeNag(
        role,
        {
          id: `AwsSolutions-IAM5[Resource::${resource(config)}]`,
          reason:
            'Read-only: the rules object config/rules.json is replaced by operators; the prefix is the narrowest resource that survives a rename of the file.',
        },
        ...areas.map((pattern) => ({
          id: `AwsSolutions-IAM5[Resource::${resource(pattern)}]`,
          reason: `Objects are keyed by date and run under ${pattern.slice(0, -1)}; a prefix wildcard is the narrowest S3 resource that still covers new keys.`,
        })),
      );
    }
  }
}

function toStorageClass(name: ArchiveStorageClass): s3.StorageClass {
  switch (name) {
    case ArchiveStorageClass.GLACIER_INSTANT_RETRIEVAL:
      return s3.StorageClass.GLACIER_INSTANT_RETRIEVAL;
    case ArchiveStorageClass.STANDARD_IA:
      return s3.StorageClass.INFREQUENT_ACCESS;
    case ArchiveStorageClass.INTELLIGENT_TIERING:
      return s3.StorageClass.INTELLIGENT_TIERING;
  }
}

function toRetention(lock: ObjectLockConfig): s3.ObjectLockRetention {
  const duration = Duration.days(lock.days);
  return lock.mode === ObjectLockMode.COMPLIANCE
    ? s3.ObjectLockRetention.compliance(duration)
    : s3.ObjectLockRetention.governance(duration);
}
