import { setTimeout as sleep } from 'node:timers/promises';
import { createAirudderClient } from '../lambda/adapters/airudder/airudder-client';
import { TokenCache } from '../lambda/adapters/airudder/token-cache';
import { createS3ObjectStore } from '../lambda/adapters/archive/s3-object-store';
import { createJsonLogger } from '../lambda/shared/logger';
import { createRedactor } from '../lambda/shared/redact';
import { backfill } from '../lambda/use-cases/backfill';
import { BENCH_CREDENTIALS, BENCH_ZONE, type BenchServices } from './bench-services';
import { type ExternalCall, sequentialRoundTrips } from './external-calls';
import type { DetailTable, ResultRow, SectionResult } from './report';
import { median, round } from './stats';

const DAYS = 90;
const FROM = '2025-06-01';
const CONCURRENCIES = [1, 4, 8] as const;
const TARGET_EFFICIENCY = 0.8;
/** Far above what 8 workers can start: the limiter must not be what is measured. */
const RATE_PER_SECOND = 1_000;

const AUTH_PATH = '/service/cloud/auth';

const lastDate = (from: string, days: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
const dayOf = (call: ExternalCall) => /\d{4}-\d{2}-\d{2}/.exec(decodeURIComponent(call.label))?.[0];

export interface BackfillStats {
  readonly concurrency: number;
  readonly wallMs: number;
  readonly idealMs: number;
  readonly efficiency: number;
  readonly cpuMs: number;
  /** CPU of the fakes process (stand-in, fauxqs) during the run. */
  readonly fakesCpuMs: number;
  readonly calls: number;
  /** AIRUDDER token requests: a cold cache with c workers may ask c times. */
  readonly tokenRequests: number;
  readonly runRoundTrips: number;
}

/**
 * The backfill use case over 90 days with `latencyMs` on every call, at each concurrency, each run
 * into an empty prefix with a cold token cache (as a fresh CLI process). Ideal = ceil(90 / c) × the
 * per-day critical path, counted from the concurrency-1 run's calls grouped by day.
 */
export async function benchBackfill(
  services: BenchServices,
  latencyMs: number,
): Promise<SectionResult<{ perDayRoundTrips: number; runs: BackfillStats[] }>> {
  await services.setLatency(latencyMs);
  const to = lastDate(FROM, DAYS);
  let perDayRoundTrips = Number.NaN;
  const runs: BackfillStats[] = [];
  for (const concurrency of CONCURRENCIES) {
    const logger = createJsonLogger(() => {}, 'INFO');
    const deps = {
      source: createAirudderClient({
        baseUrl: services.fakes.standInUrl,
        credentials: BENCH_CREDENTIALS,
        timeoutMs: 30_000,
        maxAttempts: 3,
        tokenTtlMs: 23 * 3_600_000,
        tokenCache: new TokenCache(),
        logger,
        redactor: createRedactor(),
      }),
      store: createS3ObjectStore(services.s3Client, services.fakes.bucket, `backfill-c${concurrency}`),
      logger,
      timeZone: BENCH_ZONE,
      now: Date.now,
      sleep: (ms: number) => sleep(ms),
    };
    await services.fakes.takeCalls();
    const fakesBefore = await services.fakes.counts();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await backfill(deps, { from: FROM, to, concurrency, ratePerSecond: RATE_PER_SECOND });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const fakesAfter = await services.fakes.counts();
    if (result.fetched !== DAYS) {
      throw new Error(`backfill c=${concurrency}: ${result.fetched} fetched, ${result.failed} failed`);
    }
    const calls = await services.fakes.takeCalls();
    if (concurrency === 1) {
      const byDay = new Map<string, ExternalCall[]>();
      for (const call of calls) {
        const day = dayOf(call);
        if (day !== undefined) byDay.set(day, [...(byDay.get(day) ?? []), call]);
      }
      perDayRoundTrips = median([...byDay.values()].map(sequentialRoundTrips));
    }
    const idealMs = Math.ceil(DAYS / concurrency) * perDayRoundTrips * latencyMs;
    runs.push({
      concurrency,
      wallMs,
      idealMs,
      efficiency: idealMs / wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      fakesCpuMs: fakesAfter.cpuMs - fakesBefore.cpuMs,
      calls: calls.length,
      tokenRequests: calls.filter((call) => call.label.startsWith(AUTH_PATH)).length,
      runRoundTrips: sequentialRoundTrips(calls),
    });
  }

  const percent = (value: number) => `${round(100 * value, 0)} %`;
  const rows: ResultRow[] = runs.map((run) => ({
    section: 'Backfill',
    measure: `${DAYS} days, concurrency ${run.concurrency} @${latencyMs} ms: ideal / wall`,
    value: `${percent(run.efficiency)} (${round(run.wallMs / 1000, 2)} s)`,
    target: run.concurrency === 8 ? `≥ ${percent(TARGET_EFFICIENCY)}` : '—',
    ...(run.concurrency === 8 ? { pass: run.efficiency >= TARGET_EFFICIENCY } : {}),
  }));
  const details: DetailTable[] = [
    {
      title: `Backfill: ${DAYS} days, ${latencyMs} ms per call, rate limit ${RATE_PER_SECOND}/s (not binding)`,
      headers: [
        'Concurrency',
        'Wall',
        'Ideal',
        'Ideal / wall',
        'Calls',
        'Token requests',
        'Run chain',
        'Chain × latency / wall',
        'CPU ours',
        'CPU fakes',
      ],
      rows: runs.map((run) => [
        String(run.concurrency),
        `${round(run.wallMs / 1000, 2).toFixed(2)} s`,
        `${round(run.idealMs / 1000, 2).toFixed(2)} s`,
        percent(run.efficiency),
        String(run.calls),
        String(run.tokenRequests),
        `${run.runRoundTrips} round trips`,
        percent((run.runRoundTrips * latencyMs) / run.wallMs),
        `${round(run.cpuMs, 0)} ms`,
        `${round(run.fakesCpuMs, 0)} ms`,
      ]),
      note:
        `Per-day critical path: ${perDayRoundTrips} round trips (${perDayRoundTrips * latencyMs} ms), counted from ` +
        `the calls of each day in the concurrency-1 run. Ideal = ceil(${DAYS} / c) × that; it leaves out the ` +
        `run's listing and token request. Run chain: the longest chain of sequential calls of the whole run.`,
    },
  ];
  return { rows, details, data: { perDayRoundTrips, runs } };
}
