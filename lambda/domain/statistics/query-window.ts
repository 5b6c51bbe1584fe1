import {
  addDays,
  formatDate,
  formatWallClock,
  fromWallClock,
  parseWallClock,
  toWallClock,
  type WallClock,
} from '../shared/local-time';

/**
 * A statistics query window: the account-local wall-clock times sent to AIRUDDER (inclusive at
 * both ends, as the API documents them), with the zone they are in.
 */
export interface QueryWindow {
  /** 'YYYY-MM-DD HH:mm:ss', local. */
  readonly startTime: string;
  /** 'YYYY-MM-DD HH:mm:ss', local. */
  readonly endTime: string;
  readonly timeZone: string;
  /** The account-local date the window belongs to (the date of its start). */
  readonly date: string;
}

/** Thrown when a window is asked for with times that do not exist or run backwards. */
export class InvalidWindowError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidWindowError';
  }
}

const startOfDay = (clock: WallClock): WallClock => ({ ...clock, hour: 0, minute: 0, second: 0 });

/** The account-local day so far at `instant`: from local midnight to the local time of `instant`. */
export function daySoFarWindow(instant: Date, timeZone: string): QueryWindow {
  const now = toWallClock(instant, timeZone);
  return {
    startTime: formatWallClock(startOfDay(now)),
    endTime: formatWallClock(now),
    timeZone,
    date: formatDate(now),
  };
}

/**
 * The rolling window of `minutes` that ends at `instant` (a check's scheduled time), in account-local
 * wall-clock times. Its date is the date it starts on, so a 00:30 check's hour belongs to yesterday.
 */
export function rollingWindow(instant: Date, minutes: number, timeZone: string): QueryWindow {
  const start = toWallClock(new Date(instant.getTime() - minutes * 60_000), timeZone);
  return {
    startTime: formatWallClock(start),
    endTime: formatWallClock(toWallClock(instant, timeZone)),
    timeZone,
    date: formatDate(start),
  };
}

/**
 * Whether AIRUDDER can be asked for the window: it takes local wall-clock times, so a rolling window
 * that reaches back across the hour a fall-back DST change repeats can start at or after the local
 * time it ends (02:15 after the change, 45 minutes back, is 02:30 before it). Such a window cannot
 * be expressed, and is not asked for.
 */
export const isAskable = (window: QueryWindow): boolean => window.startTime < window.endTime;

/** A whole account-local day, 00:00:00 to 23:59:59 (23 or 25 real hours on a DST change day). */
export function wholeDayWindow(date: string, timeZone: string): QueryWindow {
  const day = parseWallClock(date);
  if (!day || date.length !== 10)
    throw new InvalidWindowError(`"${date}" is not a date in the form YYYY-MM-DD`);
  return {
    startTime: formatWallClock(startOfDay(day)),
    endTime: formatWallClock({ ...day, hour: 23, minute: 59, second: 59 }),
    timeZone,
    date: formatDate(day),
  };
}

/** The account-local date before the local date of `instant` ("yesterday" for a digest). */
export function previousLocalDate(instant: Date, timeZone: string): string {
  return formatDate(addDays(startOfDay(toWallClock(instant, timeZone)), -1));
}

/** Shifts a 'YYYY-MM-DD' date by whole calendar days. */
export function shiftDate(date: string, days: number): string {
  const day = parseWallClock(date);
  if (!day) throw new InvalidWindowError(`"${date}" is not a date in the form YYYY-MM-DD`);
  return formatDate(addDays(day, days));
}

/** A window from explicit local wall-clock times, as given on the command line. */
export function explicitWindow(startTime: string, endTime: string, timeZone: string): QueryWindow {
  const start = parseWallClock(startTime);
  const end = parseWallClock(endTime);
  if (!start || startTime.length !== 19) {
    throw new InvalidWindowError(`start "${startTime}" is not a time in the form YYYY-MM-DD HH:mm:ss`);
  }
  if (!end || endTime.length !== 19) {
    throw new InvalidWindowError(`end "${endTime}" is not a time in the form YYYY-MM-DD HH:mm:ss`);
  }
  if (fromWallClock(end, timeZone) < fromWallClock(start, timeZone)) {
    throw new InvalidWindowError(`end "${endTime}" is before start "${startTime}"`);
  }
  return { startTime, endTime, timeZone, date: formatDate(start) };
}

/** The instant at which the window ends (its last second, local). */
export const windowEndInstant = (window: QueryWindow): Date =>
  fromWallClock(parseWallClock(window.endTime) as WallClock, window.timeZone);
