import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { startTestStandIn, TEST_CREDENTIALS } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';
import { startS3Emulator } from '../../helpers/s3-emulator';

const FETCH = ['fetch', '--from', '2025-11-12 00:00:00', '--to', '2025-11-12 14:30:00'];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('airudder-monitor fetch', () => {
  let standIn: StandIn;
  let archiveDir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn();
    archiveDir = await mkdtemp(join(tmpdir(), 'cli-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(archiveDir, { recursive: true, force: true });
  });

  it('archives the window and prints the window, calls, key and sha256, exit 0', async () => {
    const result = await runTestCli(FETCH, { baseUrl: standIn.url, archiveDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Window: +2025-11-12 00:00:00 → 2025-11-12 14:30:00 \(Asia\/Jakarta\)/);
    expect(result.stdout).toMatch(/Calls: +\d+/);
    expect(result.stdout).toMatch(
      /Archive: +raw\/fetch\/2025-11-12\/20251112T073000Z_20251112T000000_20251112T143000\.json/,
    );
    expect(result.stdout).toMatch(/SHA-256: +[0-9a-f]{64}/);
  });

  it("run twice, prints the stored object's sha256 and says whether the new response differed", async () => {
    // Prepare: a window of its own, fetched once
    const argv = ['fetch', '--from', '2025-11-12 00:00:00', '--to', '2025-11-12 13:00:00'];
    const first = await runTestCli(argv, { baseUrl: standIn.url, archiveDir });
    const storedSha = /SHA-256: +([0-9a-f]{64})/.exec(first.stdout)?.[1];
    // Act: the same response again, then a drifted one
    const same = await runTestCli(argv, { baseUrl: standIn.url, archiveDir });
    standIn.inject('statistics', { kind: 'drift', drift: 'unknown-keys' });
    const drifted = await runTestCli(argv, { baseUrl: standIn.url, archiveDir });
    // Assess
    expect(storedSha).toMatch(/^[0-9a-f]{64}$/);
    expect(first.stdout).not.toMatch(/^New:/m);
    expect(same.stdout).toContain(`SHA-256:  ${storedSha} (the stored object)`);
    expect(same.stdout).toMatch(/^New: +the response just fetched was identical$/m);
    expect(drifted.stdout).toContain(`SHA-256:  ${storedSha} (the stored object)`);
    expect(drifted.stdout).toMatch(
      /^New: +the response just fetched differed \(SHA-256 [0-9a-f]{64}\); it was not archived$/m,
    );
  });

  it.each([
    [['fetch', '--from', '2025-11-12 00:00:00'], /--to is required/],
    [['fetch', '--from', '12/11/2025', '--to', '2025-11-12 14:30:00'], /--from\/--to: start "12\/11\/2025"/],
    [
      ['fetch', '--from', '2025-11-12 00:00:00', '--to', '2025-11-12 14:30:00', '--fast'],
      /Unknown option '--fast'/,
    ],
    [['launch'], /Unknown command "launch"/],
    [[], /Usage: airudder-monitor <command>/],
  ])('exits 2 on bad usage %j, naming the flag', async (argv, message) => {
    const result = await runTestCli(argv, { baseUrl: standIn.url, archiveDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each<[string, { tty: boolean; LOG_LEVEL?: string }, string[], boolean]>([
    ['a terminal, nothing asked', { tty: true }, [], false],
    ['a terminal with --verbose', { tty: true }, ['--verbose'], true],
    ['a terminal with LOG_LEVEL=INFO', { tty: true, LOG_LEVEL: 'INFO' }, [], true],
    ['a pipe', { tty: false }, [], true],
    ['a pipe with LOG_LEVEL=WARN', { tty: false, LOG_LEVEL: 'WARN' }, ['--verbose'], false],
  ])('on %s, logs INFO lines (%j, %j, %s)', async (_where, options, flags, info) => {
    // Act
    const result = await runTestCli([...FETCH, ...flags], {
      baseUrl: standIn.url,
      archiveDir,
      tty: options.tty,
      env: { LOG_LEVEL: options.LOG_LEVEL },
    });
    // Assess
    expect(result.code).toBe(0);
    const logged = new Set(
      result.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { level: string }).level),
    );
    expect(logged.has('INFO')).toBe(info);
    expect(logged.has('DEBUG')).toBe(false);
  });

  it.each([
    [['check', '--explian'], "Unknown option '--explian' for check. Did you mean --explain?"],
    [['backfill', '--form', '2025-11-01'], "Unknown option '--form' for backfill. Did you mean --from?"],
    [['rules', 'push', 'rules.json', '--alow-silent'], 'Did you mean --allow-silent?'],
    [['chek'], 'Unknown command "chek". Did you mean "check"?'],
  ])('names a mistyped %j and the flag or command it stands for', async (argv, message) => {
    const result = await runTestCli(argv, { baseUrl: standIn.url, archiveDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('names an unknown flag before a missing variable, with every flag the command takes', async () => {
    // An operator's laptop: no monitor environment at all, and a typo
    const result = await runTestCli(['check', '--explian'], {
      baseUrl: standIn.url,
      env: { AIRUDDER_TIMEZONE: undefined, ARCHIVE_DIR: undefined },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/configuration/);
    expect(result.stderr).toContain('check takes: --at, --explain, --json, --archive, --verbose, --help');
  });

  it('suggests nothing for a flag that is close to none', async () => {
    const result = await runTestCli(['snooze', 'all', '--for', '1h', '--x'], {
      baseUrl: standIn.url,
      archiveDir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--x' for snooze.\n");
    expect(result.stderr).not.toMatch(/Did you mean/);
  });

  it('exits 2 on bad configuration, naming the variable', async () => {
    const result = await runTestCli(FETCH, {
      baseUrl: standIn.url,
      archiveDir,
      env: { AIRUDDER_TIMEZONE: 'Nowhere/Land' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/AIRUDDER_TIMEZONE must be an IANA time zone/);
  });

  it('exits 2 naming the credentials when a command needs AIRUDDER and none are configured', async () => {
    const result = await runTestCli(FETCH, {
      baseUrl: standIn.url,
      archiveDir,
      env: { AIRUDDER_APP_KEY: undefined, AIRUDDER_APP_SECRET: undefined },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET are required/);
  });

  it('verifies the archive without any AIRUDDER credentials', async () => {
    const result = await runTestCli(['verify'], {
      baseUrl: standIn.url,
      archiveDir,
      env: { AIRUDDER_APP_KEY: undefined, AIRUDDER_APP_SECRET: undefined },
    });
    expect(result.stdout).toMatch(/^Verified \d+ raw objects? in /m);
    expect(result.stderr).not.toMatch(/AIRUDDER_APP_KEY/);
  });

  it('exits 1 on a response above AIRUDDER_MAX_RESPONSE_BYTES, archives nothing, and says why', async () => {
    const argv = ['fetch', '--from', '2025-11-12 00:00:00', '--to', '2025-11-12 11:00:00'];
    const result = await runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir,
      env: { AIRUDDER_MAX_RESPONSE_BYTES: '2000' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /fetch failed: AIRUDDER statistics request: the response is larger than the 2,000-byte limit \(AIRUDDER_MAX_RESPONSE_BYTES\);.*nothing (can be|is) archived/,
    );
    expect((await filesUnder(archiveDir)).filter((file) => file.includes('T110000.json'))).toEqual([]);
  });

  it('exits 2 on a response cap above 256 MiB, naming the variable', async () => {
    const result = await runTestCli(FETCH, {
      baseUrl: standIn.url,
      archiveDir,
      env: { AIRUDDER_MAX_RESPONSE_BYTES: String(2 ** 30) },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/AIRUDDER_MAX_RESPONSE_BYTES must be at most 268435456 \(256 MiB\)/);
  });

  it('exits 1 when the run fails and says why', async () => {
    standIn.inject('statistics', { kind: 'http-status', status: 503 }, 2);
    const result = await runTestCli(FETCH, {
      baseUrl: standIn.url,
      archiveDir,
      env: { AIRUDDER_MAX_ATTEMPTS: '2' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/fetch failed: .*failed after 2 attempts: .*HTTP 503/);
  });

  it('exits 1 on an invalid response after archiving it', async () => {
    standIn.inject('statistics', { kind: 'drift', drift: 'invalid' });
    const result = await runTestCli(
      ['fetch', '--from', '2025-11-11 00:00:00', '--to', '2025-11-11 23:59:59'],
      {
        baseUrl: standIn.url,
        archiveDir,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not match the schema: data/);
    expect(result.stderr).toMatch(/raw response archived at .*raw\/fetch\/2025-11-11\//);
  });

  it('refuses a window that ends in the future with exit 2, and archives nothing (#22 finding 17)', async () => {
    // Prepare: 14:00 in Jakarta; the window asked for ends at 14:30
    const now = () => new Date('2025-11-09T07:00:00Z');
    const argv = ['fetch', '--from', '2025-11-09 00:00:00', '--to', '2025-11-09 14:30:00'];
    // Act
    const result = await runTestCli(argv, { baseUrl: standIn.url, archiveDir, now });
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--to 2025-11-09 14:30:00 is in the future/);
    expect((await filesUnder(archiveDir)).filter((file) => file.includes('2025-11-09'))).toEqual([]);
  });

  it('archives a valid copy beside an invalid first one instead of failing forever (#22 finding 17)', async () => {
    // Prepare: the first answer for the window is invalid, and is archived as such
    const argv = ['fetch', '--from', '2025-11-08 00:00:00', '--to', '2025-11-08 10:00:00'];
    standIn.inject('statistics', { kind: 'drift', drift: 'invalid' });
    const first = await runTestCli(argv, { baseUrl: standIn.url, archiveDir });
    // Act: the same window fetched again, once AIRUDDER answers properly, twice
    const second = await runTestCli(argv, { baseUrl: standIn.url, archiveDir });
    const third = await runTestCli(argv, { baseUrl: standIn.url, archiveDir });
    const verify = await runTestCli(['verify', '--from', '2025-11-08', '--to', '2025-11-08'], {
      baseUrl: standIn.url,
      archiveDir,
    });
    // Assess: the invalid copy is kept; the valid ones sit beside it, keyed by their fetch time
    expect(first.code).toBe(1);
    expect(second.code).toBe(0);
    expect(third.code).toBe(0);
    expect(second.stdout).toMatch(/Calls: +\d+$/m);
    const keys = (await filesUnder(archiveDir))
      .filter((file) => file.includes('raw/fetch/2025-11-08/') && file.endsWith('.json'))
      .map((file) => file.slice(file.indexOf('raw/')));
    expect(keys).toContain('raw/fetch/2025-11-08/20251108T030000Z_20251108T000000_20251108T100000.json');
    expect(keys.length).toBeGreaterThanOrEqual(2);
    // verify accepts the copy keyed by its fetch time (the date itself has no day or check: a problem)
    expect(verify.stdout).toMatch(/Verified 2 raw objects/);
    expect(verify.stdout).not.toMatch(/PROBLEM raw\/fetch/);
  });
});

describe('secrets', () => {
  it('never appear in a log line, an error message, an archived object or its metadata', async () => {
    // Prepare: a stand-in, and a fetch that remembers every token AIRUDDER issued
    const standIn = await startTestStandIn();
    const archiveDir = await mkdtemp(join(tmpdir(), 'cli-secrets-'));
    const tokens: string[] = [];
    const spyingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/auth')) {
        const body = (await response.clone().json()) as { data?: { token?: string } };
        const token = body.data?.token;
        if (token) tokens.push(token);
      }
      return response;
    };
    const webhook = 'https://hooks.slack.example/services/T0SECRET/B0SECRET/s3cr3tWebhookPath';
    const run = (argv: string[]) =>
      runTestCli(argv, {
        baseUrl: standIn.url,
        archiveDir,
        fetch: spyingFetch,
        env: { SLACK_WEBHOOK_URL: webhook },
      });
    // Act: a success, a refresh after an expired token, a failure quoting a credential, bad data
    const outputs = [await run(FETCH)];
    standIn.expireTokens();
    outputs.push(await run(['fetch', '--from', '2025-11-12 00:00:00', '--to', '2025-11-12 15:00:00']));
    standIn.inject(
      'statistics',
      { kind: 'http-status', status: 500, body: `echo ${TEST_CREDENTIALS.appKey}` },
      3,
    );
    outputs.push(await run(['fetch', '--from', '2025-11-12 00:00:00', '--to', '2025-11-12 16:00:00']));
    standIn.inject('statistics', { kind: 'malformed-json' });
    outputs.push(await run(['fetch', '--from', '2025-11-12 00:00:00', '--to', '2025-11-12 17:00:00']));
    await standIn.close();
    // Assess
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(outputs.map((o) => o.code)).toEqual([0, 0, 1, 1]);
    const archived = await Promise.all((await filesUnder(archiveDir)).map((file) => readFile(file, 'utf8')));
    expect(archived.length).toBeGreaterThanOrEqual(6); // 3 objects + 3 sidecars
    const everything = [...outputs.flatMap((o) => [o.stdout, o.stderr]), ...archived].join('\n');
    expect(everything).toContain('HTTP 500');
    for (const secret of [TEST_CREDENTIALS.appKey, TEST_CREDENTIALS.appSecret, webhook, ...tokens]) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
    await rm(archiveDir, { recursive: true, force: true });
  });
});

describe('airudder-monitor fetch into S3', () => {
  it('archives to the S3-compatible server AWS_ENDPOINT_URL_S3 names, as the SDK reads it', async () => {
    // Prepare: the SDK reads its endpoint, region and credentials from the process environment
    const standIn = await startTestStandIn();
    const s3 = await startS3Emulator('cli-bucket');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    try {
      // Act
      const result = await runTestCli(FETCH, {
        baseUrl: standIn.url,
        archiveDir: '',
        env: { ARCHIVE_DIR: undefined, ARCHIVE_BUCKET: 'cli-bucket', ARCHIVE_PREFIX: 'audit' },
      });
      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Location: s3:\/\/cli-bucket\/audit\/raw\/fetch\/2025-11-12\//);
      const listed = await s3.client.send(
        new ListObjectsV2Command({ Bucket: 'cli-bucket', Prefix: 'audit/raw/' }),
      );
      expect(listed.Contents?.map((object) => object.Key)).toEqual([
        'audit/raw/fetch/2025-11-12/20251112T073000Z_20251112T000000_20251112T143000.json',
      ]);
    } finally {
      vi.unstubAllEnvs();
      await standIn.close();
      await s3.close();
    }
  });
});
