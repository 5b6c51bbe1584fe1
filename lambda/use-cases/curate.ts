import { type ObjectStore, PreconditionFailedError } from '../domain/archive/object-store';
import { type CuratedDay, type CurationSource, curateDay, encodeNdjson } from '../domain/curated/curate-day';
import { curatedKey, RAW_CURATED_TABLES, type RawCuratedTable } from '../domain/curated/curated-tables';
import { parseStatistics, type StatisticsResponse } from '../domain/statistics/schema';
import type { Logger } from '../shared/logger';
import { sha256Hex } from '../shared/sha256';
import { archivedDayKeys } from './archived-days';
import { datesBetween } from './date-range';
import type { FetchResult } from './fetch-and-archive';
import { forEachConcurrently } from './run-concurrently';

/**
 * Curate: derives the curated tables of a local date from the newest valid whole-day response the
 * raw archive holds for it (`raw/day/<date>/`), and writes one object per table. Idempotent: the same
 * raw gives the same bytes, and an object that already has them is left alone. An explicit step of
 * the use cases that archive whole days (`curateFetchedDay`: the digest, for its day and any earlier
 * day it fetched for comparison; backfill) and, for a range, `curate --from --to`.
 */

export const CURATED_CONTENT_TYPE = 'application/x-ndjson';

export interface CurateDeps {
  /** Where raw/ is read. */
  readonly store: ObjectStore;
  /** Where curated/ is written. @default store */
  readonly target?: ObjectStore;
}

/** What curate would write for a date: the objects' bytes and the raw object they came from. */
export interface ExpectedCuration {
  readonly sourceKey: string;
  readonly sourceSha256: string;
  readonly records: CuratedDay;
  readonly objects: ReadonlyMap<string, Uint8Array>;
}

/** Curated objects of `date` from its newest valid whole-day response; undefined when it has none. */
export async function expectedCuration(
  store: ObjectStore,
  date: string,
): Promise<ExpectedCuration | undefined> {
  const keys = await archivedDayKeys(store, date);
  for (const key of keys.toReversed()) {
    const object = await store.get(key);
    if (object === undefined) continue;
    const parsed = parseStatistics(object.bytes);
    if (parsed.verdict !== 'valid') continue;
    return curation(parsed.value, date, {
      key,
      sha256: sha256Hex(object.bytes),
      timeZone: object.metadata['time-zone'] ?? '',
    });
  }
  return undefined;
}

function curation(statistics: StatisticsResponse, date: string, source: CurationSource): ExpectedCuration {
  const records = curateDay(statistics, date, source);
  const objects = new Map(
    RAW_CURATED_TABLES.map((table) => [curatedKey(table, date), encodeNdjson(records[table])] as const),
  );
  return { sourceKey: source.key, sourceSha256: source.sha256, records, objects };
}

export type CurateOutcome =
  | {
      readonly date: string;
      /** written: at least one object was new or changed; unchanged: all three already held these bytes. */
      readonly status: 'written' | 'unchanged';
      readonly sourceKey: string;
      readonly records: Readonly<Record<RawCuratedTable, number>>;
    }
  | { readonly date: string; readonly status: 'no-response' }
  | { readonly date: string; readonly status: 'failed'; readonly reason: string };

/** Curates one date; a store error is thrown (the range runner records it per day). */
export async function curateDate(deps: CurateDeps, date: string): Promise<CurateOutcome> {
  const expected = await expectedCuration(deps.store, date);
  if (expected === undefined) return { date, status: 'no-response' };
  return writeCuration(deps.target ?? deps.store, date, expected);
}

/**
 * Curates a whole-day response just archived under `source.key`, without reading it back: the
 * newest of its date, since a day is archived again only by a later run (a digest, a forced one).
 */
export function curateArchivedDay(
  store: ObjectStore,
  date: string,
  statistics: StatisticsResponse,
  source: CurationSource,
): Promise<CurateOutcome> {
  return writeCuration(store, date, curation(statistics, date, source));
}

