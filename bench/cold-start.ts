import type { Baseline } from './baseline';
import { deployedEnv } from './bench-services';
import type { BuiltBundle } from './build-bundle';
import {
  type ColdRun,
  coldCheckScript,
  referencePutScript,
  runCold,
  valgrindAvailable,
} from './deployed-process';
import type { FakeServices } from './fake-services-client';
import type { DetailTable, ResultRow, SectionResult } from './report';
import { median, round } from './stats';

const TARGET_CPU_RATIO = 1.6;
/** Spawns per case; the cases take turns, so drift on a shared machine hits them alike. */
const REPETITIONS = 10;
const WARMUP = 1;

/** Checks every 15 minutes of one day, a new one for each cold start, so each archives a new object. */
const checkTime = (index: number) =>
  new Date(Date.parse('2025-10-01T06:00:00+07:00') + index * 900_000).toISOString();

interface Case {
  readonly label: string;
  readonly script: (index: number) => string;
  readonly env: Record<string, string>;
}

export interface ColdStartData {
  readonly runs: Record<string, ColdRun[]>;
  readonly cpuRatio: number;
  readonly instructionRatio?: number;
}

const REFERENCE = 'reference: @aws-sdk/client-s3 + one signed PutObject';
const CURRENT = 'handler as deployed: spawn → first check done';
const BASELINE = 'previous handler';

/**
 * Cold start as Lambda's first invocation pays it: spawn of a plain Node process → the result of
 * its first `check` (config, Powertools, SDK clients, Secrets Manager, token, fetch, archive, state,
 * Slack), against the floor of any function that must write to S3: a process that loads the S3 SDK
 * and sends one signed PutObject to the same emulator. Interleaved, min and median; CPU is the
 * child's own (its cpuUsage at the result), wall is spawn → result. Under callgrind (when valgrind
 * is installed) the instruction counts, which hold still on a loaded machine, once per case.
 */
export async function benchColdStart(
  fakes: FakeServices,
  current: BuiltBundle,
  baseline: Baseline | undefined,
  callgrind: boolean,
): Promise<SectionResult<ColdStartData>> {
  let check = 0;
  const handlerCase = (label: string, bundle: BuiltBundle, prefix: string): Case => ({
    label,
    script: () => coldCheckScript(bundle.outfile, { mode: 'check', scheduledTime: checkTime(check++) }),
    env: deployedEnv(fakes, prefix),
  });
  const cases: Case[] = [
    { label: REFERENCE, script: () => referencePutScript, env: deployedEnv(fakes, 'cold-reference') },
    handlerCase(CURRENT, current, 'cold-current'),
    ...(baseline ? [handlerCase(`${BASELINE} (${baseline.rev})`, baseline.bundle, 'cold-baseline')] : []),
  ];
  const runs: Record<string, ColdRun[]> = Object.fromEntries(cases.map(({ label }) => [label, []]));
  for (let round = 0; round < WARMUP + REPETITIONS; round++) {
    for (const { label, script, env } of cases) {
      const run = await runCold(script(round), env);
      if (round >= WARMUP) runs[label]?.push(run);
    }
  }
  const instructions: Record<string, number> = {};
  if (callgrind && valgrindAvailable()) {
    // Reference and ours only: each run takes a minute or more under valgrind.
    for (const { label, script, env } of cases.filter(({ label }) => !label.startsWith(BASELINE))) {
      const run = await runCold(script(0), env, true);
      if (run.instructions !== undefined) instructions[label] = run.instructions;
    }
  }

  const of = (label: string, figure: 'cpuMs' | 'wallMs', pick: 'median' | 'min') => {
    const values = (runs[label] ?? []).map((run) => run[figure]);
    return pick === 'median' ? median(values) : Math.min(...values);
  };
  const ratio = (label: string, figure: 'cpuMs' | 'wallMs', pick: 'median' | 'min') =>
    of(label, figure, pick) / of(REFERENCE, figure, pick);
  const times = (value: number) => `${round(value, 2).toFixed(2)}×`;
  const cpuRatio = ratio(CURRENT, 'cpuMs', 'median');
  const instructionRatio =
    instructions[CURRENT] && instructions[REFERENCE]
      ? instructions[CURRENT] / instructions[REFERENCE]
      : undefined;

  const rows: ResultRow[] = [
    {
      section: 'Cold start',
      measure: 'first check / SDK + PutObject reference, CPU median',
      value: times(cpuRatio),
      target: `≤ ${TARGET_CPU_RATIO}×`,
      pass: cpuRatio <= TARGET_CPU_RATIO,
    },
    {
      section: 'Cold start',
      measure: 'first check / reference: CPU min, wall median (min)',
      value: `${times(ratio(CURRENT, 'cpuMs', 'min'))}, ${times(ratio(CURRENT, 'wallMs', 'median'))} (${times(ratio(CURRENT, 'wallMs', 'min'))})`,
      target: '—',
    },
    ...(instructionRatio === undefined
      ? []
      : [
          {
            section: 'Cold start',
            measure: 'first check / reference, instructions (callgrind)',
            value: times(instructionRatio),
            target: '—',
          },
        ]),
    ...cases
      .filter(({ label }) => label.startsWith(BASELINE))
      .map(({ label }) => ({
        section: 'Cold start',
        measure: `${label} / reference, CPU median`,
        value: times(ratio(label, 'cpuMs', 'median')),
        target: '—',
      })),
  ];
  const ms = (value: number) => round(value, 0).toFixed(0);
  const details: DetailTable[] = [
    {
      title: `Cold start: spawn → first result (${REPETITIONS} spawns each, interleaved)`,
      headers: [
        'Process',
        'CPU median ms',
        'CPU min',
        'Wall median ms',
        'Wall min',
        'Instructions',
        '/ reference (CPU median)',
      ],
      rows: cases.map(({ label }) => [
        label,
        ms(of(label, 'cpuMs', 'median')),
        ms(of(label, 'cpuMs', 'min')),
        ms(of(label, 'wallMs', 'median')),
        ms(of(label, 'wallMs', 'min')),
        instructions[label] === undefined ? '—' : `${round(instructions[label] / 1e9, 2).toFixed(2)} G`,
        times(ratio(label, 'cpuMs', 'median')),
      ]),
      note:
        "CPU: the child process's own user + system time from its start to the result. The handler runs " +
        'with the deployed environment: Secrets Manager, S3 and AIRUDDER on loopback fakes (no added latency).' +
        (Object.keys(instructions).length === 0
          ? ' No instruction counts: valgrind is not installed, or --no-callgrind.'
          : ''),
    },
  ];
  return { rows, details, data: { runs, cpuRatio, ...(instructionRatio ? { instructionRatio } : {}) } };
}
