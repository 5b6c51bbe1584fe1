import { parseAnswer } from '../domain/answer-fit';
import type { ObjectStore } from '../domain/object-store';
import { parseRawKey, RAW_PREFIX } from '../domain/raw-archive';
import type { StatisticsResponse } from '../domain/statistics-schema';

/** How far before the wanted instant an archived check may lie and still stand for it. */
const NEAR_MS = 60 * 60_000;

/**
 * The archived check response of `date` whose scheduled time is the latest at or before `instant`
 * (within an hour): "the same time one week earlier" for week-over-week rules. Undefined when none.
 */
export async function readCheckNear(
  store: ObjectStore,
  date: string,
  instant: Date,
): Promise<StatisticsResponse | undefined> {
  const candidates = (await store.list(`${RAW_PREFIX}check/${date}/`))
    .map((key) => ({ key, parts: parseRawKey(key) }))
    .filter(({ parts }) => {
      const age = instant.getTime() - (parts?.referenceTime.getTime() ?? Number.NaN);
      return age >= 0 && age <= NEAR_MS;
    })
    .toReversed();
  for (const { key, parts } of candidates) {
    const object = await store.get(key);
    const parsed = object && parts && parseAnswer(object.bytes, parts);
    if (parsed?.verdict === 'valid') return parsed.value;
  }
  return undefined;
}
