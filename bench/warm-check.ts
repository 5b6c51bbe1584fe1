import type { Baseline } from './baseline';
import { deployedEnv } from './bench-services';
import type { BuiltBundle } from './build-bundle';
import {
  type HandlerEvent,
  type HandlerHost,
  type InvocationSample,
  runCold,
  startHandlerHost,
  valgrindAvailable,
  warmChecksScript,
} from './deployed-process';
import type { FakeServices } from './fake-services-client';
import type { DetailTable, ResultRow, SectionResult } from './report';
import { median, round } from './stats';

const TARGET_RATIO = 0.85;
const WARMUP = 5;
const MEASURED = 40;
/** Invocations per turn: the two containers alternate, so load on the machine hits both alike. */
const BLOCK = 2;
/** Under callgrind: instructions of this many warm invocations, after the same warm-up. */
const COUNTED = 20;

const checkEvent = (index: number): HandlerEvent => ({
  mode: 'check',
  scheduledTime: new Date(Date.parse('2025-10-08T05:00:00+07:00') + index * 900_000).toISOString(),
});

export interface WarmCheckData {
  readonly current: readonly InvocationSample[];
  readonly baseline?: readonly InvocationSample[];
  readonly ratio?: number;
  /** Instructions per warm invocation (callgrind), by handler. */
  readonly instructions?: { readonly current: number; readonly baseline?: number };
}

/**
 * Instructions per warm invocation: a process that runs the warm-up and COUNTED more checks, minus
 * one that runs the warm-up alone, over COUNTED. Unlike CPU time, the count does not move with load.
 */
async function instructionsPerCheck(bundle: string, env: Record<string, string>): Promise<number> {
  const events = Array.from({ length: WARMUP + COUNTED }, (_, index) => checkEvent(index));
  const count = async (length: number, run: string) => {
    const result = await runCold(
      warmChecksScript(bundle, events.slice(0, length)),
      { ...env, ARCHIVE_PREFIX: `${env.ARCHIVE_PREFIX}-${run}` },
      true,
    );
    if (result.instructions === undefined) throw new Error('callgrind reported no instruction count');
    return result.instructions;
  };
  return ((await count(WARMUP + COUNTED, 'long')) - (await count(WARMUP, 'short'))) / COUNTED;
}

/**
 * Warm checks: CPU per invocation of the real handler, kept loaded in one process as a warm Lambda
 * container keeps it, with the deployed logger, metrics and client construction (nothing injected),
 * beside the previous handler in a second process, in alternating blocks.
 */
export async function benchWarmCheck(
  fakes: FakeServices,
  current: BuiltBundle,
  baseline: Baseline | undefined,
  callgrind: boolean,
): Promise<SectionResult<WarmCheckData>> {
  const hosts: Array<[name: 'current' | 'baseline', HandlerHost]> = [
    ['current', await startHandlerHost(current.outfile, deployedEnv(fakes, 'warm-current'))],
  ];
  if (baseline) {
    hosts.push([
      'baseline',
      await startHandlerHost(baseline.bundle.outfile, deployedEnv(fakes, 'warm-baseline')),
    ]);
  }
  const samples = { current: [] as InvocationSample[], baseline: [] as InvocationSample[] };
  try {
    const events = Array.from({ length: WARMUP + MEASURED }, (_, index) => checkEvent(index));
    for (const [, host] of hosts) await host.invoke(events.slice(0, WARMUP));
    for (let start = WARMUP; start < events.length; start += BLOCK) {
      for (const [name, host] of hosts)
        samples[name].push(...(await host.invoke(events.slice(start, start + BLOCK))));
    }
  } finally {
    for (const [, host] of hosts) host.stop();
  }

  let instructions: WarmCheckData['instructions'];
  if (callgrind && valgrindAvailable()) {
    instructions = {
      current: await instructionsPerCheck(current.outfile, deployedEnv(fakes, 'warm-cg-current')),
      ...(baseline
        ? {
            baseline: await instructionsPerCheck(
              baseline.bundle.outfile,
              deployedEnv(fakes, 'warm-cg-baseline'),
            ),
          }
        : {}),
    };
  }

  const cpu = (list: readonly InvocationSample[]) => median(list.map((sample) => sample.cpuMs));
  const wall = (list: readonly InvocationSample[]) => median(list.map((sample) => sample.wallMs));
  const ratio = baseline ? cpu(samples.current) / cpu(samples.baseline) : undefined;
  const rows: ResultRow[] = [
    {
      section: 'Warm check',
      measure: baseline
        ? `CPU per invocation, median: ours / previous handler (${baseline.rev})`
        : 'CPU per invocation, median (previous handler not available)',
      value: ratio === undefined ? `${round(cpu(samples.current), 1)} ms` : `${round(ratio, 2).toFixed(2)}×`,
      target: `≤ ${TARGET_RATIO}×`,
      ...(ratio === undefined ? {} : { pass: ratio <= TARGET_RATIO }),
    },
  ];
  if (instructions?.baseline !== undefined) {
    rows.push({
      section: 'Warm check',
      measure: `instructions per invocation (callgrind): ours / previous handler (${baseline?.rev})`,
      value: `${round(instructions.current / instructions.baseline, 2).toFixed(2)}× (${round(instructions.current / 1e6, 1)} / ${round(instructions.baseline / 1e6, 1)} M)`,
      target: '—',
    });
  }
  const ms = (value: number) => `${round(value, 1).toFixed(1)} ms`;
  const details: DetailTable[] = [
    {
      title: `Warm checks: ${MEASURED} invocations in one process each (after ${WARMUP}), blocks of ${BLOCK} alternating`,
      headers: ['Handler', 'CPU median', 'CPU min', 'Wall median'],
      rows: hosts.map(([name]) => [
        name === 'current' ? 'as deployed now' : `previous (${baseline?.rev})`,
        ms(cpu(samples[name])),
        ms(Math.min(...samples[name].map((sample) => sample.cpuMs))),
        ms(wall(samples[name])),
      ]),
      note: "CPU is the container process's own over each invocation (its SDK clients, Powertools, GC included).",
    },
  ];
  return {
    rows,
    details,
    data: {
      current: samples.current,
      ...(baseline ? { baseline: samples.baseline, ratio } : {}),
      ...(instructions ? { instructions } : {}),
    },
  };
}
