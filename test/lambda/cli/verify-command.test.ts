import { cp, link, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import { sha256Hex } from '../../../lambda/shared/sha256';
import { startTestStandIn } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';
import { startS3Emulator } from '../../helpers/s3-emulator';

const NOW = new Date('2025-11-12T12:00:00Z');
const BACKFILL = ['backfill', '--from', '2025-11-01', '--to', '2025-11-05', '--rate', '200'];

/** The CLI with the archive either in `dir` or in the emulated bucket under `prefix`. */
const job = (
  argv: string[],
  standIn: StandIn,
  archive: { dir: string } | { s3: Awaited<ReturnType<typeof startS3Emulator>>; prefix: string },
) =>
  runTestCli(argv, {
    baseUrl: standIn.url,
    env: {
      LOG_LEVEL: 'WARN',
      ...('dir' in archive
        ? { ARCHIVE_DIR: archive.dir }
        : { ARCHIVE_BUCKET: archive.s3.bucket, ARCHIVE_PREFIX: archive.prefix }),
    },
    s3Client: 's3' in archive ? archive.s3.client : undefined,
    now: () => NOW,
  });

/** The one whole-day key of `date`. */
async function dayKey(list: (prefix: string) => Promise<string[]>, date: string): Promise<string> {
  const [key] = await list(`raw/day/${date}/`);
  if (key === undefined) throw new Error(`nothing archived for ${date}`);
  return key;
}

describe('airudder-monitor verify, on a folder archive', () => {
  let standIn: StandIn;
  let pristine: string;
  const copies: string[] = [];
  beforeAll(async () => {
    standIn = await startTestStandIn();
    pristine = await mkdtemp(join(tmpdir(), 'verify-pristine-'));
    expect((await job(BACKFILL, standIn, { dir: pristine })).code).toBe(0);
  });
  afterAll(async () => {
    await standIn.close();
    for (const dir of [pristine, ...copies]) await rm(dir, { recursive: true, force: true });
  });

  /** A fresh copy of the backfilled archive, for one test to change. */
  async function archiveCopy() {
    const dir = await mkdtemp(join(tmpdir(), 'verify-'));
    copies.push(dir);
    await cp(pristine, dir, { recursive: true });
    const store = createFolderObjectStore(dir);
    return { dir, store, path: (key: string) => join(dir, key) };
  }

  it('finds no problem in an archive as backfill wrote it, exit 0', async () => {
    const { dir } = await archiveCopy();
    const result = await job(['verify'], standIn, { dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Verified 5 raw objects in .* \(dates 2025-11-01 → 2025-11-05\): no problems, 0 notes\./,
    );
  });

  it('notes, without failing, a response archived as invalid that still does not parse', async () => {
    const { dir } = await archiveCopy();
    standIn.inject('statistics', { kind: 'drift', drift: 'invalid' });
    const fetched = await job(
      ['fetch', '--from', '2025-11-03 00:00:00', '--to', '2025-11-03 12:00:00'],
      standIn,
      { dir },
    );
    const result = await job(['verify'], standIn, { dir });
    expect(fetched.code).toBe(1);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^NOTE raw\/fetch\/2025-11-03\/\S+\.json: recorded invalid and still does not parse \(consistent\): .*data/m,
    );
  });

  it('catches a changed byte, a missing metadata field, a stray key and a missing day, one line each, exit 1', async () => {
    // Prepare: edit the archive on disk as an intruder (or a broken disk) would
    const { dir, store, path } = await archiveCopy();
    const changed = await dayKey(store.list, '2025-11-02');
    const bytes = await readFile(path(changed));
    const recorded = sha256Hex(bytes);
    const tampered = Buffer.from(
      bytes
        .toString('utf8')
        .replace(/"total_calls":\s*(\d)/, (_m, d) => `"total_calls":${(Number(d) + 1) % 10}`),
    );
    await writeFile(path(changed), tampered);
    const stripped = await dayKey(store.list, '2025-11-03');
    const sidecar = JSON.parse(await readFile(`${path(stripped)}.meta.json`, 'utf8'));
    delete sidecar.metadata['time-zone'];
    await writeFile(`${path(stripped)}.meta.json`, JSON.stringify(sidecar));
    await rm(join(dir, 'raw/day/2025-11-04'), { recursive: true });
    await writeFile(join(dir, 'raw/day/2025-11-05/notes.txt'), 'copied by hand');
    // Act
    const result = await job(['verify', '--from', '2025-11-01', '--to', '2025-11-05'], standIn, { dir });
    // Assess
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    const problems = lines.filter(
      (line) => line.startsWith('PROBLEM') && !line.startsWith('PROBLEM curated/'),
    );
    expect(problems).toEqual([
      'PROBLEM 2025-11-04: missing day: nothing under raw/day/2025-11-04/ or raw/check/2025-11-04/',
      `PROBLEM ${changed}: sha256 mismatch (recorded ${recorded}, actual ${sha256Hex(tampered)})`,
      `PROBLEM ${stripped}: metadata incomplete: missing time-zone`,
      'PROBLEM raw/day/2025-11-05/notes.txt: not a raw archive key (raw/<check|day|fetch>/<date>/<refUTC>_<start>_<end>.json)',
    ]);
    // The curated tables derived from the changed and the deleted day no longer match raw, nor do
    // those of the day whose raw lost its time-zone (daily's time_zone, hourly's UTC hour starts).
    const curated = lines.filter((line) => line.startsWith('PROBLEM curated/'));
    expect(curated).toHaveLength(8);
    expect(curated).toContain(
      `PROBLEM curated/hourly/date=2025-11-03/hourly.ndjson: line 1, hour_start_utc: "2025-11-02T17:00:00Z" where ${stripped} gives null`,
    );
    expect(curated).toContain(
      `PROBLEM curated/daily/date=2025-11-02/daily.ndjson: line 1: source_sha256 ${recorded} is not the sha256 of ${changed} (${sha256Hex(tampered)})`,
    );
    expect(curated).toContain(
      'PROBLEM curated/hourly/date=2025-11-04/hourly.ndjson: no valid whole-day response under raw/day/2025-11-04/ to derive it from',
    );
    expect(result.stdout).toMatch(/Verified 4 raw objects .*: 12 problems \(1 missing day\), 0 notes\./);
    expect(result.stderr).toMatch(/verify failed: 12 problems in the archive/);
  });

  it('reports a day whose only responses are invalid as a problem, exit 1, until backfill fetches it again', async () => {
    // Prepare: 2025-11-06 holds one response, and it is invalid
    const { dir } = await archiveCopy();
    standIn.inject('statistics', { kind: 'drift', drift: 'invalid' });
    const day = ['--from', '2025-11-06', '--to', '2025-11-06'];
    expect((await job(['backfill', ...day, '--rate', '200'], standIn, { dir })).code).toBe(1);
    // Act
    const before = await job(['verify', '--from', '2025-11-01', '--to', '2025-11-06'], standIn, { dir });
    const backfilled = await job(['backfill', ...day, '--rate', '200'], standIn, { dir });
    const after = await job(['verify', '--from', '2025-11-01', '--to', '2025-11-06'], standIn, { dir });
    // Assess
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(
      /^PROBLEM 2025-11-06: no valid response: every object under raw\/day\/2025-11-06\/ and raw\/check\/2025-11-06\/ is invalid or malformed/m,
    );
    expect(backfilled.code).toBe(0);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/Verified 7 raw objects/);
  });

  it('reports objects recorded in another zone than AIRUDDER_TIMEZONE', async () => {
    const { dir } = await archiveCopy();
    const result = await runTestCli(['verify'], {
      baseUrl: standIn.url,
      env: { LOG_LEVEL: 'WARN', ARCHIVE_DIR: dir, AIRUDDER_TIMEZONE: 'Asia/Makassar' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^PROBLEM raw\/day\/2025-11-01\/\S+: time-zone "Asia\/Jakarta" is not the configured AIRUDDER_TIMEZONE "Asia\/Makassar"$/m,
    );
  });

  it('calls a missing archive folder an error, not "0 objects, no problems"', async () => {
    const result = await job(['verify'], standIn, { dir: join(pristine, 'no-such-archive') });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^PROBLEM archive: the archive folder .*no-such-archive does not exist$/m);
    expect(result.stdout).not.toMatch(/no problems/);
  });

  it('reports stray temporary files that never became an object and orphan metadata under raw/', async () => {
    const { dir } = await archiveCopy();
    await writeFile(join(dir, 'raw/day/2025-11-02/x.json.0b1c.tmp'), '{');
    await writeFile(join(dir, 'raw/day/2025-11-03/gone.json.meta.json'), '{}');
    const result = await job(['verify'], standIn, { dir });
    expect(result.code).toBe(1);
    const strays = result.stdout.split('\n').filter((line) => line.includes('stray file'));
    expect(strays).toEqual([
      'PROBLEM raw/day/2025-11-02/x.json.0b1c.tmp: stray file: temporary file left behind',
      'PROBLEM raw/day/2025-11-03/gone.json.meta.json: stray file: metadata without its object',
    ]);
  });

  it('notes, without failing, the .tmp and .lock a crash between link and temp removal leaves (#22 finding 15)', async () => {
    // Prepare: what a write killed after publishing its object leaves beside it
    const { dir } = await archiveCopy();
    const key = await dayKey(createFolderObjectStore(dir).list, '2025-11-02');
    await link(join(dir, key), join(dir, `${key}.5d0e2f.tmp`));
    await writeFile(join(dir, `${key}.lock`), '{"id":"gone","pid":1,"host":"elsewhere"}\n');
    // Act
    const result = await job(['verify'], standIn, { dir });
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/^PROBLEM/m);
    const notes = result.stdout.split('\n').filter((line) => line.includes('crash residue'));
    expect(notes).toEqual([
      `NOTE ${key}.5d0e2f.tmp: crash residue (harmless, may be deleted): temporary copy of its published object, left by an interrupted write`,
      `NOTE ${key}.lock: crash residue (harmless, may be deleted): lock file of an interrupted write (or one in progress)`,
    ]);
  });

  it('checks only the dates asked for', async () => {
    const { dir } = await archiveCopy();
    await rm(join(dir, 'raw/day/2025-11-04'), { recursive: true });
    const result = await job(['verify', '--from', '2025-11-01', '--to', '2025-11-03'], standIn, { dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Verified 3 raw objects');
  });

  it.each([
    [['verify', '--from', '2025-11-01'], /--to is required with --from/],
    [['verify', '--from', '2025-11-31', '--to', '2025-12-01'], /--from: "2025-11-31" is not a real date/],
  ])('exits 2 on %j, naming the flag', async (argv, message) => {
    const result = await job(argv, standIn, { dir: pristine });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('airudder-monitor verify, on an S3 archive', () => {
  let standIn: StandIn;
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;
  beforeAll(async () => {
    standIn = await startTestStandIn();
    s3 = await startS3Emulator();
  });
  afterAll(async () => {
    await standIn.close();
    await s3.close();
  });

  it('catches an object replaced with changed bytes, one rewritten without a metadata field, and a deleted day', async () => {
    // Prepare: a backfilled archive, then three objects changed through the S3 API itself
    const archive = { s3, prefix: 'audit' };
    expect((await job(BACKFILL, standIn, archive)).code).toBe(0);
    const store = createS3ObjectStore(s3.client, s3.bucket, 'audit');
    const objectKey = (key: string) => `audit/${key}`;
    const changed = await dayKey(store.list, '2025-11-02');
    const original = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: objectKey(changed) }),
    );
    const bytes = await original.Body!.transformToByteArray();
    // One digit one higher: still JSON, still the schema, only the hash can tell.
    const tampered = new Uint8Array(bytes);
    const digit = tampered.findIndex((byte, index) => index > 100 && byte >= 0x31 && byte <= 0x38);
    tampered[digit] = (tampered[digit] ?? 0) + 1;
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: objectKey(changed),
        Body: tampered,
        Metadata: original.Metadata,
      }),
    );
    const stripped = await dayKey(store.list, '2025-11-03');
    const current = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: objectKey(stripped) }),
    );
    const { 'schema-verdict': _dropped, ...metadata } = current.Metadata ?? {};
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: objectKey(stripped),
        Body: await current.Body!.transformToByteArray(),
        Metadata: metadata,
      }),
    );
    const deleted = await dayKey(store.list, '2025-11-04');
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: objectKey(deleted) }));
    // Act
    const result = await job(['verify'], standIn, archive);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `PROBLEM ${changed}: sha256 mismatch (recorded ${sha256Hex(bytes)}, actual ${sha256Hex(tampered)})`,
    );
    expect(result.stdout).toContain(`PROBLEM ${stripped}: metadata incomplete: missing schema-verdict`);
    expect(result.stdout).toContain('PROBLEM 2025-11-04: missing day');
    expect(result.stdout).toMatch(
      /Verified 4 raw objects in s3:\/\/archive\/audit\/raw\/ \(dates 2025-11-01 → 2025-11-05\): 9 problems/,
    );
  });
});
