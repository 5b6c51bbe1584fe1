import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3ObjectStore } from '../../../../lambda/adapters/archive/s3-object-store';
import { PreconditionFailedError } from '../../../../lambda/domain/archive/object-store';
import { startS3Emulator } from '../../../helpers/s3-emulator';

const json = {
  contentType: 'application/json',
  metadata: { sha256: 'abc', 'window-start': '2025-11-12 00:00:00' },
};

describe('createS3ObjectStore over the wire (S3 emulator)', () => {
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;
  beforeAll(async () => {
    s3 = await startS3Emulator();
  });
  afterAll(async () => {
    await s3.close();
  });

  it('stores exact bytes under bucket/prefix with content type and metadata', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'monitor');
    const bytes = Buffer.from('{"code":200,\r\n"x":"ü\\u0000"}  ');
    expect(await store.createIfAbsent('raw/a.json', bytes, json)).toBe(true);
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: 'monitor/raw/a.json' }),
    );
    expect(head.ContentType).toBe('application/json');
    expect(head.Metadata).toEqual(json.metadata);
    const object = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: 'monitor/raw/a.json' }),
    );
    expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(bytes);
    expect(Buffer.from((await store.get('raw/a.json'))!.bytes)).toEqual(bytes);
    expect(store.describe('raw/a.json')).toBe(`s3://${s3.bucket}/monitor/raw/a.json`);
  });

  it("tells S3's time, from the Date of its answers, even on a host whose clock is 10 minutes slow", async () => {
    // Prepare: this host's clock 10 minutes behind the emulator's (the real one)
    const slow = () => Date.now() - 600_000;
    const store = createS3ObjectStore(s3.client, s3.bucket, 'clock', { now: slow });
    expect(store.now?.()).toBeUndefined();
    // Act: a read of a missing object (404) is an answer too; then a write
    await store.get('state/missing.json');
    const afterMiss = store.now?.()?.getTime();
    await store.replace('state/x.json', Buffer.from('{}'), { ...json, expectedVersion: undefined });
    // Assess: S3's time (its Date header is to the second), not the slow clock
    for (const told of [afterMiss, store.now?.()?.getTime()]) {
      expect(Math.abs((told ?? 0) - Date.now())).toBeLessThan(3_000);
    }
  });

  it('lists keys relative to the prefix, across pages', async () => {
    // Prepare: pages of 2 keys (S3 sends up to 1,000), so 5 keys take 3 ListObjectsV2 pages
    let pages = 0;
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectsV2Command') {
          pages += 1;
          (args.input as { MaxKeys?: number }).MaxKeys = 2;
        }
        return next(args);
      },
      { step: 'initialize', name: 'twoKeysPerPage' },
    );
    const store = createS3ObjectStore(s3.client, s3.bucket, 'listing');
    const keys = Array.from({ length: 5 }, (_, i) => `raw/day/2025-11-1${i}/k.json`);
    for (const key of keys.toReversed()) await store.createIfAbsent(key, Buffer.from('x'), json);
    try {
      // Act
      const listed = await store.list('raw/day/');
      // Assess
      expect(listed).toEqual(keys);
      expect(pages).toBe(3);
    } finally {
      s3.client.middlewareStack.remove('twoKeysPerPage');
    }
  });

  it('returns undefined for a missing key', async () => {
    expect(await createS3ObjectStore(s3.client, s3.bucket).get('raw/none.json')).toBeUndefined();
  });
});

