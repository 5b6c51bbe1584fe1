import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalCall } from '../../bench/fake-services-client';
import { type LatencyProxy, startLatencyProxy } from '../../bench/latency-proxy';
import { asDeployedS3 } from '../fakes/s3-as-deployed';
import { loopbackS3Client } from '../helpers/s3-emulator';

/** The error a request ended in: its status and S3's error code. */
async function failureOf(request: Promise<unknown>) {
  const error = await request.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return { status: error.$metadata.httpStatusCode, code: error.name, error };
}

describe("the bench's S3 proxy answers as S3 answers the deployed role (fauxqs behind it, real S3 client)", () => {
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  let deployed: LatencyProxy;
  let plain: LatencyProxy;
  let client: S3Client;
  let plainClient: S3Client;
  const calls: ExternalCall[] = [];
  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, logger: false });
    fauxqs.createBucket('archive');
    const target = `http://127.0.0.1:${fauxqs.port}`;
    const record = (call: ExternalCall) => calls.push(call);
    deployed = await startLatencyProxy({
      service: 's3',
      target,
      latency: { ms: 0 },
      record,
      asDeployed: asDeployedS3,
    });
    plain = await startLatencyProxy({ service: 's3', target, latency: { ms: 0 }, record: () => {} });
    client = loopbackS3Client(deployed.url);
    plainClient = loopbackS3Client(plain.url);
    await client.send(new PutObjectCommand({ Bucket: 'archive', Key: 'state/alerts.json', Body: '{"a":1}' }));
  });
  afterAll(async () => {
    client.destroy();
    plainClient.destroy();
    await Promise.all([deployed.close(), plain.close()]);
    await fauxqs.stop();
  });

  it('answers a GetObject of a missing key with 403 AccessDenied in S3 XML, where fauxqs answers 404 NoSuchKey', async () => {
    const get = (on: S3Client) =>
      on.send(new GetObjectCommand({ Bucket: 'archive', Key: 'config/rules.json' }));
    const denied = await failureOf(get(client));
    expect(denied).toMatchObject({ status: 403, code: 'AccessDenied' });
    // Code and message come from the XML error document the SDK parsed.
    expect(denied.error.message).toBe('Access Denied');
    expect(await failureOf(get(plainClient))).toMatchObject({ status: 404, code: 'NoSuchKey' });
  });

  it('refuses a conditional GetObject (If-None-Match) of a missing key alike', async () => {
    const conditional = client.send(
      new GetObjectCommand({ Bucket: 'archive', Key: 'config/rules.json', IfNoneMatch: '"abc"' }),
    );
    expect(await failureOf(conditional)).toMatchObject({ status: 403, code: 'AccessDenied' });
  });

  it('passes on what S3 answers the role alike: an object, a 304 on its ETag, a listing, a missing bucket', async () => {
    const object = await client.send(new GetObjectCommand({ Bucket: 'archive', Key: 'state/alerts.json' }));
    expect(await object.Body?.transformToString()).toBe('{"a":1}');
    const unchanged = client.send(
      new GetObjectCommand({ Bucket: 'archive', Key: 'state/alerts.json', IfNoneMatch: object.ETag }),
    );
    expect((await failureOf(unchanged)).status).toBe(304);
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: 'archive', Prefix: 'config/rules.json', MaxKeys: 1 }),
    );
    expect(listed.Contents ?? []).toEqual([]);
    const noBucket = client.send(new GetObjectCommand({ Bucket: 'elsewhere', Key: 'state/alerts.json' }));
    expect(await failureOf(noBucket)).toMatchObject({ status: 404, code: 'NoSuchBucket' });
  });

  it('logs every call it answered, the refused ones included', async () => {
    calls.length = 0;
    await failureOf(client.send(new GetObjectCommand({ Bucket: 'archive', Key: 'raw/none.json' })));
    expect(calls.map((call) => call.label)).toEqual([expect.stringMatching(/^\/archive\/raw\/none\.json/)]);
    expect(calls[0]?.end).toBeGreaterThanOrEqual(calls[0]?.start ?? Number.POSITIVE_INFINITY);
  });
});
