import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type Metafile, type Plugin } from 'esbuild';
import { OUT_DIR, REPO_ROOT } from './bench-paths';
import { MONITOR_BUNDLING, MONITOR_RUNTIME, toEsbuildOptions } from './bundle-options';

export interface BuiltBundle {
  readonly name: string;
  readonly outfile: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly metafile: Metafile;
}

export interface BundleVariant {
  /** Folder name under bench/.out/bundles. */
  readonly name: string;
  /** Source entry: absolute, or relative to the repository root. */
  readonly entry: string;
  /** Changes to the stack's bundling props. */
  readonly bundling?: Partial<nodejs.BundlingOptions>;
  /** Module substitutions (size probes). */
  readonly plugins?: readonly Plugin[];
}

/** Builds `variant` with the stack's bundling props (plus the variant's changes) and sizes it. */
export async function buildBundle(variant: BundleVariant): Promise<BuiltBundle> {
  const outfile = path.join(OUT_DIR, 'bundles', variant.name, 'index.js');
  await mkdir(path.dirname(outfile), { recursive: true });
  const options = toEsbuildOptions(
    { ...MONITOR_BUNDLING, ...variant.bundling },
    MONITOR_RUNTIME,
    path.resolve(REPO_ROOT, variant.entry),
    outfile,
  );
  const result = await build({ ...options, plugins: [...(variant.plugins ?? [])] });
  const bytes = await readFile(outfile);
  return {
    name: variant.name,
    outfile,
    bytes: bytes.byteLength,
    gzipBytes: gzipSync(bytes, { level: 9 }).byteLength,
    metafile: result.metafile ?? { inputs: {}, outputs: {} },
  };
}

/** Replaces every import matching `filter` with `file` (a bench stub). */
export const substitute = (filter: RegExp, file: string): Plugin => ({
  name: `substitute ${filter.source}`,
  setup(builder) {
    builder.onResolve({ filter }, () => ({ path: path.join(REPO_ROOT, file) }));
  },
});

/** The group a bundle input belongs to: its npm package, or its folder under lambda/. */
export function groupOf(input: string): string {
  const parts = input.split('/');
  if (parts[0] === 'node_modules') {
    const scoped = parts[1]?.startsWith('@');
    return parts.slice(1, scoped ? 3 : 2).join('/');
  }
  return parts.length > 2 ? `${parts.slice(0, 2).join('/')}/` : input;
}

/** Bytes in the output per group, largest first. */
export function composition(bundle: BuiltBundle): Array<[group: string, bytes: number]> {
  const groups = new Map<string, number>();
  for (const output of Object.values(bundle.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const group = groupOf(input);
      groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
    }
  }
  return [...groups].sort((a, b) => b[1] - a[1]);
}

/** Bytes in the output coming from inputs whose path starts with `prefix`. */
export function bytesFrom(bundle: BuiltBundle, prefix: string): number {
  let total = 0;
  for (const output of Object.values(bundle.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input.startsWith(prefix)) total += bytesInOutput;
    }
  }
  return total;
}

/** Bytes per input file under `prefix`, largest first. */
export function filesFrom(bundle: BuiltBundle, prefix: string): Array<[file: string, bytes: number]> {
  const files: Array<[string, number]> = [];
  for (const output of Object.values(bundle.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input.startsWith(prefix) && bytesInOutput > 0)
        files.push([input.slice(prefix.length), bytesInOutput]);
    }
  }
  return files.sort((a, b) => b[1] - a[1]);
}
