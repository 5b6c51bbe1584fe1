import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as os from 'node:os';
import { benchAlertsAtOnce } from './alerts-at-once';
import { benchBackfill } from './backfill';
import { BASELINE_REV, buildBaseline } from './baseline';
import { OUT_DIR } from './bench-paths';
import { buildBundle, HANDLER_ENTRY } from './bundle-options';
import { benchColdStart } from './cold-start';
import { benchCuratedSql } from './curated-sql';
import { deployedEnv, stackEnvironment } from './deployed-env';
import { runDetection } from './detection/run-detection';
import { startFakeServices } from './fake-services-client';
import { benchInteractionsColdStart } from './interactions-cold-start';
import { lambdaNode } from './lambda-node';
import type { Measured } from './measured';
import { formatDetail, formatSummary, type SectionResult } from './report';
import { benchRunOverhead } from './run-overhead';
import { benchSizeScaling } from './size-scaling';
import { benchVerify } from './verify';
import { benchWarmCheck } from './warm-check';

/**
 * `npm run bench`: the targets the README reports, each a ratio or a throughput measured in this one
 * run (absolute times drift on a shared machine), each with the Node it ran on. The function runs as
 * Lambda runs it: the bundle on the pinned Node of the Lambda runtime, with the stack's environment.
 * `--quick`: the same measurements with fewer repetitions (its time and CPU: docs/performance.md).
 * `--only=<section,…>`: some sections alone, e.g. `--only=warm check,alerts at once`.
 * Targets are reported, not enforced: the exit code is 0 unless a benchmark itself fails.
 */

const quick = process.argv.includes('--quick');
/** `--only=cold,warm`: those sections alone (names as in the progress lines). */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const progress = (text: string) => process.stderr.write(`${text}\n`);

/**
 * CPU seconds this process and its finished children (the spawned handlers, callgrind runs, the
 * fake services once stopped) have used: on a loaded machine the wall time says how busy the others
 * were, the CPU time what the bench itself costs. From /proc, so Linux only (NaN elsewhere).
 */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  try {
    // Fields after the command name: cutime and cstime are the 14th and 15th, in clock ticks (100/s).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    const children = (Number(fields[13]) + Number(fields[14])) / 100;
    return (own.user + own.system) / 1e6 + children;
  } catch {
    return Number.NaN;
  }
}

const seconds = (value: number) => `${value.toFixed(1)} s`;

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const cpuAtStart = cpuSeconds();
  progress(`▸ ${name}…`);
  const result = await run();
  progress(
    `  ${name}: ${seconds((performance.now() - started) / 1000)} (CPU ${seconds(cpuSeconds() - cpuAtStart)})`,
  );
  return result;
}

/** Runs a section (unless --only leaves it out) and prints its figures at once. */
async function section(
  sections: SectionResult[],
  name: string,
  run: () => Promise<SectionResult>,
): Promise<void> {
  if (only && !only.includes(name)) return;
  const result = await timed(name, run);
  for (const row of result.rows)
    progress(`  ${row.measure}: ${row.value} (${row.target}) on Node ${row.node}`);
  sections.push(result);
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  await rm(OUT_DIR, { recursive: true, force: true });
  const node = await timed('Node of the Lambda runtime', () => lambdaNode(progress));
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const baseline = await timed(`baseline handler ${BASELINE_REV}`, () =>
    buildBaseline(BASELINE_REV, progress),
  );
  const bundle = await timed('handler bundle', () => buildBundle('handler', HANDLER_ENTRY));
  const stack = await timed("the stack's environment", stackEnvironment);
  const fakes = await timed('fake services', startFakeServices);
  const measured: Measured = {
    node,
    nodeVersion,
    bundle,
    env: (prefix) => deployedEnv(stack, fakes, prefix),
  };
  const sections: SectionResult[] = [];
  try {
    await section(sections, 'cold start', () => benchColdStart(measured, quick ? 5 : 15));
    await section(sections, 'interactions cold start', () =>
      benchInteractionsColdStart(measured, quick ? 5 : 15),
    );
    await section(sections, 'warm check', () =>
      benchWarmCheck(
        measured,
        fakes,
        baseline,
        quick
          ? { invocations: 20, runs: 1, uncounted: 30, counted: 10, log: progress }
          : { invocations: 40, runs: 2, uncounted: 10, counted: 30, log: progress },
      ),
    );
    await section(sections, 'alerts at once', () => benchAlertsAtOnce(measured, quick ? 3 : 7));
    await section(sections, 'run overhead', () => benchRunOverhead(measured, fakes, quick ? 6 : 12));
    await section(sections, 'backfill', () => benchBackfill(measured, fakes));
    await section(sections, 'verify', () => benchVerify(measured, fakes, quick ? 30 : 90));
  } finally {
    await fakes.stop();
  }
  await section(sections, 'size scaling', () => benchSizeScaling(measured, quick ? 2 : 3));
  await section(sections, 'curated sql', () => benchCuratedSql(measured, quick ? 1 : 3));

  for (const table of sections.flatMap((section) => section.details)) console.log(`${formatDetail(table)}\n`);
  const wall = (performance.now() - started) / 1000;
  console.log(
    `${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}); load average ${loadAtStart.toFixed(1)} at start, ` +
      `${(os.loadavg()[0] ?? 0).toFixed(1)} at end; npm run bench${quick ? ' -- --quick' : ''}: ${wall.toFixed(0)} s, ` +
      `CPU ${cpuSeconds().toFixed(0)} s\n`,
  );
  console.log(formatSummary(sections.flatMap((section) => section.rows)));
}

// `npm run bench -- detection [...]`: the detection benchmark (bench/detection), a benchmark of its own.
const run =
  process.argv[2] === 'detection' ? runDetection(process.argv.slice(3), (line) => console.log(line)) : main();
run.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
