import { describe, expect, it } from 'vitest';
import { historyOf } from '../../bench/archive-history';

const check = (scheduledTime: string) => ({ mode: 'check' as const, scheduledTime });
const DIGEST_AT = { hour: 8, minute: 30 };

describe("the warm-check bench's archive history (Asia/Jakarta, UTC+7, digest at 08:30)", () => {
  // 09:00 and 10:15 local on 2025-10-08.
  const { checks, digests } = historyOf(
    [check('2025-10-08T02:00:00.000Z'), check('2025-10-08T03:15:00.000Z')],
    DIGEST_AT,
  );
  const times = checks.map((event) => event.scheduledTime);

  it('runs every check of the local day a week before, 00:00 to 23:45, as its folder holds them', () => {
    const weekAgo = times.filter((time) => time >= '2025-09-30T17:00:00.000Z');
    expect(weekAgo).toHaveLength(96);
    expect(weekAgo.at(0)).toBe('2025-10-01T16:45:00.000Z');
    expect(weekAgo.at(-1)).toBe('2025-09-30T17:00:00.000Z');
  });

  it('runs the checks at each instant 2, 3 and 4 weeks before, for the seasonal baseline, and no others', () => {
    expect(times.filter((time) => time < '2025-09-30T17:00:00.000Z')).toEqual([
      '2025-09-24T03:15:00.000Z',
      '2025-09-24T02:00:00.000Z',
      '2025-09-17T03:15:00.000Z',
      '2025-09-17T02:00:00.000Z',
      '2025-09-10T03:15:00.000Z',
      '2025-09-10T02:00:00.000Z',
    ]);
    expect(checks.every((event) => event.mode === 'check')).toBe(true);
  });

  it('runs the checks newest first, so every earlier one archives and stops at "already evaluated"', () => {
    expect(times).toEqual([...times].sort().reverse());
    expect(new Set(times).size).toBe(times.length);
  });

  it("runs the digests of yesterday and the day before at the digest's time, oldest first", () => {
    expect(digests).toEqual([
      { mode: 'digest', scheduledTime: '2025-10-07T01:30:00.000Z' },
      { mode: 'digest', scheduledTime: '2025-10-08T01:30:00.000Z' },
    ]);
  });

  it("refuses a check before its day's digest, whose archive would not yet hold yesterday", () => {
    expect(() => historyOf([check('2025-10-08T01:15:00.000Z')], DIGEST_AT)).toThrow(
      /2025-10-08T01:15:00.000Z is before its day's digest \(2025-10-08T01:30:00.000Z\)/,
    );
  });
});
