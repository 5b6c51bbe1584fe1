import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../dev/stand-in/incidents';
import type { CoreMetrics } from '../../../dev/stand-in/realtime-rows';
import {
  createFinishedHourCache,
  generateStatisticsBody,
  InvalidStatisticsQueryError,
  type StatisticsQuery,
} from '../../../dev/stand-in/statistics-generator';
import { StatisticsResponseSchema } from '../../../lambda/domain/statistics/schema';

const ZONE = 'America/New_York';
/** Tuesday 2026-03-10 14:20 in New York (EDT). */
const NOW = new Date('2026-03-10T18:20:00Z');
const BASE: StatisticsQuery = {
  seed: 1,
  timeZone: ZONE,
  startTime: '2026-03-02 00:00:00',
  endTime: '2026-03-09 00:00:00',
  now: NOW,
};

const generate = (overrides: Partial<StatisticsQuery> = {}) =>
  generateStatisticsBody({ ...BASE, ...overrides });
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const sumOf = (distribution: Readonly<Record<string, number>>, keys?: readonly string[]) =>
  sum((keys ?? Object.keys(distribution)).map((key) => distribution[key] ?? 0));
const CORE_COUNTS = [
  'total_calls',
  'valid_calls',
  'attempted_transfer_calls',
  'transfer_success_calls',
] as const;

function expectRatesDerivedFromCounts(row: CoreMetrics): void {
  expect(row.valid_calls).toBeLessThanOrEqual(row.total_calls);
  expect(row.attempted_transfer_calls).toBeLessThanOrEqual(row.valid_calls);
  expect(row.transfer_success_calls).toBeLessThanOrEqual(row.attempted_transfer_calls);
  expect(row.attempted_transfer_rate).toBeCloseTo(row.attempted_transfer_calls / row.valid_calls, 4);
  expect(row.transfer_success_rate).toBeCloseTo(row.transfer_success_calls / row.attempted_transfer_calls, 4);
  expect(row.agent_reception_rate).toBeGreaterThanOrEqual(0);
  expect(row.agent_reception_rate).toBeLessThanOrEqual(1);
  expect(row.avg_total_duration).toBeGreaterThanOrEqual(row.avg_robot_duration);
}

