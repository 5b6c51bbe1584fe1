import { formatWallClock, fromWallClock, parseWallClock, toWallClock } from '../shared/local-time';
import type {
  OfflineDailyRow,
  RealtimeDailyRow,
  RealtimeHourlyRow,
  RealtimeTotal,
  StatisticsResponse,
} from './schema';

/**
 * The response a check at `at` would have got for the local day so far, rebuilt from the archived
 * response for the whole day `date`. Pure. It APPROXIMATES what a live check would have seen, for
 * replaying rules where no check response was archived:
 * - hourly rows are those of `date` that started before `at` (a live check sees the running hour
 *   partly; here it is either out or, for the day's last evaluation, whole);
 * - `realtime.total` sums those rows' counts; rates are recomputed from the summed counts where the
 *   counts exist (transfer rates), otherwise averaged weighted by the count they are a share of
 *   (agent reception by successful transfers, durations by calls or answered transfers);
 * - figures that exist only in the day's total (users, satisfaction, first-call resolution, talk
 *   rounds, distributions) cannot be cut at `at` and are left out: rules on them see no data;
 * - the day's daily row is rebuilt from the same sums (its distributions left out); earlier days'
 *   rows are kept;
 * - offline rows are kept for earlier days only: `date`'s own T+1 row did not exist until it ended.
 */
export function deriveDaySoFar(
  day: StatisticsResponse,
  date: string,
  at: Date,
  timeZone: string,
): StatisticsResponse {
  const realtime = day.data.realtime;
  const hourly = (realtime?.hourly?.data_list ?? []).filter((row) => {
    const clock = parseWallClock(row.time);
    return (
      clock !== undefined &&
      row.time.startsWith(date) &&
      fromWallClock(clock, timeZone).getTime() < at.getTime()
    );
  });
  const core = sumCoreMetrics(hourly);
  const earlierDaily = (realtime?.daily?.data_list ?? []).filter((row) => row.date < date);
  const todayRow: RealtimeDailyRow = { date, ...core };
  const daily = hourly.length > 0 ? [...earlierDaily, todayRow] : earlierDaily;
  const total: RealtimeTotal = core;
  const offlineRows: OfflineDailyRow[] = (day.data.offline?.daily?.data_list ?? []).filter(
    (row) => row.date < date,
  );
  const window = { start_time: `${date} 00:00:00`, end_time: formatWallClock(toWallClock(at, timeZone)) };
  return {
    ...day,
    request_params: window,
    data: {
      ...day.data,
      offline: { daily: { total_count: offlineRows.length, data_list: offlineRows } },
      realtime: {
        time_range: window,
        total,
        daily: { total_count: daily.length, data_list: daily },
        hourly: { total_count: hourly.length, data_list: hourly },
      },
    },
  };
}

type Row = Readonly<Record<string, unknown>>;

const numberAt = (row: Row, field: string): number | undefined => {
  const value = row[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

/** The sum of a count over the rows; undefined when any row lacks it (a partial sum would mislead). */
function sum(rows: readonly Row[], field: string): number | undefined {
  let total = 0;
  for (const row of rows) {
    const value = numberAt(row, field);
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}

/** The average of `field` over the rows, each weighted by `weight(row)`; rows lacking either are left out. */
function weighted(rows: readonly Row[], field: string, weight: (row: Row) => number | undefined) {
  let total = 0;
  let weights = 0;
  for (const row of rows) {
    const value = numberAt(row, field);
    const w = weight(row);
    if (value === undefined || w === undefined) continue;
    total += value * w;
    weights += w;
  }
  return weights > 0 ? total / weights : undefined;
}

const ratio = (part: number | undefined, whole: number | undefined) =>
  part === undefined || whole === undefined || whole === 0 ? undefined : part / whole;

/** Only defined fields: an absent figure must stay absent, not become `undefined`-valued noise. */
const defined = <T extends Record<string, number | undefined>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: number;
  };

/** Sums of the call metrics every realtime row carries. */
export function sumCoreMetrics(rows: readonly RealtimeHourlyRow[]) {
  const totalCalls = sum(rows, 'total_calls');
  const validCalls = sum(rows, 'valid_calls');
  const attempted = sum(rows, 'attempted_transfer_calls');
  const succeeded = sum(rows, 'transfer_success_calls');
  const byCalls = (row: Row) => numberAt(row, 'total_calls');
  const bySuccesses = (row: Row) => numberAt(row, 'transfer_success_calls');
  // Answered transfers are not counted per row; successes × reception rate gives them.
  const byAnswered = (row: Row) => {
    const successes = numberAt(row, 'transfer_success_calls');
    const reception = numberAt(row, 'agent_reception_rate');
    return successes === undefined || reception === undefined ? undefined : successes * reception;
  };
  return defined({
    total_calls: totalCalls,
    valid_calls: validCalls,
    attempted_transfer_calls: attempted,
    transfer_success_calls: succeeded,
    attempted_transfer_rate:
      ratio(attempted, validCalls) ??
      weighted(rows, 'attempted_transfer_rate', (row) => numberAt(row, 'valid_calls')),
    transfer_success_rate:
      ratio(succeeded, attempted) ??
      weighted(rows, 'transfer_success_rate', (row) => numberAt(row, 'attempted_transfer_calls')),
    agent_reception_rate: weighted(rows, 'agent_reception_rate', bySuccesses),
    avg_agent_duration: weighted(rows, 'avg_agent_duration', byAnswered),
    avg_robot_duration: weighted(rows, 'avg_robot_duration', byCalls),
    avg_total_duration: weighted(rows, 'avg_total_duration', byCalls),
  });
}
