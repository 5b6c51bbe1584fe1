import { type Distribution, type HourCounts, sumCounts } from './hour-counts';
import { ratio } from './realtime-rows';
import { between, createRandom, stringKey } from './seeded-random';

/*
 * `data.offline`: AIRUDDER's T+1 batch figures, one row per whole local day. A day's row covers all
 * its hours whatever part of it the window covers, and exists only once the day has ended.
 *   one_call_problem_solve_rate            = solved valid calls / valid calls of the day
 *   transfer_reason_distribution           adds up to the day's attempted transfers
 *   daily_deduplicated_fake_receipts_count = fake receipts minus same-day repeats (≤ fake_receipts_count)
 *   total.deduplicated_fake_receipts_count = the daily deduplicated sum minus repeats across days
 */

export interface OfflineDailyRow {
  readonly date: string;
  readonly max_concurrent_call_count: number;
  readonly transfer_reason_distribution: Distribution;
  readonly one_call_problem_solve_rate: number;
  readonly user_distribution: {
    readonly call_users: number;
    readonly new_users: number;
    readonly old_users: number;
    readonly valid_users: number;
  };
  readonly fake_receipts_distribution: {
    readonly fake_receipts_count: number;
    readonly daily_deduplicated_fake_receipts_count: number;
  };
  readonly ticket_distribution: Distribution;
}

export interface OfflineSection {
  readonly data_range: { readonly start_date: string; readonly end_date: string };
  readonly total: {
    readonly transfer_reason_distribution: Distribution;
    readonly fake_receipts_count: number;
    readonly daily_deduplicated_fake_receipts_count: number;
    readonly deduplicated_fake_receipts_count: number;
    readonly ticket_count: number;
  };
  readonly daily: { readonly total_count: number; readonly data_list: readonly OfflineDailyRow[] };
  readonly hourly: { readonly total_count: number; readonly data_list: readonly never[] };
}

/** One finished local day and the counts of all its hours. */
export interface FinishedDay {
  readonly date: string;
  readonly counts: HourCounts;
}

const DAY_SALT = 0x0ff1_1e5d;

const sumValues = (distribution: Distribution): number =>
  Object.values(distribution).reduce((sum, value) => sum + value, 0);

function dayRandom(seed: number, date: string) {
  return createRandom(seed, stringKey(date), DAY_SALT);
}

function buildOfflineRow(seed: number, day: FinishedDay): OfflineDailyRow {
  const { counts } = day;
  const dailyDeduplicated = Math.round(counts.fakeReceipts * between(dayRandom(seed, day.date), 0.85, 0.98));
  return {
    date: day.date,
    max_concurrent_call_count: counts.peakConcurrent,
    transfer_reason_distribution: counts.transferReasons,
    one_call_problem_solve_rate: ratio(counts.solvedCalls, counts.validCalls),
    user_distribution: {
      call_users: counts.callUsers,
      new_users: counts.newUsers,
      old_users: counts.callUsers - counts.newUsers,
      valid_users: counts.validUsers,
    },
    fake_receipts_distribution: {
      fake_receipts_count: counts.fakeReceipts,
      daily_deduplicated_fake_receipts_count: dailyDeduplicated,
    },
    ticket_distribution: counts.tickets,
  };
}

/** Callers reporting a fake receipt again on a later day of the range; the first day has none. */
function repeatsAcrossDays(seed: number, rows: readonly OfflineDailyRow[]): number {
  return rows.slice(1).reduce((sum, row) => {
    const random = dayRandom(seed, row.date);
    random(); // the first draw belongs to the day's own deduplication
    return (
      sum +
      Math.floor(
        row.fake_receipts_distribution.daily_deduplicated_fake_receipts_count * between(random, 0.02, 0.08),
      )
    );
  }, 0);
}

/** `data.offline` for the local dates [startDate, endDate]; `days` are those of them that have ended. */
export function buildOfflineSection(
  seed: number,
  startDate: string,
  endDate: string,
  days: readonly FinishedDay[],
): OfflineSection {
  const rows = days.map((day) => buildOfflineRow(seed, day));
  const all = sumCounts(days.map((day) => day.counts));
  const dailyDeduplicated = rows.reduce(
    (sum, row) => sum + row.fake_receipts_distribution.daily_deduplicated_fake_receipts_count,
    0,
  );
  return {
    data_range: { start_date: startDate, end_date: endDate },
    total: {
      transfer_reason_distribution: all.transferReasons,
      fake_receipts_count: all.fakeReceipts,
      daily_deduplicated_fake_receipts_count: dailyDeduplicated,
      deduplicated_fake_receipts_count: dailyDeduplicated - repeatsAcrossDays(seed, rows),
      ticket_count: sumValues(all.tickets),
    },
    daily: { total_count: rows.length, data_list: rows },
    hourly: { total_count: 0, data_list: [] },
  };
}
