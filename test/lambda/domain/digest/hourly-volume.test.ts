import { describe, expect, it } from 'vitest';
import { hourlyText } from '../../../../lambda/domain/digest/build-digest';
import { hourlyVolume, peakHour } from '../../../../lambda/domain/digest/day-data';
import { DAY, loadResponse, TIME_ZONE } from './digest-test-kit';

const BERLIN = 'Europe/Berlin';
const hoursOf = (slots: ReturnType<typeof hourlyVolume>) => slots.map((slot) => slot.hour);
const textOf = (text: string) => text;

describe('hourlyVolume', () => {
  it('gives the 24 local hours of an ordinary day with their calls', () => {
    // Act
    const slots = hourlyVolume(loadResponse(`day-${DAY}`), DAY, TIME_ZONE);
    // Assess
    expect(hoursOf(slots)).toEqual(Array.from({ length: 24 }, (_, hour) => hour));
    expect(slots.every((slot) => typeof slot.calls === 'number')).toBe(true);
    expect(peakHour(slots)).toMatchObject({ hour: 15, calls: 111 });
  });

  it('gives 23 hours, without 02:00, on the day clocks go forward', () => {
    const slots = hourlyVolume(loadResponse('dst-spring-forward-2025-03-30'), '2025-03-30', BERLIN);
    expect(slots).toHaveLength(23);
    expect(hoursOf(slots)).not.toContain(2);
    expect(slots.every((slot) => slot.calls !== undefined)).toBe(true);
  });

  it('gives 25 hours, 02:00 twice with each of its rows, on the day clocks go back', () => {
    // Prepare: tell the two 02:00 rows apart.
    const response = loadResponse('dst-fall-back-2025-10-26');
    const rows = (response.data.realtime?.hourly?.data_list ?? []).filter((row) =>
      row.time.endsWith(' 02:00:00'),
    );
    rows.forEach((row, index) => {
      row.total_calls = 100 + index;
    });
    // Act
    const slots = hourlyVolume(response, '2025-10-26', BERLIN);
    // Assess
    expect(slots).toHaveLength(25);
    expect(slots.filter((slot) => slot.hour === 2).map((slot) => slot.calls)).toEqual([100, 101]);
  });

  it('leaves a gap where a row is missing instead of shifting the rest of the day', () => {
    // Prepare
    const response = loadResponse(`day-${DAY}`);
    const hourly = response.data.realtime?.hourly;
    if (!hourly) throw new Error('fixture has no hourly rows');
    hourly.data_list = hourly.data_list.filter((row) => row.time !== `${DAY} 03:00:00`);
    // Act
    const slots = hourlyVolume(response, DAY, TIME_ZONE);
    // Assess
    expect(slots).toHaveLength(24);
    expect(slots[3]).toEqual({ time: `${DAY} 03:00:00`, hour: 3, calls: undefined });
    expect(slots[4]?.calls).toBeTypeOf('number');
  });

  it('ignores rows dated outside the day', () => {
    const response = loadResponse(`day-${DAY}`);
    response.data.realtime?.hourly?.data_list.push({ time: '2025-11-12 00:00:00', total_calls: 9999 });
    const slots = hourlyVolume(response, DAY, TIME_ZONE);
    expect(slots.some((slot) => slot.calls === 9999)).toBe(false);
  });
});

describe('hourlyText', () => {
  it('shows the sparkline, an hour axis and the peak hour', () => {
    const text = textOf(hourlyText(hourlyVolume(loadResponse(`day-${DAY}`), DAY, TIME_ZONE)));
    expect(text).toContain('peak 15:00 (111 calls)');
    expect(text).toContain('```▁▁▁▁▁▁▂▃▅▇█▇▅▆██▆▄▂▂▁▁▁▁\n00    06    12    18```');
  });

  it('says when the day had 25 hours, and labels the repeated hour once', () => {
    const text = textOf(
      hourlyText(hourlyVolume(loadResponse('dst-fall-back-2025-10-26'), '2025-10-26', BERLIN)),
    );
    expect(text).toContain('25-hour day (clocks went back)');
    expect(text).toMatch(/\n00 {5}06 {4}/);
  });

  it('says when the day had 23 hours', () => {
    const text = textOf(
      hourlyText(hourlyVolume(loadResponse('dst-spring-forward-2025-03-30'), '2025-03-30', BERLIN)),
    );
    expect(text).toContain('23-hour day (clocks went forward)');
  });

  it('says there are no hourly rows rather than drawing an empty chart', () => {
    const response = loadResponse(`day-${DAY}`);
    const hourly = response.data.realtime?.hourly;
    if (!hourly) throw new Error('fixture has no hourly rows');
    hourly.data_list = [];
    expect(textOf(hourlyText(hourlyVolume(response, DAY, TIME_ZONE)))).toBe(
      '*Calls by hour*\n_No hourly rows for this day._',
    );
  });
});
