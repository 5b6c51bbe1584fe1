import { rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchBackfill } from './backfill';
import { buildBaseline, DEFAULT_BASELINE } from './baseline';
import { OUT_DIR, REPO_ROOT, RESULTS_FILE } from './bench-paths';
import { startBenchServices } from './bench-services';
import { benchBundle } from './bundle';
import { benchColdStart } from './cold-start';
import { benchCuratedSql } from './curated-sql';
import { runDetection } from './detection/run-detection';
import { describeMachine, machineFacts } from './machine';
import { type DetailTable, formatDetail, formatSummary, type ResultRow, type SectionResult } from './report';
import { benchRunOverhead } from './run-overhead';
import { LATENCY_MS } from './run-overhead-report';
import { benchSizeScaling } from './size-scaling';
import { benchVerify } from './verify-throughput';
import { benchWarmCheck } from './warm-check';

/**
 * `npm run bench`: every figure beside its limit, measured side by side in one run (absolute times
 * drift on a shared machine). Prints detail tables, then the summary; with `--save` (`npm run bench -- --save`) it also
 * rewrites the tracked bench/results.json, so an ordinary run leaves the work tree clean.
 * Targets are reported, not enforced: the exit code is 0 unless a benchmark itself fails.
 * `--baseline=<git rev>`: the previous handler the warm and cold figures compare against.
 * `--no-callgrind`: skip the instruction counts of the cold start and the warm checks (about 7 minutes
 * under valgrind).
 */

const baselineRev =
  process.argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length) ?? DEFAULT_BASELINE;
const callgrind = !process.argv.includes('--no-callgrind');

const progress = (text: string) => process.stderr.write(`${text}\n`);

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  progress(`▸ ${name}…`);
  const result = await run();
  progress(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = machineFacts();
  progress(`Machine: ${describeMachine(machine)}`);
  await rm(OUT_DIR, { recursive: true, force: true });

  const bundle = await timed('bundle', benchBundle);
  const deployed = bundle.bundles.deployed;
  const { baseline, unavailable } = await timed(`previous handler (${baselineRev})`, () =>
    buildBaseline(baselineRev),
  );
  if (unavailable) progress(`  no previous handler to compare with: ${unavailable}`);
  const sizeScaling = await timed('size scaling', benchSizeScaling);
  const curatedSql = await timed('curated sql', benchCuratedSql);
  const services = await timed('fake services', startBenchServices);
  let coldStart: SectionResult;
  let warmCheck: SectionResult;
  let runOverhead: SectionResult;
  let backfill: SectionResult;
  let verify: SectionResult;
  try {
    coldStart = await timed('cold start', () =>
      benchColdStart(services.fakes, deployed, baseline, callgrind),
    );
    warmCheck = await timed('warm check', () =>
      benchWarmCheck(services.fakes, deployed, baseline, callgrind),
    );
    runOverhead = await timed('run overhead', () => benchRunOverhead(services.fakes, deployed));
    backfill = await timed('backfill', () => benchBackfill(services, LATENCY_MS));
    verify = await timed('verify', () => benchVerify(services));
  } finally {
    await services.stop();
  }

  const sections = {
    bundle: bundle.section,
    coldStart,
    warmCheck,
    runOverhead,
    backfill,
    verify,
    sizeScaling,
    curatedSql,
  } satisfies Record<string, SectionResult>;
  const rows: ResultRow[] = Object.values(sections).flatMap((section) => section.rows);
  const details: DetailTable[] = Object.values(sections).flatMap((section) => section.details);
  const durationS = (performance.now() - started) / 1000;

  for (const table of details) console.log(`${formatDetail(table)}\n`);
  console.log(`Machine: ${describeMachine(machine)}; load average ${os.loadavg()[0]?.toFixed(2)} at end`);
  console.log(`Command: npm run bench (${durationS.toFixed(0)} s)\n`);
  console.log(formatSummary(rows));

  if (!process.argv.includes('--save')) {
    console.log(`\nNot saved: npm run bench -- --save writes ${path.relative(REPO_ROOT, RESULTS_FILE)}`);
    return;
  }
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        machine: { ...machine, loadAtEnd: os.loadavg()[0] },
        durationS: Number(durationS.toFixed(1)),
        summary: rows,
        details,
        data: Object.fromEntries(Object.entries(sections).map(([name, section]) => [name, section.data])),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nWrote ${path.relative(REPO_ROOT, RESULTS_FILE)}`);
}

// `npm run bench -- detection [...]`: the detection benchmark (bench/detection), a benchmark of its own.
const run =
  process.argv[2] === 'detection' ? runDetection(process.argv.slice(3), (line) => console.log(line)) : main();
run.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
