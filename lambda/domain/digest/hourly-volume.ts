import { addDays, formatWallClock, fromWallClock, parseWallClock, toWallClock } from '../local-time';
import type { StatisticsResponse } from '../statistics-schema';
import { numberOrUndefined } from './day-rows';

const HOUR_MS = 3_600_000;

/** One local hour of the day and its calls; `calls` is undefined when the API sent no row for it. */
export interface HourSlot {
  /** 'YYYY-MM-DD HH:00:00', local, as AIRUDDER labels hourly rows. */
  readonly time: string;
  /** Local hour 0–23; twice the same on the day clocks go back. */
  readonly hour: number;
  readonly calls: number | undefined;
}

/**
 * The day's hours in `timeZone` with their call counts: 24 slots, or 23/25 on a daylight-saving
 * change day. Hours come from the zone rather than from the rows, so a missing row shows as a gap
 * instead of shifting the rest of the day; rows of other dates or of no real hour are ignored.
 * On the day clocks go back both rows labelled e.g. '02:00:00' are used, in the order received.
 * Throws a RangeError when `date` is not a date.
 */
export function hourlyVolume(response: StatisticsResponse, date: string, timeZone: string): HourSlot[] {
  const day = parseWallClock(date);
  if (day === undefined) throw new RangeError(`hourlyVolume: "${date}" is not a YYYY-MM-DD date`);
  const rowsByTime = new Map<string, Array<number | undefined>>();
  for (const row of response.data.realtime?.hourly?.data_list ?? []) {
    const queue = rowsByTime.get(row.time) ?? [];
    queue.push(numberOrUndefined(row.total_calls));
    rowsByTime.set(row.time, queue);
  }
  const start = fromWallClock(day, timeZone).getTime();
  const end = fromWallClock(addDays(day, 1), timeZone).getTime();
  const slots: HourSlot[] = [];
  for (let instant = start; instant < end; instant += HOUR_MS) {
    const clock = toWallClock(new Date(instant), timeZone);
    const time = formatWallClock({ ...clock, minute: 0, second: 0 });
    slots.push({ time, hour: clock.hour, calls: rowsByTime.get(time)?.shift() });
  }
  return slots;
}

/** The busiest hour (the first of equals); undefined when no hour had a call. */
export function peakHour(slots: ReadonlyArray<HourSlot>): HourSlot | undefined {
  let peak: HourSlot | undefined;
  for (const slot of slots) {
    if ((slot.calls ?? 0) > (peak?.calls ?? 0)) peak = slot;
  }
  return peak;
}
