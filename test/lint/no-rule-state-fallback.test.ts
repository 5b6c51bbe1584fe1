import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The Biome plugin `npm run lint` applies to lambda/ (lint/no-rule-state-fallback.grit), run on probe
 * sources: a `?? 'warn'`-style default on a field the RuleState union guarantees is an error; a
 * default on any other field is not.
 */

const run = promisify(execFile);
const BIOME = resolve('node_modules/.bin/biome');
const PLUGIN = resolve('lint/no-rule-state-fallback.grit');
const dirs: string[] = [];

async function findings(source: string): Promise<number> {
  const root = await mkdtemp(join(tmpdir(), 'rule-state-fallback-'));
  dirs.push(root);
  const config = {
    plugins: [PLUGIN],
    linter: { rules: { recommended: false } },
    formatter: { enabled: false },
  };
  await writeFile(join(root, 'biome.json'), JSON.stringify(config));
  await writeFile(join(root, 'probe.ts'), source);
  const output = await run(BIOME, ['lint', '--max-diagnostics=50', 'probe.ts'], { cwd: root }).then(
    ({ stdout, stderr }) => stdout + stderr,
    (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
  );
  return output.split('No fallback on a rule state field').length - 1;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('lint: no fallback on a rule state field', () => {
  it.each([
    "export const f = (s: { severity?: string }) => s.severity ?? 'warn';",
    "export const f = (s: { condition?: string }) => s.condition ?? 'threshold';",
    'export const f = (s: { firedAt?: string; since: string }) => s.firedAt ?? s.since;',
    "export const f = (r: Record<string, { breachedAt?: string }>) => r.x?.breachedAt ?? '';",
    "export const f = (n: { previousSeverity?: string }) => n.previousSeverity ?? 'crit';",
    "export const f = (breachedAt?: string) => breachedAt ?? 'now';",
  ])('reports %s', async (source) => {
    expect(await findings(source)).toBe(1);
  });

  it.each([
    "export const f = (s: { healthySince?: string }) => s.healthySince ?? 'now';",
    "export const f = (s: { lastReason?: string }) => s.lastReason ?? 'none';",
    "export const f = (s: { severity: string }) => s.severity || 'warn';",
  ])('leaves %s alone', async (source) => {
    expect(await findings(source)).toBe(0);
  });
});
