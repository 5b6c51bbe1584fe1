import type { ObjectStore } from '../domain/object-store';
import { wholeDayWindow, windowEndInstant } from '../domain/query-window';
import { RAW_PREFIX } from '../domain/raw-archive';
import { parseStatistics, type StatisticsResponse } from '../domain/statistics-schema';
import type { Logger } from '../shared/logger';
import { type FetchDeps, fetchAndArchive } from './fetch-and-archive';

/** Keys of whole-day responses archived for `date`, oldest first. */
export const archivedDayKeys = (store: ObjectStore, date: string): Promise<string[]> =>
  store.list(`${RAW_PREFIX}day/${date}/`);

export interface ArchivedDay {
  readonly key: string;
  readonly location: string;
  readonly statistics: StatisticsResponse;
}

/** The newest valid whole-day response the archive holds for `date`, if any. */
export async function readArchivedDay(store: ObjectStore, date: string): Promise<ArchivedDay | undefined> {
  const keys = await archivedDayKeys(store, date);
  for (const key of keys.toReversed()) {
    const object = await store.get(key);
    if (!object) continue;
    const parsed = parseStatistics(object.bytes);
    if (parsed.verdict === 'valid') return { key, location: store.describe(key), statistics: parsed.value };
  }
  return undefined;
}

/**
 * An earlier day for comparisons: from the archive when it is there, otherwise fetched (and
 * archived, with the day's end as its reference time, so a backfill would find it too). Undefined,
 * with a warning, when neither works: a comparison is worth less than the run.
 */
export async function earlierDay(
  deps: FetchDeps,
  date: string,
  timeZone: string,
  deadline: number | undefined,
  logger: Logger,
): Promise<StatisticsResponse | undefined> {
  const archived = await readArchivedDay(deps.store, date);
  if (archived) return archived.statistics;
  const window = wholeDayWindow(date, timeZone);
  try {
    const fetched = await fetchAndArchive(deps, {
      kind: 'day',
      window,
      referenceTime: windowEndInstant(window),
      deadline,
    });
    return fetched.statistics;
  } catch (error) {
    logger.warn('Could not get an earlier day for comparison; the digest shows no comparison for it', {
      date,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
