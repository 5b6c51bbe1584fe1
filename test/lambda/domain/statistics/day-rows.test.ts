import { describe, expect, it } from 'vitest';
import { dayRows, latestOfflineRow, windowIsExactlyDay } from '../../../../lambda/domain/statistics/day-rows';
import {
  type StatisticsResponse,
  StatisticsResponseSchema,
} from '../../../../lambda/domain/statistics/schema';

const DATE = '2025-11-11';

/** A response over `window` with a realtime total, daily rows of `dates` and offline rows of `offline`. */
function response(
  window: readonly [string, string],
  dates: readonly string[],
  offline: readonly string[] = [],
): StatisticsResponse {
  return StatisticsResponseSchema.parse({
    code: 200,
    data: {
      realtime: {
        time_range: { start_time: window[0], end_time: window[1] },
        total: { total_calls: 50 },
        daily: { data_list: dates.map((date, index) => ({ date, total_calls: 10 + index })) },
      },
      offline: {
        daily: { data_list: offline.map((date, index) => ({ date, max_concurrent_call_count: 1 + index })) },
      },
    },
  });
}

describe('dayRows: the rows of one local date', () => {
  it("takes the date's daily rows, and the total when the window is exactly that day", () => {
    const rows = dayRows(response([`${DATE} 00:00:00`, `${DATE} 23:59:59`], [DATE], [DATE]), DATE);

    expect(rows.realtimeDaily?.total_calls).toBe(10);
    expect(rows.realtimeTotal?.total_calls).toBe(50);
    expect(rows.offlineDaily?.max_concurrent_call_count).toBe(1);
  });

  it('leaves the total out when the window covers more than the day, and rows of other dates out', () => {
    const wide = response(['2025-11-10 00:00:00', `${DATE} 23:59:59`], ['2025-11-10', DATE]);

    const rows = dayRows(wide, DATE);

    expect(rows.realtimeDaily?.total_calls).toBe(11);
    expect(rows.realtimeTotal).toBeUndefined();
    expect(rows.offlineDaily).toBeUndefined();
  });

  it.each([
    [`${DATE} 00:00:00`, `${DATE} 23:59:59`, true],
    [`${DATE} 00:00:00`, '2025-11-12 00:00:00', true],
    [`${DATE} 00:00:00`, `${DATE} 14:30:00`, false],
    [`${DATE} 01:00:00`, `${DATE} 23:59:59`, false],
  ])('a window %s to %s is exactly the day: %s', (start, end, exact) => {
    expect(windowIsExactlyDay(response([start, end], [DATE]), DATE)).toBe(exact);
  });
});

describe('latestOfflineRow: the newest finished day', () => {
  it('takes the latest date up to today across responses, ignoring rows dated after today', () => {
    const check = response([`${DATE} 00:00:00`, `${DATE} 10:00:00`], [DATE], ['2025-11-09', '2025-11-12']);
    const lastDay = response(['2025-11-10 00:00:00', '2025-11-10 23:59:59'], [], ['2025-11-10']);

    expect(latestOfflineRow([check, lastDay], DATE)?.date).toBe('2025-11-10');
    expect(latestOfflineRow([check, undefined], DATE)?.date).toBe('2025-11-09');
    expect(latestOfflineRow([undefined], DATE)).toBeUndefined();
  });

  it('keeps the first of two rows of the same date', () => {
    const first = response([`${DATE} 00:00:00`, `${DATE} 10:00:00`], [], ['2025-11-10']);
    const second = response([`${DATE} 00:00:00`, `${DATE} 10:00:00`], [], ['2025-11-10', '2025-11-10']);

    expect(latestOfflineRow([first, second], DATE)).toBe(first.data.offline?.daily?.data_list[0]);
  });
});
