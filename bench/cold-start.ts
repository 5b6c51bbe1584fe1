import { type ColdRun, coldCheckScript, inParallel, referencePutScript, runScript } from './deployed-process';
import type { Measured } from './measured';
import { type DetailTable, median, ms, type SectionResult, times } from './report';
import { FEC5DEF_RULES_FILE } from './warm-check';

const TARGET = 1.5;

const REFERENCE = 'reference: @aws-sdk/client-s3 + one signed PutObject';
const HANDLER = 'handler as deployed: spawn → first check done';
const SAME_RULES = "the same, given fec5def's rules (bench/fec5def-rules.json)";

/** Checks every 15 minutes of one day, a new one for each cold start, so each archives a new object. */
const checkTime = (index: number) =>
  new Date(Date.parse('2025-10-01T06:00:00+07:00') + index * 900_000).toISOString();

/**
 * Cold start as Lambda's first invocation pays it: spawn of the deployed Node with the stack's
 * environment → the result of the first `check` (init: config, Powertools, clients and the secret
 * read started; then the invocation), against the floor of any function that must write to S3: the
 * same Node loading the S3 SDK and sending one signed PutObject to the same emulator. Interleaved
 * spawns (CPU: the child's own, at the result; init: at the end of `require`), then the callgrind
 * instruction count of each, which holds still on a loaded machine.
 */
export async function benchColdStart(measured: Measured, spawns: number): Promise<SectionResult> {
  const { node, nodeVersion, bundle, env } = measured;
  let check = 0;
  const cases = [
    { label: REFERENCE, script: () => referencePutScript, env: env('cold-reference') },
    {
      label: HANDLER,
      script: () => coldCheckScript(bundle, { mode: 'check', scheduledTime: checkTime(check++) }),
      env: env('cold-handler'),
    },
    {
      label: SAME_RULES,
      script: () => coldCheckScript(bundle, { mode: 'check', scheduledTime: checkTime(check++) }),
      env: { ...env('cold-same-rules'), DEFAULT_RULES_FILE: FEC5DEF_RULES_FILE },
    },
  ];
  const runs = new Map<string, ColdRun[]>(cases.map(({ label }) => [label, []]));
  // One warm-up round (file cache), then `spawns` rounds, the cases taking turns.
  for (let round = 0; round <= spawns; round++) {
    for (const { label, script, env: caseEnv } of cases) {
      const run = await runScript(node, script(), caseEnv);
      if (round > 0) runs.get(label)?.push(run);
    }
  }
  const instructions = await inParallel(
    2,
    cases.map(
      ({ script, env: caseEnv }) =>
        async () =>
          (await runScript(node, script(), caseEnv, true)).instructions ?? Number.NaN,
    ),
  );
  const of = (label: string, figure: 'cpuMs' | 'initCpuMs' | 'wallMs') =>
    median((runs.get(label) ?? []).map((run) => run[figure]));
  const cpuRatio = (label: string) => of(label, 'cpuMs') / of(REFERENCE, 'cpuMs');
  const instructionRatio = (index: number) =>
    (instructions[index] ?? Number.NaN) / (instructions[0] ?? Number.NaN);
  const row = (measure: string, ratio: number, target = true) => ({
    section: 'Cold start',
    measure,
    value: times(ratio),
    ...(target ? { target: `≤ ${TARGET}×`, pass: ratio <= TARGET } : { target: '—' }),
    node: nodeVersion,
  });
  const details: DetailTable[] = [
    {
      title: `Cold start on Node ${nodeVersion}: spawn → first result (${spawns} spawns each, interleaved; medians)`,
      headers: ['Process', 'Init CPU', 'Invocation CPU', 'CPU', 'Wall', 'Instructions'],
      rows: cases.map(({ label }, index) => [
        label,
        ms(of(label, 'initCpuMs')),
        ms(of(label, 'cpuMs') - of(label, 'initCpuMs')),
        ms(of(label, 'cpuMs')),
        ms(of(label, 'wallMs')),
        `${((instructions[index] ?? Number.NaN) / 1e9).toFixed(2)} G`,
      ]),
      note:
        'Init: from the start of the process to the end of `require` (for the reference: the SDK loaded and its ' +
        'client built). The handler starts its secret read during init; the invocation waits for it. Shown ' +
        "beside, not instead: the handler given fec5def's rules (day-so-far rates, no rolling windows and no " +
        "seasonal baseline), so the cost of the default rules' calls is seen apart from the code's.",
    },
  ];
  return {
    rows: [
      row('first check / SDK + PutObject floor, CPU median', cpuRatio(HANDLER)),
      row('first check / SDK + PutObject floor, instructions (callgrind)', instructionRatio(1)),
      row("beside: first check, fec5def's rules / floor, CPU median", cpuRatio(SAME_RULES), false),
      row("beside: first check, fec5def's rules / floor, instructions", instructionRatio(2), false),
    ],
    details,
  };
}
