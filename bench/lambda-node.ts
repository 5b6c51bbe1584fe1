import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { CACHE_DIR } from './bench-paths';
import { MONITOR_RUNTIME } from './bundle-options';

/**
 * The Node.js the function runs on in Lambda (MONITOR_RUNTIME, nodejs24.x), pinned: the official
 * build as the npm registry ships it (package `node-<platform>-<arch>`), installed by the bench
 * into its cache folder on first use (about 50 MB; `npm pack` checks the registry's integrity).
 * Not a devDependency: every `npm ci` would download it for a tool few runs need.
 */
export const LAMBDA_NODE_VERSION = '24.22.3';

/** The path of the pinned Node binary, installed first if it is not in the cache yet. */
export async function lambdaNode(log: (text: string) => void): Promise<string> {
  const runtimeMajor = /nodejs(\d+)/.exec(MONITOR_RUNTIME.name)?.[1];
  if (runtimeMajor !== LAMBDA_NODE_VERSION.split('.')[0]) {
    throw new Error(
      `the stack deploys ${MONITOR_RUNTIME.name} but the bench pins Node ${LAMBDA_NODE_VERSION}: update LAMBDA_NODE_VERSION`,
    );
  }
  const folder = path.join(CACHE_DIR, `node-${LAMBDA_NODE_VERSION}`);
  const binary = path.join(folder, 'bin', 'node');
  if (existsSync(binary)) return binary;
  const name = `node-${process.platform}-${process.arch}@${LAMBDA_NODE_VERSION}`;
  log(`  installing ${name} from the npm registry into ${path.relative(process.cwd(), folder)}…`);
  const staging = `${folder}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const packed = JSON.parse(
    execFileSync('npm', ['pack', name, '--json', '--pack-destination', staging], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as Array<{ filename: string }>;
  const tarball = path.join(staging, packed[0]?.filename ?? '');
  execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1', 'package/bin/node']);
  await rm(tarball);
  await rename(staging, folder);
  return binary;
}
