import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  loadRuleSet,
  PREVIOUS_RULES,
  type RuleSetOutcome,
  runDetectionBench,
  SHIPPED_RULES,
} from './detection-bench';
import { describeFalseAlerts, renderDetectionTable } from './detection-report';

/**
 * `npm run bench -- detection [--seed N] [--starts N] [--days N] [--rules FILE] [--jobs N]`: the
 * previous shipped rules against today's defaults (or FILE) over the same generated traffic, one
 * table. Each rule set runs in a process of its own (`--jobs`, default: one per core), since the
 * runs share nothing but the seed.
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
      /** Internal: run the one rule set of `--rules` here and write its outcome to this file. */
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
  const options = { seed, startsPerCell, normalDays };
  if (values.outcome !== undefined) {
    const outcomes = await runDetectionBench({
      ...options,
      ruleSets: ruleSets.map(({ name, path }) => ({ name, rules: loadRuleSet(path) })),
    });
    await writeFile(values.outcome, JSON.stringify(outcomes));
    return;
  }
  const began = performance.now();
  const outcomes =
    jobs > 1 && ruleSets.length > 1
      ? await inChildren(ruleSets, options, jobs)
      : await runDetectionBench({
          ...options,
          ruleSets: ruleSets.map(({ name, path }) => ({ name, rules: loadRuleSet(path) })),
        });
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

/** Runs each rule set in a child process of this script, at most `jobs` at once, in order. */
async function inChildren(
  ruleSets: ReadonlyArray<{ readonly name: string; readonly path: string }>,
  options: { readonly seed: number; readonly startsPerCell: number; readonly normalDays: number },
  jobs: number,
): Promise<RuleSetOutcome[]> {
  const folder = await mkdtemp(join(tmpdir(), 'detection-'));
  const passOn = [
    '--seed',
    options.seed,
    '--starts',
    options.startsPerCell,
    '--days',
    options.normalDays,
  ].map(String);
  try {
    const results: RuleSetOutcome[][] = [];
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < ruleSets.length; index = next++) {
        const { name, path } = ruleSets[index] as { name: string; path: string };
        const file = join(folder, `${index}.json`);
        await run(
          process.execPath,
          [
            ...process.execArgv,
            __filename,
            ...passOn,
            '--skip-previous',
            '--rules',
            path,
            '--name',
            name,
            '--outcome',
            file,
          ],
          { maxBuffer: 16 * 1024 * 1024 },
        );
        results[index] = JSON.parse(await readFile(file, 'utf8')) as RuleSetOutcome[];
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, ruleSets.length) }, worker));
    return results.flat();
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
