import {
  type WallClock as DateWallClock,
  formatDate,
  formatWallClock,
  fromWallClock,
  zoneOffsetMs as offsetAtDate,
  parseWallClock as parseDateOrWallClock,
  toWallClock as toDateWallClock,
  weekday,
} from '../domain/local-time';
import { isIanaTimeZone } from '../shared/time-zone';

/**
 * The stand-in's view of the product's wall-clock arithmetic (lambda/domain/local-time.ts):
 * instants as epoch milliseconds, wall clocks with their weekday, and the local hours of a window.
 */

/** Local calendar fields of one instant. `weekday` is 0 (Sunday) to 6 (Saturday). */
export interface WallClock extends DateWallClock {
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

/** Local minus UTC, in ms, at `instant` (e.g. -5 h for New York in winter). */
export const zoneOffsetMs = (instant: number, timeZone: string): number =>
  offsetAtDate(new Date(instant), timeZone);

/** The local wall clock of `instant` in `timeZone`. */
export function toWallClock(instant: number, timeZone: string): WallClock {
  const clock = toDateWallClock(new Date(instant), timeZone);
  return { ...clock, weekday: weekday(clock) };
}

/** Parses exactly 'YYYY-MM-DD HH:mm:ss' (a real calendar date and time); undefined when it is not one. */
export const parseWallClock = (text: string): DateWallClock | undefined =>
  text.length === 19 ? parseDateOrWallClock(text) : undefined;

/** The instant a local wall-clock time denotes (see `fromWallClock` for gaps and overlaps). */
export const wallClockToInstant = (clock: DateWallClock, timeZone: string): number =>
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
  readonly clock: WallClock;
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
    const clock = toWallClock(candidate, timeZone);
    if (clock.minute === 0 && clock.second === 0) {
      if (candidate + HOUR_MS > from) hours.push({ start: candidate, clock });
      candidate += HOUR_MS;
    } else {
      candidate += QUARTER_HOUR_MS;
    }
  }
  return hours;
}
