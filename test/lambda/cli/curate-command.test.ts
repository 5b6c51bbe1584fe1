import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import { startTestStandIn } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';
import { startS3Emulator } from '../../helpers/s3-emulator';

const NOW = new Date('2025-11-12T12:00:00Z');
const FROM = '2025-11-01';
const TO = '2025-11-05';

/** Every file under `dir`, relative, with its bytes. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) files.set(entry, await readFile(path, 'utf8'));
  }
  return files;
}

describe('airudder-monitor curate', () => {
  let standIn: StandIn;
  let dir: string;
  const temps: string[] = [];
  const job = (argv: string[], archiveDir = dir) =>
    runTestCli(argv, { baseUrl: standIn.url, archiveDir, env: { LOG_LEVEL: 'WARN' }, now: () => NOW });
  const temp = async (name: string) => {
    const path = await mkdtemp(join(tmpdir(), name));
    temps.push(path);
    return path;
  };

  beforeAll(async () => {
    standIn = await startTestStandIn();
    dir = await temp('curate-');
    expect((await job(['backfill', '--from', FROM, '--to', TO, '--rate', '500'])).code).toBe(0);
  });
  afterAll(async () => {
    await standIn.close();
    for (const path of temps) await rm(path, { recursive: true, force: true });
  });

  it('backfill already wrote the three tables of each day, and curate rebuilds them byte for byte', async () => {
    // Prepare
    const curated = join(dir, 'curated');
    const asBackfillWroteThem = await snapshot(curated);
    await rm(curated, { recursive: true });
    // Act
    const rebuilt = await job(['curate', '--from', FROM, '--to', TO]);
    const again = await job(['curate', '--from', FROM, '--to', TO]);
    // Assess
    expect([...asBackfillWroteThem.keys()].filter((key) => key.endsWith('.ndjson'))).toHaveLength(15);
    expect(await snapshot(curated)).toEqual(asBackfillWroteThem);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^2025-11-03 written \(1 daily, 24 hourly, \d+ distribution records\)$/m);
    expect(rebuilt.stdout).toContain(
      'Done: 5 written, 0 unchanged, 0 without a whole-day response, 0 failed.',
    );
    expect(again.stdout).toContain('Done: 0 written, 5 unchanged, 0 without a whole-day response, 0 failed.');
  });

  it('says which days have no whole-day response, and redraws one progress line on a terminal', async () => {
    // Act
    const result = await runTestCli(['curate', '--from', '2025-10-30', '--to', FROM], {
      baseUrl: standIn.url,
      archiveDir: dir,
      env: { LOG_LEVEL: 'WARN' },
      tty: true,
    });
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Done: 0 written, 1 unchanged, 2 without a whole-day response, 0 failed.',
    );
    expect(result.writes.at(-2)).toMatch(
      /3\/3 days 100% · written 0 · unchanged 1 · no-response 2 · failed 0/,
    );
  });

  it('catches a tampered curated record with verify, naming the line, the column and the raw value', async () => {
    // Prepare
    const daily = join(dir, 'curated/daily/date=2025-11-04/daily.ndjson');
    const original = await readFile(daily, 'utf8');
    const record = JSON.parse(original);
    await writeFile(daily, `${JSON.stringify({ ...record, total_calls: record.total_calls + 100 })}\n`);
    // Act
    const verify = await job(['verify']);
    await job(['curate', '--from', '2025-11-04', '--to', '2025-11-04']);
    const repaired = await job(['verify']);
    // Assess
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(
      `PROBLEM curated/daily/date=2025-11-04/daily.ndjson: line 1, total_calls: ${record.total_calls + 100} where ${record.source_key} gives ${record.total_calls}`,
    );
    expect(verify.stdout).toContain('Checked 15 curated objects');
    expect(await readFile(daily, 'utf8')).toBe(original);
    expect(repaired.code).toBe(0);
  });

  it('catches a curated line removed and a source_sha256 rewritten', async () => {
    // Prepare
    const copy = await temp('curate-tamper-');
    await job(['backfill', '--from', FROM, '--to', '2025-11-02', '--rate', '500'], copy);
    const hourly = join(copy, 'curated/hourly/date=2025-11-01/hourly.ndjson');
    const lines = (await readFile(hourly, 'utf8')).split('\n');
    await writeFile(hourly, lines.slice(1).join('\n'));
    const stories = join(copy, 'curated/distributions/date=2025-11-02/distributions.ndjson');
    await writeFile(
      stories,
      (await readFile(stories, 'utf8')).replace(/"source_sha256":"[0-9a-f]{4}/, '"source_sha256":"0000'),
    );
    // Act
    const verify = await job(['verify'], copy);
    // Assess
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      /PROBLEM curated\/hourly\/date=2025-11-01\/hourly.ndjson: line 1, hour: 1 where raw\/day\/\S+ gives 0/,
    );
    expect(verify.stdout).toMatch(
      /PROBLEM curated\/distributions\/date=2025-11-02\/distributions.ndjson: line 1: source_sha256 0000[0-9a-f]{60} is not the sha256 of raw\/day\//,
    );
  });

  it('brings a bucket archive down with --to-dir, and sql then answers from that folder', async () => {
    // Prepare
    const s3 = await startS3Emulator();
    const out = await temp('curate-out-');
    const env = { ARCHIVE_BUCKET: s3.bucket, ARCHIVE_PREFIX: 'acct', LOG_LEVEL: 'WARN' };
    const inBucket = (argv: string[]) =>
      runTestCli(argv, { baseUrl: standIn.url, env, s3Client: s3.client, now: () => NOW });
    try {
      expect((await inBucket(['backfill', '--from', FROM, '--to', '2025-11-02', '--rate', '500'])).code).toBe(
        0,
      );
      // Act
      const curate = await inBucket(['curate', '--from', FROM, '--to', '2025-11-02', '--to-dir', out]);
      const sql = await inBucket([
        'sql',
        'SELECT "date", total_calls FROM daily ORDER BY 1',
        '--json',
        '--dir',
        out,
      ]);
      // Assess
      expect(curate.code).toBe(0);
      expect(curate.stdout).toContain(`into ${join(out, 'curated')}`);
      const bucketDaily = await createS3ObjectStore(s3.client, s3.bucket, 'acct').get(
        'curated/daily/date=2025-11-01/daily.ndjson',
      );
      const folderDaily = await readFile(join(out, 'curated/daily/date=2025-11-01/daily.ndjson'));
      expect(Buffer.from(bucketDaily?.bytes ?? []).equals(folderDaily)).toBe(true);
      const rows = JSON.parse(sql.stdout);
      expect(rows.map((row: { date: string }) => row.date)).toEqual([FROM, '2025-11-02']);
      expect(rows[0].total_calls).toBe(JSON.parse(folderDaily.toString()).total_calls);
    } finally {
      await s3.close();
    }
  });

  it('exits 2 on a bad range, naming the flag', async () => {
    const result = await job(['curate', '--from', '2025-11-05', '--to', '2025-11-01']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--to: 2025-11-01 is before --from 2025-11-05');
  });
});
