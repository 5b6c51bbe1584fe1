import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { createS3ObjectStore } from '../lambda/adapters/archive/s3-object-store';
import { loadRules } from '../lambda/adapters/rules/load-rules';
import { daySoFarWindow, shiftDate, wholeDayWindow } from '../lambda/domain/query-window';
import { parseStatistics } from '../lambda/domain/statistics-schema';
import { createJsonLogger } from '../lambda/shared/logger';
import { datesBetween } from '../lambda/use-cases/date-range';
import { fetchAndArchive } from '../lambda/use-cases/fetch-and-archive';
import { replay } from '../lambda/use-cases/replay';
import { forEachConcurrently } from '../lambda/use-cases/run-concurrently';
import { verifyArchive } from '../lambda/use-cases/verify-archive';
import { REPO_ROOT } from './bench-paths';
import { BENCH_ZONE, type BenchServices } from './bench-services';
import type { DetailTable, ResultRow, SectionResult } from './report';
import { round } from './stats';

const DAYS = 90;
const CHECKS_PER_DAY = 96;
const FIRST_DAY = '2025-03-01';
const LATENCY_MS = 20;
const TARGET_PER_SECOND = 150;
const PREFIX = 'verify';
const SEED_CONCURRENCY = 16;

export interface VerifyData {
  readonly objects: number;
  readonly wallMs: number;
  readonly perSecond: number;
  readonly calls: number;
  readonly problems: number;
  /** CPU of this process (verify) and of the fakes (proxy + emulator) per object read, ms. */
  readonly cpuPerObjectMs: number;
  readonly fakesCpuPerObjectMs: number;
  /** Replay of the same 90 days (with each day's whole-day response added) at the same latency. */
  readonly replay: { readonly days: number; readonly wallMs: number; readonly calls: number };
}

/**
 * `verify` over 90 days of checks (8,640 objects, 96 a day) in the S3 emulator with 20 ms on every
 * request, through the deployed S3 adapter: list once, then read with bounded concurrency. The
 * objects are written first by the check's archive code, straight to the emulator (no latency).
 * Then `replay` of the same 90 days, once each day's whole-day response is archived too.
 */
