import * as path from 'node:path';

export const REPO_ROOT = path.join(__dirname, '..');
/** This run's artifacts (bundles, generated files); inside the repo so bundles resolve node_modules. */
export const OUT_DIR = path.join(REPO_ROOT, 'bench', '.out');
/** Kept between runs (gitignored): the pinned Node and the baseline handler, built once each. */
export const CACHE_DIR = path.join(REPO_ROOT, 'bench', '.cache');
