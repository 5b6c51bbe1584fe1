import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  type GetObjectCommandInput,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

interface FakeObject {
  bytes: Buffer;
  etag: string;
  contentType?: string;
  metadata: Record<string, string>;
}

const failure = (status: number, name: string) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

/**
 * An in-memory S3 that enforces conditional writes the way S3 does (412 on a failed If-None-Match
 * or If-Match), which no emulator available here does. Built on aws-sdk-client-mock, so every
 * S3Client in the process talks to it until `restore()`.
 *
 * `asDeployed`: a GetObject of a missing key is refused with 403 AccessDenied, as S3 answers the
 * deployed roles (test/fakes/s3-as-deployed.ts), instead of 404 NoSuchKey.
 */
export function createConditionalS3(options: { readonly asDeployed?: boolean } = {}) {
  const objects = new Map<string, FakeObject>();
  const mock = mockClient(S3Client);
  const id = (bucket?: string, key?: string) => `${bucket}/${key}`;
  let puts = 0;

  mock.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
    const key = id(input.Bucket, input.Key);
    const current = objects.get(key);
    if (input.IfNoneMatch === '*' && current) throw failure(412, 'PreconditionFailed');
    if (input.IfMatch !== undefined && current?.etag !== input.IfMatch) {
      throw failure(current ? 412 : 404, current ? 'PreconditionFailed' : 'NoSuchKey');
    }
    // Yield once, so concurrent writers interleave as they would over the network.
    await new Promise((resolve) => setImmediate(resolve));
    const again = objects.get(key);
    if (again !== current) throw failure(409, 'ConditionalRequestConflict');
    const bytes = Buffer.from(input.Body as Uint8Array);
    const etag = `"${createHash('md5').update(bytes).digest('hex')}-${++puts}"`;
    objects.set(key, { bytes, etag, contentType: input.ContentType, metadata: { ...input.Metadata } });
    return { ETag: etag, $metadata: { httpStatusCode: 200 } };
  });

  mock.on(GetObjectCommand).callsFake(async (input: GetObjectCommandInput) => {
    const object = objects.get(id(input.Bucket, input.Key));
    if (!object) throw options.asDeployed ? failure(403, 'AccessDenied') : failure(404, 'NoSuchKey');
    if (input.IfNoneMatch !== undefined && input.IfNoneMatch === object.etag)
      throw failure(304, 'NotModified');
    return {
      // The part of the SDK's stream mixin the adapters use.
      Body: { transformToByteArray: async () => new Uint8Array(object.bytes) } as never,
      ETag: object.etag,
      ContentType: object.contentType,
      Metadata: object.metadata,
      $metadata: { httpStatusCode: 200 },
    };
  });

  mock.on(ListObjectsV2Command).callsFake(async (input: ListObjectsV2CommandInput) => {
    const prefix = id(input.Bucket, input.Prefix ?? '');
    const keys = [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    return {
      Contents: keys.map((key) => ({ Key: key.slice(`${input.Bucket}/`.length) })),
      IsTruncated: false,
      $metadata: { httpStatusCode: 200 },
    };
  });

  return {
    client: new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    objects,
    mock,
    restore: () => mock.restore(),
  };
}
