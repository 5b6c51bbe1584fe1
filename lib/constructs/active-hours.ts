/**
 * When a check schedule runs, as CloudWatch metric math can test it: the hours of the week (in UTC,
 * as metric math's HOUR() and DAY() read timestamps) in which the schedule certainly runs, so the
 * "no successful check" alarm can ignore the hours in which it does not.
 */

const HOURS_PER_WEEK = 7 * 24;
const DAY_NAMES = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** One flag per hour of the week, Monday 00:00 first (metric math: DAY() 1 = Monday … 7 = Sunday). */
export type WeekHours = readonly boolean[];

export interface ScheduleHours {
  /** Hours of the week, in UTC, in which at least one run starts in every occurrence of the hour. */
  readonly utc: WeekHours;
  /** The minutes of an hour at which a cron schedule runs. */
  readonly minutes: readonly number[];
  /** A rate schedule's interval: its runs are not aligned to the hour. */
  readonly rateMinutes?: number;
  /** What the analysis could not express (a day-of-month, month or year field): checked every day. */
  readonly caveats: readonly string[];
}

/**
 * The alarm periods (by the UTC hour of the week they start in) that must contain a successful
 * check, for an alarm whose period is `windowMinutes`: a period of an hour or less inside an active
 * hour, a longer one that covers at least one active hour. Throws when the window cannot line up
 * with the schedule (a period that may hold no run) or when no period is sure to hold a run.
 */
export function watchedPeriods(schedule: ScheduleHours, windowMinutes: number): WeekHours {
  if (schedule.rateMinutes !== undefined) {
    if (windowMinutes < schedule.rateMinutes)
      throw new Error(
        `is ${windowMinutes} minutes, shorter than the check schedule's ${schedule.rateMinutes}: the alarm would fire between runs`,
      );
    return schedule.utc;
  }
  if (windowMinutes <= 60) {
    if (60 % windowMinutes !== 0)
      throw new Error(
        `must divide an hour (5, 10, 15, 20, 30, 60) or be a multiple of 60, not ${windowMinutes}`,
      );
    for (let start = 0; start < 60; start += windowMinutes) {
      if (!schedule.minutes.some((minute) => minute >= start && minute < start + windowMinutes))
        throw new Error(
          `is ${windowMinutes} minutes, but the check schedule makes no run between minute ${start} and ${start + windowMinutes} of an hour: the alarm would fire between runs`,
        );
    }
    if (!schedule.utc.some(Boolean))
      throw new Error(
        `is ${windowMinutes} minutes, but no hour is sure to hold a check in every season: use a longer window (e.g. 1440 for a daily check)`,
      );
    return schedule.utc;
  }
  if (windowMinutes % 60 !== 0)
    throw new Error(
      `must divide an hour (5, 10, 15, 20, 30, 60) or be a multiple of 60, not ${windowMinutes}`,
    );
  const hours = windowMinutes / 60;
  const watched = schedule.utc.map((_, start) =>
    range(0, hours - 1).some((k) => schedule.utc[(start + k) % HOURS_PER_WEEK]),
  );
  if (!watched.some(Boolean)) throw new Error('covers no hour in which the check schedule is sure to run');
  return watched;
}

/**
 * Analyses an EventBridge Scheduler expression evaluated in `timeZone`. A `rate()` runs in every
 * hour. For a `cron()`, an hour of the week is active when the hours and day-of-week fields both
 * select it. A UTC hour counts only if it lies wholly inside active local time at every UTC offset
 * the zone uses (daylight saving time included), so the alarm never expects a run the schedule does
 * not make; the price is that an hour at the edge of the window may go unwatched in one season.
 */
