import type { BuiltBundle } from './build-bundle';
import type { Bundles } from './bundle';
import type { DetailTable, ResultRow, SectionResult } from './report';
import { runNode } from './spawn-node';
import { median, round, type Spread, spread } from './stats';

const TARGET_RATIO = 1.5;
/** Spawns per case; the cases take turns, so drift on a shared machine hits them alike. */
const REPETITIONS = 20;
const WARMUP = 1;
const BREAKDOWN_REPETITIONS = 8;

/** Loads the bundle and writes one byte: the parent times spawn → that byte. */
const loadScript = (file: string) => `require(${JSON.stringify(file)});process.stdout.write('.')`;

/** Times each step of loading inside one process (performance.now() counts from process start). */
const breakdownScript = (handler: string) => `
const t0 = performance.now();
require('@aws-sdk/client-s3');
const t1 = performance.now();
require('@aws-sdk/client-secrets-manager');
const t2 = performance.now();
require(${JSON.stringify(handler)});
const t3 = performance.now();
process.stdout.write(JSON.stringify({ boot: t0, s3: t1 - t0, secrets: t2 - t1, bundle: t3 - t2 }));`;

const requireTimeScript = (file: string) =>
  `const t0 = performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now() - t0));`;

export interface ColdStartData {
  readonly cases: Record<string, Spread>;
  readonly breakdownMs: Record<string, number>;
  readonly ratio: number;
}

/** Median spawn → loaded time of the deployed bundle beside a hello-world floor and other references. */
export async function benchColdStart(bundles: Bundles): Promise<SectionResult<ColdStartData>> {
  const cases: Array<[label: string, bundle: BuiltBundle]> = [
    ['hello-world handler (floor)', bundles.hello],
    ['floor + the 2 SDK clients (external)', bundles.sdkOnly],
    ['handler as deployed', bundles.deployed],
    ['handler, Powertools + @slack/webhook stubbed', bundles.slim],
    ['handler, SDK bundled in', bundles.sdkBundled],
  ];
  const samples = new Map<string, number[]>(cases.map(([label]) => [label, []]));
  for (let round = 0; round < WARMUP + REPETITIONS; round++) {
    for (const [label, bundle] of cases) {
      const { firstOutputMs } = await runNode(['-e', loadScript(bundle.outfile)]);
      if (round >= WARMUP) samples.get(label)?.push(firstOutputMs);
    }
  }
  const stats = Object.fromEntries([...samples].map(([label, values]) => [label, spread(values)]));
  const floor = stats['hello-world handler (floor)']?.median ?? Number.NaN;
  const ours = stats['handler as deployed']?.median ?? Number.NaN;
  const sdkFloor = stats['floor + the 2 SDK clients (external)']?.median ?? Number.NaN;
  const ratio = ours / floor;

  const breakdowns: Array<Record<string, number>> = [];
  const zodClassic: number[] = [];
  const zodMini: number[] = [];
  for (let index = 0; index < BREAKDOWN_REPETITIONS; index++) {
    breakdowns.push(JSON.parse((await runNode(['-e', breakdownScript(bundles.deployed.outfile)])).stdout));
    zodClassic.push(
      Number((await runNode(['-e', requireTimeScript(bundles.zodClassicProbe.outfile)])).stdout),
    );
    zodMini.push(Number((await runNode(['-e', requireTimeScript(bundles.zodMiniProbe.outfile)])).stdout));
  }
  const part = (key: string) => median(breakdowns.map((sample) => sample[key] ?? Number.NaN));
  const breakdownMs: Record<string, number> = {
    'node start → first line of script': part('boot'),
    'require @aws-sdk/client-s3': part('s3'),
    'require @aws-sdk/client-secrets-manager (after S3)': part('secrets'),
    'require index.js (SDK already loaded)': part('bundle'),
    'zod probe, classic API, alone': median(zodClassic),
    'zod probe, zod/mini, alone': median(zodMini),
  };

  const ms = (value: number) => `${round(value, 0)} ms`;
  const rows: ResultRow[] = [
    { section: 'Cold start', measure: 'spawn → handler loaded, median', value: ms(ours), target: '—' },
    { section: 'Cold start', measure: 'spawn → hello-world loaded (floor)', value: ms(floor), target: '—' },
    {
      section: 'Cold start',
      measure: 'ours / floor',
      value: `${round(ratio, 2)}×`,
      target: `≤ ${TARGET_RATIO}×`,
      pass: ratio <= TARGET_RATIO,
    },
    {
      section: 'Cold start',
      measure: 'ours / (floor + the 2 SDK clients)',
      value: `${round(ours / sdkFloor, 2)}×`,
      target: '—',
    },
  ];
  const details: DetailTable[] = [
    {
      title: `Cold start: spawn → module loaded (${REPETITIONS} spawns each, interleaved)`,
      headers: ['Bundle', 'Median ms', 'p10', 'p90', '/ floor'],
      rows: cases.map(([label]) => {
        const value = stats[label];
        return [
          label,
          round(value?.median ?? Number.NaN, 0).toFixed(0),
          round(value?.p10 ?? Number.NaN, 0).toFixed(0),
          round(value?.p90 ?? Number.NaN, 0).toFixed(0),
          `${round((value?.median ?? Number.NaN) / floor, 2).toFixed(2)}×`,
        ];
      }),
    },
    {
      title: `Where the deployed bundle's load time goes (in-process, median of ${BREAKDOWN_REPETITIONS})`,
      headers: ['Step', 'ms'],
      rows: Object.entries(breakdownMs).map(([step, value]) => [step, round(value, 1).toFixed(1)]),
    },
  ];
  return { rows, details, data: { cases: stats, breakdownMs, ratio } };
}