describe('generateStatisticsBody: shape and consistency', () => {
  const body = generate();
  const { realtime, offline } = body.data;

  it('parses with the project StatisticsResponseSchema', () => {
    expect(StatisticsResponseSchema.safeParse(body).success).toBe(true);
  });

  it('uses exactly the field names of the documented example', () => {
    expect(Object.keys(body)).toEqual(['code', 'status', 'request_params', 'data']);
    expect(Object.keys(realtime)).toEqual(['time_range', 'total', 'daily', 'hourly']);
    expect(Object.keys(offline)).toEqual(['data_range', 'total', 'daily', 'hourly']);
    expect(Object.keys(realtime.hourly.data_list[0] ?? {})).toEqual([
      'time',
      'total_calls',
      'attempted_transfer_calls',
      'transfer_success_calls',
      'attempted_transfer_rate',
      'transfer_success_rate',
      'agent_reception_rate',
      'avg_agent_duration',
      'avg_robot_duration',
      'avg_total_duration',
      'valid_calls',
    ]);
    expect(Object.keys(realtime.daily.data_list[0]?.satisfied_distribution ?? {})).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      'robot_evaluation_rate',
      'robot_satisfied_rate',
    ]);
  });

  it('echoes the requested window and counts every list', () => {
    expect(body.request_params).toEqual({
      start_time: '2026-03-02 00:00:00',
      end_time: '2026-03-09 00:00:00',
    });
    expect(realtime.time_range).toEqual(body.request_params);
    expect(offline.data_range).toEqual({ start_date: '2026-03-02', end_date: '2026-03-08' });
    // 7 days, one of them the 23-hour spring-forward day.
    expect(realtime.hourly.total_count).toBe(7 * 24 - 1);
    expect(realtime.hourly.data_list).toHaveLength(realtime.hourly.total_count);
    expect(realtime.daily.data_list.map((row) => row.date)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
    expect(offline.hourly).toEqual({ total_count: 0, data_list: [] });
  });

  it.each(CORE_COUNTS)('adds %s of the hours up to each day and the days up to the total', (field) => {
    for (const day of realtime.daily.data_list) {
      const hours = realtime.hourly.data_list.filter((row) => row.time.startsWith(day.date));
      expect(sum(hours.map((row) => row[field]))).toBe(day[field]);
    }
    expect(sum(realtime.daily.data_list.map((row) => row[field]))).toBe(realtime.total[field]);
  });

  it('derives every rate from its counts and keeps counts under their parents', () => {
    for (const row of [...realtime.hourly.data_list.filter((r) => r.attempted_transfer_calls > 0)]) {
      expectRatesDerivedFromCounts(row);
    }
    for (const row of [...realtime.daily.data_list, realtime.total]) expectRatesDerivedFromCounts(row);
  });

  it('makes the distributions of each day add up to their totals', () => {
    for (const day of realtime.daily.data_list) {
      expect(sumOf(day.story_distribution)).toBe(day.valid_calls);
      expect(sumOf(day.intention_distribution)).toBe(day.valid_calls);
      expect(sumOf(day.hangup_type_distribution)).toBe(day.total_calls);
      const rated = sumOf(day.satisfied_distribution, ['1', '2', '3', '4', '5']);
      expect(day.satisfied_distribution.robot_evaluation_rate).toBeCloseTo(rated / day.valid_calls, 4);
      const satisfied = sumOf(day.satisfied_distribution, ['4', '5']);
      expect(day.satisfied_distribution.robot_satisfied_rate).toBeCloseTo(satisfied / rated, 4);
    }
  });

  it('keeps the users, ratings and flows of the total consistent with its calls', () => {
    const { total } = realtime;
    expect(total.new_users + total.old_users).toBe(total.call_users);
    expect(total.call_users).toBeLessThanOrEqual(total.total_calls);
    expect(total.valid_users).toBeLessThanOrEqual(Math.min(total.call_users, total.valid_calls));
    expect(total.duplicate_call_rate).toBeCloseTo(
      (total.total_calls - total.call_users) / total.total_calls,
      4,
    );
    expect(total.avg_robot_score).toBeGreaterThanOrEqual(1);
    expect(total.avg_robot_score).toBeLessThanOrEqual(5);
    for (const rate of [
      total.robot_evaluation_rate,
      total.robot_satisfied_rate,
      total.one_call_problem_solve_rate,
    ]) {
      expect(rate).toBeGreaterThan(0);
      expect(rate).toBeLessThan(1);
    }
    expect(sumOf(total.story_distribution)).toBe(total.valid_calls);
    const storiesOfDays = (key: string) =>
      sum(realtime.daily.data_list.map((day) => day.story_distribution[key] ?? 0));
    for (const key of Object.keys(total.story_distribution)) {
      expect(total.story_distribution[key]).toBe(storiesOfDays(key));
    }
  });

  it('rounds rates to 4 decimals and sends counts as integers', () => {
    for (const row of realtime.hourly.data_list) {
      expect(Number.isInteger(row.total_calls)).toBe(true);
      expect(Number.isInteger(row.avg_agent_duration)).toBe(true);
      expect(Math.round(row.transfer_success_rate * 10_000) / 10_000).toBe(row.transfer_success_rate);
    }
  });

  it('matches each offline day with the realtime day it summarises', () => {
    for (const row of offline.daily.data_list) {
      const realtimeDay = realtime.daily.data_list.find((day) => day.date === row.date);
      expect(sumOf(row.transfer_reason_distribution)).toBe(realtimeDay?.attempted_transfer_calls);
      const users = row.user_distribution;
      expect(users.new_users + users.old_users).toBe(users.call_users);
      expect(row.fake_receipts_distribution.daily_deduplicated_fake_receipts_count).toBeLessThanOrEqual(
        row.fake_receipts_distribution.fake_receipts_count,
      );
      expect(row.max_concurrent_call_count).toBeGreaterThan(0);
    }
    const tickets = sum(offline.daily.data_list.map((row) => sumOf(row.ticket_distribution)));
    expect(offline.total.ticket_count).toBe(tickets);
    expect(offline.total.deduplicated_fake_receipts_count).toBeLessThanOrEqual(
      offline.total.daily_deduplicated_fake_receipts_count,
    );
  });

  it('is quiet at night, busy late morning and quieter on the weekend', () => {
    const callsAt = (time: string) =>
      realtime.hourly.data_list.find((row) => row.time === time)?.total_calls ?? -1;
    expect(callsAt('2026-03-03 03:00:00')).toBeLessThan(callsAt('2026-03-03 10:00:00') / 5);
    const weekday = realtime.daily.data_list.find((row) => row.date === '2026-03-04')?.total_calls ?? 0;
    const sunday = realtime.daily.data_list.find((row) => row.date === '2026-03-08')?.total_calls ?? 0;
    expect(sunday).toBeLessThan(weekday * 0.7);
  });
});

