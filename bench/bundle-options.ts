import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { REPO_ROOT } from './bench-paths';

/** The stack's own bundling props and runtime: one definition, so the bench measures what deploys. */
/** The deployed handler's source entry, as the stack names it. */
export {
  DEFAULT_HANDLER_ENTRY as HANDLER_ENTRY,
  MONITOR_BUNDLING,
  MONITOR_RUNTIME,
} from '../lib/constructs/monitor-function';

/** Props that change the output but are not translated here: fail rather than measure something else. */
const UNSUPPORTED = ['preCompilation', 'commandHooks', 'nodeModules'] as const;
/** The `esbuildArgs` this translation knows (the size options use them); others fail. */
const ESBUILD_ARGS: Record<string, (value: string) => Partial<BuildOptions>> = {
  '--legal-comments': (value) => ({ legalComments: value as BuildOptions['legalComments'] }),
  '--charset': (value) => ({ charset: value as BuildOptions['charset'] }),
};

/**
 * The esbuild build options aws-lambda-nodejs uses for `bundling` (Bundling.buildEsbuildArgs in
 * aws-cdk-lib 2.276.0): `--bundle`, target from the runtime, platform node, and each prop as its flag.
 * Built with these options, lambda/handler.ts gives a byte-identical index.js to `cdk synth`'s asset.
 * `charset` is a prop CDK does not pass to esbuild, so neither do we.
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
  const extra = Object.entries(bundling.esbuildArgs ?? {}).map(([flag, value]) => {
    const translate = ESBUILD_ARGS[flag];
    if (!translate) throw new Error(`bench cannot translate esbuildArgs ${flag}`);
    return translate(String(value));
  });
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
    ...Object.assign({}, ...extra),
    // Always on here: the composition breakdown reads it; it does not change index.js.
    metafile: true,
    logLevel: 'warning',
  };
}
