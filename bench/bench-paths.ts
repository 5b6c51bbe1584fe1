import * as path from 'node:path';

export const REPO_ROOT = path.join(__dirname, '..');
/** Temporary artifacts (bundles, generated bodies); inside the repo so bundles resolve node_modules. */
export const OUT_DIR = path.join(REPO_ROOT, 'bench', '.out');
export const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results.json');