describe('generateStatisticsBody: determinism', () => {
  it('gives byte-identical bodies for the same seed and window', () => {
    expect(JSON.stringify(generate())).toBe(JSON.stringify(generate()));
  });

  it('gives different numbers for a different seed', () => {
    expect(JSON.stringify(generate({ seed: 2 }).data)).not.toBe(JSON.stringify(generate().data));
  });

  it('answers the same bytes with a shared finished-hour cache, never caching the partial hour', () => {
    const finishedHours = createFinishedHourCache();
    const today = { startTime: '2026-03-10 00:00:00', endTime: '2026-03-10 23:59:59' };
    const later = new Date('2026-03-10T19:30:00Z');
    const first = generate({ ...today, finishedHours });
    const second = generate({ ...today, finishedHours, now: later });
    expect(JSON.stringify(first)).toBe(JSON.stringify(generate(today)));
    expect(JSON.stringify(second)).toBe(JSON.stringify(generate({ ...today, now: later })));
  });

  it('gives an hour the same row whatever window it is queried in', () => {
    const inWeek = generate().data.realtime.hourly.data_list.find(
      (row) => row.time === '2026-03-04 10:00:00',
    );
    const alone = generate({ startTime: '2026-03-04 10:00:00', endTime: '2026-03-04 11:00:00' });
    expect(alone.data.realtime.hourly.data_list).toEqual([inWeek]);
  });
});

