import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { generateStatisticsBody } from '../dev/stand-in/airudder-stand-in';
import { OUT_DIR } from './bench-paths';
import { buildBundle } from './bundle-options';
import type { Measured } from './measured';
import { median, ms, type SectionResult } from './report';

const DAYS = 92;
const ZONE = 'Asia/Jakarta';
/** The window ends here (local); the digest is built for the day before. */
const END_DATE = '2025-11-01';
const HEAP_LIMIT_MB = 128;
const TARGET_MS = 100;
const WARM_ITERATIONS = 10;

const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface ProbeOutput {
  readonly bytes: number;
  readonly peakRssMb: number;
  readonly firstMs: number;
  readonly warmMs: readonly number[];
}

/**
 * Parse + evaluate + digest of a 92-day response with hourly rows (the stand-in's generator), bundled
 * like the function, on the Lambda Node with a 128 MB heap (it would crash beyond): the first run in a
 * fresh process (median over `processes`), the warm median, and the process's peak RSS after its first run.
 */
export async function benchSizeScaling(measured: Measured, processes: number): Promise<SectionResult> {
  const probe = await buildBundle('size-probe', 'bench/size-probe.ts');
  const body = generateStatisticsBody({
    seed: 1,
    timeZone: ZONE,
    startTime: `${shiftDate(END_DATE, -DAYS)} 00:00:00`,
    endTime: `${END_DATE} 00:00:00`,
    now: new Date('2026-01-01T00:00:00Z'),
  });
  const file = path.join(OUT_DIR, `${DAYS}-days.json`);
  await writeFile(file, JSON.stringify(body));
  const at = new Date(`${END_DATE}T00:00:00+07:00`).toISOString();
  const outputs = Array.from({ length: processes }, () => {
    const args = [
      `--max-old-space-size=${HEAP_LIMIT_MB}`,
      probe,
      file,
      shiftDate(END_DATE, -1),
      ZONE,
      at,
      String(WARM_ITERATIONS),
    ];
    return JSON.parse(execFileSync(measured.node, args, { encoding: 'utf8' })) as ProbeOutput;
  });
  const first = median(outputs.map((output) => output.firstMs));
  const warm = median(outputs.flatMap((output) => output.warmMs));
  const peak = Math.max(...outputs.map((output) => output.peakRssMb));
  const label = `${DAYS} days hourly (${body.data.realtime.hourly.data_list.length} rows, ${((outputs[0]?.bytes ?? 0) / 1024).toFixed(0)} KiB)`;
  const timeRow = (run: string, value: number) => ({
    section: 'Size scaling',
    measure: `${label}: parse + evaluate + digest, ${run}`,
    value: ms(value),
    target: `≤ ${TARGET_MS} ms`,
    pass: value <= TARGET_MS,
    node: measured.nodeVersion,
  });
  return {
    rows: [
      timeRow(`first run in a process (median of ${processes})`, first),
      timeRow('warm median', warm),
      {
        section: 'Size scaling',
        measure: `${DAYS} days: peak RSS of the process, heap limited to ${HEAP_LIMIT_MB} MB`,
        value: `${peak.toFixed(0)} MB`,
        target: `≤ ${HEAP_LIMIT_MB} MB`,
        pass: peak <= HEAP_LIMIT_MB,
        node: measured.nodeVersion,
      },
    ],
    details: [],
  };
}
