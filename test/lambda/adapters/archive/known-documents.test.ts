import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnownDocuments, rememberingStore } from '../../../../lambda/adapters/archive/known-documents';
import { createS3ObjectStore } from '../../../../lambda/adapters/archive/s3-object-store';
import { RULES_KEY } from '../../../../lambda/domain/alerts/rules-status';
import {
  ArchiveStoreError,
  type ObjectStore,
  PreconditionFailedError,
} from '../../../../lambda/domain/archive/object-store';
import { type ConditionalS3Endpoint, startConditionalS3 } from '../../../fakes/conditional-s3-proxy';

const JSON_TYPE = { contentType: 'application/json', metadata: {} };
const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString();

/** `inner`, counting the GETs that reach it per key. */
function countingGets(inner: ObjectStore) {
  const gets = new Map<string, number>();
  const count = (key: string) => gets.set(key, (gets.get(key) ?? 0) + 1);
  const store: ObjectStore = {
    ...inner,
    get: (key) => {
      count(key);
      return inner.get(key);
    },
    getIfChanged: (key, version) => {
      count(key);
      return inner.getIfChanged(key, version);
    },
  };
  return { store, gets: (key: string) => gets.get(key) ?? 0 };
}

describe('the state documents a container remembers, over the conditional S3 endpoint (real S3 client)', () => {
  let s3: ConditionalS3Endpoint;
  beforeAll(async () => {
    s3 = await startConditionalS3();
  });
  afterAll(async () => {
    await s3.close();
  });

  it('offers a state document as last written, with the version S3 gave it, and reads nothing for it', async () => {
    const s3Store = createS3ObjectStore(s3.client, s3.bucket, 'written');
    const { store: counted, gets } = countingGets(s3Store);
    const store = rememberingStore(counted, createKnownDocuments());
    const version = await store.replace('state/alerts.json', Buffer.from('{"a":1}'), {
      ...JSON_TYPE,
      expectedVersion: undefined,
    });
    const known = store.lastKnown?.('state/alerts.json');
    expect(text(known?.bytes)).toBe('{"a":1}');
    expect(known?.version).toBe(version);
    expect(gets('state/alerts.json')).toBe(0);
    // The remembered version is the stored one: a compare-and-swap on it succeeds.
    expect((await s3Store.get('state/alerts.json'))?.version).toBe(version);
    await store.replace('state/alerts.json', Buffer.from('{"a":2}'), {
      ...JSON_TYPE,
      expectedVersion: version,
    });
    expect(text(store.lastKnown?.('state/alerts.json')?.bytes)).toBe('{"a":2}');
  });

  it('keeps a stale version after another writer changed the document, and S3 refuses a write on it; the refusal forgets it and a read learns the new one', async () => {
    const s3Store = createS3ObjectStore(s3.client, s3.bucket, 'stale');
    const store = rememberingStore(s3Store, createKnownDocuments());
    const mine = await store.replace('state/alerts.json', Buffer.from('{"by":"me"}'), {
      ...JSON_TYPE,
      expectedVersion: undefined,
    });
    // Another writer (a Slack click, the digest, another container) changes it.
    const theirs = await s3Store.replace('state/alerts.json', Buffer.from('{"by":"them"}'), {
      ...JSON_TYPE,
      expectedVersion: mine,
    });
    expect(store.lastKnown?.('state/alerts.json')?.version).toBe(mine);
    await expect(
      store.replace('state/alerts.json', Buffer.from('{"by":"me again"}'), {
        ...JSON_TYPE,
        expectedVersion: mine,
      }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(store.lastKnown?.('state/alerts.json')).toBeUndefined();
    // Nothing of the refused write reached the object.
    expect(text((await store.get('state/alerts.json'))?.bytes)).toBe('{"by":"them"}');
    expect(store.lastKnown?.('state/alerts.json')?.version).toBe(theirs);
  });

  it('remembers what a read found, forgets a document found gone, and keeps no archived response (raw/)', async () => {
    const s3Store = createS3ObjectStore(s3.client, s3.bucket, 'reads');
    const store = rememberingStore(s3Store, createKnownDocuments());
    await s3Store.replace('state/rules.json', Buffer.from('{"r":1}'), {
      ...JSON_TYPE,
      expectedVersion: undefined,
    });
    await store.createIfAbsent('raw/check/2025-11-11/a.json', Buffer.from('{}'), JSON_TYPE);
    expect(await store.get('raw/check/2025-11-11/a.json')).toBeDefined();
    expect(store.lastKnown?.('raw/check/2025-11-11/a.json')).toBeUndefined();
    expect(store.lastKnown?.('state/rules.json')).toBeUndefined();
    await store.get('state/rules.json');
    expect(text(store.lastKnown?.('state/rules.json')?.bytes)).toBe('{"r":1}');
    expect(await store.get('state/gone.json')).toBeUndefined();
    expect(store.lastKnown?.('state/gone.json')).toBeUndefined();
  });

  it('keeps documents apart by location: two prefixes of one bucket share one memory without mixing', async () => {
    const known = createKnownDocuments();
    const one = rememberingStore(createS3ObjectStore(s3.client, s3.bucket, 'one'), known);
    const two = rememberingStore(createS3ObjectStore(s3.client, s3.bucket, 'two'), known);
    await one.replace('state/alerts.json', Buffer.from('1'), { ...JSON_TYPE, expectedVersion: undefined });
    expect(two.lastKnown?.('state/alerts.json')).toBeUndefined();
    expect(text(one.lastKnown?.('state/alerts.json')?.bytes)).toBe('1');
  });
});

describe('a rules object that is normally absent, over S3 as deployed (a GetObject of a missing key is 403)', () => {
  let s3: ConditionalS3Endpoint;
  beforeAll(async () => {
    s3 = await startConditionalS3({ asDeployed: true });
  });
  afterAll(async () => {
    await s3.close();
  });

  /** The requests S3 got for the rules object of `prefix` since the last call: its GETs and listings. */
  const requestsFor = (prefix: string) => {
    let seen = 0;
    return () => {
      const all = s3.requests.filter((line) => line.includes(`${prefix}/${RULES_KEY}`));
      const since = all.slice(seen);
      seen = all.length;
      return since.map((line) => (line.includes('list-type=2') ? 'LIST' : line.split(' ')[0]));
    };
  };
  const push = (prefix: string, body: string) =>
    createS3ObjectStore(s3.client, s3.bucket, prefix).replace(RULES_KEY, Buffer.from(body), {
      ...JSON_TYPE,
      expectedVersion: undefined,
    });

  it('costs a container one listing per warm read while absent (two requests each without the memory), and a pushed object is read by the very next read', async () => {
    const requests = requestsFor('absent');
    const store = rememberingStore(
      createS3ObjectStore(s3.client, s3.bucket, 'absent'),
      createKnownDocuments(),
    );
    // The first read: the GET S3 refuses, then the listing that tells "missing" from "denied".
    expect(await store.getIfChanged(RULES_KEY, undefined)).toBeUndefined();
    expect(requests()).toEqual(['GET', 'LIST']);
    for (let read = 0; read < 3; read += 1) {
      expect(await store.getIfChanged(RULES_KEY, undefined)).toBeUndefined();
      expect(requests()).toEqual(['LIST']);
    }
    // An operator pushes the rules object between two checks.
    await push('absent', '{"rules":[]}');
    requests();
    const pushed = await store.getIfChanged(RULES_KEY, undefined);
    expect(pushed === 'unchanged' ? pushed : text(pushed?.bytes)).toBe('{"rules":[]}');
    expect(requests()).toEqual(['LIST', 'GET']);
    // Present: the conditional GET alone, answered 304.
    const version = pushed === 'unchanged' ? undefined : pushed?.version;
    expect(await store.getIfChanged(RULES_KEY, version)).toBe('unchanged');
    expect(requests()).toEqual(['GET']);

    // A container without the memory: two requests for every read of the absent object.
    const without = requestsFor('no-memory');
    const plain = createS3ObjectStore(s3.client, s3.bucket, 'no-memory');
    for (let read = 0; read < 2; read += 1) expect(await plain.get(RULES_KEY)).toBeUndefined();
    expect(without()).toEqual(['GET', 'LIST', 'GET', 'LIST']);
  });

  it('finds an object deleted since it was read absent, then probes it with one listing', async () => {
    const requests = requestsFor('deleted');
    const store = rememberingStore(
      createS3ObjectStore(s3.client, s3.bucket, 'deleted'),
      createKnownDocuments(),
    );
    const version = await push('deleted', '{"rules":[]}');
    expect(await store.getIfChanged(RULES_KEY, version)).toBe('unchanged');
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: `deleted/${RULES_KEY}` }));
    requests();
    expect(await store.getIfChanged(RULES_KEY, version)).toBeUndefined();
    expect(requests()).toEqual(['GET', 'LIST']);
    expect(await store.get(RULES_KEY)).toBeUndefined();
    expect(requests()).toEqual(['LIST']);
  });

  it('still fails a read S3 refuses although the listing shows the object: a real denial is no absence', async () => {
    const store = rememberingStore(
      createS3ObjectStore(s3.client, s3.bucket, 'denied'),
      createKnownDocuments(),
    );
    expect(await store.getIfChanged(RULES_KEY, undefined)).toBeUndefined();
    await push('denied', '{"rules":[]}');
    s3.deniedReads.add(`${s3.bucket}/denied/${RULES_KEY}`);
    try {
      for (let read = 0; read < 2; read += 1) {
        const failed = store.getIfChanged(RULES_KEY, undefined);
        await expect(failed).rejects.toBeInstanceOf(ArchiveStoreError);
        await expect(failed).rejects.toThrow(`cannot read s3://${s3.bucket}/denied/${RULES_KEY}`);
      }
    } finally {
      s3.deniedReads.clear();
    }
  });

  it('keeps absences apart by location, and forgets one written through the store', async () => {
    const known = createKnownDocuments();
    const one = rememberingStore(createS3ObjectStore(s3.client, s3.bucket, 'apart-one'), known);
    const two = rememberingStore(createS3ObjectStore(s3.client, s3.bucket, 'apart-two'), known);
    expect(await one.get(RULES_KEY)).toBeUndefined();
    expect(known.isAbsent(one.describe(RULES_KEY))).toBe(true);
    expect(known.isAbsent(two.describe(RULES_KEY))).toBe(false);
    await one.replace(RULES_KEY, Buffer.from('{}'), { ...JSON_TYPE, expectedVersion: undefined });
    expect(known.isAbsent(one.describe(RULES_KEY))).toBe(false);
    expect(text((await one.get(RULES_KEY))?.bytes)).toBe('{}');
  });
});

