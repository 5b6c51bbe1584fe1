import { shiftDate } from './query-window';
import type { OfflineDailyRow, RealtimeDailyRow, RealtimeTotal, StatisticsResponse } from './schema';

/**
 * The day's rows: which parts of a statistics response describe one local date. The digest's
 * figures, the curated tables and the alert rules' day-so-far scope all read a day through these.
 */

/**
 * The parts of a response that describe one local date. A response may cover more than the day
 * (rows of other dates, a wider window), so every figure is taken from rows of the date or from a
 * total only when the window is exactly that day.
 */
export interface DayRows {
  readonly date: string;
  readonly realtimeDaily: RealtimeDailyRow | undefined;
  /** `realtime.total`, only when the window is exactly the day (otherwise it mixes other days in). */
  readonly realtimeTotal: RealtimeTotal | undefined;
  /** The T+1 row; absent until AIRUDDER's batch has run for the date. */
  readonly offlineDaily: OfflineDailyRow | undefined;
}

/** The rows of `date` in `response`. */
export function dayRows(response: StatisticsResponse, date: string): DayRows {
  const realtime = response.data.realtime ?? undefined;
  const dailyRows = realtime?.daily?.data_list ?? [];
  const total = realtime?.total ?? undefined;
  return {
    date,
    realtimeDaily: dailyRows.find((row) => row.date === date),
    realtimeTotal: total !== undefined && windowIsExactlyDay(response, date) ? total : undefined,
    offlineDaily: (response.data.offline?.daily?.data_list ?? []).find((row) => row.date === date),
  };
}

/**
 * True when the realtime window is the whole local day: 00:00:00 to 23:59:59 (how we ask) or to the
 * next midnight, and no daily row of another date contradicts it.
 */
export function windowIsExactlyDay(response: StatisticsResponse, date: string): boolean {
  const realtime = response.data.realtime;
  const window = realtime?.time_range ?? response.request_params ?? undefined;
  const start = window?.start_time;
  const end = window?.end_time;
  const endsTheDay = end === `${date} 23:59:59` || end === `${shiftDate(date, 1)} 00:00:00`;
  const otherDates = (realtime?.daily?.data_list ?? []).some((row) => row.date !== date);
  return start === `${date} 00:00:00` && endsTheDay && !otherDates;
}

/**
 * The offline (T+1) daily row of the latest finished day in `responses`, up to `today`: offline rows
 * describe finished days, so a row dated after `today` is drift. The first of equal dates wins.
 */
export function latestOfflineRow(
  responses: ReadonlyArray<StatisticsResponse | undefined>,
  today: string,
): OfflineDailyRow | undefined {
  let latest: OfflineDailyRow | undefined;
  for (const row of responses.flatMap((response) => response?.data.offline?.daily?.data_list ?? [])) {
    if (row.date <= today && (latest === undefined || row.date > latest.date)) latest = row;
  }
  return latest;
}
