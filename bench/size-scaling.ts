import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { generateStatisticsBody } from '../dev/stand-in/airudder-stand-in';
import { applyDrift, MANY_STORY_NAMES } from '../dev/stand-in/faults';
import { OUT_DIR } from './bench-paths';
import { buildBundle } from './bundle-options';
import type { Measured } from './measured';
import { median, ms, type ResultRow, type SectionResult, times } from './report';

const DAYS = 92;
const ZONE = 'Asia/Jakarta';
/** The window ends here (local); the digest is built for the day before. */
const END_DATE = '2025-11-01';
const HEAP_LIMIT_MB = 128;
const TARGET_MS = 100;
const WARM_ITERATIONS = 10;
/** Peak RSS with 200,000 more story names over the same day without them: memory follows the bytes, not the names. */
const STORY_RSS_RATIO_TARGET = 2;

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
  const storyRow = await storyNamesRow(measured, probe, processes);
  return {
    rows: [
      storyRow,
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

/**
 * Bounded memory (#22): one day's response as the stand-in sends it, and the same with 200,000 more
 * story names (12 MB more JSON), each through parse + evaluate + digest in fresh processes; the
 * ratio of their peak RSS (the larger of `processes` runs each). Before the bounded parse the digest
 * held every name (556 MB for 200,000); now each distribution keeps its top 1,000 labels.
 */
async function storyNamesRow(measured: Measured, probe: string, processes: number): Promise<ResultRow> {
  const date = shiftDate(END_DATE, -1);
  const body = generateStatisticsBody({
    seed: 1,
    timeZone: ZONE,
    startTime: `${date} 00:00:00`,
    endTime: `${END_DATE} 00:00:00`,
    now: new Date('2026-01-01T00:00:00Z'),
  });
  const plain = JSON.stringify(body);
  const files = {
    plain: path.join(OUT_DIR, 'day-own-stories.json'),
    many: path.join(OUT_DIR, 'day-200k-stories.json'),
  };
  await writeFile(files.plain, plain);
  await writeFile(files.many, applyDrift('statistics', plain, 'many-story-names'));
  const at = new Date(`${END_DATE}T00:00:00+07:00`).toISOString();
  const peakOf = (file: string) =>
    Math.max(
      ...Array.from({ length: processes }, () => {
        const args = [`--max-old-space-size=${HEAP_LIMIT_MB}`, probe, file, date, ZONE, at, '0'];
        const output = JSON.parse(execFileSync(measured.node, args, { encoding: 'utf8' })) as ProbeOutput;
        return output.peakRssMb;
      }),
    );
  const [plainPeak, manyPeak] = [peakOf(files.plain), peakOf(files.many)];
  const ratio = manyPeak / plainPeak;
  return {
    section: 'Size scaling',
    measure: `one day + ${MANY_STORY_NAMES.toLocaleString('en-US')} story names: peak RSS ÷ the same day without them (${manyPeak.toFixed(0)} MB ÷ ${plainPeak.toFixed(0)} MB)`,
    value: times(ratio),
    target: `≤ ${times(STORY_RSS_RATIO_TARGET)}`,
    pass: ratio <= STORY_RSS_RATIO_TARGET,
    node: measured.nodeVersion,
  };
}
