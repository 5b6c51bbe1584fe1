import { describe, expect, it } from 'vitest';
import { fromWallClock, parseWallClock, toWallClock } from '../../../../lambda/domain/shared/local-time';
import {
  daySoFarWindow,
  explicitWindow,
  InvalidWindowError,
  isAskable,
  previousLocalDate,
  rollingWindow,
  shiftDate,
  wholeDayWindow,
  windowEndInstant,
} from '../../../../lambda/domain/statistics/query-window';

const NEW_YORK = 'America/New_York';

describe('daySoFarWindow', () => {
  it.each([
    // instant (UTC)              zone               start                  end                    date
    ['2026-03-08T06:59:00Z', NEW_YORK, '2026-03-08 00:00:00', '2026-03-08 01:59:00', '2026-03-08'], // before spring-forward
    ['2026-03-08T07:00:00Z', NEW_YORK, '2026-03-08 00:00:00', '2026-03-08 03:00:00', '2026-03-08'], // 02:00 does not exist
    ['2026-11-01T05:30:00Z', NEW_YORK, '2026-11-01 00:00:00', '2026-11-01 01:30:00', '2026-11-01'], // first 01:30 (EDT)
    ['2026-11-01T06:30:00Z', NEW_YORK, '2026-11-01 00:00:00', '2026-11-01 01:30:00', '2026-11-01'], // second 01:30 (EST)
    ['2026-11-02T04:59:59Z', NEW_YORK, '2026-11-01 00:00:00', '2026-11-01 23:59:59', '2026-11-01'], // 25-hour day's end
    ['2025-11-12T06:30:00Z', 'Asia/Jakarta', '2025-11-12 00:00:00', '2025-11-12 13:30:00', '2025-11-12'],
    ['2025-11-12T18:00:00Z', 'Asia/Jakarta', '2025-11-13 00:00:00', '2025-11-13 01:00:00', '2025-11-13'], // next local day
  ])('at %s in %s asks for %s to %s on %s', (instant, zone, start, end, date) => {
    // Act
    const window = daySoFarWindow(new Date(instant), zone);
    // Assess
    expect(window).toEqual({ startTime: start, endTime: end, timeZone: zone, date });
  });
});

describe('isAskable: a rolling window AIRUDDER can be asked for in local times', () => {
  // Berlin falls back on 2025-10-26: 03:00 CEST becomes 02:00 CET, so 02:00–02:59 happens twice.
  const berlin = (iso: string, minutes: number) => rollingWindow(new Date(iso), minutes, 'Europe/Berlin');

  it('is askable away from the change, and for an hour that ends after the repeated one', () => {
    expect(isAskable(berlin('2025-10-26T09:00:00Z', 45))).toBe(true);
    expect(isAskable(berlin('2025-10-26T02:00:00Z', 60))).toBe(true); // 02:00–03:00 CET
  });

  it('is not askable when it reaches back across the repeated hour to a later local time', () => {
    // 02:15 CET (01:15Z), 45 minutes back is 02:30 CEST: the local start is after the local end
    expect(berlin('2025-10-26T01:15:00Z', 45)).toMatchObject({
      startTime: '2025-10-26 02:30:00',
      endTime: '2025-10-26 02:15:00',
    });
    expect(isAskable(berlin('2025-10-26T01:15:00Z', 45))).toBe(false);
    expect(isAskable(berlin('2025-10-26T01:00:00Z', 15))).toBe(false);
  });
});

describe('wholeDayWindow', () => {
  it.each(['2026-03-08', '2026-11-01', '2025-11-12'])('covers %s from 00:00:00 to 23:59:59 local', (date) => {
    const window = wholeDayWindow(date, NEW_YORK);
    expect(window).toMatchObject({ startTime: `${date} 00:00:00`, endTime: `${date} 23:59:59`, date });
  });

  it('spans 23 real hours on the spring-forward day and 25 on the fall-back day', () => {
    const hours = (date: string) => {
      const window = wholeDayWindow(date, NEW_YORK);
      const start = fromWallClock(parseWallClock(window.startTime)!, NEW_YORK).getTime();
      return Math.round((windowEndInstant(window).getTime() + 1000 - start) / 3_600_000);
    };
    expect(hours('2026-03-08')).toBe(23);
    expect(hours('2026-11-01')).toBe(25);
    expect(hours('2026-11-02')).toBe(24);
  });

  it('rejects something that is not a date', () => {
    expect(() => wholeDayWindow('2026-02-30', NEW_YORK)).toThrow(InvalidWindowError);
    expect(() => wholeDayWindow('yesterday', NEW_YORK)).toThrow(/YYYY-MM-DD/);
  });
});

describe('previousLocalDate', () => {
  it.each([
    ['2026-03-09T04:30:00Z', NEW_YORK, '2026-03-08'], // 00:30 local after the 23-hour day
    ['2026-11-02T05:30:00Z', NEW_YORK, '2026-11-01'], // 00:30 local after the 25-hour day
    ['2026-11-02T04:30:00Z', NEW_YORK, '2026-10-31'], // still 23:30 on Nov 1 locally
    ['2026-01-01T01:30:00Z', 'Asia/Jakarta', '2025-12-31'],
  ])('at %s in %s is %s', (instant, zone, expected) => {
    expect(previousLocalDate(new Date(instant), zone)).toBe(expected);
  });
});

describe('shiftDate', () => {
  it('moves across month and year ends', () => {
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDate('2025-12-29', 7)).toBe('2026-01-05');
  });
});

describe('explicitWindow', () => {
  it('accepts local wall-clock times and records the zone and the start date', () => {
    expect(explicitWindow('2025-11-10 00:00:00', '2025-11-12 14:30:00', 'Asia/Jakarta')).toEqual({
      startTime: '2025-11-10 00:00:00',
      endTime: '2025-11-12 14:30:00',
      timeZone: 'Asia/Jakarta',
      date: '2025-11-10',
    });
  });

  it.each([
    ['2025-11-10', '2025-11-12 14:30:00', /start "2025-11-10"/],
    ['2025-11-10 00:00:00', '2025-11-12T14:30:00', /end "2025-11-12T14:30:00"/],
    ['2025-11-12 00:00:00', '2025-11-10 00:00:00', /before start/],
    ['2025-13-01 00:00:00', '2025-13-02 00:00:00', /start/],
  ])('rejects %s → %s, naming the problem', (from, to, message) => {
    expect(() => explicitWindow(from, to, 'Asia/Jakarta')).toThrow(message);
  });
});

describe('fromWallClock and toWallClock', () => {
  it('round-trip every quarter hour through both DST changes', () => {
    for (const start of ['2026-03-07T00:00:00Z', '2026-10-31T00:00:00Z']) {
      for (let step = 0; step < 4 * 72; step++) {
        const instant = new Date(new Date(start).getTime() + step * 900_000);
        const clock = toWallClock(instant, NEW_YORK);
        const back = fromWallClock(clock, NEW_YORK);
        // In the fall-back overlap both instants show the same clock: the earlier one is returned.
        expect([0, 3_600_000]).toContain(instant.getTime() - back.getTime());
        expect(toWallClock(back, NEW_YORK)).toEqual(clock);
      }
    }
  });
});
