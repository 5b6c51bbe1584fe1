import { addDays, formatWallClock, fromWallClock, parseWallClock, toWallClock } from '../shared/local-time';
import { formatCount } from '../statistics/metric-format';
import { numberOf } from '../statistics/numbers';
import type { StatisticsResponse } from '../statistics/schema';

/**
 * The hourly shape of the day: calls per local hour (24, or 23/25 on a daylight-saving change) and
 * the sparkline the first screen draws of them.
 */

const pad2 = (value: number) => String(value).padStart(2, '0');

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
    queue.push(numberOf(row.total_calls));
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

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** Shown for an hour without a row: a gap, so a missing hour does not pass for a quiet one. */
export const GAP = '·';
const AXIS_HOURS = new Set([0, 6, 12, 18]);

/**
 * One bar per value, scaled from 0 to the largest value: a quiet night stays low even when the
 * whole day was quiet. All zeros give a flat floor; a flat non-zero day gives full bars; an empty
 * list gives ''. Negative or non-finite values count as 0; null/undefined show as a gap.
 */
export function sparkline(values: ReadonlyArray<number | null | undefined>): string {
  const numbers = values.map((value) =>
    value === null || value === undefined ? undefined : Number.isFinite(value) && value > 0 ? value : 0,
  );
  const max = Math.max(0, ...numbers.map((value) => value ?? 0));
  return numbers
    .map((value) => {
      if (value === undefined) return GAP;
      const level = max === 0 ? 0 : Math.round((value / max) * (BARS.length - 1));
      return BARS[level] ?? BARS[0];
    })
    .join('');
}

/**
 * A label line to print under a sparkline: each label at the column of its bar, skipped when it
 * would touch or overlap the one before. `labels[i]` is undefined for unlabelled bars.
 */
export function sparklineAxis(labels: ReadonlyArray<string | undefined>): string {
  let line = '';
  labels.forEach((label, column) => {
    if (label === undefined || (line.length > 0 && line.length >= column)) return;
    line = line.padEnd(column, ' ') + label;
  });
  return line;
}

/**
 * Calls by hour as a sparkline in a code block (monospace, so the hour axis lines up), with the peak
 * hour and a note on a 23- or 25-hour day or on hours without data.
 */
export function hourlyText(slots: ReadonlyArray<HourSlot>): string {
  const title = '*Calls by hour*';
  if (slots.every((slot) => slot.calls === undefined)) return `${title}\n_No hourly rows for this day._`;
  const peak = peakHour(slots);
  const notes = [
    peak === undefined ? 'no calls' : `peak ${pad2(peak.hour)}:00 (${formatCount(peak.calls ?? 0)} calls)`,
  ];
  if (slots.length === 23) notes.push('23-hour day (clocks went forward)');
  if (slots.length === 25) notes.push('25-hour day (clocks went back)');
  const missing = slots.filter((slot) => slot.calls === undefined).length;
  if (missing > 0) notes.push(`${missing === 1 ? '1 hour' : `${missing} hours`} without data (${GAP})`);

  const seen = new Set<number>();
  const axis = sparklineAxis(
    slots.map((slot) => {
      // Label an axis hour once, even when clocks going back repeat it.
      if (!AXIS_HOURS.has(slot.hour) || seen.has(slot.hour)) return undefined;
      seen.add(slot.hour);
      return pad2(slot.hour);
    }),
  );
  return `${title} · ${notes.join(' · ')}\n\`\`\`${sparkline(slots.map((slot) => slot.calls))}\n${axis}\`\`\``;
}
