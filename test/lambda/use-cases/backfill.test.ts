import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ObjectStore, StoredObject } from '../../../lambda/domain/archive/object-store';
import type { QueryWindow } from '../../../lambda/domain/statistics/query-window';
import { parseStatistics } from '../../../lambda/domain/statistics/schema';
import type { FetchedStatistics, StatsSource } from '../../../lambda/domain/statistics/stats-source';
import { silentLogger } from '../../../lambda/shared/logger';
import { type BackfillProgress, type BackfillRequest, backfill } from '../../../lambda/use-cases/backfill';
import { TEST_ZONE } from '../../helpers/airudder';
import { fixtureBytes } from '../../helpers/fixtures';

/** The ObjectStore contract in memory, counting listings. */
function memoryStore() {
  const objects = new Map<string, StoredObject>();
  let listings = 0;
  const store: ObjectStore = {
    describe: (key) => `memory://${key}`,
    async createIfAbsent(key, bytes, options) {
      if (objects.has(key)) return false;
      const version = createHash('sha256').update(bytes).digest('hex');
      objects.set(key, { bytes, metadata: options.metadata, contentType: options.contentType, version });
      return true;
    },
    get: async (key) => objects.get(key),
    getIfChanged: async (key) => objects.get(key),
    async replace() {
      throw new Error('not used by backfill');
    },
    async list(prefix) {
      listings += 1;
      return [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
  };
  return { store, objects, listings: () => listings };
}

/** A StatsSource answering after `latencyMs` of (fake) time; records starts and what is in flight. */
function fakeSource(options: { latencyMs?: number; failDates?: readonly string[] } = {}) {
  const starts: Array<{ date: string; at: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const bytes = fixtureBytes('statistics-example.json');
  const source: StatsSource = {
    async fetchStatistics(window: QueryWindow): Promise<FetchedStatistics> {
      starts.push({ date: window.date, at: Date.now() });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, options.latencyMs ?? 0));
        if (options.failDates?.includes(window.date))
          throw new Error('AIRUDDER statistics request failed: HTTP 503');
        return {
          bytes: new Uint8Array(bytes),
          httpStatus: 200,
          fetchedAt: new Date(),
          latencyMs: options.latencyMs ?? 0,
          attempts: 1,
          parsed: parseStatistics(bytes),
        };
      } finally {
        inFlight -= 1;
      }
    },
  };
  return { source, starts, maxInFlight: () => maxInFlight };
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

async function runBackfill(
  store: ObjectStore,
  source: StatsSource,
  request: Partial<BackfillRequest> & Pick<BackfillRequest, 'from' | 'to'>,
) {
  const progress: BackfillProgress[] = [];
  const run = backfill(
    { source, store, logger: silentLogger, timeZone: TEST_ZONE, now: Date.now, sleep },
    { concurrency: 4, ratePerSecond: 1000, onProgress: (event) => progress.push(event), ...request },
  );
  await vi.runAllTimersAsync();
  return { result: await run, progress };
}

describe('backfill', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2025-11-12T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("archives each local day as kind 'day' with the day's end as reference time", async () => {
    // Prepare
    const { store, objects } = memoryStore();
    const { source } = fakeSource();
    // Act
    const { result } = await runBackfill(store, source, { from: '2025-08-01', to: '2025-08-03' });
    // Assess
    expect(result).toMatchObject({ fetched: 3, skipped: 0, failed: 0, notStarted: [] });
    expect([...objects.keys()]).toEqual([
      'raw/day/2025-08-01/20250801T165959Z_20250801T000000_20250801T235959.json',
      'raw/day/2025-08-02/20250802T165959Z_20250802T000000_20250802T235959.json',
      'raw/day/2025-08-03/20250803T165959Z_20250803T000000_20250803T235959.json',
    ]);
    expect(result.days[0]).toMatchObject({
      date: '2025-08-01',
      status: 'fetched',
      sizeBytes: expect.any(Number),
    });
  });

  it('skips days that already hold a valid response under raw/day/<date>/, found with one listing', async () => {
    const { store, objects, listings } = memoryStore();
    await store.createIfAbsent(
      'raw/day/2025-08-02/20250802T020000Z_20250802T000000_20250802T090000.json',
      fixtureBytes('statistics-example.json'),
      {
        contentType: 'application/json',
        metadata: {},
      },
    );
    const { source, starts } = fakeSource();
    const { result, progress } = await runBackfill(store, source, { from: '2025-08-01', to: '2025-08-03' });
    expect(result).toMatchObject({ fetched: 2, skipped: 1, failed: 0 });
    expect(starts.map((start) => start.date).sort()).toEqual(['2025-08-01', '2025-08-03']);
    expect(listings()).toBe(1);
    expect(objects.size).toBe(3);
    expect(progress[0]).toEqual({ kind: 'planned', total: 3, toFetch: 2 });
    expect(progress[1]).toMatchObject({ kind: 'day', outcome: { date: '2025-08-02', status: 'skipped' } });
  });

  it('fetches again, as an additional object, a day whose only responses are invalid or malformed', async () => {
    // Prepare: 08-01 holds a malformed and an invalid response, 08-02 an invalid then a valid one
    const { store, objects } = memoryStore();
    const put = (key: string, bytes: Uint8Array) =>
      store.createIfAbsent(key, bytes, { contentType: 'application/json', metadata: {} });
    const invalid = Buffer.from(
      JSON.stringify({ code: 200, data: { realtime: { total: { total_calls: -1 } } } }),
    );
    await put('raw/day/2025-08-01/20250801T165959Z_20250801T000000_20250801T235959.json', invalid);
    await put(
      'raw/day/2025-08-01/20250802T010000Z_20250801T000000_20250801T235959.json',
      Buffer.from('{"code":'),
    );
    await put('raw/day/2025-08-02/20250802T165959Z_20250802T000000_20250802T235959.json', invalid);
    await put(
      'raw/day/2025-08-02/20250803T010000Z_20250802T000000_20250802T235959.json',
      fixtureBytes('statistics-example.json'),
    );
    const { source, starts } = fakeSource();
    // Act
    const { result } = await runBackfill(store, source, { from: '2025-08-01', to: '2025-08-02' });
    // Assess: 08-01 refetched under the fetch time, its invalid objects kept; 08-02 skipped
    expect(result).toMatchObject({ fetched: 1, skipped: 1, failed: 0 });
    expect(starts.map((start) => start.date)).toEqual(['2025-08-01']);
    const day1 = [...objects.keys()].filter((key) => key.startsWith('raw/day/2025-08-01/')).sort();
    expect(day1).toEqual([
      'raw/day/2025-08-01/20250801T165959Z_20250801T000000_20250801T235959.json',
      'raw/day/2025-08-01/20250802T010000Z_20250801T000000_20250801T235959.json',
      'raw/day/2025-08-01/20251112T000000Z_20250801T000000_20250801T235959.json',
    ]);
    expect(result.days[0]).toMatchObject({ status: 'fetched', key: day1[2] });
  });

  it('keeps at most `concurrency` days in flight', async () => {
    const { store } = memoryStore();
    const fake = fakeSource({ latencyMs: 300 });
    const { result } = await runBackfill(store, fake.source, {
      from: '2025-08-01',
      to: '2025-08-20',
      concurrency: 3,
      ratePerSecond: 1000,
    });
    expect(result.fetched).toBe(20);
    expect(fake.maxInFlight()).toBe(3);
  });

  it('starts at most `rate` day requests a second, however many may be in flight', async () => {
    const { store } = memoryStore();
    const fake = fakeSource({ latencyMs: 50 });
    await runBackfill(store, fake.source, {
      from: '2025-08-01',
      to: '2025-08-12',
      concurrency: 8,
      ratePerSecond: 5,
    });
    const times = fake.starts.map((start) => start.at);
    expect(times).toHaveLength(12);
    for (const [index, time] of times.entries()) {
      if (index > 0) expect(time - (times[index - 1] ?? 0)).toBeGreaterThanOrEqual(200);
    }
  });

  it('records a day that fails with its reason and carries on with the others', async () => {
    const { store, objects } = memoryStore();
    const { source } = fakeSource({ failDates: ['2025-08-02'] });
    const { result } = await runBackfill(store, source, { from: '2025-08-01', to: '2025-08-04' });
    expect(result).toMatchObject({ fetched: 3, skipped: 0, failed: 1 });
    expect(result.days.find((day) => day.status === 'failed')).toEqual({
      date: '2025-08-02',
      status: 'failed',
      reason: 'AIRUDDER statistics request failed: HTTP 503',
    });
    expect(objects.size).toBe(3);
  });

  it('stops starting days once aborted, and a second run archives only the rest', async () => {
    // Prepare: stop after the third finished day
    const { store, objects } = memoryStore();
    const stop = new AbortController();
    const first = fakeSource({ latencyMs: 100 });
    // Act
    const { result } = await runBackfill(store, first.source, {
      from: '2025-08-01',
      to: '2025-08-10',
      concurrency: 2,
      signal: stop.signal,
      onProgress: (event) => {
        if (event.kind === 'day' && event.done === 3) stop.abort();
      },
    });
    const second = fakeSource();
    const { result: resumed } = await runBackfill(store, second.source, {
      from: '2025-08-01',
      to: '2025-08-10',
    });
    // Assess: the days in flight finished; nothing was fetched twice
    expect(result.fetched).toBe(4);
    expect(result.notStarted).toHaveLength(6);
    expect(resumed).toMatchObject({ fetched: 6, skipped: 4, failed: 0, notStarted: [] });
    expect(second.starts.map((start) => start.date).sort()).toEqual(result.notStarted);
    expect(objects.size).toBe(10);
  });
});
