import type { EvaluationInput } from '../domain/alerts/evaluate';
import { archivedNeeds } from '../domain/alerts/measure';
import type { Rule } from '../domain/alerts/rules';
import { parseAnswer } from '../domain/archive/answer-fit';
import type { ObjectStore } from '../domain/archive/object-store';
import { parseRawKey, RAW_PREFIX, rawKey } from '../domain/archive/raw-archive';
import { formatWallClock, localDate, toWallClock } from '../domain/shared/local-time';
import { deriveDaySoFar } from '../domain/statistics/derive-day-so-far';
import { rollingWindow, shiftDate } from '../domain/statistics/query-window';
import { parseStatistics, type StatisticsResponse } from '../domain/statistics/schema';
import { forEachConcurrently } from './run-concurrently';

/**
 * One reading of the archive for one evaluation, shared by `check` and `replay`, so a replay over the
 * archive measures what the live run measured. Besides the run's own responses (the day so far and
 * its rolling windows), an evaluation at `at` reads:
 * - the check of the same time a week earlier (weekOverWeek on the day so far), or else that day's
 *   whole-day response cut at that time;
 * - the rolling windows of the same time a week earlier (weekOverWeek on a window), or else, for a
 *   60-minute window ending on the hour, that hour's row of the whole-day response a week earlier;
 * - the latest finished day's whole-day response (rules on the latest offline day): yesterday's, or
 *   the day before's, among the responses archived by `at` — the live run could not read later ones.
 * Only what a rule in use needs is read: each is a request per evaluation.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** How far before the wanted instant an archived check may lie and still stand for it. */
const NEAR_MS = HOUR_MS;
/** A date's archived responses are read this many at a time (S3 answers each in ~20 ms). */
const READ_CONCURRENCY = 8;

export interface EvaluationSettings {
  readonly rules: readonly Rule[];
  readonly timeZone: string;
  readonly lineCapacity: number | undefined;
}

/** The run's own responses: its day so far and its rolling windows by length (minutes). */
export interface OwnResponses {
  readonly statistics: StatisticsResponse;
  readonly windows: ReadonlyMap<number, StatisticsResponse>;
}

/** Everything `evaluateRules` needs but the state and the reminder cadence. */
export type EvaluationReading = Omit<EvaluationInput, 'state' | 'reminders'>;

/** An archived response with the scheduled time it was archived for. */
interface Archived {
  readonly referenceTime: number;
  readonly statistics: StatisticsResponse;
}

/**
 * Reads archived responses once per key: a replay evaluating a day's checks one after another asks
 * for the same earlier days many times. A check builds one per run.
 */
export interface ArchiveReader {
  /** The valid responses of `kind` archived for `date`, oldest scheduled time first. */
  responses(kind: 'check' | 'day', date: string): Promise<readonly Archived[]>;
  /**
   * The valid response of `kind` archived for `date` with the latest scheduled time in [from, to]:
   * only the keys in that span are read (a key names its scheduled time), newest first.
   */
  latestBetween(kind: 'check' | 'day', date: string, from: number, to: number): Promise<Archived | undefined>;
  /** The valid response archived under `key`, if any. */
  response(key: string): Promise<StatisticsResponse | undefined>;
}

