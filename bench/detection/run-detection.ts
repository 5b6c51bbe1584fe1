import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  assembleOutcomes,
  loadRuleSet,
  PREVIOUS_RULES,
  runScenarios,
  type ScenarioOutcome,
  SHIPPED_RULES,
  scenariosOf,
  shardScenarios,
} from './detection-bench';
import { describeFalseAlerts, renderDetectionTable } from './detection-report';

/**
 * `npm run bench -- detection [--seed N] [--starts N] [--days N] [--rules FILE ...] [--jobs N]`: the
 * previous shipped rules against today's defaults (or the FILEs) over the same generated traffic,
 * one table. Every rule set runs over each scenario (an incident day or a normal day) in the same
 * process, which makes the scenario's traffic and archived weeks once for all of them; the
 * scenarios are split over `--jobs` processes (default: one per core). The figures do not depend on
 * `--jobs`: a scenario is drawn from the seed alone.
 */
export async function runDetection(argv: readonly string[], print: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seed: { type: 'string', default: '20261206' },
      starts: { type: 'string', default: '2' },
      days: { type: 'string', default: '30' },
      rules: { type: 'string', multiple: true },
      'skip-previous': { type: 'boolean', default: false },
      json: { type: 'string' },
      jobs: { type: 'string', default: String(availableParallelism()) },
      /** Internal: run shard `i/N` of the scenarios here and write its results to `--outcome`. */
      shard: { type: 'string' },
      outcome: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  const startsPerCell = Number(values.starts);
  const normalDays = Number(values.days);
  const jobs = Number(values.jobs);
  for (const [name, value] of Object.entries({ seed, starts: startsPerCell, days: normalDays, jobs })) {
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`--${name} must be a whole number, got "${value}"`);
  }
  const ruleSets = [
    ...(values['skip-previous'] ? [] : [{ name: 'previous defaults', path: PREVIOUS_RULES }]),
    ...(values.rules === undefined || values.rules.length === 0
      ? [{ name: values.name ?? 'shipped defaults', path: SHIPPED_RULES }]
      : values.rules.map((path) => ({ name: values.name ?? path, path }))),
  ];
  // Read every rules file before any work starts, so a mistake in one is told at once.
  const loaded = ruleSets.map(({ path }) => loadRuleSet(path));
  const options = { seed, startsPerCell, normalDays };
  const scenarios = scenariosOf(options);
  if (values.outcome !== undefined) {
    const [index, count] = (values.shard ?? '0/1').split('/').map(Number);
    const shard = shardScenarios(scenarios, count ?? 1)[index ?? 0] ?? [];
    const results = await runScenarios(seed, shard, loaded);
    await writeFile(values.outcome, JSON.stringify(results));
    return;
  }
  const began = performance.now();
  const results = jobs > 1 ? await inChildren(argv, jobs) : await runScenarios(seed, scenarios, loaded);
  const outcomes = assembleOutcomes(
    ruleSets.map(({ name }) => name),
    normalDays,
    results,
  );
  const seconds = (performance.now() - began) / 1000;
  const checks = outcomes.reduce((sum, outcome) => sum + outcome.checks, 0);
  print(
    `Detection benchmark: seed ${seed}, ${outcomes[0]?.incidents.length ?? 0} transfer incidents and ${normalDays} normal days per rule set, checks every 15 min (${checks} checks in ${seconds.toFixed(0)} s)`,
  );
  print(renderDetectionTable(outcomes));
  if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(outcomes, null, 1)}\n`);
  for (const outcome of outcomes) print(describeFalseAlerts(outcome));
}

const run = promisify(execFile);

/** Runs the scenarios in `jobs` child processes of this script, each with its shard of them. */
async function inChildren(argv: readonly string[], jobs: number): Promise<ScenarioOutcome[]> {
  const folder = await mkdtemp(join(tmpdir(), 'detection-'));
  // The children see the same options; `--jobs` and `--json` are the parent's business.
  const passOn: string[] = [];
  for (let at = 0; at < argv.length; at++) {
    const arg = argv[at] ?? '';
    if (arg === '--jobs' || arg === '--json') at++;
    else if (!arg.startsWith('--jobs=') && !arg.startsWith('--json=')) passOn.push(arg);
  }
  try {
    const shards = await Promise.all(
      Array.from({ length: jobs }, async (_, index) => {
        const file = join(folder, `${index}.json`);
        await run(
          process.execPath,
          [...process.execArgv, __filename, ...passOn, '--shard', `${index}/${jobs}`, '--outcome', file],
          { maxBuffer: 16 * 1024 * 1024 },
        );
        return JSON.parse(await readFile(file, 'utf8')) as ScenarioOutcome[];
      }),
    );
    return shards.flat();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runDetection(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
