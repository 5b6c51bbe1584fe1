import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { queryCurated } from '../../../lambda/adapters/sql/duckdb-curated';
import { NAMED_QUERIES } from '../../../lambda/domain/curated/named-queries';
import { shiftDate } from '../../../lambda/domain/statistics/query-window';
import { startTestStandIn } from '../../helpers/airudder';
import { EPISODE_INCIDENTS, recordEpisodes } from '../../helpers/alert-episodes';
import { runTestCli } from '../../helpers/cli';

/** 19:00 on 12 Nov in Jakarta: the 11th is the last whole day. */
const NOW = new Date('2025-11-12T12:00:00Z');
const TO = '2025-11-10';
const FROM = shiftDate(TO, -29);
const run = promisify(execFile);

describe('airudder-monitor sql, after a 30-day backfill on the stand-in (folder archive)', () => {
  let standIn: StandIn;
  let dir: string;
  const job = (argv: string[], env: Record<string, string> = {}) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: dir,
      env: { LOG_LEVEL: 'WARN', ...env },
      now: () => NOW,
    });

  beforeAll(async () => {
    standIn = await startTestStandIn({ incidents: [...EPISODE_INCIDENTS] });
    dir = await mkdtemp(join(tmpdir(), 'sql-'));
    const backfill = await job([
      'backfill',
      '--from',
      FROM,
      '--to',
      TO,
      '--rate',
      '500',
      '--concurrency',
      '8',
    ]);
    expect(backfill.code).toBe(0);
    // Two incidents checked through, so alert_episodes (and its named query) has rows.
    await recordEpisodes(job, FROM, TO);
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** total_calls of each day, read straight from the raw responses (not through the curated code). */
  async function rawTotals(): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    for (const date of await readdir(join(dir, 'raw', 'day'))) {
      const [file] = (await readdir(join(dir, 'raw', 'day', date))).filter(
        (name) => !name.endsWith('.meta.json'),
      );
      const response = JSON.parse(await readFile(join(dir, 'raw', 'day', date, file as string), 'utf8'));
      const row = response.data.realtime.daily.data_list.find((r: { date: string }) => r.date === date);
      totals.set(date, Number(row?.total_calls ?? response.data.realtime.total.total_calls));
    }
    return totals;
  }

  it('answers the daily-trend query with the totals of the raw responses, one row per day in date order', async () => {
    // Act
    const result = await job(['sql', '--named', 'daily-trend', '--json']);
    // Assess
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ date: string; total_calls: number }>;
    const totals = await rawTotals();
    expect(rows).toHaveLength(30);
    expect(rows.map((row) => row.date)).toEqual([...totals.keys()].sort());
    for (const row of rows) expect(row.total_calls).toBe(totals.get(row.date));
    expect(rows.every((row) => row.total_calls > 0)).toBe(true);
  });

  it('sums the same total in ad-hoc SQL, as hourly rows add up to the day, and prints a table', async () => {
    // Act
    const result = await job([
      'sql',
      'SELECT d.total_calls AS day_calls, SUM(h.total_calls) AS hour_calls FROM daily d JOIN hourly h USING ("date") ' +
        `WHERE d."date" = '${TO}' GROUP BY d.total_calls`,
    ]);
    const sum = await job(['sql', 'SELECT SUM(total_calls) AS calls, COUNT(*) AS days FROM daily', '--json']);
    // Assess
    expect(result.code).toBe(0);
    const [header, rule, row, count] = result.stdout.split('\n');
    expect(header).toMatch(/^day_calls │ hour_calls$/);
    expect(rule).toMatch(/^─+─┼──+$/);
    const [dayCalls, hourCalls] = (row ?? '').split('│').map((cell) => Number(cell.trim()));
    expect(dayCalls).toBe((await rawTotals()).get(TO));
    expect(hourCalls).toBe(dayCalls);
    expect(count).toBe('(1 row)');
    const expected = [...(await rawTotals()).values()].reduce((a, b) => a + b, 0);
    expect(JSON.parse(sum.stdout)).toEqual([{ calls: expected, days: 30 }]);
  });

  it.each(NAMED_QUERIES.map((query) => [query.name, query.sql]))(
    'runs the named query %s unchanged in DuckDB and returns rows',
    async (_name, sql) => {
      // Act
      const result = await queryCurated(dir, sql);
      // Assess
      expect(result.rows.length).toBeGreaterThan(0);
      expect(result.rows.flat().some((cell) => cell === null)).toBe(false);
    },
  );

  it('ranks the busiest hours over all 30 days and the top five stories of each week', async () => {
    // Act
    const hours = JSON.parse((await job(['sql', '--named', 'busiest-hours', '--json'])).stdout);
    const stories = JSON.parse((await job(['sql', '--named', 'top-stories-per-week', '--json'])).stdout);
    // Assess
    expect(hours).toHaveLength(24);
    expect(hours[0].total_calls).toBeGreaterThanOrEqual(hours[23].total_calls);
    expect(hours.every((hour: { days: number }) => hour.days === 30)).toBe(true);
    // 12 Oct (a Sunday) to 10 Nov: six Monday-started weeks, five stories each.
    const weeks = [...new Set(stories.map((row: { week_start: string }) => row.week_start))];
    expect(weeks).toEqual([
      '2025-10-06',
      '2025-10-13',
      '2025-10-20',
      '2025-10-27',
      '2025-11-03',
      '2025-11-10',
    ]);
    expect(stories).toHaveLength(30);
  });

  it('prints CSV with a header, quoting what needs it', async () => {
    // Act
    const result = await job([
      'sql',
      `SELECT "date", 'a,"b"' AS label FROM daily ORDER BY "date" LIMIT 2`,
      '--csv',
    ]);
    // Assess
    expect(result.stdout).toBe(`date,label\n${FROM},"a,""b"""\n${shiftDate(FROM, 1)},"a,""b"""`);
  });

  it('downloads no extension and cannot write files, so it works offline and leaves the archive alone', async () => {
    // Prepare
    const extensions = await mkdtemp(join(tmpdir(), 'duckdb-ext-'));
    // Act
    const result = await queryCurated(dir, NAMED_QUERIES[0].sql, { extensionDirectory: extensions });
    const copy = await queryCurated(dir, `COPY daily TO '${join(dir, 'leak.csv')}'`).catch(
      (error: Error) => error,
    );
    const install = await queryCurated(dir, 'INSTALL httpfs').catch((error: Error) => error);
    // Assess
    expect(result.rows).toHaveLength(30);
    expect(await readdir(extensions)).toEqual([]);
    expect(String(copy)).toMatch(/disabled by configuration/);
    expect(String(install)).toMatch(/disabled by configuration/);
    expect(await readdir(dir)).not.toContain('leak.csv');
    await rm(extensions, { recursive: true, force: true });
  });

  it('answers as npm run job does, in a process with no network at all (its own empty network namespace)', async () => {
    // Act
    const { stdout } = await run(
      'unshare',
      [
        '--net',
        process.execPath,
        '--import',
        'tsx',
        'lambda/cli.ts',
        'sql',
        '--named',
        'daily-trend',
        '--json',
      ],
      {
        cwd: join(__dirname, '..', '..', '..'),
        env: { PATH: process.env.PATH, ARCHIVE_DIR: dir, AIRUDDER_TIMEZONE: 'Asia/Jakarta', HOME: dir },
        timeout: 60_000,
      },
    );
    // Assess
    const rows = JSON.parse(stdout) as Array<{ date: string; total_calls: number }>;
    expect(rows).toHaveLength(30);
    expect(rows[0]?.total_calls).toBe((await rawTotals()).get(FROM));
  }, 60_000);

  it('names the unknown table and the tables there are, exit 1', async () => {
    // Act
    const result = await job(['sql', 'SELECT * FROM dayly']);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/sql failed: .*dayly/s);
    expect(result.stderr).toContain('tables: daily, hourly, distributions');
  });

  it('rejects a bad invocation with exit 2 and says what to do', async () => {
    // Act
    const none = await job(['sql']);
    const unknown = await job(['sql', '--named', 'weekly']);
    const both = await job(['sql', 'SELECT 1', '--json', '--csv']);
    const bucket = await runTestCli(['sql', 'SELECT 1'], {
      baseUrl: standIn.url,
      env: { ARCHIVE_BUCKET: 'archive', LOG_LEVEL: 'WARN' },
    });
    // Assess
    expect([none.code, unknown.code, both.code, bucket.code]).toEqual([2, 2, 2, 2]);
    expect(none.stderr).toContain('expected a SQL statement in quotes');
    expect(unknown.stderr).toContain('no query "weekly"; the named queries are daily-trend, busiest-hours');
    expect(both.stderr).toContain('choose one output format');
    expect(bucket.stderr).toContain('curate --from YYYY-MM-DD --to YYYY-MM-DD --to-dir FOLDER');
  });

  it('answers with empty tables, not an error, before anything is curated', async () => {
    // Prepare
    const empty = await mkdtemp(join(tmpdir(), 'sql-empty-'));
    // Act
    const result = await runTestCli(['sql', 'SELECT COUNT(*) AS n FROM daily', '--json'], {
      baseUrl: standIn.url,
      archiveDir: empty,
    });
    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ n: 0 }]);
    await rm(empty, { recursive: true, force: true });
  });
});

