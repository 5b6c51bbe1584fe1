import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { MANY_STORY_NAMES } from '../../../dev/stand-in/faults';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import { DISTRIBUTION_KEYS_KEPT } from '../../../lambda/domain/statistics/bounded-json';
import {
  explicitWindow,
  wholeDayWindow,
  windowEndInstant,
} from '../../../lambda/domain/statistics/query-window';
import { ResponseValidationError } from '../../../lambda/domain/statistics/schema';
import { silentLogger } from '../../../lambda/shared/logger';
import { type FetchResult, fetchAndArchive } from '../../../lambda/use-cases/fetch-and-archive';
import { createConditionalS3 } from '../../fakes/conditional-s3';
import { startTestStandIn, TEST_ZONE, testClient } from '../../helpers/airudder';
import { startS3Emulator } from '../../helpers/s3-emulator';

/** 200,000 story names cost seconds on a loaded machine: room beyond the default budget (no time is asserted). */
const HEAVY = { timeout: 120_000 };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const window = explicitWindow('2025-11-12 00:00:00', '2025-11-12 14:30:00', TEST_ZONE);

/** A fetch that keeps a copy of every statistics body exactly as it came off the wire. */
function recordingFetch() {
  const served: Uint8Array[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (String(input).includes('/statistics'))
      served.push(new Uint8Array(await response.clone().arrayBuffer()));
    return response;
  };
  return { served, fetch: wrapped };
}

/** An archive of the given kind with its clean-up: the S3 emulator, the conditional S3 fake, or a folder. */
async function openArchive(
  kind: 's3' | 's3-conditional' | 'folder',
): Promise<{ store: ObjectStore; cleanup: () => Promise<void> }> {
  if (kind === 's3') {
    const s3 = await startS3Emulator();
    return { store: createS3ObjectStore(s3.client, s3.bucket, 'audit'), cleanup: s3.close };
  }
  if (kind === 's3-conditional') {
    const s3 = createConditionalS3();
    return { store: createS3ObjectStore(s3.client, 'archive', 'audit'), cleanup: async () => s3.restore() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'fetch-archive-'));
  return {
    store: createFolderObjectStore(dir, 'audit'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

describe.each([
  ['an S3-compatible server', 's3'],
  ['a local folder', 'folder'],
] as const)('fetchAndArchive into %s', (_name, kind) => {
  let standIn: StandIn;
  let store: ObjectStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    standIn = await startTestStandIn();
    ({ store, cleanup } = await openArchive(kind));
  });
  afterAll(async () => {
    await standIn.close();
    await cleanup();
  });

  const run = async (referenceTime: Date) => {
    const recorder = recordingFetch();
    const { client } = testClient(standIn.url, { fetch: recorder.fetch });
    const outcome: FetchResult | Error = await fetchAndArchive(
      { source: client, store, logger: silentLogger },
      { kind: 'fetch', window, referenceTime },
    ).catch((error: Error) => error);
    return { outcome, served: recorder.served };
  };

  it('archives a whole day and writes nothing beside it: curating it is a step of the calling use case', async () => {
    const day = wholeDayWindow('2025-11-11', TEST_ZONE);
    const { client } = testClient(standIn.url);

    const result = await fetchAndArchive(
      { source: client, store, logger: silentLogger },
      { kind: 'day', window: day, referenceTime: windowEndInstant(day) },
    );

    expect(result.archived.created).toBe(true);
    expect(await store.list('curated/')).toEqual([]);
  });

  it('archives a valid response byte for byte with its metadata', async () => {
    const { outcome, served } = await run(windowEndInstant(window));
    if (outcome instanceof Error) throw outcome;
    const object = await store.get(outcome.archived.key);
    expect(served).toHaveLength(1);
    expect(sha256(object!.bytes)).toBe(sha256(served[0]!));
    expect(outcome.archived.key).toBe(
      'raw/fetch/2025-11-12/20251112T073000Z_20251112T000000_20251112T143000.json',
    );
    expect(object?.contentType).toBe('application/json');
    expect(object?.metadata).toEqual({
      sha256: sha256(served[0]!),
      'run-kind': 'fetch',
      'reference-time': '2025-11-12T07:30:00.000Z',
      'window-start': '2025-11-12 00:00:00',
      'window-end': '2025-11-12 14:30:00',
      'time-zone': TEST_ZONE,
      'fetched-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'http-status': '200',
      'schema-verdict': 'valid',
      'schema-issues': '0',
    });
  });

  it.each([
    ['an invalid response', { kind: 'drift', drift: 'invalid' } as const, 'invalid'],
    ['malformed JSON', { kind: 'malformed-json' } as const, 'malformed-json'],
  ])('archives %s exactly, marks it, then fails loudly', async (_label, fault, verdict) => {
    standIn.inject('statistics', fault);
    const referenceTime = new Date(verdict === 'invalid' ? '2025-11-12T07:40:00Z' : '2025-11-12T07:41:00Z');
    const { outcome, served } = await run(referenceTime);
    expect(outcome).toBeInstanceOf(ResponseValidationError);
    expect((outcome as Error).message).toMatch(/raw response archived at /);
    const [key] = await store.list(
      `raw/fetch/2025-11-12/${referenceTime.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`,
    );
    const object = await store.get(key!);
    expect(sha256(object!.bytes)).toBe(sha256(served[0]!));
    expect(object?.metadata['schema-verdict']).toBe(verdict);
    expect(Number(object?.metadata['schema-issues'])).toBeGreaterThan(0);
  });
});

// S3 emulators overwrite on If-None-Match; S3's own 412 is reproduced by a conditional fake.
describe.each([
  ['S3 (conditional-write fake)', 's3-conditional'],
  ['a local folder', 'folder'],
] as const)('a repeated run for the same reference time in %s', (_name, kind) => {
  let standIn: StandIn;
  let store: ObjectStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    standIn = await startTestStandIn();
    ({ store, cleanup } = await openArchive(kind));
  });
  afterAll(async () => {
    await standIn.close();
    await cleanup();
  });

  it('neither adds a second object nor overwrites the first, and evaluates the stored bytes', async () => {
    const referenceTime = new Date('2025-11-12T07:31:00Z');
    const run = async () => {
      const recorder = recordingFetch();
      const { client } = testClient(standIn.url, { fetch: recorder.fetch });
      const result = await fetchAndArchive(
        { source: client, store, logger: silentLogger },
        { kind: 'fetch', window, referenceTime },
      );
      return { result, served: recorder.served };
    };
    const first = await run();
    standIn.inject('statistics', { kind: 'drift', drift: 'unknown-keys' });
    const again = await run();
    expect(sha256(again.served[0]!)).not.toBe(sha256(first.served[0]!));
    expect(again.result.archived).toMatchObject({ key: first.result.archived.key, created: false });
    const object = await store.get(first.result.archived.key);
    expect(sha256(object!.bytes)).toBe(sha256(first.served[0]!));
    expect(await store.list('raw/fetch/2025-11-12/')).toEqual([first.result.archived.key]);
    // The run's figures and fingerprint are the archived copy's, and it says the new bytes differed
    expect(again.result.archived.sha256).toBe(sha256(first.served[0]!));
    expect(again.result.statistics).toEqual(first.result.statistics);
    expect(again.result.repeat).toEqual({ fetchedSha256: sha256(again.served[0]!), differed: true });
    expect(first.result.repeat).toBeUndefined();
  });

  it('fails naming the archived object when the stored copy under the key is invalid', async () => {
    const referenceTime = new Date('2025-11-12T07:32:00Z');
    const source = testClient(standIn.url).client;
    standIn.inject('statistics', { kind: 'drift', drift: 'invalid' });
    const first = await fetchAndArchive(
      { source, store, logger: silentLogger },
      { kind: 'fetch', window, referenceTime },
    ).catch((error: Error) => error);
    expect(first).toBeInstanceOf(ResponseValidationError);
    // Act: the API now answers validly, but the key holds the invalid response
    const again = await fetchAndArchive(
      { source, store, logger: silentLogger },
      { kind: 'fetch', window, referenceTime },
    ).catch((error: Error) => error);
    // Assess
    expect(again).toBeInstanceOf(ResponseValidationError);
    expect((again as Error).message).toMatch(/raw response archived at .*20251112T073200Z/);
  });
});