async function writeCuration(
  target: ObjectStore,
  date: string,
  expected: ExpectedCuration,
): Promise<CurateOutcome> {
  // The tables are independent objects: overlapped, a day costs two round trips instead of six.
  const writes = await Promise.all(
    [...expected.objects].map(([key, bytes]) =>
      writeIfChanged(target, key, bytes, {
        'source-key': expected.sourceKey,
        'source-sha256': expected.sourceSha256,
      }),
    ),
  );
  const written = writes.includes(true);
  const records = Object.fromEntries(
    RAW_CURATED_TABLES.map((table) => [table, expected.records[table].length]),
  ) as Record<RawCuratedTable, number>;
  return { date, status: written ? 'written' : 'unchanged', sourceKey: expected.sourceKey, records };
}

/** True when it wrote. Compare-and-swap, so two curators of the same date never interleave. */
export async function writeIfChanged(
  store: ObjectStore,
  key: string,
  bytes: Uint8Array,
  metadata: Readonly<Record<string, string>>,
): Promise<boolean> {
  const options = { contentType: CURATED_CONTENT_TYPE, metadata: { ...metadata } };
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(key);
    if (current !== undefined && Buffer.from(current.bytes).equals(bytes)) return false;
    try {
      await store.replace(key, bytes, { ...options, expectedVersion: current?.version });
      return true;
    } catch (error) {
      // Another curator wrote in between: read again (it most likely wrote the same bytes).
      if (!(error instanceof PreconditionFailedError) || attempt === 3) throw error;
    }
  }
}

export type CurateProgress =
  | { readonly kind: 'planned'; readonly total: number; readonly toFetch: number }
  | { readonly kind: 'day'; readonly outcome: CurateOutcome; readonly done: number; readonly total: number };

export interface CurateRangeRequest {
  readonly from: string;
  readonly to: string;
  /** Dates curated at a time. @default 4 */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CurateProgress) => void;
}

export interface CurateRangeResult {
  readonly days: readonly CurateOutcome[];
  readonly notStarted: readonly string[];
  readonly counts: Readonly<Record<CurateOutcome['status'], number>>;
}

/** Rebuilds the curated tables of every date in [from, to]; a date that fails is recorded and the run goes on. */
export async function curateRange(deps: CurateDeps, request: CurateRangeRequest): Promise<CurateRangeResult> {
  const dates = datesBetween(request.from, request.to);
  const outcomes = new Map<string, CurateOutcome>();
  request.onProgress?.({ kind: 'planned', total: dates.length, toFetch: dates.length });
  await forEachConcurrently(
    dates,
    request.concurrency ?? 4,
    async (date) => {
      let outcome: CurateOutcome;
      try {
        outcome = await curateDate(deps, date);
      } catch (error) {
        outcome = { date, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
      }
      outcomes.set(date, outcome);
      request.onProgress?.({ kind: 'day', outcome, done: outcomes.size, total: dates.length });
    },
    request.signal,
  );
  const days = dates.flatMap((date) => outcomes.get(date) ?? []);
  const counts = { written: 0, unchanged: 0, 'no-response': 0, failed: 0 };
  for (const day of days) counts[day.status] += 1;
  return { days, notStarted: dates.filter((date) => !outcomes.has(date)), counts };
}

/** Thrown by the CLI when dates failed or were not started; the summary has already said which. */
export class CurateIncompleteError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CurateIncompleteError';
  }
}

/**
 * Keeps the curated tables in step with a whole-day response just archived (the digest's day, an
 * earlier day fetched for comparison, a backfilled day). They are derived and rebuildable (`curate`),
 * so a failure here is a warning, not a failed run; `verify` then reports the date as not curated.
 */
export async function curateFetchedDay(
  deps: { readonly store: ObjectStore; readonly logger: Logger },
  fetched: FetchResult,
): Promise<void> {
  const { date, timeZone } = fetched.window;
  const { key, sha256, created } = fetched.archived;
  try {
    // When the key was there already, what it holds may differ from this fetch: curate from the archive.
    const outcome = created
      ? await curateArchivedDay(deps.store, date, fetched.statistics, { key, sha256, timeZone })
      : await curateDate(deps, date);
    deps.logger.debug('Curated tables updated', { date, status: outcome.status });
  } catch (error) {
    deps.logger.warn('Could not update the curated tables; run curate for this date', {
      date,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