export function createArchiveReader(store: ObjectStore): ArchiveReader {
  const listings = new Map<string, Promise<readonly string[]>>();
  const lists = new Map<string, Promise<readonly Archived[]>>();
  const objects = new Map<string, Promise<StatisticsResponse | undefined>>();
  const response = (key: string) => {
    let object = objects.get(key);
    if (object === undefined) {
      object = store.get(key).then((found) => {
        // A check or window answer counts only when it answers the window its key names.
        const parts = parseRawKey(key);
        const parsed = found && (parts ? parseAnswer(found.bytes, parts) : parseStatistics(found.bytes));
        return parsed?.verdict === 'valid' ? parsed.value : undefined;
      });
      objects.set(key, object);
    }
    return object;
  };
  const keysOf = (prefix: string) => {
    let listing = listings.get(prefix);
    if (listing === undefined) {
      listing = store.list(prefix);
      listings.set(prefix, listing);
    }
    return listing;
  };
  const responses = (kind: 'check' | 'day', date: string) => {
    const prefix = `${RAW_PREFIX}${kind}/${date}/`;
    let list = lists.get(prefix);
    if (list === undefined) {
      list = keysOf(prefix).then(async (keys) => {
        const found: Archived[] = [];
        await forEachConcurrently(keys, READ_CONCURRENCY, async (key) => {
          const referenceTime = parseRawKey(key)?.referenceTime.getTime();
          const statistics = referenceTime === undefined ? undefined : await response(key);
          if (statistics !== undefined && referenceTime !== undefined)
            found.push({ referenceTime, statistics });
        });
        return found.sort((a, b) => a.referenceTime - b.referenceTime);
      });
      lists.set(prefix, list);
    }
    return list;
  };
  const latestBetween = async (kind: 'check' | 'day', date: string, from: number, to: number) => {
    const keys = await keysOf(`${RAW_PREFIX}${kind}/${date}/`);
    const candidates = keys
      .map((key) => ({ key, referenceTime: parseRawKey(key)?.referenceTime.getTime() }))
      .filter(
        (candidate): candidate is { key: string; referenceTime: number } =>
          candidate.referenceTime !== undefined &&
          candidate.referenceTime >= from &&
          candidate.referenceTime <= to,
      )
      .sort((a, b) => b.referenceTime - a.referenceTime);
    // Newest first, one at a time: the newest is almost always valid, so one read is the rule.
    for (const { key, referenceTime } of candidates) {
      const statistics = await response(key);
      if (statistics !== undefined) return { referenceTime, statistics };
    }
    return undefined;
  };
  return { responses, response, latestBetween };
}

/** The evaluation input at `at` from the run's own responses and what the archive held by then. */
export async function readEvaluationInput(
  reader: ArchiveReader,
  settings: EvaluationSettings,
  at: Date,
  own: OwnResponses,
): Promise<EvaluationReading> {
  const { rules, timeZone, lineCapacity } = settings;
  const needs = archivedNeeds(rules, lineCapacity);
  const date = localDate(at, timeZone);
  const weekAgo = new Date(at.getTime() - 7 * DAY_MS);
  // A seasonal baseline also compares with the same windows two to `baselineWeeks` weeks earlier.
  const olderWeeks = Array.from({ length: Math.max(0, needs.baselineWeeks - 1) }, (_, index) => index + 2);
  const [lastWeek, latestOffline, lastWeekWindows, olderWeekWindows] = await Promise.all([
    needs.lastWeekCheck ? daySoFarAt(reader, shiftDate(date, -7), weekAgo, timeZone) : undefined,
    needs.latestOffline ? latestFinishedDay(reader, date, at) : undefined,
    windowsAt(reader, weekAgo, needs.lastWeekWindows, timeZone),
    Promise.all(
      olderWeeks.map((week) =>
        windowsAt(reader, new Date(at.getTime() - week * 7 * DAY_MS), needs.lastWeekWindows, timeZone),
      ),
    ),
  ]);
  return {
    rules,
    statistics: own.statistics,
    windows: own.windows,
    ...(lastWeek === undefined ? {} : { lastWeek }),
    ...(latestOffline === undefined ? {} : { latestOffline }),
    lastWeekWindows,
    ...(olderWeekWindows.length === 0 ? {} : { olderWeekWindows }),
    at,
    timeZone,
    ...(lineCapacity === undefined ? {} : { lineCapacity }),
  };
}

/**
 * The newest valid whole-day response of `date` archived by `at` (its scheduled time at or before),
 * or archived at all when `at` is undefined.
 */
