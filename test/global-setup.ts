import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * `npm run build` runs at `npm pack` (prepack), not at `npm ci`: a fresh clone has no dist/. The
 * tests that synthesize the construct as a team installs it need the prebuilt function, so build
 * it once when it is missing (the package test rebuilds it when a source is newer).
 */
export function setup(): void {
  const root = path.resolve(__dirname, '..');
  const built = ['handler', 'interactions'].every((name) =>
    existsSync(path.join(root, 'dist', name, 'index.js')),
  );
  if (built) return;
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build exited ${result.status}`);
}
