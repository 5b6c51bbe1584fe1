import type { ObjectStore } from '../domain/archive/object-store';
import { RAW_PREFIX } from '../domain/archive/raw-archive';
import { parseStatistics, type StatisticsResponse } from '../domain/statistics/schema';

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
