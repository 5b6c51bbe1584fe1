import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { StandIn } from '../../../../dev/stand-in/airudder-stand-in';
import { queryCurated } from '../../../../lambda/adapters/sql/duckdb-curated';
import type { SqlResult } from '../../../../lambda/domain/curated/curated-sql';
import { NAMED_QUERIES } from '../../../../lambda/domain/curated/named-queries';
import { startTestStandIn } from '../../../helpers/airudder';
import { EPISODE_INCIDENTS, recordEpisodes } from '../../../helpers/alert-episodes';
import { runTestCli } from '../../../helpers/cli';

/**
 * SQL that means the same in Athena and on a laptop. Athena (Trino) divides integers as integers,
 * truncating toward zero (7 / 2 = 3); DuckDB gives 3.5 unless told otherwise. `sql` tells it, so an
 * analyst's query answers here what it answers in Athena: checked against Athena's arithmetic done
 * in plain JavaScript on the curated records. The shipped queries and the portable analyst queries
 * cast where they want a fraction, so they answer the same under either rule: run under both.
 */

/** Two whole weeks and a bit, Monday 3 Nov to Tuesday 11 Nov 2025 (Jakarta). */
const FROM = '2025-11-01';
const TO = '2025-11-11';

/** Queries an analyst writes, with casts and NULLIF: the same answer under either division rule. */
const PORTABLE_QUERIES = [
  `SELECT "date", CAST(transfer_success_calls AS DOUBLE) / NULLIF(attempted_transfer_calls, 0) AS success
   FROM daily ORDER BY "date"`,
  `SELECT "hour", CAST(SUM(valid_calls) AS DOUBLE) / NULLIF(SUM(total_calls), 0) AS valid_share
   FROM hourly GROUP BY "hour" ORDER BY "hour"`,
  `SELECT "date", "key", CAST("count" AS DOUBLE) / SUM("count") OVER (PARTITION BY "date") AS share
   FROM distributions WHERE kind = 'story' ORDER BY "date", "key"`,
  `SELECT "hour", CAST(SUM(total_calls) AS DOUBLE) / COUNT(DISTINCT "date") AS calls_per_day
   FROM hourly GROUP BY "hour" ORDER BY "hour"`,
];

const DailySchema = z.object({
  date: z.string(),
  transfer_success_calls: z.number(),
  attempted_transfer_calls: z.number(),
});
const HourlySchema = z.object({ date: z.string(), hour: z.number(), total_calls: z.number() });

