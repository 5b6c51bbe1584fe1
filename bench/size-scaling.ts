import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { generateStatisticsBody } from '../dev/stand-in/airudder-stand-in';
import { OUT_DIR } from './bench-paths';
import { buildBundle } from './build-bundle';
import type { DetailTable, ResultRow, SectionResult } from './report';
import { runNode } from './spawn-node';
import { median, round } from './stats';

const SIZES_DAYS = [1, 7, 31, 92] as const;
const ZONE = 'Asia/Jakarta';
/** The windows end here (local); the digest is built for the day before. */
const END_DATE = '2025-11-01';
const HEAP_LIMIT_MB = 128;
const TARGET_MS = 100;
const WARM_ITERATIONS = 10;
/** Child processes per size: the first run is one sample per process. */
const PROCESSES = 3;

interface Timings {
  readonly parseMs: number;
  readonly evaluateMs: number;
  readonly digestMs: number;
  readonly totalMs: number;
  /** Diagnostics, timed after the run and not part of it. */
  readonly jsonParseMs: number;
  readonly hourlyRulesMs: number;
}

interface ProbeOutput {
  readonly bytes: number;
  readonly rssBeforeMb: number;
  readonly peakRssMb: number;
  readonly heapUsedMb: number;
  readonly first: Timings;
  readonly warm: Timings[];
}

export interface SizeStats {
  readonly days: number;
  readonly hourlyRows: number;
  readonly bytes: number;
  readonly first: Timings;
  readonly warm: Timings;
  readonly peakRssMb: number;
  readonly rssBeforeMb: number;
  readonly heapUsedMb: number;
}

const TIMING_KEYS = ['parseMs', 'evaluateMs', 'digestMs', 'totalMs', 'jsonParseMs', 'hourlyRulesMs'] as const;

/** Each timing's median over the runs. */
const medianTimings = (runs: readonly Timings[]): Timings =>
  Object.fromEntries(
    TIMING_KEYS.map((key) => [key, median(runs.map((run) => run[key]))]),
  ) as unknown as Timings;

const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Parse + evaluate + digest-build time and memory against response size: responses of 1 to 92 days
 * with hourly rows (from the stand-in's generator), each processed in fresh child processes bundled
 * like the function and limited to a 128 MB heap (it would crash beyond that).
 */
export async function benchSizeScaling(): Promise<SectionResult<SizeStats[]>> {
  const probe = await buildBundle({ name: 'size-probe', entry: 'bench/size-probe.ts' });
  const dir = path.join(OUT_DIR, 'responses');
  await mkdir(dir, { recursive: true });
  const sizes: SizeStats[] = [];
  for (const days of SIZES_DAYS) {
    const body = generateStatisticsBody({
      seed: 1,
      timeZone: ZONE,
      startTime: `${shiftDate(END_DATE, -days)} 00:00:00`,
      endTime: `${END_DATE} 00:00:00`,
      now: new Date('2026-01-01T00:00:00Z'),
    });
    const file = path.join(dir, `${days}-days.json`);
    await writeFile(file, JSON.stringify(body));
    const at = new Date(`${END_DATE}T00:00:00+07:00`).toISOString();
    const outputs: ProbeOutput[] = [];
    for (let run = 0; run < PROCESSES; run++) {
      const args = [file, shiftDate(END_DATE, -1), ZONE, at, String(WARM_ITERATIONS)];
      const { stdout } = await runNode([`--max-old-space-size=${HEAP_LIMIT_MB}`, probe.outfile, ...args]);
      outputs.push(JSON.parse(stdout) as ProbeOutput);
    }
    sizes.push({
      days,
      hourlyRows: body.data.realtime.hourly.data_list.length,
      bytes: outputs[0]?.bytes ?? 0,
      first: medianTimings(outputs.map((output) => output.first)),
      warm: medianTimings(outputs.flatMap((output) => output.warm)),
      peakRssMb: Math.max(...outputs.map((output) => output.peakRssMb)),
      rssBeforeMb: median(outputs.map((output) => output.rssBeforeMb)),
      heapUsedMb: median(outputs.map((output) => output.heapUsedMb)),
    });
  }

  const largest = sizes[sizes.length - 1] as SizeStats;
  const perRow = (size: SizeStats, timings: Timings) => (1000 * timings.totalMs) / size.hourlyRows;
  const ms = (value: number) => round(value, 1).toFixed(1);
  const label = `${largest.days} days hourly (${largest.hourlyRows} rows, ${round(largest.bytes / 1024, 0)} KiB)`;
  const timeRow = (run: string, timings: Timings): ResultRow => ({
    section: 'Size scaling',
    measure: `${label}: parse + evaluate + digest, ${run}`,
    value: `${round(timings.totalMs, 0)} ms`,
    target: `≤ ${TARGET_MS} ms`,
    pass: timings.totalMs <= TARGET_MS,
  });
  const rows: ResultRow[] = [
    timeRow('first run in a process', largest.first),
    timeRow('warm median', largest.warm),
    {
      section: 'Size scaling',
      measure: `${largest.days} days: peak RSS of the process, heap limited to ${HEAP_LIMIT_MB} MB`,
      value: `${round(largest.peakRssMb, 0)} MB`,
      target: `≤ ${HEAP_LIMIT_MB} MB`,
      pass: largest.peakRssMb <= HEAP_LIMIT_MB,
    },
    {
      section: 'Size scaling',
      measure: `time per hourly row, warm: ${sizes.map((size) => `${size.days} d ${round(perRow(size, size.warm), 0)} µs`).join(', ')}`,
      value: `${round(perRow(largest, largest.warm), 1)} µs`,
      target: '—',
    },
  ];
  const details: DetailTable[] = [
    {
      title: `Size scaling: fresh child processes, heap limit ${HEAP_LIMIT_MB} MB (first run: median of ${PROCESSES} processes; warm: median of ${PROCESSES} × ${WARM_ITERATIONS} runs)`,
      headers: [
        'Days',
        'Hourly rows',
        'Body KiB',
        'Parse',
        'Evaluate',
        'Digest',
        'First total',
        'Warm total',
        'µs/row warm',
        'RSS before',
        'Peak RSS',
      ],
      rows: sizes.map((size) => [
        String(size.days),
        String(size.hourlyRows),
        round(size.bytes / 1024, 0).toFixed(0),
        `${ms(size.first.parseMs)} ms`,
        `${ms(size.first.evaluateMs)} ms`,
        `${ms(size.first.digestMs)} ms`,
        `${ms(size.first.totalMs)} ms`,
        `${ms(size.warm.totalMs)} ms`,
        round(perRow(size, size.warm), 1).toFixed(1),
        `${round(size.rssBeforeMb, 0)} MB`,
        `${round(size.peakRssMb, 0)} MB`,
      ]),
      note: 'Parse / Evaluate / Digest are of the first run. RSS before = after loading the code and reading the file.',
    },
    {
      title: 'Where the time goes (warm medians; the parts timed apart)',
      headers: [
        'Days',
        'JSON.parse',
        'Parse (JSON + zod)',
        'Evaluate',
        `Rules on 'last-complete-hour'`,
        'Digest',
      ],
      rows: sizes.map((size) => [
        String(size.days),
        `${ms(size.warm.jsonParseMs)} ms`,
        `${ms(size.warm.parseMs)} ms`,
        `${ms(size.warm.evaluateMs)} ms`,
        `${ms(size.warm.hourlyRulesMs)} ms`,
        `${ms(size.warm.digestMs)} ms`,
      ]),
    },
  ];
  return { rows, details, data: sizes };
}
