import { S3Client } from '@aws-sdk/client-s3';
import { createFinishedHourCache, generateStatisticsBody } from '../dev/stand-in/statistics-generator';
import { createS3ObjectStore } from '../lambda/adapters/archive/s3-object-store';
import {
  daySoFarWindow,
  type QueryWindow,
  shiftDate,
  wholeDayWindow,
  windowEndInstant,
} from '../lambda/domain/statistics/query-window';
import { parseStatistics } from '../lambda/domain/statistics/schema';
import { silentLogger } from '../lambda/shared/logger';
import { fetchAndArchive } from '../lambda/use-cases/fetch-and-archive';
import { forEachConcurrently } from '../lambda/use-cases/run-concurrently';
import { runCli } from './cli-run';
import { AWS_KEYS, cliEnv } from './deployed-env';
import { BENCH_ZONE, type ExternalCall, type FakeServices } from './fake-services-client';
import type { Measured } from './measured';
import { type DetailTable, ms, type SectionResult, times } from './report';

const CHECKS_PER_DAY = 96;
const FIRST_DAY = '2025-03-01';
const LATENCY_MS = 20;
const TARGET_PER_SECOND = 150;
const PREFIX = 'verify';

const span = (calls: readonly ExternalCall[]) =>
  Math.max(...calls.map((call) => call.end)) - Math.min(...calls.map((call) => call.start));

/**
 * `verify` and then `replay` through the CLI in fresh processes, as operators run them (#26 Build 2),
 * over `days` of checks (96 a day: 90 days are 8,640 objects) in the S3 emulator with 20 ms on every
 * request. The objects are written first by the check's archive code, straight to the emulator (no
 * latency); replay also needs each day's whole-day response, added after verify. Times run from the
 * CLI's first request to its last response. Replay has no target: its figure is the time against the
 * same requests made one at a time.
 */
export async function benchVerify(
  measured: Measured,
  fakes: FakeServices,
  days: number,
): Promise<SectionResult> {
  // Each window gets the stand-in's answer for that very window: a check's archived response must fit
  // the window it was asked for, or verify and replay would judge it invalid.
  const finishedHours = createFinishedHourCache();
  const direct = new S3Client({ endpoint: fakes.s3Direct, region: 'us-east-1', credentials: AWS_KEYS });
  const deps = {
    source: {
      fetchStatistics: async (window: QueryWindow) => {
        const body = generateStatisticsBody({
          seed: 1,
          timeZone: window.timeZone,
          startTime: window.startTime,
          endTime: window.endTime,
          now: windowEndInstant(window),
          finishedHours,
        });
        const bytes = new TextEncoder().encode(JSON.stringify(body));
        return {
          bytes,
          httpStatus: 200,
          fetchedAt: new Date(),
          latencyMs: 0,
          attempts: 1,
          parsed: parseStatistics(bytes),
        };
      },
    },
    store: createS3ObjectStore(direct, fakes.bucket, PREFIX),
    logger: silentLogger,
  };
  const dates = Array.from({ length: days }, (_, index) => shiftDate(FIRST_DAY, index));
  const instants = dates.flatMap((day) =>
    Array.from(
      { length: CHECKS_PER_DAY },
      (_, index) => new Date(Date.parse(`${day}T00:15:00+07:00`) + index * 900_000),
    ),
  );
  await forEachConcurrently(instants, 16, async (at) => {
    await fetchAndArchive(deps, { kind: 'check', window: daySoFarWindow(at, BENCH_ZONE), referenceTime: at });
  });

  const env = cliEnv(fakes, PREFIX, BENCH_ZONE);
  const measure = async (args: string[]) => {
    await fakes.setLatency(LATENCY_MS);
    try {
      await fakes.takeCalls();
      const result = await runCli(measured.node, args, env);
      return { result, calls: await fakes.takeCalls() };
    } finally {
      await fakes.setLatency(0);
    }
  };
  const verify = await measure(['verify']);
  const verified = verify.result as { objects?: number };
  if (verified.objects !== instants.length)
    throw new Error(`verify saw ${verified.objects} objects, ${instants.length} were written`);
  const perSecond = instants.length / (span(verify.calls) / 1000);

  await forEachConcurrently(dates, 16, async (date) => {
    const window = wholeDayWindow(date, BENCH_ZONE);
    const referenceTime = new Date(Date.parse(`${shiftDate(date, 1)}T08:30:00+07:00`));
    await fetchAndArchive(deps, { kind: 'day', window, referenceTime });
  });
  direct.destroy();
  const replay = await measure(['replay', '--from', FIRST_DAY, '--to', dates.at(-1) ?? FIRST_DAY]);
  if ((replay.result as { days?: number }).days !== days)
    throw new Error(`replay did not cover ${days} days`);
  const replayRatio = span(replay.calls) / (replay.calls.length * LATENCY_MS);

  const details: DetailTable[] = [
    {
      title: `Verify and replay through the CLI on Node ${measured.nodeVersion}, ${LATENCY_MS} ms on every S3 request`,
      headers: ['Command', 'Objects', 'S3 requests', 'First request → last response', 'Rate'],
      rows: [
        [
          'verify',
          String(instants.length),
          String(verify.calls.length),
          ms(span(verify.calls)),
          `${perSecond.toFixed(0)} objects/s`,
        ],
        [
          'replay',
          `${days} days`,
          String(replay.calls.length),
          ms(span(replay.calls)),
          `${times(replayRatio)} one at a time`,
        ],
      ],
    },
  ];
  return {
    rows: [
      {
        section: 'Verify',
        measure: `${days} days of checks (${instants.length} objects) @${LATENCY_MS} ms per S3 request`,
        value: `${perSecond.toFixed(0)} objects/s`,
        target: `≥ ${TARGET_PER_SECOND} objects/s`,
        pass: perSecond >= TARGET_PER_SECOND,
        node: measured.nodeVersion,
      },
      {
        section: 'Replay',
        measure: `${days} days through the CLI @${LATENCY_MS} ms per S3 request: time / the same requests one at a time`,
        value: times(replayRatio),
        target: '—',
        node: measured.nodeVersion,
      },
    ],
    details,
  };
}