describe('the container memory of state documents is bounded', () => {
  const object = (size: number, version: string) => ({
    bytes: new Uint8Array(size),
    metadata: {},
    contentType: 'application/json',
    version,
  });

  it('drops the oldest document past the entry limit', () => {
    const known = createKnownDocuments({ maxEntries: 2, maxBytes: 1_000 });
    known.set('a', object(10, 'va'));
    known.set('b', object(10, 'vb'));
    known.set('a', object(10, 'va2')); // written again: now the newest
    known.set('c', object(10, 'vc'));
    expect(known.get('b')).toBeUndefined();
    expect(known.get('a')?.version).toBe('va2');
    expect(known.size).toEqual({ entries: 2, bytes: 20 });
  });

  it('drops the oldest documents past the byte limit, and never keeps one larger than the whole budget', () => {
    const known = createKnownDocuments({ maxEntries: 10, maxBytes: 100 });
    known.set('a', object(60, 'va'));
    known.set('b', object(30, 'vb'));
    known.set('c', object(30, 'vc'));
    expect(known.get('a')).toBeUndefined();
    expect(known.size).toEqual({ entries: 2, bytes: 60 });
    known.set('b', object(101, 'vb2'));
    expect(known.get('b')).toBeUndefined();
    expect(known.size).toEqual({ entries: 1, bytes: 30 });
  });

  it('forgets the oldest absence past the entry limit, and a document set at an absent location is no longer absent', () => {
    const known = createKnownDocuments({ maxEntries: 2, maxBytes: 1_000 });
    known.setAbsent('a');
    known.setAbsent('b');
    known.setAbsent('c');
    expect(['a', 'b', 'c'].map((location) => known.isAbsent(location))).toEqual([false, true, true]);
    known.set('b', object(10, 'vb'));
    expect(known.isAbsent('b')).toBe(false);
    known.setAbsent('b');
    expect(known.get('b')).toBeUndefined();
    expect(known.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('keeps its own copy of the bytes: a buffer changed after the write does not change what is remembered', () => {
    const known = createKnownDocuments();
    const bytes = Buffer.from('{"a":1}');
    known.set('a', { bytes, metadata: {}, contentType: undefined, version: 'v' });
    bytes.write('{"a":9}');
    expect(text(known.get('a')?.bytes)).toBe('{"a":1}');
  });
});
