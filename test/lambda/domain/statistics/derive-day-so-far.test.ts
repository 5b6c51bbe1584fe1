import { describe, expect, it } from 'vitest';
import { generateStatisticsBody } from '../../../../dev/stand-in/airudder-stand-in';
import { deriveDaySoFar, sumCoreMetrics } from '../../../../lambda/domain/statistics/derive-day-so-far';
import { parseStatistics, type StatisticsResponse } from '../../../../lambda/domain/statistics/schema';
import { TEST_ZONE } from '../../../helpers/airudder';

const DATE = '2025-10-14';

/** A whole-day response as the stand-in serves it once the day is over (its T+1 row included). */
function wholeDay(): StatisticsResponse {
  const body = generateStatisticsBody({
    seed: 1,
    timeZone: TEST_ZONE,
    startTime: `${DATE} 00:00:00`,
    endTime: `${DATE} 23:59:59`,
    now: new Date('2025-11-12T12:00:00Z'),
  });
  const parsed = parseStatistics(Buffer.from(JSON.stringify(body)));
  if (parsed.verdict !== 'valid') throw parsed.error;
  return parsed.value;
}

/** 15:00 in Jakarta (UTC+7). */
const AT_15 = new Date('2025-10-14T08:00:00Z');

describe('deriveDaySoFar', () => {
  it('keeps the hourly rows that started before the instant, and sums their counts into the total', () => {
    // Prepare
    const day = wholeDay();
    const hourly = day.data.realtime?.hourly?.data_list ?? [];
    const morning = hourly.slice(0, 15);
    const sumOf = (field: 'total_calls' | 'transfer_success_calls' | 'attempted_transfer_calls') =>
      morning.reduce((sum, row) => sum + (row[field] ?? 0), 0);
    // Act
    const derived = deriveDaySoFar(day, DATE, AT_15, TEST_ZONE);
    // Assess
    const realtime = derived.data.realtime;
    expect(realtime?.hourly?.data_list.map((row) => row.time)).toEqual(morning.map((row) => row.time));
    expect(realtime?.total?.total_calls).toBe(sumOf('total_calls'));
    expect(realtime?.total?.transfer_success_rate).toBeCloseTo(
      sumOf('transfer_success_calls') / sumOf('attempted_transfer_calls'),
      10,
    );
    expect(realtime?.time_range).toEqual({ start_time: `${DATE} 00:00:00`, end_time: `${DATE} 15:00:00` });
  });

  it("rebuilds the day's daily row from the same hours, so it never shows the rest of the day", () => {
    const derived = deriveDaySoFar(wholeDay(), DATE, AT_15, TEST_ZONE);
    const [row] = derived.data.realtime?.daily?.data_list ?? [];
    expect(row?.date).toBe(DATE);
    expect(row?.total_calls).toBe(derived.data.realtime?.total?.total_calls);
    expect(row?.story_distribution).toBeUndefined();
  });

  it("drops the day's own offline (T+1) row, which did not exist until the day was over", () => {
    const day = wholeDay();
    expect(day.data.offline?.daily?.data_list.map((row) => row.date)).toEqual([DATE]);
    const derived = deriveDaySoFar(day, DATE, AT_15, TEST_ZONE);
    expect(derived.data.offline?.daily?.data_list).toEqual([]);
  });

  it('leaves out what only the whole-day total holds, rather than leak the rest of the day', () => {
    const total = deriveDaySoFar(wholeDay(), DATE, AT_15, TEST_ZONE).data.realtime?.total;
    for (const field of [
      'robot_satisfied_rate',
      'one_call_problem_solve_rate',
      'call_users',
      'story_distribution',
    ]) {
      expect(total).not.toHaveProperty(field);
    }
  });

  it("at the day's last second matches the whole day's own total", () => {
    const day = wholeDay();
    const derived = deriveDaySoFar(day, DATE, new Date('2025-10-14T16:59:59Z'), TEST_ZONE);
    const whole = day.data.realtime?.total;
    const total = derived.data.realtime?.total;
    expect(derived.data.realtime?.hourly?.data_list).toHaveLength(24);
    for (const field of [
      'total_calls',
      'valid_calls',
      'attempted_transfer_calls',
      'transfer_success_calls',
    ] as const) {
      expect(total?.[field]).toBe(whole?.[field]);
    }
    // The API rounds rates to 4 decimals; weighted averages of rounded hourly rates land close.
    for (const field of [
      'transfer_success_rate',
      'attempted_transfer_rate',
      'agent_reception_rate',
    ] as const) {
      expect(total?.[field]).toBeCloseTo(whole?.[field] ?? Number.NaN, 2);
    }
  });

  it('ignores rows of another date and keeps earlier dates only for daily rows', () => {
    const day = wholeDay();
    const realtime = day.data.realtime;
    const drifted: StatisticsResponse = {
      ...day,
      data: {
        ...day.data,
        realtime: {
          ...realtime,
          hourly: {
            total_count: 2,
            data_list: [
              { time: '2025-10-13 23:00:00', total_calls: 500 },
              { time: '2025-10-14 01:00:00', total_calls: 7 },
            ],
          },
          daily: {
            total_count: 2,
            data_list: [
              { date: '2025-10-13', total_calls: 900 },
              { date: '2025-10-15', total_calls: 1 },
            ],
          },
        },
      },
    };
    const derived = deriveDaySoFar(drifted, DATE, AT_15, TEST_ZONE);
    expect(derived.data.realtime?.total?.total_calls).toBe(7);
    expect(derived.data.realtime?.daily?.data_list.map((row) => row.date)).toEqual(['2025-10-13', DATE]);
  });
});

