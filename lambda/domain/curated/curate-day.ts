import {
  formatUtcOffset,
  isKnownTimeZone,
  parseWallClock,
  wallClockInstants,
  zoneOffsetMs,
} from '../shared/local-time';
import { dayRows } from '../statistics/day-rows';
import { firstNumber, numberOf } from '../statistics/numbers';
import type { Distribution, StatisticsResponse } from '../statistics/schema';
import {
  CALL_FIGURES,
  type Column,
  type CuratedTable,
  type DistributionKind,
  type RawCuratedTable,
  REALTIME_EXTRA_FIGURES,
  TABLE_COLUMNS,
} from './curated-tables';

/** A curated record: column name → value; every column of its table is present, null when unknown. */
export type CuratedRecord = Readonly<Record<string, string | number | boolean | null>>;
export type CuratedDay = Readonly<Record<RawCuratedTable, readonly CuratedRecord[]>>;

/** The raw object a day is curated from. */
export interface CurationSource {
  readonly key: string;
  readonly sha256: string;
  readonly timeZone: string;
}

/**
 * The curated records of one local date from a whole-day response. Figures are the ones AIRUDDER
 * published, never derived: per realtime figure the daily row of the date, then the realtime total
 * (a whole-day window, so it is the day's); offline figures only from the offline row of the date
 * (its totals are zero until the batch has run, and a zero must not pass for a figure). A count that
 * is not a whole number is recorded as null (its column is bigint); the raw response keeps it.
 */
export function curateDay(response: StatisticsResponse, date: string, source: CurationSource): CuratedDay {
  const rows = dayRows(response, date);
  const daily = rows.realtimeDaily;
  const total = rows.realtimeTotal;
  const offline = rows.offlineDaily;
  const offlineTotal = offline ? (response.data.offline?.total ?? undefined) : undefined;
  const users = offline?.user_distribution ?? undefined;
  const fake = offline?.fake_receipts_distribution ?? undefined;
  const satisfied = daily?.satisfied_distribution ?? undefined;
  const sourceFields = { source_key: source.key, source_sha256: source.sha256 };

  const realtime: Record<string, unknown> = {};
  for (const { name } of [...CALL_FIGURES, ...REALTIME_EXTRA_FIGURES]) {
    realtime[name] = firstNumber(daily?.[name], total?.[name]);
  }
  // Daily rows carry the two satisfaction rates inside satisfied_distribution, beside the 1–5 counts.
  for (const name of ['robot_evaluation_rate', 'robot_satisfied_rate']) {
    realtime[name] = firstNumber(daily?.[name], satisfied?.[name], total?.[name]);
  }

  const dailyRecord = record('daily', {
    date,
    time_zone: source.timeZone,
    ...realtime,
    max_concurrent_call_count: offline?.max_concurrent_call_count,
    offline_one_call_problem_solve_rate: offline?.one_call_problem_solve_rate,
    offline_call_users: users?.call_users,
    offline_valid_users: users?.valid_users,
    offline_new_users: users?.new_users,
    offline_old_users: users?.old_users,
    fake_receipts_count: fake?.fake_receipts_count,
    daily_deduplicated_fake_receipts_count: fake?.daily_deduplicated_fake_receipts_count,
    ticket_count: offlineTotal?.ticket_count,
    deduplicated_fake_receipts_count: offlineTotal?.deduplicated_fake_receipts_count,
    realtime_in: daily !== undefined || total !== undefined,
    offline_in: offline !== undefined,
    ...sourceFields,
  });

  // The n-th row of a local hour is its n-th occurrence: on a fall-back day AIRUDDER lists the
  // repeated hour twice, the earlier (summer-time) one first.
  const seen = new Map<number, number>();
  const hourly = (response.data.realtime?.hourly?.data_list ?? []).flatMap((row) => {
    const hour = hourOf(row.time, date);
    if (hour === undefined) return [];
    const occurrence = seen.get(hour) ?? 0;
    seen.set(hour, occurrence + 1);
    const start = hourStart(date, hour, occurrence, source.timeZone);
    return [record('hourly', { ...row, date, hour, ...start, ...sourceFields })];
  });

  const distributions: Array<[DistributionKind, Distribution | null | undefined]> = [
    ['story', daily?.story_distribution ?? total?.story_distribution],
    ['intention', daily?.intention_distribution ?? total?.intention_distribution],
    ['hangup', daily?.hangup_type_distribution],
    ['satisfaction', scoresOnly(satisfied)],
    ['transfer_reason', offline?.transfer_reason_distribution],
    ['ticket', offline?.ticket_distribution],
  ];
  return {
    daily: [dailyRecord],
    hourly,
    distributions: distributions.flatMap(([kind, distribution]) =>
      Object.entries(distribution ?? {}).map(([key, count]) =>
        record('distributions', { date, kind, key, count, ...sourceFields }),
      ),
    ),
  };
}

/** One line per record, keys in column order, '\n' after each: the same records give the same bytes. */
export function encodeNdjson(records: readonly CuratedRecord[]): Uint8Array {
  return new TextEncoder().encode(records.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

/** Every column of `table`, in order, typed; anything else in `values` is dropped. */
function record(table: CuratedTable, values: Readonly<Record<string, unknown>>): CuratedRecord {
  return Object.fromEntries(TABLE_COLUMNS[table].map((column) => [column.name, typed(column, values)]));
}

function typed(column: Column, values: Readonly<Record<string, unknown>>): string | number | boolean | null {
  const value = values[column.name];
  switch (column.type) {
    case 'string':
      return typeof value === 'string' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'double':
      return numberOf(value) ?? null;
    case 'bigint': {
      const number = numberOf(value);
      return number !== undefined && Number.isSafeInteger(number) ? number : null;
    }
  }
}

/** The local hour of an hourly row of `date` ('YYYY-MM-DD HH:…'); undefined for rows of other dates. */
function hourOf(time: string, date: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):/.exec(time);
  if (!match || match[1] !== date) return undefined;
  const hour = Number(match[2]);
  return hour <= 23 ? hour : undefined;
}

/**
 * The UTC start of the `occurrence`-th local hour `hour` of `date`, and the zone's offset then;
 * nothing (null columns) for an hour the clocks skipped or a zone the archive did not record.
 */
function hourStart(
  date: string,
  hour: number,
  occurrence: number,
  timeZone: string,
): { hour_start_utc: string; utc_offset: string } | undefined {
  const clock = parseWallClock(`${date} ${String(hour).padStart(2, '0')}:00:00`);
  if (clock === undefined || timeZone === '' || !isKnownTimeZone(timeZone)) return undefined;
  const instant = wallClockInstants(clock, timeZone)[occurrence];
  if (instant === undefined) return undefined;
  return {
    hour_start_utc: `${instant.toISOString().slice(0, 19)}Z`,
    utc_offset: formatUtcOffset(zoneOffsetMs(instant, timeZone)),
  };
}

/** The ratings "1".."5" of satisfied_distribution, without the rates AIRUDDER mixes into it. */
function scoresOnly(distribution: Distribution | undefined): Distribution | undefined {
  if (distribution === undefined) return undefined;
  return Object.fromEntries(Object.entries(distribution).filter(([key]) => /^[1-5]$/.test(key)));
}
