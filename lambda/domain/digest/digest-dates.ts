import { parseWallClock, weekday } from '../local-time';
import { shiftDate } from '../query-window';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** '2025-11-11' → 'Tue 11 Nov'; with `withYear`, 'Tue 11 Nov 2025'. Throws a RangeError for a non-date. */
export function formatDayLabel(date: string, withYear = false): string {
  const clock = parseWallClock(date);
  if (clock === undefined || date.length !== 10) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  const label = `${WEEKDAYS[weekday(clock)]} ${clock.day} ${MONTHS[clock.month - 1]}`;
  return withYear ? `${label} ${clock.year}` : label;
}

/** The days a digest compares with. */
export const previousDate = (date: string): string => shiftDate(date, -1);
export const weekAgoDate = (date: string): string => shiftDate(date, -7);
