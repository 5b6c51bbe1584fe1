/**
 * Wall-clock arithmetic in an IANA zone with nothing but `Intl.DateTimeFormat`. Instants are epoch
 * milliseconds; wall-clock times are the AIRUDDER query format 'YYYY-MM-DD HH:mm:ss'.
 */

/** Local calendar fields of one instant. `weekday` is 0 (Sunday) to 6 (Saturday). */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const QUARTER_HOUR_MS = 900_000;
const WALL_CLOCK_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a RangeError unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** The wall clock straight from Intl: exact but slow (microseconds per call). */
function intlWallClock(instant: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = fields.year ?? 0;
  const month = fields.month ?? 1;
  const day = fields.day ?? 1;
  return {
    year,
    month,
    day,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

function wallClockAsUtc(clock: Omit<WallClock, 'weekday'>): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
}

function intlOffsetMs(instant: number, timeZone: string): number {
  const wholeSecond = Math.floor(instant / 1000) * 1000;
  return wallClockAsUtc(intlWallClock(wholeSecond, timeZone)) - wholeSecond;
}

/** The offset of each UTC day whose start and end share one offset; `null` for a day with a transition. */
const dayOffsets = new Map<string, number | null>();

/** Local minus UTC, in ms, at `instant` (e.g. -5 h for New York in winter). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  // Zones change offset at most once a day, so a UTC day whose ends agree has one offset throughout.
  const utcDay = Math.floor(instant / DAY_MS);
  const key = `${timeZone}|${utcDay}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const atStart = intlOffsetMs(utcDay * DAY_MS, timeZone);
    offset = atStart === intlOffsetMs((utcDay + 1) * DAY_MS - 1000, timeZone) ? atStart : null;
    dayOffsets.set(key, offset);
  }
  return offset ?? intlOffsetMs(instant, timeZone);
}

/** The local wall clock of `instant` in `timeZone`. */
export function toWallClock(instant: number, timeZone: string): WallClock {
  const local = new Date(Math.floor(instant / 1000) * 1000 + zoneOffsetMs(instant, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: local.getUTCDay(),
  };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** 'YYYY-MM-DD' of a wall clock. */
export function formatDate(clock: WallClock): string {
  return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`;
}

/** 'YYYY-MM-DD HH:mm:ss' of a wall clock. */
export function formatWallClock(clock: WallClock): string {
  return `${formatDate(clock)} ${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;
}

/** Parses 'YYYY-MM-DD HH:mm:ss' (a real calendar date and time); undefined when it is not one. */
export function parseWallClock(text: string): Omit<WallClock, 'weekday'> | undefined {
  const match = WALL_CLOCK_PATTERN.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const clock = { year, month, day, hour, minute, second };
  const check = new Date(wallClockAsUtc(clock));
  const valid =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  return valid ? clock : undefined;
}

/**
 * The instant a local wall-clock time denotes. An ambiguous time (DST fall-back) takes its earlier
 * occurrence; a time inside a spring-forward gap is read with the offset before the gap, so
 * 02:30 on a New York spring-forward day means 03:30 EDT (the `compatible` rule of Temporal).
 */
export function wallClockToInstant(clock: Omit<WallClock, 'weekday'>, timeZone: string): number {
  const asUtc = wallClockAsUtc(clock);
  const offsetBefore = zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetMs(asUtc + DAY_MS, timeZone);
  const candidates = [...new Set([asUtc - offsetBefore, asUtc - offsetAfter])].sort((a, b) => a - b);
  const exact = candidates.find((instant) => wallClockAsUtc(toWallClock(instant, timeZone)) === asUtc);
  return exact ?? asUtc - offsetBefore;
}

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
