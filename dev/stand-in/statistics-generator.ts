import { type HourCounts, sliceCounts, sumCounts } from './hour-counts';
import { generateHourCounts } from './hour-model';
import { effectsForHour, type Incident, type ResolvedIncident, resolveIncidents } from './incidents';
import {
  DAY_MS,
  formatDate,
  formatWallClock,
  HOUR_MS,
  type LocalHour,
  localDayBounds,
  localHours,
  localMomentAt,
  parseLocalDateTime,
  wallClockToInstant,
} from './local-clock';
import { buildOfflineSection, type FinishedDay, type OfflineSection } from './offline-section';
import {
  buildDailyRow,
  buildHourlyRow,
  buildRealtimeTotal,
  type DailyRow,
  type HourlyRow,
  type RealtimeTotal,
} from './realtime-rows';

/** What one statistics answer depends on: nothing else, so equal inputs give equal bodies. */
export interface StatisticsQuery {
  readonly seed: number;
  /** IANA zone of the wall-clock times. */
  readonly timeZone: string;
  /** 'YYYY-MM-DD HH:mm:ss' local; the window is [startTime, endTime). */
  readonly startTime: string;
  readonly endTime: string;
  /** Hours starting at or after `now` have no data yet; the hour containing it is partial. */
  readonly now: Date;
  readonly incidents?: readonly Incident[];
  /** Calls in a weekday's busiest hour before noise, default 120. */
  readonly callsPerHourPeak?: number;
  /**
   * Finished hours kept between calls, keyed by start instant. Only valid while seed, zone,
   * incidents and callsPerHourPeak stay the same (one stand-in instance).
   */
  readonly finishedHours?: FinishedHourCache;
}

/** A memory of finished hours' counts that a caller may share between calls. */
export interface FinishedHourCache {
  get(start: number): HourCounts | undefined;
  set(start: number, counts: HourCounts): void;
}

/** The documented success envelope of GET /service/cloud/inbound/dashboard/statistics. */
export interface StatisticsEnvelope {
  readonly code: 200;
  readonly status: 'OK';
  readonly request_params: { readonly start_time: string; readonly end_time: string };
  readonly data: {
    readonly offline: OfflineSection;
    readonly realtime: {
      readonly time_range: { readonly start_time: string; readonly end_time: string };
      readonly total: RealtimeTotal;
      readonly daily: { readonly total_count: number; readonly data_list: readonly DailyRow[] };
      readonly hourly: { readonly total_count: number; readonly data_list: readonly HourlyRow[] };
    };
  };
}

/** A FinishedHourCache that forgets everything once it holds `maxEntries` hours (about 2 years by default). */
export function createFinishedHourCache(maxEntries = 20_000): FinishedHourCache {
  const hours = new Map<number, HourCounts>();
  return {
    get: (start) => hours.get(start),
    set(start, counts) {
      if (hours.size >= maxEntries) hours.clear();
      hours.set(start, counts);
    },
  };
}

/** Thrown when the query times are missing, malformed, reversed or too far apart; the message says which. */
export class InvalidStatisticsQueryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidStatisticsQueryError';
  }
}

export const DEFAULT_CALLS_PER_HOUR_PEAK = 120;
/** The real API documents no maximum; the stand-in refuses absurd windows rather than spin. */
export const MAX_WINDOW_DAYS = 400;

function parseQueryTime(name: string, text: string, timeZone: string): number {
  const clock = parseLocalDateTime(text);
  if (clock === undefined) {
    throw new InvalidStatisticsQueryError(`${name} must be YYYY-MM-DD HH:mm:ss, got "${text}"`);
  }
  return wallClockToInstant(clock, timeZone);
}

/** The local date before `date` ('YYYY-MM-DD'), by calendar arithmetic. */
function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/** Builds each whole hour's counts once per request, keyed by the hour's start instant. */
function createHourSource(query: StatisticsQuery, incidents: readonly ResolvedIncident[]) {
  const cache = new Map<number, HourCounts>();
  const shared = query.finishedHours;
  return ({ start, clock }: LocalHour): HourCounts => {
    let counts = cache.get(start) ?? shared?.get(start);
    if (counts === undefined) {
      counts = generateHourCounts({
        seed: query.seed,
        hourStart: start,
        clock,
        effects: effectsForHour(incidents, start),
        callsPerHourPeak: query.callsPerHourPeak ?? DEFAULT_CALLS_PER_HOUR_PEAK,
      });
      shared?.set(start, counts);
      cache.set(start, counts);
    }
    return counts;
  };
}

