import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build } from 'esbuild';
import { OUT_DIR, REPO_ROOT } from './bench-paths';

/** The stack's own bundling props, runtime and entry: one definition, so the bench measures what deploys. */
export {
  DEFAULT_HANDLER_ENTRY as HANDLER_ENTRY,
  MONITOR_BUNDLING,
  MONITOR_RUNTIME,
} from '../lib/constructs/monitor-function';

import { MONITOR_BUNDLING, MONITOR_RUNTIME } from '../lib/constructs/monitor-function';

/** Props that change the output but are not translated here: fail rather than measure something else. */
const UNSUPPORTED = ['preCompilation', 'commandHooks', 'nodeModules', 'esbuildArgs'] as const;

/**
 * The esbuild build options aws-lambda-nodejs uses for `bundling` (Bundling.buildEsbuildArgs in
 * aws-cdk-lib 2.276.0): `--bundle`, target from the runtime, platform node, and each prop as its flag.
 * Built with these options, lambda/handler.ts gives a byte-identical index.js to `cdk synth`'s asset.
 */
export function toEsbuildOptions(
  bundling: nodejs.BundlingOptions,
  runtime: lambda.Runtime,
  entry: string,
  outfile: string,
): BuildOptions {
  for (const prop of UNSUPPORTED) {
    if (bundling[prop] !== undefined) throw new Error(`bench cannot translate bundling.${prop}`);
  }
  const version = /nodejs(\d+)/.exec(runtime.name)?.[1];
  if (version === undefined) throw new Error(`not a Node.js runtime: ${runtime.name}`);
  const sourcemap = bundling.sourceMapMode ?? bundling.sourceMap;
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    outfile,
    target: bundling.target ?? `node${version}`,
    platform: 'node',
    ...(bundling.format ? { format: bundling.format } : {}),
    minify: bundling.minify ?? false,
    ...(sourcemap
      ? { sourcemap: typeof sourcemap === 'string' && sourcemap !== 'default' ? sourcemap : true }
      : {}),
    ...(bundling.sourcesContent === false ? { sourcesContent: false } : {}),
    external: [...(bundling.externalModules ?? ['@aws-sdk/*'])],
    loader: { ...(bundling.loader as BuildOptions['loader']) },
    define: { ...bundling.define },
    keepNames: bundling.keepNames ?? false,
    ...(bundling.tsconfig ? { tsconfig: bundling.tsconfig } : {}),
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.footer ? { footer: { js: bundling.footer } } : {}),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    ...(bundling.inject ? { inject: bundling.inject } : {}),
    logLevel: 'warning',
  };
}

/** Builds `entry` with the stack's bundling props (the monitor function's by default) into bench/.out/bundles/<name>/index.js (+ map). */
export async function buildBundle(
  name: string,
  entry: string,
  bundling: nodejs.BundlingOptions = MONITOR_BUNDLING,
): Promise<string> {
  const outfile = path.join(OUT_DIR, 'bundles', name, 'index.js');
  await mkdir(path.dirname(outfile), { recursive: true });
  await build(toEsbuildOptions(bundling, MONITOR_RUNTIME, path.resolve(REPO_ROOT, entry), outfile));
  return outfile;
}
