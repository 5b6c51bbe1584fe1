import {
  formatDate,
  formatWallClock,
  fromWallClock,
  parseWallClock,
  toWallClock,
  type WallClock,
  weekday,
} from '../../lambda/domain/shared/local-time';
import { isIanaTimeZone } from '../../lambda/shared/time-zone';

/**
 * The stand-in's view of the product's wall-clock arithmetic (lambda/domain/shared/local-time.ts):
 * instants as epoch milliseconds, wall clocks with their weekday, and the local hours of a window.
 */

/**
 * Local calendar fields of one instant, with its weekday: 0 (Sunday) to 6 (Saturday). Named apart
 * from the domain's `WallClock` so a reader never wonders which one a stand-in file means.
 */
export interface LocalMoment extends WallClock {
  readonly weekday: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const QUARTER_HOUR_MS = 900_000;

export { formatDate, formatWallClock };

/** Throws a RangeError unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  if (!isIanaTimeZone(timeZone)) throw new RangeError(`Invalid time zone specified: ${timeZone}`);
}

/** The local moment of `instant` (epoch ms) in `timeZone`. */
export function localMomentAt(instant: number, timeZone: string): LocalMoment {
  const clock = toWallClock(new Date(instant), timeZone);
  return { ...clock, weekday: weekday(clock) };
}

/** Parses exactly 'YYYY-MM-DD HH:mm:ss' (a real calendar date and time); undefined when it is not one. */
export const parseLocalDateTime = (text: string): WallClock | undefined =>
  text.length === 19 ? parseWallClock(text) : undefined;

/** The instant a local wall-clock time denotes (see `fromWallClock` for gaps and overlaps). */
export const wallClockToInstant = (clock: WallClock, timeZone: string): number =>
  fromWallClock(clock, timeZone).getTime();

/** The instants a local date ('YYYY-MM-DD') starts and ends: usually 24 h apart, 23 or 25 on DST days. */
export function localDayBounds(date: string, timeZone: string): { from: number; to: number } {
  const day = new Date(`${date}T00:00:00Z`);
  const next = new Date(day.getTime() + DAY_MS);
  const midnight = (utc: Date) =>
    wallClockToInstant(
      {
        year: utc.getUTCFullYear(),
        month: utc.getUTCMonth() + 1,
        day: utc.getUTCDate(),
        hour: 0,
        minute: 0,
        second: 0,
      },
      timeZone,
    );
  return { from: midnight(day), to: midnight(next) };
}

/** A local hour: the instant it starts and the wall clock there. */
export interface LocalHour {
  readonly start: number;
  readonly clock: LocalMoment;
}

/**
 * The local hours that overlap [from, to), in order. On a fall-back day the repeated local hour
 * occurs twice; on a spring-forward day the skipped hour never occurs.
 */
export function localHours(from: number, to: number, timeZone: string): LocalHour[] {
  const hours: LocalHour[] = [];
  // Every zone's offset is a whole number of quarter hours, so local hours start on UTC quarter hours.
  let candidate = Math.floor((from - HOUR_MS) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  while (candidate < to) {
    const clock = localMomentAt(candidate, timeZone);
    if (clock.minute === 0 && clock.second === 0) {
      if (candidate + HOUR_MS > from) hours.push({ start: candidate, clock });
      candidate += HOUR_MS;
    } else {
      candidate += QUARTER_HOUR_MS;
    }
  }
  return hours;
}
