import { runCli } from './cli-run';
import { cliEnv } from './deployed-env';
import { BENCH_ZONE, criticalPath, type ExternalCall, type FakeServices } from './fake-services-client';
import type { Measured } from './measured';
import { type DetailTable, median, ms, type SectionResult } from './report';

const DAYS = 90;
const FROM = '2025-06-01';
const CONCURRENCY = 8;
const LATENCY_MS = 50;
const TARGET = 0.8;

const dayOf = (call: ExternalCall) => /\d{4}-\d{2}-\d{2}/.exec(decodeURIComponent(call.label))?.[0];

/**
 * `backfill` of 90 days at concurrency 8 with 50 ms on every call, through the CLI in a fresh process
 * (cold token cache, empty prefix), against the ideal: ceil(90 / 8) × the per-day critical path (the
 * calls of each day, from the proxies' log) × 50 ms. Its time runs from the CLI's first request to its
 * last response, so the start of the process (tsx compiling the CLI) is left out.
 */
export async function benchBackfill(measured: Measured, fakes: FakeServices): Promise<SectionResult> {
  const to = new Date(Date.parse(`${FROM}T00:00:00Z`) + (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  await fakes.setLatency(LATENCY_MS);
  let calls: ExternalCall[];
  let result: { fetched?: number };
  try {
    await fakes.takeCalls();
    result = (await runCli(
      measured.node,
      ['backfill', '--from', FROM, '--to', to, '--concurrency', String(CONCURRENCY), '--rate', '1000'],
      cliEnv(fakes, 'backfill', BENCH_ZONE),
    )) as { fetched?: number };
    calls = await fakes.takeCalls();
  } finally {
    await fakes.setLatency(0);
  }
  if (result.fetched !== DAYS) throw new Error(`backfill fetched ${result.fetched} of ${DAYS} days`);
  const byDay = new Map<string, ExternalCall[]>();
  for (const call of calls) {
    const day = dayOf(call);
    if (day !== undefined) byDay.set(day, [...(byDay.get(day) ?? []), call]);
  }
  const perDay = median([...byDay.values()].map((dayCalls) => criticalPath(dayCalls).length));
  const idealMs = Math.ceil(DAYS / CONCURRENCY) * perDay * LATENCY_MS;
  const spanMs = Math.max(...calls.map((call) => call.end)) - Math.min(...calls.map((call) => call.start));
  const efficiency = idealMs / spanMs;
  const details: DetailTable[] = [
    {
      title: `Backfill through the CLI on Node ${measured.nodeVersion}: ${DAYS} days, concurrency ${CONCURRENCY}, ${LATENCY_MS} ms per call`,
      headers: ['Calls', 'Round trips a day', 'Ideal', 'First request → last response', 'Ideal / actual'],
      rows: [
        [String(calls.length), String(perDay), ms(idealMs), ms(spanMs), `${(100 * efficiency).toFixed(0)} %`],
      ],
    },
  ];
  return {
    rows: [
      {
        section: 'Backfill',
        measure: `${DAYS} days, concurrency ${CONCURRENCY} @${LATENCY_MS} ms per call: ideal / actual`,
        value: `${(100 * efficiency).toFixed(0)} %`,
        target: `≥ ${100 * TARGET} %`,
        pass: efficiency >= TARGET,
        node: measured.nodeVersion,
      },
    ],
    details,
  };
}
