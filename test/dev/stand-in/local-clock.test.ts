import { describe, expect, it } from 'vitest';
import {
  formatWallClock,
  localDayBounds,
  localHours,
  localMomentAt,
  parseLocalDateTime,
  wallClockToInstant,
} from '../../../dev/stand-in/local-clock';

const HOUR = 3_600_000;

/** The reference: Intl itself ('sv-SE' prints 'YYYY-MM-DD HH:mm:ss'). */
const intlWallClock = (instant: number, timeZone: string) =>
  new Date(instant).toLocaleString('sv-SE', { timeZone, hourCycle: 'h23' });

function instantOf(text: string, timeZone: string): number {
  const clock = parseLocalDateTime(text);
  if (clock === undefined) throw new Error(`bad test time ${text}`);
  return wallClockToInstant(clock, timeZone);
}

describe('localMomentAt', () => {
  it.each([
    ['America/New_York', '2026-03-06T00:00:00Z'],
    ['America/New_York', '2026-10-30T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-03T00:00:00Z'],
    ['Asia/Kathmandu', '2026-01-01T00:00:00Z'],
    ['Asia/Jakarta', '2026-01-01T00:00:00Z'],
  ])('agrees with Intl every 7 minutes for four days around a DST change in %s', (timeZone, from) => {
    const start = Date.parse(from);
    for (let instant = start; instant < start + 4 * 24 * HOUR; instant += 7 * 60_000) {
      expect(formatWallClock(localMomentAt(instant, timeZone))).toBe(intlWallClock(instant, timeZone));
    }
  });

  it('gives the local weekday, Sunday as 0', () => {
    expect(localMomentAt(Date.parse('2026-03-08T12:00:00Z'), 'America/New_York').weekday).toBe(0);
  });
});

describe('wallClockToInstant', () => {
  it.each([
    ['2026-01-15 09:30:00', 'America/New_York', '2026-01-15T14:30:00.000Z'],
    ['2026-07-15 09:30:00', 'America/New_York', '2026-07-15T13:30:00.000Z'],
    ['2026-01-15 09:30:00', 'Asia/Kolkata', '2026-01-15T04:00:00.000Z'],
    // Fall-back: 01:30 happens twice; the earlier (EDT) one is meant.
    ['2026-11-01 01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    // Spring-forward gap: 02:30 does not exist; it is read as 03:30 EDT.
    ['2026-03-08 02:30:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
  ])('reads %s in %s as %s', (text, timeZone, expected) => {
    expect(new Date(instantOf(text, timeZone)).toISOString()).toBe(expected);
  });
});

describe('parseLocalDateTime', () => {
  it.each(['2026-02-30 00:00:00', '2026-01-01T00:00:00', '2026-01-01 24:00:00', '2026-1-01 00:00:00', ''])(
    'rejects %j',
    (text) => {
      expect(parseLocalDateTime(text)).toBeUndefined();
    },
  );
});

describe('localHours', () => {
  const dayHours = (date: string, timeZone: string) => {
    const { from, to } = localDayBounds(date, timeZone);
    return localHours(from, to, timeZone).map((hour) => formatWallClock(hour.clock));
  };

  it('lists 23 hours without 02:00 on the New York spring-forward day', () => {
    const hours = dayHours('2026-03-08', 'America/New_York');
    expect(hours).toHaveLength(23);
    expect(hours).not.toContain('2026-03-08 02:00:00');
    expect(hours.at(-1)).toBe('2026-03-08 23:00:00');
  });

  it('lists 25 hours with 01:00 twice on the New York fall-back day', () => {
    const hours = dayHours('2026-11-01', 'America/New_York');
    expect(hours).toHaveLength(25);
    expect(hours.filter((hour) => hour === '2026-11-01 01:00:00')).toHaveLength(2);
  });

  it('starts local hours on the half hour in UTC for a +05:30 zone', () => {
    const { from, to } = localDayBounds('2026-01-15', 'Asia/Kolkata');
    const hours = localHours(from, to, 'Asia/Kolkata');
    expect(hours).toHaveLength(24);
    expect(new Date(hours[0]?.start ?? 0).toISOString()).toBe('2026-01-14T18:30:00.000Z');
  });

  it('includes the hour a window starts inside and excludes the hour it ends at', () => {
    const zone = 'Asia/Jakarta';
    const hours = localHours(
      instantOf('2026-01-15 10:30:00', zone),
      instantOf('2026-01-15 12:00:00', zone),
      zone,
    );
    expect(hours.map((hour) => formatWallClock(hour.clock))).toEqual([
      '2026-01-15 10:00:00',
      '2026-01-15 11:00:00',
    ]);
  });
});
