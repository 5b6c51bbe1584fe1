import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFinishedHourCache, generateStatisticsBody } from '../dev/stand-in/statistics-generator';
import { createFolderObjectStore } from '../lambda/adapters/archive/folder-object-store';
import { queryCurated } from '../lambda/adapters/sql/duckdb-curated';
import type { ObjectStore } from '../lambda/domain/archive/object-store';
import { RAW_PREFIX, rawKeyOf, rawMetadata } from '../lambda/domain/archive/raw-archive';
import { namedQuery } from '../lambda/domain/curated/named-queries';
import { shiftDate, wholeDayWindow, windowEndInstant } from '../lambda/domain/statistics/query-window';
import { parseStatistics } from '../lambda/domain/statistics/schema';
import { sha256Hex } from '../lambda/shared/sha256';
import { curateRange } from '../lambda/use-cases/curate';
import type { Measured } from './measured';
import { median, type SectionResult } from './report';

/**
 * The curated tables at a year's scale (#16): one account's 365 whole-day responses, as the stand-in
 * generates them, archived into a folder; then
 *  - curate over the 365 days (cold, then again with nothing to change), as days per second;
 *  - the daily-trend named query in DuckDB over the curated folder, against the way to get the same
 *    answer without curated tables: reading and parsing every raw response in Node.
 * Both as ratios/throughput from this one run; the section checks its own answer against raw.
 * Self-contained: it needs no bench service, only a temporary folder.
 */

const DAYS = 365;
const FROM = '2024-11-01';
const ZONE = 'Asia/Jakarta';
/** A year must curate in well under a minute: 365 days in 10 s. */
const TARGET_DAYS_PER_SECOND = 36.5;
/** The SQL answer may cost at most what reading the raw archive once costs. */
const TARGET_SQL_RATIO = 1;

/**
 * In the bench's own process (DuckDB's native binding comes with the bench's Node), so its rows
 * name that Node.
 */
export async function benchCuratedSql(_measured: Measured, repeats: number): Promise<SectionResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-curated-'));
  try {
    const store = createFolderObjectStore(dir);
    const to = shiftDate(FROM, DAYS - 1);
    await archiveYear(store, to);

    const cold = await timed(() => curateRange({ store }, { from: FROM, to }));
    const warm = await timed(() => curateRange({ store }, { from: FROM, to }));
    if (cold.value.counts.written !== DAYS || warm.value.counts.unchanged !== DAYS) {
      throw new Error(
        `curate did not write ${DAYS} days once: ${JSON.stringify([cold.value.counts, warm.value.counts])}`,
      );
    }
    const records = cold.value.days.reduce(
      (sum, day) =>
        sum + ('records' in day ? day.records.daily + day.records.hourly + day.records.distributions : 0),
      0,
    );

    const trendSql = namedQuery('daily-trend')?.sql ?? '';
    const sqlRuns: number[] = [];
    const rawRuns: number[] = [];
    const selectOneRuns: number[] = [];
    let rawTotals = new Map<string, number>();
    let sqlRows: Awaited<ReturnType<typeof queryCurated>>['rows'] = [];
    for (let run = 0; run < repeats; run++) {
      const raw = await timed(() => totalsFromRaw(store));
      rawRuns.push(raw.ms);
      rawTotals = raw.value;
      const sql = await timed(() => queryCurated(dir, trendSql));
      sqlRuns.push(sql.ms);
      sqlRows = sql.value.rows;
      selectOneRuns.push((await timed(() => queryCurated(dir, 'SELECT 1'))).ms);
    }
    const wrong = sqlRows.filter((row) => rawTotals.get(String(row[0])) !== row[1]);
    if (sqlRows.length !== DAYS || wrong.length > 0) {
      throw new Error(`daily-trend disagrees with raw on ${wrong.length} of ${sqlRows.length} days`);
    }

    const daysPerSecond = DAYS / (cold.ms / 1000);
    const ratio = median(sqlRuns) / median(rawRuns);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    return {
      rows: [
        {
          section: 'Curated SQL',
          measure: `curate ${DAYS} days (${records} records), cold`,
          value: `${daysPerSecond.toFixed(0)} days/s`,
          target: `≥ ${TARGET_DAYS_PER_SECOND} days/s`,
          pass: daysPerSecond >= TARGET_DAYS_PER_SECOND,
          node: process.version,
        },
        {
          section: 'Curated SQL',
          measure: `sql daily-trend over ${DAYS} days ÷ reading the raw responses`,
          value: `${ratio.toFixed(2)}×`,
          target: `≤ ${TARGET_SQL_RATIO}×`,
          pass: ratio <= TARGET_SQL_RATIO,
          node: process.version,
        },
      ],
      details: [
        {
          title: `Curated tables over ${DAYS} days of one account (folder archive, median of ${repeats})`,
          headers: ['Step', 'Time', 'Throughput'],
          rows: [
            ['curate, cold (writes 3 objects a day)', ms(cold.ms), `${daysPerSecond.toFixed(0)} days/s`],
            [
              'curate again (nothing to change)',
              ms(warm.ms),
              `${(DAYS / (warm.ms / 1000)).toFixed(0)} days/s`,
            ],
            ['sql daily-trend (DuckDB, loads the daily table)', ms(median(sqlRuns)), '—'],
            ['sql SELECT 1 (DuckDB start-up alone)', ms(median(selectOneRuns)), '—'],
            ['same totals by parsing every raw response', ms(median(rawRuns)), '—'],
          ],
          note: 'The sql time includes starting DuckDB and loading the curated tables, as `npm run job -- sql` does each time.',
        },
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A year of whole-day responses from the stand-in's generator, archived as backfill would. */
async function archiveYear(store: ObjectStore, to: string): Promise<void> {
  const finishedHours = createFinishedHourCache();
  const now = new Date(`${shiftDate(to, 2)}T00:00:00Z`);
  for (let date = FROM; date <= to; date = shiftDate(date, 1)) {
    const window = wholeDayWindow(date, ZONE);
    const body = generateStatisticsBody({
      seed: 16,
      timeZone: ZONE,
      startTime: window.startTime,
      endTime: window.endTime,
      now,
      finishedHours,
    });
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const request = {
      kind: 'day' as const,
      window,
      referenceTime: windowEndInstant(window),
      fetched: {
        bytes,
        httpStatus: 200,
        fetchedAt: now,
        latencyMs: 0,
        attempts: 1,
        parsed: parseStatistics(bytes),
      },
    };
    // As fetchAndArchive stores it, without its curate step: curate is what is measured.
    await store.createIfAbsent(rawKeyOf(request), bytes, {
      contentType: 'application/json',
      metadata: rawMetadata(request, sha256Hex(bytes)),
    });
  }
}

/** What one would do without curated tables: read and parse every raw whole-day response. */
async function totalsFromRaw(store: ObjectStore): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const key of await store.list(`${RAW_PREFIX}day/`)) {
    const object = await store.get(key);
    const parsed = object && parseStatistics(object.bytes);
    if (parsed?.verdict !== 'valid') continue;
    const row = parsed.value.data.realtime?.daily?.data_list[0];
    if (row?.date !== undefined && typeof row.total_calls === 'number') totals.set(row.date, row.total_calls);
  }
  return totals;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}