describe('sql: Athena arithmetic on a laptop', () => {
  let standIn: StandIn;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn({ incidents: [...EPISODE_INCIDENTS] });
    dir = await mkdtemp(join(tmpdir(), 'sql-dialect-'));
    const job = (argv: string[]) =>
      runTestCli(argv, {
        baseUrl: standIn.url,
        archiveDir: dir,
        env: { LOG_LEVEL: 'WARN' },
        now: () => new Date('2025-11-12T12:00:00Z'),
      });
    const backfill = await job(['backfill', '--from', FROM, '--to', TO, '--rate', '500']);
    expect(backfill.code, backfill.stderr).toBe(0);
    // Alert episodes as the checks record them, so alert_episodes has rows in two weeks.
    await recordEpisodes(job, FROM, TO);
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Every record of a curated table, read from its files without the code under test. */
  async function records<T>(table: string, schema: z.ZodType<T>): Promise<T[]> {
    const root = join(dir, 'curated', table);
    const rows: T[] = [];
    for (const partition of (await readdir(root)).sort()) {
      const text = await readFile(join(root, partition, `${table}.ndjson`), 'utf8');
      for (const line of text.split('\n').filter(Boolean)) rows.push(schema.parse(JSON.parse(line)));
    }
    return rows;
  }

  /** Trino's integer division: truncated toward zero. */
  const athenaDivide = (a: number, b: number) => Math.trunc(a / b);
  const rowsOf = (result: SqlResult) => result.rows.map((row) => [...row]);

  it('divides integers as Athena does: 7 / 2 is 3, and a transfer ratio of two counts is 0, not 0.94', async () => {
    // Prepare
    const daily = await records('daily', DailySchema);
    const sql = `SELECT "date", transfer_success_calls / attempted_transfer_calls AS ratio FROM daily ORDER BY "date"`;
    // Act
    const athena = await queryCurated(dir, sql);
    const duckdbDefault = await queryCurated(dir, sql, { athenaIntegerDivision: false });
    const literal = await queryCurated(dir, 'SELECT 7 / 2 AS a, -7 / 2 AS b, 7 // 2 AS c');
    // Assess
    expect(rowsOf(athena)).toEqual(
      daily.map((row) => [row.date, athenaDivide(row.transfer_success_calls, row.attempted_transfer_calls)]),
    );
    expect(athena.rows.every((row) => row[1] === 0)).toBe(true);
    // The rule matters on this data: DuckDB's own division would have answered fractions.
    expect(duckdbDefault.rows.some((row) => typeof row[1] === 'number' && row[1] > 0 && row[1] < 1)).toBe(
      true,
    );
    expect(literal.rows).toEqual([[3, -3, 3]]);
  });

  it('answers an uncast average of counts as Athena would: the integer part', async () => {
    // Prepare
    const hourly = await records('hourly', HourlySchema);
    const sql = `SELECT "hour", SUM(total_calls) / COUNT(DISTINCT "date") AS calls_per_day FROM hourly GROUP BY "hour" ORDER BY "hour"`;
    // Act
    const result = await queryCurated(dir, sql);
    // Assess
    const hours = [...new Set(hourly.map((row) => row.hour))].sort((a, b) => a - b);
    expect(rowsOf(result)).toEqual(
      hours.map((hour) => {
        const rows = hourly.filter((row) => row.hour === hour);
        const sum = rows.reduce((total, row) => total + row.total_calls, 0);
        return [hour, athenaDivide(sum, new Set(rows.map((row) => row.date)).size)];
      }),
    );
  });

  it.each([
    ...NAMED_QUERIES.map((query) => [`named query ${query.name}`, query.sql] as const),
    ...PORTABLE_QUERIES.map((sql, index) => [`analyst query ${index + 1}`, sql] as const),
  ])('%s gives the same rows under Athena’s division and DuckDB’s', async (_name, sql) => {
    // Act
    const athena = await queryCurated(dir, sql);
    const duckdb = await queryCurated(dir, sql, { athenaIntegerDivision: false });
    // Assess
    expect(athena.rows.length).toBeGreaterThan(0);
    expect(athena).toEqual(duckdb);
  });

  it('the weekly transfer share is the sum of picked-up transfers over the sum attempted, from the records', async () => {
    // Prepare
    const daily = await records('daily', DailySchema);
    // Act
    const result = await queryCurated(
      dir,
      NAMED_QUERIES.find((query) => query.name === 'transfer-success-per-week')?.sql ?? '',
    );
    // Assess: weeks start on Monday; 1–2 Nov belong to the week of 27 Oct
    const weekOf = (date: string) => {
      const day = new Date(`${date}T00:00:00Z`);
      day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
      return day.toISOString().slice(0, 10);
    };
    const weeks = [...new Set(daily.map((row) => weekOf(row.date)))].sort();
    expect(rowsOf(result)).toEqual(
      weeks.map((week) => {
        const rows = daily.filter((row) => weekOf(row.date) === week);
        const attempted = rows.reduce((sum, row) => sum + row.attempted_transfer_calls, 0);
        const succeeded = rows.reduce((sum, row) => sum + row.transfer_success_calls, 0);
        return [week, attempted, succeeded, Math.round((succeeded / attempted) * 10_000) / 10_000];
      }),
    );
  });

  it('time to resolve per rule and week is what the alert state recorded: firing to resolved, in minutes', async () => {
    // Prepare: the episodes straight from the alert state document, not through the curated code
    const state = JSON.parse(await readFile(join(dir, 'state', 'alerts.json'), 'utf8')) as {
      episodes: Array<{ ruleId: string; firedAt?: string; resolvedAt?: string; began: string }>;
    };
    const fired = state.episodes.filter((episode) => episode.firedAt !== undefined);
    const jakartaWeek = (instant: string) => {
      const day = new Date(Date.parse(instant) + 7 * 3_600_000);
      day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
      return day.toISOString().slice(0, 10);
    };
    // Act
    const result = await queryCurated(
      dir,
      NAMED_QUERIES.find((query) => query.name === 'time-to-resolve-per-week')?.sql ?? '',
    );
    // Assess: both incidents fired and resolved, in their own weeks
    expect(new Set(fired.map((episode) => jakartaWeek(episode.began)))).toEqual(
      new Set(['2025-11-03', '2025-11-10']),
    );
    const groups = new Map<string, { rule: string; week: string; minutes: number[] }>();
    for (const episode of fired) {
      const [rule, week] = [episode.ruleId, jakartaWeek(episode.began)];
      const minutes = (Date.parse(episode.resolvedAt ?? '') - Date.parse(episode.firedAt ?? '')) / 60_000;
      const group = groups.get(`${rule} ${week}`) ?? { rule, week, minutes: [] };
      groups.set(`${rule} ${week}`, { ...group, minutes: [...group.minutes, minutes] });
    }
    const expected = [...groups.values()]
      .map(({ rule, week, minutes }) => {
        const average = minutes.reduce((a, b) => a + b, 0) / minutes.length;
        return { rule, week, episodes: minutes.length, average, max: Math.max(...minutes) };
      })
      .sort((a, b) => a.week.localeCompare(b.week) || a.rule.localeCompare(b.rule));
    expect(expected.every((group) => group.max > 0)).toBe(true);
    expect(result.columns).toEqual([
      'rule_id',
      'week_start',
      'episodes',
      'resolved',
      'avg_minutes_to_resolve',
      'max_minutes_to_resolve',
      'reached_crit',
    ]);
    expect(rowsOf(result).map((row) => row.slice(0, 6))).toEqual(
      expected.map((group) => [
        group.rule,
        group.week,
        group.episodes,
        group.episodes,
        Math.round(group.average * 10) / 10,
        group.max,
      ]),
    );
  });
});
