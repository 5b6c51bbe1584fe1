import { datesBetween, InvalidDateRangeError } from '../use-cases/date-range';
import { requireFlag } from './parse-flags';
import { UsageError } from './usage-error';

export interface DateRange {
  readonly from: string;
  readonly to: string;
  /** Every date from `from` to `to`, both included. */
  readonly dates: readonly string[];
}

/** `--from` and `--to` as a checked range of account-local dates; a UsageError names the flag. */
export function dateRangeFromFlags(flags: { from?: string | boolean; to?: string | boolean }): DateRange {
  const from = requireFlag(flags.from, 'from', 'YYYY-MM-DD');
  const to = requireFlag(flags.to, 'to', 'YYYY-MM-DD');
  try {
    return { from, to, dates: datesBetween(from, to) };
  } catch (error) {
    if (error instanceof InvalidDateRangeError) {
      throw new UsageError(`--${error.flag}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