// The emulators accept conditional writes blindly; S3's 412/409 answers are reproduced with a mock.
describe('createS3ObjectStore conditional writes (SDK mock)', () => {
  const conditionFailed = (status: number) =>
    new S3ServiceException({
      name: 'PreconditionFailed',
      $fault: 'client',
      $metadata: { httpStatusCode: status },
    });

  it('sends If-None-Match: * and reports an existing object as not created', async () => {
    const mock = mockClient(S3Client);
    mock.on(PutObjectCommand).rejects(conditionFailed(412));
    const store = createS3ObjectStore(new S3Client({ region: 'us-east-1' }), 'b');
    expect(await store.createIfAbsent('raw/a.json', Buffer.from('x'), json)).toBe(false);
    expect(mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      IfNoneMatch: '*',
      Key: 'raw/a.json',
    });
    mock.restore();
  });

  it('treats a 409 race as not created too', async () => {
    const mock = mockClient(S3Client);
    mock.on(PutObjectCommand).rejects(conditionFailed(409));
    const store = createS3ObjectStore(new S3Client({ region: 'us-east-1' }), 'b');
    expect(await store.createIfAbsent('raw/a.json', Buffer.from('x'), json)).toBe(false);
    mock.restore();
  });

  it('updates with If-Match on the ETag and turns 412 into PreconditionFailedError', async () => {
    const mock = mockClient(S3Client);
    mock.on(PutObjectCommand, { IfMatch: '"v1"' }).resolves({ ETag: '"v2"' });
    mock.on(PutObjectCommand, { IfMatch: '"stale"' }).rejects(conditionFailed(412));
    const store = createS3ObjectStore(new S3Client({ region: 'us-east-1' }), 'b', 'p');
    expect(await store.replace('state/s.json', Buffer.from('x'), { ...json, expectedVersion: '"v1"' })).toBe(
      '"v2"',
    );
    await expect(
      store.replace('state/s.json', Buffer.from('x'), { ...json, expectedVersion: '"stale"' }),
    ).rejects.toThrow(PreconditionFailedError);
    expect(mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Key: 'p/state/s.json',
      IfMatch: '"v1"',
    });
    mock.restore();
  });

  it('reads a 403 for a key that a listing shows missing as absent, and a real denial as an error', async () => {
    const mock = mockClient(S3Client);
    const denied = new S3ServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    mock.on(GetObjectCommand).rejects(denied);
    mock.on(ListObjectsV2Command, { Prefix: 'state/missing.json' }).resolves({ Contents: [] });
    mock
      .on(ListObjectsV2Command, { Prefix: 'state/locked.json' })
      .resolves({ Contents: [{ Key: 'state/locked.json' }] });
    const store = createS3ObjectStore(new S3Client({ region: 'us-east-1' }), 'b');
    expect(await store.get('state/missing.json')).toBeUndefined();
    await expect(store.get('state/locked.json')).rejects.toThrow('cannot read s3://b/state/locked.json');
    mock.restore();
  });

  it('wraps other failures in an ArchiveStoreError that names the object', async () => {
    const mock = mockClient(S3Client);
    mock.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const store = createS3ObjectStore(new S3Client({ region: 'us-east-1' }), 'b');
    await expect(store.createIfAbsent('raw/a.json', Buffer.from('x'), json)).rejects.toThrow(
      'cannot write s3://b/raw/a.json',
    );
    mock.restore();
  });
});

describe('createS3ObjectStore against a frozen endpoint (accepts connections, never answers)', () => {
  let server: Server;
  let client: S3Client;
  beforeAll(async () => {
    server = createServer(() => {
      // hold every request open: the socket stays connected and silent
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new S3Client({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up on each request after ARCHIVE_TIMEOUT_MS, naming the object', {
    timeout: 10_000,
  }, async () => {
    const store = createS3ObjectStore(client, 'frozen', 'audit', { timeoutMs: 200 });
    await expect(store.get('state/alerts.json')).rejects.toThrow(
      /cannot read s3:\/\/frozen\/audit\/state\/alerts\.json: S3 did not answer within 200 ms/,
    );
    await expect(store.createIfAbsent('raw/x.json', Buffer.from('{}'), json)).rejects.toThrow(
      /cannot write s3:\/\/frozen\/audit\/raw\/x\.json: S3 did not answer within 200 ms/,
    );
    await expect(store.list('raw/')).rejects.toThrow(/cannot list .*S3 did not answer within 200 ms/);
  });

  it('never runs past the run deadline, even with a longer timeout', { timeout: 10_000 }, async () => {
    const now = 1_000_000;
    const store = createS3ObjectStore(client, 'frozen', '', {
      timeoutMs: 60_000,
      deadline: now + 150,
      now: () => now,
    });
    await expect(store.get('state/alerts.json')).rejects.toThrow(/S3 did not answer within 150 ms/);
  });
});