describe('fetchAndArchive of an answer with 200,000 story names', () => {
  let standIn: StandIn;
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;
  beforeAll(async () => {
    standIn = await startTestStandIn();
    s3 = await startS3Emulator();
  });
  afterAll(async () => {
    await Promise.all([standIn.close(), s3.close()]);
  });

  it(
    'archives every name byte for byte, and the run holds the top 1,000 and the sum of the rest',
    HEAVY,
    async () => {
      // Prepare: one attempt with time to spare, so a slow machine cannot swap in a retry's ordinary answer
      const store = createS3ObjectStore(s3.client, s3.bucket, 'many-stories');
      standIn.inject('statistics', { kind: 'drift', drift: 'many-story-names' });
      const recorder = recordingFetch();
      const { client } = testClient(standIn.url, {
        fetch: recorder.fetch,
        timeoutMs: 60_000,
        maxAttempts: 1,
      });
      // Act
      const outcome = await fetchAndArchive(
        { source: client, store, logger: silentLogger },
        { kind: 'fetch', window, referenceTime: new Date('2025-11-12T07:35:00Z') },
      );
      // Assess: the archive has every name; what checks and digests go on with is bounded
      const served = recorder.served[0]!;
      expect(sha256((await store.get(outcome.archived.key))!.bytes)).toBe(sha256(served));
      const sent = JSON.parse(Buffer.from(served).toString('utf8')).data.realtime.total.story_distribution;
      const held = outcome.statistics.data.realtime?.total?.story_distribution ?? {};
      expect(Object.keys(sent).length).toBeGreaterThan(MANY_STORY_NAMES);
      expect(Object.keys(held)).toHaveLength(DISTRIBUTION_KEYS_KEPT + 1);
      const sum = (values: unknown[]) => values.reduce<number>((total, value) => total + Number(value), 0);
      expect(sum(Object.values(held))).toBe(sum(Object.values(sent)));
    },
  );
});