export async function dayArchivedBy(
  reader: ArchiveReader,
  date: string,
  at?: Date,
): Promise<StatisticsResponse | undefined> {
  const days = await reader.responses('day', date);
  const by = at?.getTime() ?? Number.POSITIVE_INFINITY;
  return days.filter((day) => day.referenceTime <= by).at(-1)?.statistics;
}

/**
 * The day so far of `date` at `instant`: the archived check scheduled latest at or before it (within
 * an hour), or else the whole-day response cut at `instant` (an approximation: see deriveDaySoFar).
 */
export async function daySoFarAt(
  reader: ArchiveReader,
  date: string,
  instant: Date,
  timeZone: string,
): Promise<StatisticsResponse | undefined> {
  // Only the checks of the hour before are read: a day holds 96, and this runs at every check.
  const check = await reader.latestBetween('check', date, instant.getTime() - NEAR_MS, instant.getTime());
  if (check !== undefined) return check.statistics;
  const day = await dayArchivedBy(reader, date);
  return day && deriveDaySoFar(day, date, instant, timeZone);
}

/** Yesterday's whole day carries the latest offline row; else the day before's. */
async function latestFinishedDay(
  reader: ArchiveReader,
  date: string,
  at: Date,
): Promise<StatisticsResponse | undefined> {
  for (const days of [1, 2]) {
    const archived = await dayArchivedBy(reader, shiftDate(date, -days), at);
    if (archived) return archived;
  }
  return undefined;
}

/**
 * The rolling windows of `minutes` ending at `instant`: the responses a check archived for that
 * scheduled time, or else, for a 60-minute window ending on a local hour (or at the day's last
 * second), that hour's row of the day's whole-day response. Lengths found neither way are left out.
 */
export async function windowsAt(
  reader: ArchiveReader,
  instant: Date,
  minutes: readonly number[],
  timeZone: string,
  counts?: Record<'archived' | 'derived' | 'missing', number>,
): Promise<Map<number, StatisticsResponse>> {
  // Side by side, one read per length: replay reads every window length of each evaluation (three for
  // the default rules), and a check reads last week's window of every length a weekOverWeek rule
  // compares (one for the default rules); they went one after the other.
  const read = await Promise.all(
    minutes.map(async (length) => {
      const window = rollingWindow(instant, length, timeZone);
      const archived = await reader.response(
        rawKey({ kind: 'window', date: window.date, referenceTime: instant, window }),
      );
      const derived =
        archived ?? (length === 60 ? await hourRowEnding(reader, instant, timeZone) : undefined);
      if (counts) counts[archived ? 'archived' : derived ? 'derived' : 'missing'] += 1;
      return [length, derived] as const;
    }),
  );
  const found = new Map<number, StatisticsResponse>();
  for (const [length, derived] of read) if (derived !== undefined) found.set(length, derived);
  return found;
}

/**
 * The hourly row of the local hour ending at `instant`, as the total of a response: only when
 * `instant` ends a local hour (hh:00:00, or 23:59:59, the end of the day's last hour).
 */
async function hourRowEnding(
  reader: ArchiveReader,
  instant: Date,
  timeZone: string,
): Promise<StatisticsResponse | undefined> {
  const end = toWallClock(instant, timeZone);
  const lastSecond = end.hour === 23 && end.minute === 59 && end.second === 59;
  if (!lastSecond && (end.minute !== 0 || end.second !== 0)) return undefined;
  const within = new Date(instant.getTime() - 1_000);
  const clock = toWallClock(within, timeZone);
  const hour = formatWallClock({ ...clock, minute: 0, second: 0 });
  const day = await dayArchivedBy(reader, localDate(within, timeZone));
  const realtime = day?.data.realtime;
  const row = realtime?.hourly?.data_list.find((candidate) => candidate.time === hour);
  if (day === undefined || realtime == null || row === undefined) return undefined;
  return { ...day, data: { ...day.data, realtime: { ...realtime, total: row } } } as StatisticsResponse;
}
