import type { Baseline } from './baseline';
import {
  countWarmChecks,
  type HandlerEvent,
  type HandlerHost,
  type InvocationSample,
  inParallel,
  startHandlerHost,
} from './deployed-process';
import type { Measured } from './measured';
import { type DetailTable, median, ms, type SectionResult, times } from './report';

const TARGET = 0.85;
const WARMUP = 5;
/** Invocations per turn: the two containers alternate, so load on the machine hits both alike. */
const BLOCK = 2;

const checkEvent = (index: number): HandlerEvent => ({
  mode: 'check',
  scheduledTime: new Date(Date.parse('2025-10-08T05:00:00+07:00') + index * 900_000).toISOString(),
});

/**
 * Warm checks: CPU per invocation of the deployed handler kept loaded in one process, as a warm
 * container keeps it, beside the baseline handler in a second process, in alternating blocks; then
 * instructions per warm check under callgrind: of one container, the `uncounted` first checks run
 * uninstrumented, the next `counted` are counted, `runs` times each. 10 and 30 are what (run of 40 −
 * run of 10) / 30 measured (#26), without paying for 50 counted checks and two counted inits;
 * `--quick` counts checks 31–40 once, a third of the counting (each counted check costs about 2 s of
 * CPU under callgrind).
 * The baseline runs as it deployed: its own bundle, the stack's environment without NODE_OPTIONS
 * (which its stack did not set).
 */
export async function benchWarmCheck(
  measured: Measured,
  baseline: Baseline,
  options: {
    readonly invocations: number;
    readonly runs: number;
    readonly uncounted: number;
    readonly counted: number;
  },
): Promise<SectionResult> {
  const { node, nodeVersion } = measured;
  const handlers = [
    { name: 'as deployed now', bundle: measured.bundle, env: (prefix: string) => measured.env(prefix) },
    {
      name: `baseline ${baseline.rev}`,
      bundle: baseline.outfile,
      env: (prefix: string) => {
        const { NODE_OPTIONS: _none, ...env } = measured.env(prefix);
        return env;
      },
    },
  ];
  const hosts: HandlerHost[] = [];
  const samples: InvocationSample[][] = handlers.map(() => []);
  try {
    for (const [index, handler] of handlers.entries())
      hosts.push(await startHandlerHost(node, handler.bundle, handler.env(`warm-${index}`)));
    const events = Array.from({ length: WARMUP + options.invocations }, (_, index) => checkEvent(index));
    for (const host of hosts) await host.invoke(events.slice(0, WARMUP));
    for (let start = WARMUP; start < events.length; start += BLOCK) {
      for (const [index, host] of hosts.entries())
        samples[index]?.push(...(await host.invoke(events.slice(start, start + BLOCK))));
    }
  } finally {
    for (const host of hosts) host.stop();
  }

  // Two callgrind runs at a time: counts do not depend on what else runs.
  const warmup = Array.from({ length: options.uncounted }, (_, index) => checkEvent(index));
  const counted = Array.from({ length: options.counted }, (_, index) =>
    checkEvent(options.uncounted + index),
  );
  const jobs = handlers.flatMap((handler, which) =>
    Array.from({ length: options.runs }, (_, run) => async () => {
      const env = handler.env(`warm-cg-${which}-${run}`);
      const instructions = await countWarmChecks(node, handler.bundle, warmup, counted, env);
      return { which, perCheck: instructions / options.counted };
    }),
  );
  const results = await inParallel(2, jobs);
  const perCheck = handlers.map((_, which) =>
    results.filter((result) => result.which === which).map((result) => result.perCheck),
  );

  const checks = `${options.uncounted + 1}–${options.uncounted + options.counted}`;
  const cpu = (index: number) => median((samples[index] ?? []).map((sample) => sample.cpuMs));
  const cpuRatio = cpu(0) / cpu(1);
  const instructionRatio = median(perCheck[0] ?? []) / median(perCheck[1] ?? []);
  const row = (measure: string, ratio: number) => ({
    section: 'Warm check',
    measure,
    value: times(ratio),
    target: `≤ ${TARGET}×`,
    pass: ratio <= TARGET,
    node: nodeVersion,
  });
  const details: DetailTable[] = [
    {
      title: `Warm checks on Node ${nodeVersion}: ${options.invocations} invocations per container after ${WARMUP}, blocks of ${BLOCK} alternating`,
      headers: ['Handler', 'CPU median', 'Wall median', `Instructions per check, checks ${checks}, each run`],
      rows: handlers.map((handler, index) => [
        handler.name,
        ms(cpu(index), 1),
        ms(median((samples[index] ?? []).map((sample) => sample.wallMs)), 1),
        (perCheck[index] ?? []).map((count) => `${(count / 1e6).toFixed(1)} M`).join(', '),
      ]),
      note:
        `Baseline ${baseline.rev}: the previous round's handler. It makes 7.3 external calls per check here; today's ` +
        'check makes 15–17 (the default rules fetch and archive three rolling windows, and read the 60-minute one of the four weeks before).',
    },
  ];
  return {
    rows: [
      row(`CPU per check, median: ours / ${baseline.rev}`, cpuRatio),
      row(`instructions per check ${checks} (callgrind): ours / ${baseline.rev}`, instructionRatio),
    ],
    details,
  };
}
