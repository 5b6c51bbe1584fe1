import { execFileSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { OUT_DIR, REPO_ROOT } from './bench-paths';
import { type BuiltBundle, buildBundle } from './build-bundle';

/**
 * The handler as the round's features left it, before the cold-start and warm-path cuts (issue #17):
 * 4ffcaf8 already fetches and archives the rolling hour (#11) and reads the rules object (#14) on
 * every check, as today's handler does, but builds a new S3Client per invocation, fetches AIRUDDER
 * over undici, parses the statistics body twice and the rules on every run, uses classic zod and lists
 * every earlier response. So "warm CPU ≤ 0.85× the previous handler" compares the same work, measured
 * in the same run. The bench builds it from git with today's bundling options.
 * `npm run bench -- --baseline=<rev>` picks another: fec5def is the handler before this round (one
 * AIRUDDER call, one response archived and no rules object per check), so against it the ratio
 * weighs this round's features as much as the cuts.
 */
export const DEFAULT_BASELINE = '4ffcaf8';

export interface Baseline {
  readonly rev: string;
  readonly bundle: BuiltBundle;
}

/** Builds lambda/handler.ts of `rev`; undefined (with the reason) when git or the commit is missing. */
export async function buildBaseline(rev: string): Promise<{ baseline?: Baseline; unavailable?: string }> {
  let commit: string;
  try {
    commit = git(['rev-parse', '--short', `${rev}^{commit}`]).trim();
  } catch (error) {
    return {
      unavailable: `git cannot find ${rev}: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
    };
  }
  // Under bench/.out, so the bundle resolves this checkout's node_modules (the same versions).
  const root = path.join(OUT_DIR, 'baseline', commit);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const archive = path.join(root, 'source.tar');
  git(['archive', '--output', archive, commit, 'lambda', 'tsconfig.json']);
  execFileSync('tar', ['-xf', archive, '-C', root]);
  const bundle = await buildBundle({
    name: `baseline-${commit}`,
    entry: path.join(root, 'lambda', 'handler.ts'),
  });
  return { baseline: { rev: commit, bundle } };
}

const git = (args: string[]) =>
  execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
