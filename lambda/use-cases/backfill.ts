import { RAW_PREFIX } from '../domain/archive/raw-archive';
import { wholeDayWindow, windowEndInstant } from '../domain/statistics/query-window';
import { parseStatistics } from '../domain/statistics/schema';
import { curateFetchedDay } from './curate';
import { commonDatePrefix, datesBetween } from './date-range';
import { type FetchDeps, fetchAndArchive } from './fetch-and-archive';
import { createRateLimiter } from './rate-limiter';
import { forEachConcurrently } from './run-concurrently';

/**
 * Backfill: archives whole account-local days, as the digest would have, for a range of past dates.
 * Each day gets the digest's window and kind 'day' with the window's end as reference time, so its
 * key is deterministic: a rerun finds it and skips the day, and two runs can never archive a day
 * twice. Days already archived are found with one listing up front, which is what lets a crashed
 * run resume. A day counts as archived only once it holds a valid response: a day whose responses
 * are all invalid or malformed is fetched again, as an additional object (the fetch time is its
 * reference time), and the invalid ones stay for the audit. Requests start at most `ratePerSecond` a second with at most `concurrency` in flight;
 * retries are the client's own, and a day that still fails is recorded and the backfill goes on.
 */

export interface BackfillDeps extends FetchDeps {
  readonly timeZone: string;
  /** Epoch ms: paces request starts. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface BackfillRequest {
  /** 'YYYY-MM-DD', account-local, both included. */
  readonly from: string;
  readonly to: string;
  readonly concurrency: number;
  readonly ratePerSecond: number;
  /** Once aborted, no further day starts; days in flight finish and are recorded. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BackfillProgress) => void;
}

export type DayOutcome =
  | { readonly date: string; readonly status: 'fetched'; readonly key: string; readonly sizeBytes: number }
  /** `key` is a valid response already under raw/day/<date>/. */
  | { readonly date: string; readonly status: 'skipped'; readonly key: string }
  | { readonly date: string; readonly status: 'failed'; readonly reason: string };

export type BackfillProgress =
  | { readonly kind: 'planned'; readonly total: number; readonly toFetch: number }
  | { readonly kind: 'day'; readonly outcome: DayOutcome; readonly done: number; readonly total: number };

export interface BackfillResult {
  /** Every day that was skipped or attempted, in date order. */
  readonly days: readonly DayOutcome[];
  /** Days never started because the run was stopped. */
  readonly notStarted: readonly string[];
  readonly fetched: number;
  readonly skipped: number;
  readonly failed: number;
}

export async function backfill(deps: BackfillDeps, request: BackfillRequest): Promise<BackfillResult> {
  const dates = datesBetween(request.from, request.to);
  const listed = await archivedDays(deps, request.from, request.to);
  const archived = await validDays(deps, listed, request.concurrency);
  const outcomes = new Map<string, DayOutcome>();
  const report = (outcome: DayOutcome) => {
    outcomes.set(outcome.date, outcome);
    request.onProgress?.({ kind: 'day', outcome, done: outcomes.size, total: dates.length });
  };

  const toFetch = dates.filter((date) => !archived.has(date));
  request.onProgress?.({ kind: 'planned', total: dates.length, toFetch: toFetch.length });
  for (const date of dates) {
    const key = archived.get(date);
    if (key !== undefined) report({ date, status: 'skipped', key });
  }

  const limiter = createRateLimiter({ perSecond: request.ratePerSecond, now: deps.now, sleep: deps.sleep });
  await forEachConcurrently(
    toFetch,
    request.concurrency,
    async (date) => {
      await limiter.acquire();
      report(await archiveDay(deps, date, listed.has(date)));
    },
    request.signal,
  );

  const days = dates.flatMap((date) => {
    const outcome = outcomes.get(date);
    return outcome === undefined ? [] : [outcome];
  });
  const count = (status: DayOutcome['status']) => days.filter((day) => day.status === status).length;
  return {
    days,
    notStarted: dates.filter((date) => !outcomes.has(date)),
    fetched: count('fetched'),
    skipped: count('skipped'),
    failed: count('failed'),
  };
}

/** One listing for the whole range: date → the keys under raw/day/<date>/, oldest first. */
async function archivedDays(deps: BackfillDeps, from: string, to: string): Promise<Map<string, string[]>> {
  const prefix = `${RAW_PREFIX}day/`;
  const keys = await deps.store.list(`${prefix}${commonDatePrefix(from, to)}`);
  const days = new Map<string, string[]>();
  for (const key of keys) {
    const date = key.slice(prefix.length).split('/')[0] ?? '';
    // Only objects in a day's folder, not stray files beside the folders.
    if (key.length > prefix.length + date.length + 1 && date >= from && date <= to) {
      days.set(date, [...(days.get(date) ?? []), key]);
    }
  }
  return days;
}

/** date → a key holding a valid response (newest first); days with only invalid responses are left out. */
async function validDays(
  deps: BackfillDeps,
  listed: Map<string, string[]>,
  concurrency: number,
): Promise<Map<string, string>> {
  const valid = new Map<string, string>();
  await forEachConcurrently([...listed], concurrency, async ([date, keys]) => {
    for (const key of keys.toReversed()) {
      const object = await deps.store.get(key);
      if (object && parseStatistics(object.bytes).verdict === 'valid') {
        valid.set(date, key);
        return;
      }
    }
  });
  return valid;
}

async function archiveDay(deps: BackfillDeps, date: string, hasInvalid: boolean): Promise<DayOutcome> {
  const window = wholeDayWindow(date, deps.timeZone);
  try {
    // No run deadline: a backfill is a long job; each request keeps the client's timeout and retries.
    // A day holding only invalid responses gets an additional object, keyed by the fetch time.
    const result = await fetchAndArchive(deps, {
      kind: 'day',
      window,
      referenceTime: hasInvalid ? new Date(deps.now()) : windowEndInstant(window),
    });
    await curateFetchedDay(deps, result);
    const { key, created, sizeBytes } = result.archived;
    // Another run archived the same key between our listing and our write: it is there once.
    return created ? { date, status: 'fetched', key, sizeBytes } : { date, status: 'skipped', key };
  } catch (error) {
    return { date, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Thrown by the CLI when days failed or were not started; the summary has already said which. */
export class BackfillIncompleteError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BackfillIncompleteError';
  }
}
