import { describe, expect, it } from 'vitest';
import { hourEnds } from '../../../lambda/use-cases/replay';

describe('hourEnds', () => {
  it.each([
    [
      'a normal day',
      '2025-10-14',
      'Asia/Jakarta',
      24,
      '2025-10-13T18:00:00.000Z',
      '2025-10-14T16:59:59.000Z',
    ],
    [
      'the spring-forward day',
      '2025-03-30',
      'Europe/Berlin',
      23,
      '2025-03-30T00:00:00.000Z',
      '2025-03-30T21:59:59.000Z',
    ],
    [
      'the fall-back day',
      '2025-10-26',
      'Europe/Berlin',
      25,
      '2025-10-25T23:00:00.000Z',
      '2025-10-26T22:59:59.000Z',
    ],
  ])(
    'gives every local hour of %s, the last ending at the day’s last second',
    (_name, date, zone, count, first, last) => {
      const ends = hourEnds(date, zone);
      expect(ends).toHaveLength(count);
      expect(ends[0]?.toISOString()).toBe(new Date(first).toISOString());
      expect(ends.at(-1)?.toISOString()).toBe(last);
    },
  );

  it('steps exactly one hour at a time until the last', () => {
    const ends = hourEnds('2025-10-26', 'Europe/Berlin').map((end) => end.getTime());
    const steps = ends.slice(1, -1).map((end, index) => end - (ends[index] ?? 0));
    expect(new Set(steps)).toEqual(new Set([3_600_000]));
  });
});