/**
 * The counts of an hour inside [from, to): a whole hour as generated, a partial one (the window's
 * first or last hour, or the hour running at `now`) pro-rated to the seconds it covers.
 */
function windowedSource(countsOf: (hour: LocalHour) => HourCounts, from: number, to: number) {
  return (hour: LocalHour): HourCounts => {
    const begin = Math.max(0, (from - hour.start) / HOUR_MS);
    const end = Math.min(1, (to - hour.start) / HOUR_MS);
    return sliceCounts(countsOf(hour), begin, end);
  };
}

/** Hour counts grouped by local date, in order. */
function groupByDate(hours: readonly LocalHour[], countsOf: (hour: LocalHour) => HourCounts) {
  const byDate = new Map<string, HourCounts[]>();
  for (const hour of hours) {
    const date = formatDate(hour.clock);
    const list = byDate.get(date) ?? [];
    list.push(countsOf(hour));
    byDate.set(date, list);
  }
  return byDate;
}

/** The local days from `startDate` to `lastDate` inclusive, each with the counts of all its hours. */
function finishedDays(
  startDate: string,
  lastDate: string,
  timeZone: string,
  countsOf: (hour: LocalHour) => HourCounts,
): FinishedDay[] {
  if (lastDate < startDate) return [];
  const from = localDayBounds(startDate, timeZone).from;
  const to = localDayBounds(lastDate, timeZone).to;
  const hours = localHours(from, to, timeZone);
  return [...groupByDate(hours, countsOf)].map(([date, counts]) => ({ date, counts: sumCounts(counts) }));
}

/**
 * The full statistics envelope for a window. Every local hour's numbers depend only on (seed, the
 * hour, incidents, callsPerHourPeak), so an hour reads the same in any window; day rows and totals
 * are sums of the window's hours. Realtime rows exist only for hours that started before `now` (and
 * days with such an hour); offline rows only for whole days before today. Throws
 * InvalidStatisticsQueryError for unusable times.
 */
export function generateStatisticsBody(query: StatisticsQuery): StatisticsEnvelope {
  const { timeZone } = query;
  const from = parseQueryTime('start_time', query.startTime, timeZone);
  const to = parseQueryTime('end_time', query.endTime, timeZone);
  if (to < from) throw new InvalidStatisticsQueryError('end_time is before start_time');
  if (to - from > MAX_WINDOW_DAYS * DAY_MS) {
    throw new InvalidStatisticsQueryError(`the window is longer than ${MAX_WINDOW_DAYS} days`);
  }
  const now = query.now.getTime();
  const countsOf = createHourSource(query, resolveIncidents(query.incidents ?? [], timeZone));

  // Realtime: the window's hours that have started, pro-rated to the part inside the window.
  const realtimeEnd = Math.min(to, now);
  const hours = localHours(from, realtimeEnd, timeZone);
  const inWindow = windowedSource(countsOf, from, realtimeEnd);
  const hourlyRows = hours.map((hour) => buildHourlyRow(formatWallClock(hour.clock), inWindow(hour)));
  const byDate = groupByDate(hours, inWindow);
  const daySums = [...byDate].map(([date, counts]) => ({ date, counts: sumCounts(counts) }));
  const dailyRows = daySums.map((day) => buildDailyRow(day.date, day.counts));
  const total = sumCounts(daySums.map((day) => day.counts));

  // Offline: whole local days of the window that ended before today.
  const startDate = formatDate(localMomentAt(from, timeZone));
  const endDate = formatDate(localMomentAt(Math.max(from, to - 1), timeZone));
  const yesterday = previousDate(formatDate(localMomentAt(now, timeZone)));
  const lastFinished = [endDate, yesterday].sort()[0] ?? endDate;
  const days = finishedDays(startDate, lastFinished, timeZone, countsOf);

  const window = { start_time: query.startTime, end_time: query.endTime };
  return {
    code: 200,
    status: 'OK',
    request_params: window,
    data: {
      offline: buildOfflineSection(query.seed, startDate, endDate, days),
      realtime: {
        time_range: window,
        total: buildRealtimeTotal(total),
        daily: { total_count: dailyRows.length, data_list: dailyRows },
        hourly: { total_count: hourlyRows.length, data_list: hourlyRows },
      },
    },
  };
}
