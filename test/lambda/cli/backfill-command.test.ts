import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import { parseRawKey } from '../../../lambda/domain/archive/raw-archive';
import { shiftDate } from '../../../lambda/domain/statistics/query-window';
import { silentLogger } from '../../../lambda/shared/logger';
import { defaultSleep } from '../../../lambda/shared/retry';
import { backfill } from '../../../lambda/use-cases/backfill';
import { startTestStandIn, TEST_ZONE, testClient } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';
import { startS3Emulator } from '../../helpers/s3-emulator';

/** The stand-in's clock and the CLI's: 19:00 on 12 Nov in Jakarta, so the 11th is the last whole day. */
const NOW = new Date('2025-11-12T12:00:00Z');
const TO = '2025-11-10';
const FROM_90 = shiftDate(TO, -89);

describe('airudder-monitor backfill, over loopback (AIRUDDER stand-in at 50 ms a call, S3 emulator)', () => {
  let standIn: StandIn;
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;
  beforeAll(async () => {
    standIn = await startTestStandIn({ latencyMs: 50 });
    s3 = await startS3Emulator();
  });
  afterAll(async () => {
    await standIn.close();
    await s3.close();
  });

  /** The CLI as `npm run job` runs it, with the archive in the emulated bucket under `prefix`. */
  const job = (
    argv: string[],
    options: { prefix: string; fetch?: typeof fetch; env?: Record<string, string>; tty?: boolean },
  ) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      env: { ARCHIVE_BUCKET: s3.bucket, ARCHIVE_PREFIX: options.prefix, LOG_LEVEL: 'WARN', ...options.env },
      fetch: options.fetch,
      s3Client: s3.client,
      now: () => NOW,
      tty: options.tty,
    });

  const dayKeys = (prefix: string) => createS3ObjectStore(s3.client, s3.bucket, prefix).list('raw/day/');
  const statisticsRequests = () =>
    standIn.requests.filter((request) => request.route === 'statistics').length;

  /** A fetch that counts the statistics requests in flight at once. */
  function inFlightCounter() {
    let inFlight = 0;
    let max = 0;
    const counting: typeof fetch = async (input, init) => {
      const isStatistics = String(input).includes('/statistics');
      if (isStatistics) max = Math.max(max, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        if (isStatistics) inFlight -= 1;
      }
    };
    return { fetch: counting, max: () => max };
  }

  it('archives 90 days at concurrency 8 (one object each), and a second run skips all 90', async () => {
    // Prepare
    const counter = inFlightCounter();
    const argv = ['backfill', '--from', FROM_90, '--to', TO, '--concurrency', '8', '--rate', '200'];
    // Act
    const first = await job(argv, { prefix: 'ninety', fetch: counter.fetch });
    const requestsAfterFirst = statisticsRequests();
    const second = await job(argv, { prefix: 'ninety' });
    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Done: 90 fetched, 0 skipped (already archived), 0 failed.');
    expect(first.stdout).toMatch(new RegExp(`^${TO} fetched \\(\\d+ KB\\)$`, 'm'));
    expect(counter.max()).toBeLessThanOrEqual(8);
    const keys = await dayKeys('ninety');
    expect(keys).toHaveLength(90);
    expect(new Set(keys.map((key) => parseRawKey(key)?.date)).size).toBe(90);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Done: 0 fetched, 90 skipped (already archived), 0 failed.');
    expect(second.stdout).toMatch(new RegExp(`^${FROM_90} skipped \\(already archived\\)$`, 'm'));
    expect(statisticsRequests()).toBe(requestsAfterFirst);
    expect(await dayKeys('ninety')).toEqual(keys);
  });

  it('resumes a run stopped midway: the restart fetches only the rest, with exactly one object per day', async () => {
    // Prepare: the use case with the same client and store the CLI builds, stopped after 30 days
    const store = createS3ObjectStore(s3.client, s3.bucket, 'resume');
    const stop = new AbortController();
    const { client } = testClient(standIn.url);
    const stopped = await backfill(
      {
        source: client,
        store,
        logger: silentLogger,
        timeZone: TEST_ZONE,
        now: Date.now,
        sleep: defaultSleep,
      },
      {
        from: FROM_90,
        to: TO,
        concurrency: 8,
        ratePerSecond: 200,
        signal: stop.signal,
        onProgress: (progress) => {
          if (progress.kind === 'day' && progress.done === 30) stop.abort();
        },
      },
    );
    // Act
    const restarted = await job(
      ['backfill', '--from', FROM_90, '--to', TO, '--concurrency', '8', '--rate', '200'],
      {
        prefix: 'resume',
      },
    );
    // Assess
    expect(stopped.notStarted.length).toBeGreaterThan(0);
    expect(stopped.fetched + stopped.notStarted.length).toBe(90);
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain(
      `Done: ${stopped.notStarted.length} fetched, ${stopped.fetched} skipped (already archived), 0 failed.`,
    );
    const keys = await dayKeys('resume');
    expect(keys).toHaveLength(90);
    expect(new Set(keys.map((key) => parseRawKey(key)?.date)).size).toBe(90);
  });

  it('reports a day that keeps failing with its reason, archives the others and exits 1', async () => {
    // Prepare: every request for 3 Nov answers 503, however often the client retries
    const failing: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.searchParams.get('start_time')?.startsWith('2025-11-03')) {
        return new Response(JSON.stringify({ code: 503, status: 'Service Unavailable' }), { status: 503 });
      }
      return fetch(input, init);
    };
    // Act
    const result = await job(['backfill', '--from', '2025-11-01', '--to', '2025-11-05', '--rate', '200'], {
      prefix: 'failing',
      fetch: failing,
      env: { AIRUDDER_MAX_ATTEMPTS: '2' },
    });
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^2025-11-03 FAILED: .*HTTP 503/m);
    expect(result.stdout).toContain('Done: 4 fetched, 0 skipped (already archived), 1 failed.');
    expect(result.stdout).toMatch(/^ {2}2025-11-03 {2}.*failed after 2 attempts/m);
    expect(result.stderr).toMatch(/backfill failed: 1 of 5 days failed; run the same command again/);
    expect((await dayKeys('failing')).map((key) => parseRawKey(key)?.date)).toEqual([
      '2025-11-01',
      '2025-11-02',
      '2025-11-04',
      '2025-11-05',
    ]);
  });

  it('on Ctrl-C finishes the day in flight, prints its summary and exits 130, as the exit codes table says', async () => {
    // Prepare: Ctrl-C arrives while the first day is being fetched
    let interrupted = false;
    const interrupting: typeof fetch = (input, init) => {
      if (!interrupted && String(input).includes('/statistics')) {
        interrupted = true;
        process.emit('SIGINT', 'SIGINT');
      }
      return fetch(input, init);
    };
    // Act
    const result = await job(
      ['backfill', '--from', shiftDate(TO, -9), '--to', TO, '--concurrency', '1', '--rate', '100'],
      { prefix: 'interrupted', fetch: interrupting },
    );
    // Assess
    expect(interrupted).toBe(true);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('Stopping after the days in flight');
    expect(result.stdout).toContain('Done: 1 fetched, 0 skipped (already archived), 0 failed.');
    expect(result.stderr).toContain('backfill interrupted: 9 days not started');
    expect(await dayKeys('interrupted')).toHaveLength(1);
  });

  it('redraws a single progress line with an ETA on a terminal instead of printing a line per day', async () => {
    const result = await job(['backfill', '--from', '2025-10-01', '--to', '2025-10-04', '--rate', '200'], {
      prefix: 'tty',
      tty: true,
    });
    expect(result.code).toBe(0);
    expect(result.writes.at(-1)).toBe('\n');
    const redraws = result.writes.slice(0, -1);
    expect(redraws.length).toBeGreaterThanOrEqual(5);
    for (const redraw of redraws) {
      expect(redraw.startsWith('\r\u001b[K[')).toBe(true);
      expect(redraw).toMatch(/\] \d\/4 days .* · ETA (\d+:\d\d|--:--)$/);
    }
    expect(redraws.at(-1)).toContain('4/4 days 100% · fetched 4 · skipped 0 · failed 0 · ETA 0:00');
    expect(result.stdout).not.toMatch(/fetched \(/);
    expect(result.stdout).toContain('Done: 4 fetched');
  });

  it.each([
    [['--to', TO], /--from is required \(YYYY-MM-DD\)/],
    [['--from', '2025-02-30', '--to', TO], /--from: "2025-02-30" is not a real date/],
    [['--from', '2025-11-05', '--to', '2025-11-01'], /--to: 2025-11-01 is before --from 2025-11-05/],
    [['--from', '2024-01-01', '--to', TO], /--to: the range is longer than 400 days/],
    [['--from', '2025-11-10', '--to', '2025-11-12'], /--to: 2025-11-12 is not over yet in Asia\/Jakarta/],
    [
      ['--from', TO, '--to', TO, '--concurrency', '0'],
      /--concurrency: expected a whole number from 1 to 32, got "0"/,
    ],
    [
      ['--from', TO, '--to', TO, '--concurrency', '33'],
      /--concurrency: expected a whole number from 1 to 32/,
    ],
    [['--from', TO, '--to', TO, '--concurrency', '2.5'], /--concurrency: expected a whole number/],
    [['--from', TO, '--to', TO, '--rate', '0'], /--rate: expected requests per second, a number > 0/],
    [['--from', TO, '--to', TO, '--rate=-2'], /--rate: expected requests per second/],
    [['--from', TO, '--to', TO, '--rate', 'fast'], /--rate: expected requests per second/],
  ])('exits 2 on %j, naming the flag, before any request', async (flags, message) => {
    const before = standIn.requests.length;
    const result = await job(['backfill', ...flags], { prefix: 'usage' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(standIn.requests.length).toBe(before);
  });
});
