import { type HandlerEvent, startHandlerHost } from './deployed-process';
import { criticalPath, type FakeServices } from './fake-services-client';
import type { Measured } from './measured';
import { type DetailTable, median, ms, type SectionResult, times } from './report';

const LATENCY_MS = 50;
const TARGET = 1.2;
const CHECK_DATE = '2025-11-20';
const WARMUP = 3;

const DAY_MS = 86_400_000;
/** A check every 15 minutes from 06:00 local (Asia/Jakarta is UTC+7 all year), `daysBack` earlier. */
const check = (index: number, daysBack = 0): HandlerEvent => ({
  mode: 'check',
  scheduledTime: new Date(
    Date.parse(`${CHECK_DATE}T06:00:00+07:00`) - daysBack * DAY_MS + index * 900_000,
  ).toISOString(),
});

/**
 * A check's wall time with 50 ms on every external call, against its critical path: the longest
 * chain of calls one after another, each as long as the latency proxy saw it (latency + the fakes'
 * own time). What is left is the function's own. The deployed bundle in a warm container, in its
 * steady state: last week's checks archived for the week-over-week rules.
 */
export async function benchRunOverhead(
  measured: Measured,
  fakes: FakeServices,
  checks: number,
): Promise<SectionResult> {
  const host = await startHandlerHost(measured.node, measured.bundle, measured.env('overhead'));
  const ratios: number[] = [];
  const paths: Array<{ roundTrips: number; pathMs: number; wallMs: number }> = [];
  try {
    await host.invoke(Array.from({ length: WARMUP + checks }, (_, index) => check(index, 7)));
    await host.invoke(Array.from({ length: WARMUP }, (_, index) => check(index)));
    await fakes.setLatency(LATENCY_MS);
    await fakes.takeCalls();
    const samples = await host.invoke(Array.from({ length: checks }, (_, index) => check(WARMUP + index)));
    const calls = await fakes.takeCalls();
    for (const sample of samples) {
      const chain = criticalPath(
        calls.filter((call) => call.start >= sample.start && call.start <= sample.end),
      );
      const pathMs = chain.reduce((sum, call) => sum + (call.end - call.start), 0);
      paths.push({ roundTrips: chain.length, pathMs, wallMs: sample.wallMs });
      ratios.push(sample.wallMs / pathMs);
    }
  } finally {
    await fakes.setLatency(0);
    host.stop();
  }
  const ratio = median(ratios);
  const roundTrips = median(paths.map((each) => each.roundTrips));
  const details: DetailTable[] = [
    {
      title: `Check at ${LATENCY_MS} ms per external call on Node ${measured.nodeVersion} (${checks} warm checks)`,
      headers: ['Round trips', 'Critical path', 'Wall', 'Wall / path'],
      rows: [
        [
          String(roundTrips),
          ms(median(paths.map((each) => each.pathMs))),
          ms(median(paths.map((each) => each.wallMs))),
          times(ratio),
        ],
      ],
    },
  ];
  return {
    rows: [
      {
        section: 'Run overhead',
        measure: `check @${LATENCY_MS} ms per call: wall / critical path (${roundTrips} round trips)`,
        value: times(ratio),
        target: `≤ ${TARGET}×`,
        pass: ratio <= TARGET,
        node: measured.nodeVersion,
      },
    ],
    details,
  };
}