export function scheduleHours(expression: string, timeZone: string, now = new Date()): ScheduleHours {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression.trim());
  if (rate) {
    const rateMinutes =
      Number(rate[1]) * { minute: 1, hour: 60, day: 1440 }[rate[2] as 'minute' | 'hour' | 'day'];
    return { utc: Array(HOURS_PER_WEEK).fill(true), minutes: [], rateMinutes, caveats: [] };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron?.[1]) throw new Error(`${expression} is neither a cron() nor a rate() expression`);
  const [minutesField = '0', hoursField = '*', dayOfMonth = '*', month = '*', dayOfWeek = '?', year = '*'] =
    cron[1].split(' ');
  const caveats = [
    ['day-of-month', dayOfMonth],
    ['month', month],
    ['year', year],
  ]
    .filter(([, value]) => value !== '*' && value !== '?')
    .map(([name, value]) => `its ${name} field (${value})`);

  const hours = parseField(hoursField, 0, 23) ?? range(0, 23);
  // Scheduler numbers days 1 = SUN … 7 = SAT; `L` and `#` cannot be expressed: every day then.
  const daysSunFirst = parseField(dayOfWeek, 1, 7, ['SUN', ...DAY_NAMES.slice(0, 6)]);
  if (daysSunFirst === undefined) caveats.push(`its day-of-week field (${dayOfWeek})`);
  const isoDays = (daysSunFirst ?? range(1, 7)).map((day) => (day === 1 ? 7 : day - 1));

  const local = Array.from({ length: HOURS_PER_WEEK }, (_, index) => {
    const day = Math.floor(index / 24) + 1;
    return isoDays.includes(day) && hours.includes(index % 24);
  });
  const offsets = zoneOffsetsMinutes(timeZone, now);
  const utc = Array.from({ length: HOURS_PER_WEEK }, (_, index) =>
    offsets.every((offset) => {
      // The local hours this UTC hour overlaps: one for whole-hour offsets, two for +05:30.
      const start = index * 60 + offset;
      return [start, start + 59].every((minute) => local[mod(Math.floor(minute / 60), HOURS_PER_WEEK)]);
    }),
  );
  return { utc, minutes: parseField(minutesField, 0, 59) ?? [], caveats };
}

/**
 * A metric math condition on the series `clock` that is true in the active hours: `HOUR(clock)`
 * ranges, grouped by `DAY(clock)` only when days differ. Undefined when every hour is active.
 */
export function activeHoursCondition(week: WeekHours, clock: string): string | undefined {
  if (week.every(Boolean)) return undefined;
  const dayPatterns = new Map<string, number[]>();
  for (let day = 1; day <= 7; day++) {
    const hours = range(0, 23).filter((hour) => week[(day - 1) * 24 + hour]);
    const key = hours.join(',');
    dayPatterns.set(key, [...(dayPatterns.get(key) ?? []), day]);
  }
  const hourCondition = (hours: number[]) =>
    runs(hours)
      .map(([from, to]) =>
        from === to ? `HOUR(${clock}) == ${from}` : `(HOUR(${clock}) >= ${from} && HOUR(${clock}) <= ${to})`,
      )
      .join(' || ');
  if (dayPatterns.size === 1) return hourCondition(range(0, 23).filter((hour) => week[hour]));
  const groups = [...dayPatterns]
    .filter(([key]) => key !== '')
    .map(([key, days]) => {
      const dayCondition = runs(days)
        .map(([from, to]) =>
          from === to ? `DAY(${clock}) == ${from}` : `(DAY(${clock}) >= ${from} && DAY(${clock}) <= ${to})`,
        )
        .join(' || ');
      const hours = key.split(',').map(Number);
      return hours.length === 24 ? `(${dayCondition})` : `((${dayCondition}) && (${hourCondition(hours)}))`;
    });
  return groups.join(' || ');
}

/** Parses one cron field into its values; undefined for syntax metric math cannot follow (L, W, #). */
function parseField(field: string, min: number, max: number, names: string[] = []): number[] | undefined {
  if (field === '*' || field === '?') return range(min, max);
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[A-Z0-9]+)(?:-([A-Z0-9]+))?(?:\/(\d+))?$/i.exec(part);
    if (!match) return undefined;
    const value = (text: string) => {
      const index = names.indexOf(text.toUpperCase());
      return index >= 0 ? index + min : Number(text);
    };
    const from = match[1] === '*' ? min : value(match[1] ?? '');
    const to =
      match[2] !== undefined ? value(match[2]) : match[3] !== undefined || match[1] === '*' ? max : from;
    const step = Number(match[3] ?? 1);
    if (![from, to, step].every(Number.isInteger) || from < min || to > max || step < 1) return undefined;
    for (let current = from; current <= to; current += step) values.add(current);
  }
  return [...values].sort((a, b) => a - b);
}

/** Every UTC offset (minutes east) the zone uses in the year from `now`, sampled daily. */
function zoneOffsetsMinutes(timeZone: string, now: Date): number[] {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const offsets = new Set<number>();
  for (let day = 0; day < 366; day++) {
    const name =
      format.formatToParts(new Date(now.getTime() + day * 86_400_000)).find((p) => p.type === 'timeZoneName')
        ?.value ?? 'GMT';
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    offsets.add(match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0);
  }
  return [...offsets];
}

/** [1,2,3,5] → [[1,3],[5,5]] */
function runs(values: number[]): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (const value of values) {
    const last = result.at(-1);
    if (last && last[1] === value - 1) last[1] = value;
    else result.push([value, value]);
  }
  return result;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
