import type { Rule } from '../domain/alerts/rules';
import { ALERT_STATE_KEY, AlertStateSchema } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import { alertEpisodeRecords, mergeEpisodeRecords } from '../domain/curated/alert-episodes';
import { type CuratedRecord, encodeNdjson } from '../domain/curated/curate-day';
import { curatedKey } from '../domain/curated/curated-tables';
import * as z from '../domain/shared/zod';
import { writeIfChanged } from './curate';
import { DocumentCorruptError, readDocument } from './json-document';

/**
 * Curates the alert episodes the alert state records (see domain/curated/alert-episodes.ts) into
 * `curated/alert_episodes/`, one object per local date an episode began. Idempotent, and never
 * loses a record: what is already curated is merged with the state's newer account. Runs with every
 * `curate`; the state keeps closed episodes two weeks, so a weekly curate keeps the table whole.
 */

export interface AlertEpisodeCuration {
  /** Dates whose object was new or changed. */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Episodes the alert state recorded in the range. */
  readonly episodes: number;
}

const CellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const RecordSchema = z.record(z.string(), CellSchema);

export async function curateAlertEpisodes(
  deps: { readonly store: ObjectStore; readonly target?: ObjectStore },
  request: {
    readonly rules: readonly Rule[];
    readonly timeZone: string;
    /** Only episodes that began in [from, to] (local dates). */
    readonly from?: string;
    readonly to?: string;
  },
): Promise<AlertEpisodeCuration> {
  const state = await readDocument(deps.store, ALERT_STATE_KEY, AlertStateSchema);
  const incidents = [
    ...(state?.value.incidents ?? []),
    ...(state?.value.incident ? [state.value.incident] : []),
  ];
  const byDate = alertEpisodeRecords(state?.value.episodes ?? [], request.rules, request.timeZone, incidents);
  const target = deps.target ?? deps.store;
  const inRange = ([date]: readonly [string, unknown]) =>
    (request.from === undefined || date >= request.from) && (request.to === undefined || date <= request.to);
  const dates = [...byDate].filter(inRange).sort(([a], [b]) => a.localeCompare(b));
  // Each date is its own object: read, merged and written side by side, not one after another.
  const changed = await Promise.all(
    dates.map(async ([date, records]) => {
      const key = curatedKey('alert_episodes', date);
      const bytes = encodeNdjson(mergeEpisodeRecords(await readRecords(target, key), records));
      return writeIfChanged(target, key, bytes, { 'source-key': ALERT_STATE_KEY });
    }),
  );
  const written = dates.filter((_, index) => changed[index]).map(([date]) => date);
  const unchanged = dates.filter((_, index) => !changed[index]).map(([date]) => date);
  const episodes = dates.reduce((sum, [, records]) => sum + records.length, 0);
  return { written, unchanged, episodes };
}

/** The records of a curated object; none when it does not exist. A line that is not a record stops the run. */
async function readRecords(store: ObjectStore, key: string): Promise<CuratedRecord[]> {
  const object = await store.get(key);
  if (object === undefined) return [];
  return new TextDecoder()
    .decode(object.bytes)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = RecordSchema.safeParse(safeJson(line));
      if (!parsed.success) {
        throw new DocumentCorruptError(
          `${store.describe(key)} line ${index + 1} is not a curated record; correct or remove that line, then run curate again`,
        );
      }
      return parsed.data;
    });
}

const safeJson = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};
