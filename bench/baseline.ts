import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { CACHE_DIR, REPO_ROOT } from './bench-paths';

/**
 * The previous round's handler, the warm check's baseline (#26). When #26 chose it, it made the same
 * external calls per check as the handler of the day; since then the default rules judge three
 * rolling windows (15–17 calls a check in the bench against its 7.3), so the ratio now measures
 * the features too, not only the code. 4ffcaf8,
 * the earlier baseline, had regressed 40–57 % over it within the round, so a ratio against it mostly
 * undid that regression.
 */
export const BASELINE_REV = 'fec5def';

/**
 * fec5def's own MONITOR_BUNDLING (lib/constructs/monitor-function.ts at that commit): CommonJS,
 * minified, the SDK external, no source map. Its environment had no NODE_OPTIONS either.
 */
const BASELINE_BUNDLING = { format: 'cjs', minify: true, external: ['@aws-sdk/*'] } as const;

export interface Baseline {
  readonly rev: string;
  /** index.js, in the cache under the repository: its `@aws-sdk/*` resolve to the same SDK as ours, as Lambda's runtime gives both one SDK. */
  readonly outfile: string;
}

/**
 * Builds `rev`'s handler from git, once: `git archive` of the commit into a temporary folder,
 * `npm ci` of its own production dependencies there (its zod, Powertools, @slack/webhook), and
 * esbuild with its bundling props for the runtime it deployed to.
 */
export async function buildBaseline(rev: string, log: (text: string) => void): Promise<Baseline> {
  const commit = git(['rev-parse', '--short', `${rev}^{commit}`]).trim();
  const outfile = path.join(CACHE_DIR, `baseline-${commit}`, 'index.js');
  if (existsSync(outfile)) return { rev: commit, outfile };
  log(`  building ${commit} from git (once; cached in ${path.relative(REPO_ROOT, path.dirname(outfile))})…`);
  const work = await mkdtemp(path.join(tmpdir(), `bench-baseline-${commit}-`));
  try {
    const archive = path.join(work, 'source.tar');
    git(['archive', '--output', archive, commit]);
    execFileSync('tar', ['-xf', archive, '-C', work]);
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const built = path.join(work, 'out', 'index.js');
    await build({
      absWorkingDir: work,
      entryPoints: [path.join(work, 'lambda', 'handler.ts')],
      bundle: true,
      platform: 'node',
      target: 'node24',
      outfile: built,
      logLevel: 'warning',
      ...BASELINE_BUNDLING,
      external: [...BASELINE_BUNDLING.external],
    });
    await mkdir(path.dirname(outfile), { recursive: true });
    await copyFile(built, outfile);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { rev: commit, outfile };
}

const git = (args: string[]) =>
  execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