describe('generateStatisticsBody: time', () => {
  it('lists 23 hours on the spring-forward day and 25 on the fall-back day in New York', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const spring = generate({ startTime: '2026-03-08 00:00:00', endTime: '2026-03-09 00:00:00', now });
    const fall = generate({ startTime: '2026-11-01 00:00:00', endTime: '2026-11-02 00:00:00', now });
    const springTimes = spring.data.realtime.hourly.data_list.map((row) => row.time);
    const fallTimes = fall.data.realtime.hourly.data_list.map((row) => row.time);
    expect(springTimes).toHaveLength(23);
    expect(springTimes).not.toContain('2026-03-08 02:00:00');
    expect(fallTimes).toHaveLength(25);
    expect(fallTimes.filter((time) => time === '2026-11-01 01:00:00')).toHaveLength(2);
    expect(spring.data.realtime.daily.total_count).toBe(1);
    expect(fall.data.realtime.daily.total_count).toBe(1);
  });

  it('has no realtime rows for hours that start after now and a partial current hour', () => {
    const today = generate({ startTime: '2026-03-10 00:00:00', endTime: '2026-03-10 23:59:59' });
    const later = generate({
      startTime: '2026-03-10 00:00:00',
      endTime: '2026-03-10 23:59:59',
      now: new Date('2026-03-10T20:00:00Z'),
    });
    const times = today.data.realtime.hourly.data_list.map((row) => row.time);
    expect(times.at(-1)).toBe('2026-03-10 14:00:00');
    expect(times).toHaveLength(15);
    const partial = today.data.realtime.hourly.data_list.at(-1)?.total_calls ?? 0;
    const full = later.data.realtime.hourly.data_list.find(
      (row) => row.time === '2026-03-10 14:00:00',
    )?.total_calls;
    // 20 of 60 minutes have passed.
    expect(Math.abs(partial - (full ?? 0) / 3)).toBeLessThanOrEqual(1);
  });

  it('answers a window entirely in the future with empty lists and zero totals', () => {
    const body = generate({ startTime: '2026-03-11 00:00:00', endTime: '2026-03-12 00:00:00' });
    expect(body.data.realtime.hourly).toEqual({ total_count: 0, data_list: [] });
    expect(body.data.realtime.daily).toEqual({ total_count: 0, data_list: [] });
    expect(body.data.realtime.total.total_calls).toBe(0);
    expect(body.data.realtime.total.transfer_success_rate).toBe(0);
  });

  it('has offline rows only for days that ended before today', () => {
    const body = generate({ startTime: '2026-03-08 00:00:00', endTime: '2026-03-10 23:59:59' });
    expect(body.data.offline.daily.data_list.map((row) => row.date)).toEqual(['2026-03-08', '2026-03-09']);
    const today = generate({ startTime: '2026-03-10 00:00:00', endTime: '2026-03-10 23:59:59' });
    expect(today.data.offline.daily).toEqual({ total_count: 0, data_list: [] });
    expect(today.data.offline.total.ticket_count).toBe(0);
    expect(today.data.offline.total.transfer_reason_distribution).toEqual({
      entrance: 0,
      query_status: 0,
      urge_delivery: 0,
      ask_for_other_help: 0,
      change_info: 0,
    });
  });

  it('gives an offline row the whole day even when the window covers one hour of it', () => {
    const wholeDay = generate({ startTime: '2026-03-09 00:00:00', endTime: '2026-03-10 00:00:00' });
    const oneHour = generate({ startTime: '2026-03-09 12:00:00', endTime: '2026-03-09 13:00:00' });
    expect(oneHour.data.offline.daily.data_list).toEqual(wholeDay.data.offline.daily.data_list);
  });

  it.each([
    ['a malformed start', { startTime: '2026-03-01T00:00:00' }],
    ['an impossible date', { endTime: '2026-02-30 00:00:00' }],
    ['an end before the start', { startTime: '2026-03-09 00:00:00', endTime: '2026-03-08 00:00:00' }],
    ['a window over 400 days', { startTime: '2024-01-01 00:00:00' }],
  ])('rejects %s with InvalidStatisticsQueryError', (_name, overrides) => {
    expect(() => generate(overrides)).toThrow(InvalidStatisticsQueryError);
  });
});

