import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadRuleSet, PREVIOUS_RULES, runDetectionBench, SHIPPED_RULES } from './detection-bench';
import { describeFalseAlerts, renderDetectionTable } from './detection-report';

/**
 * `npm run bench -- detection [--seed N] [--starts N] [--days N] [--rules FILE]`: the previous
 * shipped rules against today's defaults (or FILE) over the same generated traffic, one table.
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
    },
  });
  const seed = Number(values.seed);
  const startsPerCell = Number(values.starts);
  const normalDays = Number(values.days);
  for (const [name, value] of Object.entries({ seed, starts: startsPerCell, days: normalDays })) {
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`--${name} must be a whole number, got "${value}"`);
  }
  const began = performance.now();
  const outcomes = await runDetectionBench({
    seed,
    startsPerCell,
    normalDays,
    ruleSets: [
      ...(values['skip-previous'] ? [] : [{ name: 'previous defaults', rules: loadRuleSet(PREVIOUS_RULES) }]),
      ...(values.rules === undefined || values.rules.length === 0
        ? [{ name: 'shipped defaults', rules: loadRuleSet(SHIPPED_RULES) }]
        : values.rules.map((path) => ({ name: path, rules: loadRuleSet(path) }))),
    ],
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

if (require.main === module) {
  runDetection(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
