import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import {
  DEFAULT_INTERACTIONS_ENTRY,
  INTERACTIONS_BUNDLING,
  PREBUILT_INTERACTIONS_DIR,
} from '../lib/constructs/interactions-function';
import {
  DEFAULT_HANDLER_ENTRY,
  MONITOR_BUNDLING,
  MONITOR_RUNTIME,
  PREBUILT_HANDLER_DIR,
} from '../lib/constructs/monitor-function';

/**
 * `npm run build` (and `prepack`, so `npm pack` and `npm publish` run it): the package a CDK app installs.
 * Not `prepare`: npm 11 warns every consumer about install scripts; the tests build on demand.
 *   dist/lib, dist/lambda   the construct library compiled to CommonJS with .d.ts (tsconfig.build.json)
 *   dist/handler            the function bundled once, with its source map, used through Code.fromAsset
 *   dist/interactions       Slack app mode's interactions function, bundled the same way but with
 *                           the AWS SDK inside (INTERACTIONS_BUNDLING)
 *   dist/cli                the operators' CLI (`bin`: airudder-monitor), one file with its dependencies
 * The handler is bundled with the same options the project's own stack gives NodejsFunction.
 */

const ROOT = path.join(__dirname, '..');

/** Bundles lambda/handler.ts (or another entry) into `outdir`/index.js (+ index.js.map), as NodejsFunction would. */
export async function buildHandler(
  outdir: string = PREBUILT_HANDLER_DIR,
  entry: string = DEFAULT_HANDLER_ENTRY,
  bundling: typeof MONITOR_BUNDLING = MONITOR_BUNDLING,
) {
  return build({
    entryPoints: [entry],
    outfile: path.join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    // 'nodejs24.x' → 'node24', as NodejsFunction derives it.
    target: MONITOR_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    sourcesContent: bundling.sourcesContent,
    external: bundling.externalModules,
    logLevel: 'warning',
  });
}

/** Where `npm run build` puts the CLI; package.json's `bin` points at the file in it. */
export const PREBUILT_CLI_FILE = path.join(ROOT, 'dist', 'cli', 'airudder-monitor.js');

/**
 * Modules the CLI loads from the installed package's node_modules instead of its bundle: DuckDB is a
 * native library (one prebuilt binary per platform, 68 MB on linux-x64), an optional dependency that
 * only `sql` loads.
 */
export const CLI_EXTERNAL_MODULES = ['@duckdb/node-api'];

/**
 * Bundles lambda/cli.ts with the AWS SDK, @slack/webhook and zod inside it: an operator's
 * `npm install` of the package needs no devDependency at run time, and a CDK app that installs the
 * package for the construct gets no SDK it does not use. Node 20 is the oldest Node the package
 * supports (`engines`).
 */
export async function buildCli(outfile: string = PREBUILT_CLI_FILE) {
  return build({
    entryPoints: [path.join(ROOT, 'lambda', 'cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify: true,
    // Error classes keep their names (they are set explicitly too), and stack traces stay readable.
    keepNames: true,
    banner: { js: '#!/usr/bin/env node' },
    external: CLI_EXTERNAL_MODULES,
    logLevel: 'warning',
  });
}

async function main() {
  rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
  if (tsc.status !== 0) {
    process.exitCode = tsc.status ?? 1;
    return;
  }
  await buildHandler();
  await buildHandler(PREBUILT_INTERACTIONS_DIR, DEFAULT_INTERACTIONS_ENTRY, INTERACTIONS_BUNDLING);
  await buildCli();
  chmodSync(PREBUILT_CLI_FILE, 0o755);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