export async function benchVerify(services: BenchServices): Promise<SectionResult<VerifyData>> {
  const { fakes } = services;
  const bytes = new Uint8Array(await readFile(path.join(REPO_ROOT, 'test/fixtures/statistics-example.json')));
  const parsed = parseStatistics(bytes);
  const direct = new S3Client({
    endpoint: fakes.s3Direct,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const seedStore = createS3ObjectStore(direct, fakes.bucket, PREFIX);
  const instants = Array.from({ length: DAYS * CHECKS_PER_DAY }, (_, index) => {
    const day = shiftDate(FIRST_DAY, Math.floor(index / CHECKS_PER_DAY));
    return new Date(Date.parse(`${day}T00:15:00+07:00`) + (index % CHECKS_PER_DAY) * 900_000);
  });
  // The archive code of a check, with a source that answers the same response for every window.
  const seedDeps = {
    source: {
      fetchStatistics: async () => ({
        bytes,
        httpStatus: 200,
        fetchedAt: new Date(),
        latencyMs: 0,
        attempts: 1,
        parsed,
      }),
    },
    store: seedStore,
    logger: createJsonLogger(() => {}, 'ERROR'),
  };
  await forEachConcurrently(instants, SEED_CONCURRENCY, async (at) => {
    await fetchAndArchive(seedDeps, {
      kind: 'check',
      window: daySoFarWindow(at, BENCH_ZONE),
      referenceTime: at,
    });
  });

  await services.setLatency(LATENCY_MS);
  await fakes.takeCalls();
  const fakesBefore = await fakes.counts();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let report: Awaited<ReturnType<typeof verifyArchive>>;
  try {
    report = await verifyArchive({ store: createS3ObjectStore(services.s3Client, fakes.bucket, PREFIX) });
  } finally {
    await services.setLatency(0);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const fakesCpuMs = (await fakes.counts()).cpuMs - fakesBefore.cpuMs;
  const calls = (await fakes.takeCalls()).length;
  if (report.objects !== instants.length) {
    throw new Error(`verify saw ${report.objects} objects, ${instants.length} were written`);
  }
  const perSecond = report.objects / (wallMs / 1000);

  // Replay needs each day's whole-day response (the digest archives it), added after verify counted.
  const dates = datesBetween(FIRST_DAY, shiftDate(FIRST_DAY, DAYS - 1));
  await forEachConcurrently(dates, SEED_CONCURRENCY, async (date) => {
    await fetchAndArchive(seedDeps, {
      kind: 'day',
      window: wholeDayWindow(date, BENCH_ZONE),
      referenceTime: new Date(Date.parse(`${shiftDate(date, 1)}T08:30:00+07:00`)),
    });
  });
  direct.destroy();
  const rules = await loadRules({ rulesFile: undefined });
  await services.setLatency(LATENCY_MS);
  await fakes.takeCalls();
  const replayStarted = performance.now();
  let replayed: Awaited<ReturnType<typeof replay>>;
  try {
    replayed = await replay(
      {
        store: createS3ObjectStore(services.s3Client, fakes.bucket, PREFIX),
        ...rules,
        timeZone: BENCH_ZONE,
        lineCapacity: undefined,
        topN: 5,
      },
      { from: FIRST_DAY, to: dates.at(-1) ?? FIRST_DAY },
    );
  } finally {
    await services.setLatency(0);
  }
  const replayWallMs = performance.now() - replayStarted;
  const replayCalls = (await fakes.takeCalls()).length;
  if (replayed.days !== DAYS) throw new Error(`replay covered ${replayed.days} days, ${DAYS} were archived`);
  const oneAtATimeMs = replayCalls * LATENCY_MS;
  const cpuPerObjectMs = (cpu.user + cpu.system) / 1000 / report.objects;
  const fakesCpuPerObjectMs = fakesCpuMs / report.objects;
  const rows: ResultRow[] = [
    {
      section: 'Verify',
      measure: `${DAYS} days of checks (${report.objects} objects) @${LATENCY_MS} ms per S3 request`,
      value: `${round(perSecond, 0)} objects/s`,
      target: `≥ ${TARGET_PER_SECOND} objects/s`,
      pass: perSecond >= TARGET_PER_SECOND,
    },
    {
      section: 'Replay',
      measure: `${DAYS} days (${replayed.hours.check + replayed.hours.derived} hours) @${LATENCY_MS} ms per S3 request: wall / one request at a time`,
      value: `${round(replayWallMs / oneAtATimeMs, 2).toFixed(2)}× (${round(replayWallMs / 1000, 1)} s, ${replayCalls} requests)`,
      target: '—',
    },
  ];
  const details: DetailTable[] = [
    {
      title: `Verify over the S3 emulator, ${LATENCY_MS} ms added to every request`,
      headers: ['Objects', 'S3 requests', 'Wall', 'Objects/s', 'CPU/object', 'Fakes CPU/object', 'Problems'],
      rows: [
        [
          String(report.objects),
          String(calls),
          `${round(wallMs / 1000, 2).toFixed(2)} s`,
          round(perSecond, 0).toFixed(0),
          `${round(cpuPerObjectMs, 2).toFixed(2)} ms`,
          `${round(fakesCpuPerObjectMs, 2).toFixed(2)} ms`,
          String(report.problems.length),
        ],
      ],
      note:
        `One GET at a time would be ${round(1000 / LATENCY_MS, 0)} objects/s at best. CPU/object: verify's own ` +
        "(SDK request, sha256, schema); the fakes' is the latency proxy and the S3 emulator, on the same 2 cores.",
    },
  ];
  return {
    rows,
    details,
    data: {
      objects: report.objects,
      wallMs,
      perSecond,
      calls,
      problems: report.problems.length,
      cpuPerObjectMs,
      fakesCpuPerObjectMs,
      replay: { days: replayed.days, wallMs: replayWallMs, calls: replayCalls },
    },
  };
}