describe('sumCoreMetrics', () => {
  it.each([
    {
      name: 'recomputes a rate from summed counts',
      rows: [
        { time: 'a', attempted_transfer_calls: 10, transfer_success_calls: 9, transfer_success_rate: 0.9 },
        { time: 'b', attempted_transfer_calls: 30, transfer_success_calls: 15, transfer_success_rate: 0.5 },
      ],
      field: 'transfer_success_rate',
      expected: 24 / 40,
    },
    {
      name: 'weights a rate without counts by the count it is a share of',
      rows: [
        { time: 'a', transfer_success_calls: 10, agent_reception_rate: 1 },
        { time: 'b', transfer_success_calls: 30, agent_reception_rate: 0.5 },
      ],
      field: 'agent_reception_rate',
      expected: (10 * 1 + 30 * 0.5) / 40,
    },
    {
      name: 'weights a duration by calls',
      rows: [
        { time: 'a', total_calls: 1, avg_robot_duration: 100 },
        { time: 'b', total_calls: 3, avg_robot_duration: 20 },
      ],
      field: 'avg_robot_duration',
      expected: (100 + 60) / 4,
    },
    {
      name: 'falls back to weighting when one row lacks a count',
      rows: [
        { time: 'a', attempted_transfer_calls: 10, transfer_success_calls: null, transfer_success_rate: 0.9 },
        { time: 'b', attempted_transfer_calls: 30, transfer_success_calls: 15, transfer_success_rate: 0.5 },
      ],
      field: 'transfer_success_rate',
      expected: (10 * 0.9 + 30 * 0.5) / 40,
    },
  ])('$name', ({ rows, field, expected }) => {
    expect(sumCoreMetrics(rows)[field as 'transfer_success_rate']).toBeCloseTo(expected, 10);
  });

  it('leaves a count out when any row lacks it, rather than report a partial sum', () => {
    const sums = sumCoreMetrics([
      { time: 'a', total_calls: 5 },
      { time: 'b', total_calls: null },
    ]);
    expect(sums).not.toHaveProperty('total_calls');
  });
});