describe('npm run job -- sql output that a terminal or a spreadsheet would obey (#22 finding 11)', () => {
  let empty: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'sql-output-'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });
  const sql = (argv: string[]) =>
    runTestCli(['sql', ...argv], {
      baseUrl: 'http://127.0.0.1:9',
      archiveDir: empty,
      env: { LOG_LEVEL: 'WARN' },
    });

  it('prints a story name carrying terminal escape sequences as visible escapes', async () => {
    // Act: an OSC title change and a screen clear, as a story name could hold them
    const result = await sql([
      `SELECT chr(27) || ']0;pwned' || chr(7) || chr(27) || '[2J' || chr(155) AS story`,
    ]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\\x1b]0;pwned\\x07\\x1b[2J\\x9b');
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).not.toContain('\u009b');
  });

  it('neutralises CSV cells a spreadsheet would run as formulas, and leaves negative numbers alone', async () => {
    const result = await sql([
      `SELECT '=HYPERLINK(''http://x'')' AS a, '+1' AS b, '-2+3' AS c, '@SUM(A1)' AS d, -3 AS n`,
      '--csv',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`a,b,c,d,n\n'=HYPERLINK('http://x'),'+1,'-2+3,'@SUM(A1),-3`);
  });

  it('streams 3 million rows to the end without a stack overflow', async () => {
    // Act
    const result = await sql(['SELECT range AS n FROM range(3000000)']);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.endsWith('2999999\n(3000000 rows)')).toBe(true);
  }, 120_000);
});

