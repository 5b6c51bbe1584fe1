import {
  formatDate,
  fromWallClock,
  localDate,
  parseWallClock,
  toWallClock,
  type WallClock,
} from '../local-time';
import type { StatisticsResponse } from '../statistics-schema';
import type { Scope } from './rules-schema';

/**
 * The rows a scope reads from a response. Rows are plain records so that a rule can name any numeric
 * field, including ones AIRUDDER adds later (the schema keeps unknown keys).
 */

type Row = Readonly<Record<string, unknown>>;

export interface ScopeData {
  /** Looked up in order: the first row holding a field wins. */
  readonly rows: readonly Row[];
  /** Calls in scope for `minCalls`; undefined = no gate (the offline row lacks call_users). */
  readonly calls: number | undefined;
  /** For messages: "day so far 00:00–14:30 Asia/Jakarta", "hour 13:00–14:00 Asia/Jakarta"… */
  readonly window: string;
  /** The local start of the hour, for `last-complete-hour` (week-over-week looks it up a week back). */
  readonly hour?: WallClock;
}

export type ScopeResult =
  | { readonly found: true; readonly data: ScopeData }
  | { readonly found: false; readonly reason: string };

export interface ScopeSources {
  readonly statistics: StatisticsResponse;
  /** Another response whose offline rows count too (the check window holds no finished day). */
  readonly latestOffline?: StatisticsResponse;
  readonly at: Date;
  readonly timeZone: string;
}

const HOUR_MS = 3_600_000;
const pad = (value: number) => String(value).padStart(2, '0');
const hhmm = (clock: WallClock) => `${pad(clock.hour)}:${pad(clock.minute)}`;

export function selectScope(scope: Scope, sources: ScopeSources): ScopeResult {
  switch (scope) {
    case 'day-so-far':
      return daySoFar(sources);
    case 'last-complete-hour':
      return lastCompleteHour(sources);
    case 'latest-offline-day':
      return latestOfflineDay(sources);
  }
}

function daySoFar({ statistics, at, timeZone }: ScopeSources): ScopeResult {
  const realtime = statistics.data.realtime;
  const today = localDate(at, timeZone);
  // The day's daily row carries the distributions the total lacks (hangups, satisfaction).
  const daily = realtime?.daily?.data_list.find((row) => row.date === today);
  const rows = [realtime?.total, daily].filter((row): row is NonNullable<typeof row> => row != null);
  if (rows.length === 0) return { found: false, reason: 'the response has no realtime total' };
  const calls = readNumber(rows, 'total_calls');
  const window = `day so far 00:00–${hhmm(toWallClock(at, timeZone))} ${timeZone}`;
  return { found: true, data: { rows, calls, window } };
}

function lastCompleteHour({ statistics, at, timeZone }: ScopeSources): ScopeResult {
  // Wall-clock strings sort as their instants do, so only the newest rows need a (costly) zone
  // conversion: scan from the newest down to the first complete hour.
  const newestFirst = (statistics.data.realtime?.hourly?.data_list ?? [])
    .flatMap((row) => {
      const clock = parseWallClock(row.time);
      return clock === undefined ? [] : [{ row, clock }];
    })
    .sort((a, b) => b.row.time.localeCompare(a.row.time));
  let latest: { row: Row; time: string; clock: WallClock; start: number } | undefined;
  for (const { row, clock } of newestFirst) {
    if (latest !== undefined && row.time < latest.time) break;
    const start = fromWallClock(clock, timeZone).getTime();
    // Rows dated after the run (drift) or for the hour still running are not complete.
    if (start + HOUR_MS > at.getTime()) continue;
    if (latest === undefined || start > latest.start) latest = { row, time: row.time, clock, start };
  }
  if (latest === undefined) return { found: false, reason: 'no hourly row has completed yet' };
  const end = toWallClock(new Date(latest.start + HOUR_MS), timeZone);
  const day = formatDate(latest.clock) === localDate(at, timeZone) ? '' : `${formatDate(latest.clock)} `;
  const window = `hour ${day}${hhmm(latest.clock)}–${hhmm(end)} ${timeZone}`;
  const rows = [latest.row];
  return { found: true, data: { rows, calls: readNumber(rows, 'total_calls'), window, hour: latest.clock } };
}

function latestOfflineDay({ statistics, latestOffline, at, timeZone }: ScopeSources): ScopeResult {
  const today = localDate(at, timeZone);
  const candidates = [statistics, latestOffline]
    .flatMap((response) => response?.data.offline?.daily?.data_list ?? [])
    // Offline rows describe finished days; a row dated in the future is drift.
    .filter((row) => row.date <= today);
  const row = candidates.reduce<(typeof candidates)[number] | undefined>(
    (best, candidate) => (best === undefined || candidate.date > best.date ? candidate : best),
    undefined,
  );
  if (row === undefined) return { found: false, reason: 'no offline daily row is available' };
  const rows = [row];
  return {
    found: true,
    data: {
      rows,
      calls: readNumber(rows, 'user_distribution.call_users'),
      window: `day ${row.date} (offline)`,
    },
  };
}

/** The first finite number at `path` ("a" or "a.b") in `rows`; numeric strings count. */
export function readNumber(rows: readonly Row[], path: string): number | undefined {
  for (const row of rows) {
    const value = readPath(row, path);
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number === 'number' && Number.isFinite(number)) return number;
  }
  return undefined;
}

/** The first object at `path` in `rows` (a distribution). */
export function readObject(rows: readonly Row[], path: string): Row | undefined {
  for (const row of rows) {
    const value = readPath(row, path);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Row;
  }
  return undefined;
}

function readPath(row: Row, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Row)[key];
  }
  return value;
}
