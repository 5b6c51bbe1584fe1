import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A fresh clone has nothing beside it: every path the project builds from its own location, and
// every relative import, must stay inside the repository.
const ROOT = path.resolve(__dirname, '..');
const SKIPPED = new Set(['node_modules', '.git', 'cdk.out', 'dist', 'coverage', '.data']);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sourceFiles(full);
    return /\.(ts|mts|cts|js|mjs)$/.test(entry.name) ? [full] : [];
  });

/** Paths a file reaches relative to itself: `join/resolve(__dirname, 'lit', ...)`, `${__dirname}/...`, and `from '../x'`. */
const reachedPaths = (file: string, text: string): string[] => {
  const here = path.dirname(file);
  const reached: string[] = [];
  for (const match of text.matchAll(/(?:join|resolve)\(\s*__dirname((?:\s*,\s*'[^']*')+)\s*\)/g)) {
    const parts = [...(match[1] ?? '').matchAll(/'([^']*)'/g)].map((part) => part[1] ?? '');
    reached.push(path.resolve(here, ...parts));
  }
  for (const match of text.matchAll(/`\$\{__dirname\}([^`$]*)/g))
    reached.push(path.resolve(here, `.${match[1]}`));
  for (const match of text.matchAll(/(?:from|import\(|require\()\s*'(\.{1,2}\/[^']*)'/g)) {
    reached.push(path.resolve(here, match[1] ?? '.'));
  }
  return reached;
};

const outside = (target: string): boolean => path.relative(ROOT, target).startsWith('..');

describe('repository boundary', () => {
  it('finds a path that climbs out of the repository, the way the schema test once did', () => {
    // Prepare: the examples are assembled so this file does not itself contain them
    const file = path.join(ROOT, 'test', 'lambda', 'domain', 'x.test.ts');
    const dirname = ['__', 'dirname'].join('');
    const climb = (levels: number) => Array.from({ length: levels }, () => "'..'").join(', ');
    // Act / Assess
    const template = `readFileSync(\`\${${dirname}}/../../../../shared/fixtures/x.json\`)`;
    expect(reachedPaths(file, template).filter(outside)).toEqual([
      path.resolve(ROOT, '..', 'shared/fixtures/x.json'),
    ]);
    expect(
      reachedPaths(file, `import { a } from '${'../'.repeat(5)}shared/a';`).filter(outside),
    ).toHaveLength(1);
    expect(reachedPaths(file, `join(${dirname}, ${climb(4)}, 'x')`).filter(outside)).toHaveLength(1);
    expect(reachedPaths(file, `join(${dirname}, ${climb(3)}, 'x')`).filter(outside)).toHaveLength(0);
  });

  it('no source, test, bench or config file reads or imports anything outside the repository', () => {
    const escapes = sourceFiles(ROOT).flatMap((file) =>
      reachedPaths(file, readFileSync(file, 'utf8'))
        .filter(outside)
        .map((target) => `${path.relative(ROOT, file)} → ${target}`),
    );
    expect(escapes).toEqual([]);
  });
});