describe('npm run job -- sql --dir FOLDER', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sql-dir-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  const sql = (argv: string[], env: Record<string, string | undefined> = {}) =>
    runTestCli(['sql', ...argv], { baseUrl: 'http://127.0.0.1:9', env: { LOG_LEVEL: 'WARN', ...env } });

  it('refuses a folder that does not exist with exit 2 naming it, instead of answering 0 rows', async () => {
    // Act
    const missing = await sql(['--dir', join(folder, 'typo'), '--named', 'daily-trend'], {
      ARCHIVE_DIR: folder,
    });
    const file = await sql([`--dir=${join(folder, '..', 'sql-dir-not-a-folder-file')}`, 'SELECT 1']);
    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`--dir ${join(folder, 'typo')}: no such folder`);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('no such folder');
  });

  it('refuses a file given as the folder', async () => {
    // Prepare
    const file = join(folder, 'daily.ndjson');
    await writeFile(file, '');
    // Act
    const result = await sql(['--dir', file, 'SELECT 1']);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--dir ${file}: not a folder`);
  });

  it('reads no archive configuration: a copied curated folder is enough', async () => {
    // Act: neither ARCHIVE_DIR nor ARCHIVE_BUCKET, nor the account's zone
    const result = await sql(['--dir', folder, 'SELECT COUNT(*) AS n FROM daily', '--json'], {
      ARCHIVE_DIR: undefined,
      AIRUDDER_TIMEZONE: undefined,
    });
    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ n: 0 }]);
  });
});
