import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npm run test:mutation` (StrykerJS) mutates whole files and runs their tests per mutant: tens of
 * minutes on a 2-core machine. It stays out of `npm test` and CI, and every file it mutates has the
 * tests it is judged by in its test run.
 */

const stryker = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as { mutate: string[] };
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/** The files a `mutate` entry names: a path, or `folder/*.ts`. */
const filesOf = (pattern: string): string[] => {
  if (!pattern.endsWith('/*.ts')) return [pattern];
  const folder = pattern.slice(0, -'/*.ts'.length);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${folder}/${name}`);
};

describe('mutation testing', () => {
  it('is not part of npm test or CI', () => {
    expect(scripts['test:mutation']).toBe('stryker run');
    for (const command of [scripts.test ?? '', scripts['test:unit'] ?? '', readFileSync('.ci/run', 'utf8')]) {
      expect(command).not.toMatch(/stryker|test:mutation/);
    }
  });

  it('mutates whole files (no line ranges), each of which exists', () => {
    for (const pattern of stryker.mutate) {
      expect(pattern).not.toMatch(/:\d/);
      const files = filesOf(pattern);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(existsSync(file)).toBe(true);
    }
  });

  it("runs each mutated file's own test file when there is one", () => {
    const config = readFileSync('vitest.mutation.config.mts', 'utf8');
    for (const file of stryker.mutate.flatMap(filesOf)) {
      const test = `test/${file.replace(/\.ts$/, '.test.ts')}`;
      const folderGlob = `${test.slice(0, test.lastIndexOf('/'))}/*.test.ts`;
      if (existsSync(test))
        expect(config.includes(`'${test}'`) || config.includes(`'${folderGlob}'`), test).toBe(true);
    }
  });
});
