/**
 * Wall-clock arithmetic in an IANA zone, with no dependency beyond Intl. AIRUDDER takes and returns
 * account-local wall-clock times ('YYYY-MM-DD HH:mm:ss'); our schedule speaks instants. These
 * functions convert between the two correctly across daylight-saving changes.
 */

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const formatters = new Map<string, Intl.DateTimeFormat>();
const unknownZones = new Set<string>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
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

/**
 * Whether this runtime knows the IANA zone `timeZone`. A formatter costs more than most work done
 * per object or row (verify asks per archived object, curation per hourly row): each zone is tried
 * once per process.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  if (formatters.has(timeZone)) return true;
  if (unknownZones.has(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    unknownZones.add(timeZone);
    return false;
  }
}

/** The wall clock straight from Intl: exact, but microseconds per call. */
function intlWallClock(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const intlOffsetMs = (instantMs: number, timeZone: string): number => {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return asUtcMillis(intlWallClock(wholeSecond, timeZone)) - wholeSecond;
};

/** The offset of each UTC day whose start and end share one offset; null for a day with a change. */
const dayOffsets = new Map<string, number | null>();

function offsetAt(instantMs: number, timeZone: string): number {
  // Zones change offset at most once a day, so a UTC day whose ends agree has one offset throughout.
  const utcDay = Math.floor(instantMs / DAY_MS);
  const key = `${timeZone}|${utcDay}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const atStart = intlOffsetMs(utcDay * DAY_MS, timeZone);
    offset = atStart === intlOffsetMs((utcDay + 1) * DAY_MS - 1000, timeZone) ? atStart : null;
    dayOffsets.set(key, offset);
  }
  return offset ?? intlOffsetMs(instantMs, timeZone);
}

const asUtcMillis = (clock: WallClock) =>
  Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);

/** The wall clock in `timeZone` at `instant` (whole seconds). */
export function toWallClock(instant: Date, timeZone: string): WallClock {
  const ms = instant.getTime();
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetAt(ms, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** 'YYYY-MM-DD' of a wall clock. */
export const formatDate = (clock: WallClock): string =>
  `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`;

/** 'YYYY-MM-DD HH:mm:ss', the format AIRUDDER expects. */
export const formatWallClock = (clock: WallClock): string =>
  `${formatDate(clock)} ${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** Parses 'YYYY-MM-DD' or 'YYYY-MM-DD HH:mm:ss' strictly; undefined when it is not a real time. */
export function parseWallClock(text: string): WallClock | undefined {
  const match = WALL_CLOCK.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((value) => Number(value ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const valid =
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  return valid ? { year, month, day, hour, minute, second } : undefined;
}

/** Offset of `timeZone` from UTC at `instant`, in ms (east positive). */
export const zoneOffsetMs = (instant: Date, timeZone: string): number =>
  offsetAt(instant.getTime(), timeZone);

/**
 * The instant at which the wall clock in `timeZone` shows `clock`. A time in a spring-forward gap
 * is read with the offset before the gap (02:30 on a New York spring-forward day is 03:30 EDT); a
 * time in a fall-back overlap is its earlier occurrence.
 */
export function fromWallClock(clock: WallClock, timeZone: string): Date {
  const target = asUtcMillis(clock);
  const before = offsetAt(target - DAY_MS, timeZone);
  const after = offsetAt(target + DAY_MS, timeZone);
  const candidates = [...new Set([target - before, target - after])].sort((a, b) => a - b);
  const exact = candidates.find(
    (instant) => asUtcMillis(toWallClock(new Date(instant), timeZone)) === target,
  );
  return new Date(exact ?? target - before);
}

/**
 * Every instant at which the wall clock in `timeZone` shows `clock`, earliest first: one on most
 * days, two in a fall-back overlap (01:30 twice in New York), none in a spring-forward gap.
 */
export function wallClockInstants(clock: WallClock, timeZone: string): Date[] {
  const target = asUtcMillis(clock);
  const offsets = new Set([offsetAt(target - DAY_MS, timeZone), offsetAt(target + DAY_MS, timeZone)]);
  return [...offsets]
    .map((offset) => target - offset)
    .filter((instant) => asUtcMillis(toWallClock(new Date(instant), timeZone)) === target)
    .sort((a, b) => a - b)
    .map((instant) => new Date(instant));
}

/** '+07:00', '-04:00', '+05:45': an offset in ms as ISO 8601 writes it. */
export function formatUtcOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Adds whole calendar days to a date-only wall clock (time fields are kept). */
export function addDays(clock: WallClock, days: number): WallClock {
  const shifted = new Date(asUtcMillis(clock) + days * 86_400_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: clock.hour,
    minute: clock.minute,
    second: clock.second,
  };
}

/** 0 = Sunday … 6 = Saturday, of the calendar date of `clock`. */
export const weekday = (clock: WallClock): number =>
  new Date(Date.UTC(clock.year, clock.month - 1, clock.day)).getUTCDay();

/** 'YYYY-MM-DD' (the account-local date) of `instant`. */
export const localDate = (instant: Date, timeZone: string): string =>
  formatDate(toWallClock(instant, timeZone));

/** Whole-second 'YYYYMMDDTHHmmssZ' of an instant, for keys that must sort by time. */
export const compactUtc = (instant: Date): string =>
  `${instant.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
