import { shiftDate, wholeDayWindow } from '../domain/statistics/query-window';

/** Longest range a backfill, replay or verify accepts, in days: a typo in a year must not mean 20 000 requests. */
export const MAX_RANGE_DAYS = 400;

/** Thrown when a date range is malformed, reversed or too long; `flag` names the culprit. */
export class InvalidDateRangeError extends Error {
  readonly flag: 'from' | 'to';
  constructor(flag: 'from' | 'to', message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidDateRangeError';
    this.flag = flag;
  }
}

/** Every 'YYYY-MM-DD' from `from` to `to`, both included. */
export function datesBetween(from: string, to: string, maxDays = MAX_RANGE_DAYS): string[] {
  for (const [flag, date] of [
    ['from', from],
    ['to', to],
  ] as const) {
    try {
      wholeDayWindow(date, 'UTC');
    } catch (error) {
      throw new InvalidDateRangeError(flag, `"${date}" is not a real date in the form YYYY-MM-DD`, {
        cause: error,
      });
    }
  }
  if (to < from) throw new InvalidDateRangeError('to', `${to} is before --from ${from}`);
  const dates: string[] = [];
  for (let date = from; date <= to; date = shiftDate(date, 1)) {
    if (dates.length === maxDays) {
      throw new InvalidDateRangeError(
        'to',
        `the range is longer than ${maxDays} days; split it into smaller runs`,
      );
    }
    dates.push(date);
  }
  return dates;
}

/** The longest common start of two dates, for one listing that covers a whole range ('2025-0', '2025-1'…). */
export function commonDatePrefix(from: string, to: string): string {
  let length = 0;
  while (length < from.length && from[length] === to[length]) length++;
  return from.slice(0, length);
}