describe('generateStatisticsBody: incidents', () => {
  const window = { startTime: '2026-03-04 00:00:00', endTime: '2026-03-05 00:00:00' };
  const incident = (effect: Incident['effect']): Incident => ({
    start: '2026-03-04 10:00:00',
    end: '2026-03-04 12:00:00',
    effect,
  });
  const rowsOf = (incidents: Incident[]) => generate({ ...window, incidents }).data.realtime.hourly.data_list;
  const isAffected = (time: string) => time === '2026-03-04 10:00:00' || time === '2026-03-04 11:00:00';
  const calm = rowsOf([]);

  it.each([
    ['transfer-failure', 'transfer_success_rate', 0.6],
    ['agent-no-answer', 'agent_reception_rate', 0.5],
  ] as const)('%s pushes %s of the affected hours below %s', (effect, metric, limit) => {
    const rows = rowsOf([incident(effect)]);
    for (const row of rows.filter((r) => isAffected(r.time))) expect(row[metric]).toBeLessThan(limit);
    for (const row of calm.filter((r) => isAffected(r.time))) expect(row[metric]).toBeGreaterThan(0.75);
  });

  it.each([
    ['volume-spike', 2.5, 3.5],
    ['volume-drop', 0.1, 0.3],
  ] as const)('%s multiplies the calls of the affected hours by about its factor', (effect, low, high) => {
    const rows = rowsOf([incident(effect)]);
    for (const row of rows.filter((r) => isAffected(r.time))) {
      const before = calm.find((r) => r.time === row.time)?.total_calls ?? 0;
      expect(row.total_calls / before).toBeGreaterThan(low);
      expect(row.total_calls / before).toBeLessThan(high);
    }
  });

  it.each([
    'transfer-failure',
    'agent-no-answer',
    'unhappy-callers',
    'volume-spike',
    'volume-drop',
    'capacity',
  ] as const)('%s leaves every hour outside the incident unchanged', (effect) => {
    const rows = rowsOf([incident(effect)]);
    expect(rows.filter((r) => !isAffected(r.time))).toEqual(calm.filter((r) => !isAffected(r.time)));
  });

  it('unhappy-callers lowers the satisfaction of the affected hours', () => {
    const hour = { startTime: '2026-03-04 10:00:00', endTime: '2026-03-04 12:00:00' };
    const unhappy = generate({ ...hour, incidents: [incident('unhappy-callers')] }).data.realtime.total;
    const normal = generate(hour).data.realtime.total;
    expect(unhappy.robot_satisfied_rate).toBeLessThan(0.4);
    expect(normal.robot_satisfied_rate).toBeGreaterThan(0.65);
    expect(unhappy.avg_robot_score).toBeLessThan(normal.avg_robot_score - 1);
  });

  it('capacity raises the max concurrent calls of the day', () => {
    const peak = (incidents: Incident[]) =>
      generate({ ...window, incidents }).data.offline.daily.data_list[0]?.max_concurrent_call_count ?? 0;
    expect(peak([incident('capacity')])).toBeGreaterThan(2 * peak([]));
  });
});

describe('generateStatisticsBody: windows to the second', () => {
  const now = new Date('2026-03-12T00:00:00Z');
  const totalOf = (startTime: string, endTime: string) =>
    generate({ startTime, endTime, now }).data.realtime.total;
  const ADDITIVE = [
    'total_calls',
    'valid_calls',
    'attempted_transfer_calls',
    'transfer_success_calls',
  ] as const;

  it.each([
    ['2026-03-10 07:15:00', '2026-03-10 07:40:00', '2026-03-10 08:15:00'],
    ['2026-03-10 09:59:30', '2026-03-10 10:00:00', '2026-03-10 10:59:59'],
    ['2026-03-10 10:05:00', '2026-03-10 10:20:00', '2026-03-10 10:35:00'],
  ])('gives [%s, %s) and [%s, end) totals that add up to the whole window', (start, middle, end) => {
    const whole = totalOf(start, end);
    const first = totalOf(start, middle);
    const second = totalOf(middle, end);
    for (const field of ADDITIVE) expect(first[field] + second[field]).toBe(whole[field]);
    expect(whole.total_calls).toBeGreaterThan(first.total_calls);
  });

  it('pro-rates a partial hour: a quarter hour holds about a quarter of the hour', () => {
    const hour = totalOf('2026-03-10 10:00:00', '2026-03-10 11:00:00');
    const quarter = totalOf('2026-03-10 10:15:00', '2026-03-10 10:30:00');
    expect(Math.abs(quarter.total_calls - hour.total_calls / 4)).toBeLessThanOrEqual(1);
    expect(sumOf(quarter.story_distribution)).toBe(quarter.valid_calls);
  });
});
