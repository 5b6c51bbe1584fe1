import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  ArchiveStoreError,
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
} from '../../domain/archive/object-store';
import type { Logger } from '../../shared/logger';
import { awsStatusOf, logRequest } from '../../shared/request-log';

/** S3 answers 412 to a failed If-None-Match / If-Match, and 409 when two conditional writes race. */
const statusOf = awsStatusOf;
const isConditionFailure = (error: unknown) => [409, 412].includes(statusOf(error) ?? 0);

export interface S3StoreLimits {
  /** Longest one S3 request may take, ms (ARCHIVE_TIMEOUT_MS); none when absent. */
  readonly timeoutMs?: number;
  /** Epoch ms after which no request may still be running (the run's deadline). */
  readonly deadline?: number;
  readonly now?: () => number;
  /** Gets one DEBUG line per request (operation, path, status, ms). */
  readonly logger?: Logger;
}

/** Below the deserializer (which throws on 404, 304, 412), so every answer's `Date` is seen. */
const CLOCK_MIDDLEWARE = { step: 'deserialize', priority: 'low', name: 'archiveStoreClock' } as const;

/** The `Date` header of a raw HTTP answer, as epoch ms. */
function headerDate(response: unknown): number | undefined {
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined;
  const { headers } = response;
  if (typeof headers !== 'object' || headers === null || !('date' in headers)) return undefined;
  const ms = Date.parse(String(headers.date));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The archive in S3 under `bucket/prefix/`. Create-only writes use `If-None-Match: *`; state updates
 * use `If-Match` on the ETag, so two overlapping runs can neither both win nor lose an update.
 */
export function createS3ObjectStore(
  client: S3Client,
  bucket: string,
  prefix = '',
  limits: S3StoreLimits = {},
): ObjectStore {
  const fullKey = (key: string) => (prefix ? `${prefix}/${key}` : key);
  const now = limits.now ?? Date.now;
  /** How far S3's clock is ahead of this host's, from the `Date` of its latest answer. */
  let clockOffsetMs: number | undefined;
  /** Reads S3's time off every answer: `step` and `priority` put it below the deserializer. */
  const clockMiddleware =
    <Args, Answer extends { readonly response: unknown }>(
      next: (args: Args) => Promise<Answer>,
    ): ((args: Args) => Promise<Answer>) =>
    async (args) => {
      const answered = await next(args);
      const date = headerDate(answered.response);
      if (date !== undefined) clockOffsetMs = date - now();
      return answered;
    };
  /**
   * Every request is aborted after the timeout, or at the run's deadline if that comes first, and
   * logged at DEBUG.
   */
  const bounded = <T>(
    operation: 'GetObject' | 'PutObject' | 'ListObjectsV2',
    key: string,
    send: (options: { abortSignal?: AbortSignal }) => Promise<T>,
  ): Promise<T> => {
    const request = () => abortable(send);
    if (limits.logger === undefined) return request();
    const method = operation === 'PutObject' ? 'PUT' : 'GET';
    const path = `/${bucket}/${operation === 'ListObjectsV2' ? '' : key}`;
    return logRequest(limits.logger, { service: 's3', method, path, operation }, request, awsStatusOf);
  };
  const abortable = <T>(send: (options: { abortSignal?: AbortSignal }) => Promise<T>): Promise<T> => {
    const budgets = [
      limits.timeoutMs,
      limits.deadline === undefined ? undefined : limits.deadline - now(),
    ].filter((ms): ms is number => ms !== undefined);
    if (budgets.length === 0) return send({});
    const ms = Math.max(1, Math.min(...budgets));
    const abortSignal = AbortSignal.timeout(ms);
    return send({ abortSignal }).catch((error: unknown) => {
      if (!abortSignal.aborted) throw error;
      throw new ArchiveStoreError(
        `S3 did not answer within ${ms} ms (ARCHIVE_TIMEOUT_MS or the run deadline)`,
        {
          cause: error,
        },
      );
    });
  };
  const describeFailure = (what: string, error: unknown) =>
    error instanceof ArchiveStoreError ? `${what}: ${error.message}` : what;
  const relativeKey = (key: string) => (prefix ? key.slice(prefix.length + 1) : key);

  const put = (
    key: string,
    bytes: Uint8Array,
    options: PutOptions,
    condition: Partial<PutObjectCommandInput>,
  ) =>
    bounded('PutObject', fullKey(key), (sendOptions) => {
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: fullKey(key),
        Body: bytes,
        ContentType: options.contentType,
        Metadata: { ...options.metadata },
        ...condition,
      });
      command.middlewareStack.add(clockMiddleware, CLOCK_MIDDLEWARE);
      return client.send(command, sendOptions);
    });

  const exists = async (key: string) => {
    const page = await bounded('ListObjectsV2', fullKey(key), (sendOptions) =>
      client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: fullKey(key), MaxKeys: 1 }),
        sendOptions,
      ),
    );
    return page.Contents?.[0]?.Key === fullKey(key);
  };

  const store: ObjectStore = {
    describe: (key) => `s3://${bucket}/${fullKey(key)}`,

    now: () => (clockOffsetMs === undefined ? undefined : new Date(now() + clockOffsetMs)),

    async createIfAbsent(key, bytes, options) {
      try {
        await put(key, bytes, options, { IfNoneMatch: '*' });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw new ArchiveStoreError(describeFailure(`cannot write s3://${bucket}/${fullKey(key)}`, error), {
          cause: error,
        });
      }
    },

    async get(key) {
      const read = await store.getIfChanged(key, undefined);
      return read === 'unchanged' ? undefined : read;
    },

    async getIfChanged(key, knownVersion) {
      try {
        return await bounded('GetObject', fullKey(key), async (sendOptions) => {
          const command = new GetObjectCommand({
            Bucket: bucket,
            Key: fullKey(key),
            IfNoneMatch: knownVersion,
          });
          command.middlewareStack.add(clockMiddleware, CLOCK_MIDDLEWARE);
          const response = await client.send(command, sendOptions);
          const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
          // An S3-compatible server that ignores If-None-Match still answers with the same ETag.
          if (knownVersion !== undefined && response.ETag === knownVersion) return 'unchanged' as const;
          return {
            bytes,
            metadata: response.Metadata ?? {},
            contentType: response.ContentType,
            version: response.ETag ?? '',
            ...(response.VersionId ? { versionId: response.VersionId } : {}),
          };
        });
      } catch (error) {
        if (statusOf(error) === 304) return 'unchanged';
        if (statusOf(error) === 404) return undefined;
        // Without an unconditional s3:ListBucket grant, S3 answers 403 for a missing key; a listing
        // (allowed for our prefixes) tells a missing object from a real denial.
        if (statusOf(error) === 403 && !(await exists(key))) return undefined;
        throw new ArchiveStoreError(describeFailure(`cannot read s3://${bucket}/${fullKey(key)}`, error), {
          cause: error,
        });
      }
    },

    async replace(key, bytes, options) {
      const condition =
        options.expectedVersion === undefined ? { IfNoneMatch: '*' } : { IfMatch: options.expectedVersion };
      try {
        const response = await put(key, bytes, options, condition);
        return response.ETag ?? '';
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new PreconditionFailedError(`"${key}" changed since it was read`, { cause: error });
        }
        throw new ArchiveStoreError(describeFailure(`cannot write s3://${bucket}/${fullKey(key)}`, error), {
          cause: error,
        });
      }
    },

    async list(listPrefix) {
      const keys: string[] = [];
      let token: string | undefined;
      try {
        do {
          const continuation = token;
          const page = await bounded('ListObjectsV2', fullKey(listPrefix), (sendOptions) =>
            client.send(
              new ListObjectsV2Command({
                Bucket: bucket,
                Prefix: fullKey(listPrefix),
                ContinuationToken: continuation,
              }),
              sendOptions,
            ),
          );
          for (const object of page.Contents ?? []) if (object.Key) keys.push(relativeKey(object.Key));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (error) {
        throw new ArchiveStoreError(
          describeFailure(`cannot list s3://${bucket}/${fullKey(listPrefix)}`, error),
          { cause: error },
        );
      }
      return keys.sort();
    },
  };
  return store;
}
