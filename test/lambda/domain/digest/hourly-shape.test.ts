import { describe, expect, it } from 'vitest';
import {
  GAP,
  hourlyText,
  hourlyVolume,
  peakHour,
  sparkline,
  sparklineAxis,
} from '../../../../lambda/domain/digest/hourly-shape';
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

describe('sparkline', () => {
  it('draws one bar per value, scaled from zero to the largest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });

  it('draws a flat busy day as full bars', () => {
    expect(sparkline([40, 40, 40])).toBe('███');
  });

  it('draws a day of zeros as a flat floor', () => {
    expect(sparkline(Array.from({ length: 24 }, () => 0))).toBe('▁'.repeat(24));
  });

  it('makes one peak stand out from a quiet day', () => {
    const values = Array.from({ length: 24 }, (_, hour) => (hour === 10 ? 100 : 2));
    const line = sparkline(values);
    expect([...line]).toHaveLength(24);
    expect(line.indexOf('█')).toBe(10);
    expect(line.replace('█', '')).toBe('▁'.repeat(23));
  });

  it('gives an empty string for no values', () => {
    expect(sparkline([])).toBe('');
  });

  it.each([23, 25])('draws a %i-hour day as that many bars', (hours) => {
    expect([...sparkline(Array.from({ length: hours }, (_, hour) => hour))]).toHaveLength(hours);
  });

  it('shows a missing hour as a gap, not as a quiet hour', () => {
    expect(sparkline([7, undefined, 0, null])).toBe(`█${GAP}▁${GAP}`);
  });

  it('treats negative and non-finite values as zero', () => {
    expect(sparkline([-5, Number.NaN, Number.POSITIVE_INFINITY, 7])).toBe('▁▁▁█');
  });
});

describe('sparklineAxis', () => {
  it('puts each label under its bar', () => {
    expect(sparklineAxis(['00', undefined, undefined, '03', undefined, undefined, '06'])).toBe('00 03 06');
  });

  it('drops a label that would touch or overlap the one before', () => {
    expect(sparklineAxis(['00', '01', '02', '03'])).toBe('00 03');
  });
});
