import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import {
  DEFAULT_HANDLER_ENTRY,
  MONITOR_BUNDLING,
  MONITOR_RUNTIME,
  PREBUILT_HANDLER_DIR,
} from '../lib/constructs/monitor-function';

/**
 * `npm run build` (and `prepare`, so `npm ci` and `npm pack` run it): the package a CDK app installs.
 *   dist/lib, dist/lambda   the construct library compiled to CommonJS with .d.ts (tsconfig.build.json)
 *   dist/handler            the function bundled once, with its source map, used through Code.fromAsset
 * The handler is bundled with the same options the project's own stack gives NodejsFunction.
 */

const ROOT = path.join(__dirname, '..');

/** Bundles lambda/handler.ts into `outdir`/index.js (+ index.js.map), as NodejsFunction would. */
export async function buildHandler(outdir: string = PREBUILT_HANDLER_DIR) {
  return build({
    entryPoints: [DEFAULT_HANDLER_ENTRY],
    outfile: path.join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    // 'nodejs24.x' → 'node24', as NodejsFunction derives it.
    target: MONITOR_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify: MONITOR_BUNDLING.minify,
    sourcemap: MONITOR_BUNDLING.sourceMap,
    sourcesContent: MONITOR_BUNDLING.sourcesContent,
    external: MONITOR_BUNDLING.externalModules,
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
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
