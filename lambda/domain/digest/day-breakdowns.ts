import type { Distribution, StatisticsResponse } from '../statistics-schema';
import { dayRows, distributionOf, numberOrUndefined } from './day-rows';

/** Callers reporting a parcel marked delivered but never received. */
export interface FakeReceipts {
  readonly reports: number | undefined;
  /** Reports after removing the same caller's repeats within the day. */
  readonly deduplicated: number | undefined;
}

/** The day's distributions; undefined where the response does not give one. */
export interface DayBreakdowns {
  readonly stories: Distribution | undefined;
  readonly intentions: Distribution | undefined;
  readonly hangups: Distribution | undefined;
  /** Ratings "1".."5" only; the rates AIRUDDER mixes into the same object are left out. */
  readonly satisfactionScores: Distribution | undefined;
  readonly transferReasons: Distribution | undefined;
  readonly tickets: Distribution | undefined;
  readonly fakeReceipts: FakeReceipts | undefined;
  /** The offline (T+1) row for the day was there; without it the last three are "not in yet". */
  readonly offlineIn: boolean;
}

export const SCORE_KEYS = ['5', '4', '3', '2', '1'] as const;

/**
 * The breakdowns of `date`: stories and intentions from the realtime daily row (or the total when the
 * window is exactly the day), hangups and ratings from the daily row, and transfer reasons, tickets
 * and fake receipts only from the offline row of the date: `offline.total` is zero until the batch
 * has run, and a zero must not pass for a figure.
 */
export function digestBreakdowns(response: StatisticsResponse, date: string): DayBreakdowns {
  const rows = dayRows(response, date);
  const daily = rows.realtimeDaily;
  const offline = rows.offlineDaily;
  const scores = distributionOf(daily?.satisfied_distribution);
  const fake = distributionOf(offline?.fake_receipts_distribution);
  return {
    stories:
      distributionOf(daily?.story_distribution) ?? distributionOf(rows.realtimeTotal?.story_distribution),
    intentions:
      distributionOf(daily?.intention_distribution) ??
      distributionOf(rows.realtimeTotal?.intention_distribution),
    hangups: distributionOf(daily?.hangup_type_distribution),
    satisfactionScores:
      scores === undefined ? undefined : Object.fromEntries(SCORE_KEYS.map((key) => [key, scores[key]])),
    transferReasons: distributionOf(offline?.transfer_reason_distribution),
    tickets: distributionOf(offline?.ticket_distribution),
    fakeReceipts:
      fake === undefined
        ? undefined
        : {
            reports: numberOrUndefined(fake.fake_receipts_count),
            deduplicated: numberOrUndefined(fake.daily_deduplicated_fake_receipts_count),
          },
    offlineIn: offline !== undefined,
  };
}
