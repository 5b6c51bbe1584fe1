import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';

/**
 * What a team meets: `npm pack` this project, install the tarball into an empty CDK app that puts
 * the construct into its own stack next to its own resources, compile that app with TypeScript,
 * synthesise it offline, and run cdk-nag. The consumer has no esbuild and no lock file; the one
 * shortcut is that aws-cdk-lib, constructs and cdk-nag are linked from this project's node_modules
 * (installing aws-cdk-lib again would cost a minute and need the network).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'consumer-app');
const PREBUILT = path.join(ROOT, 'dist', 'handler', 'index.js');
/** Linked from this project, offline: the peers, cdk-nag, and the package's one dependency. */
const LINKED = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'zod'];

const work = mkdtempSync(path.join(tmpdir(), 'airudder-package-'));
const appDir = path.join(work, 'app');
const outdir = path.join(work, 'cdk.out');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return String(result.stdout);
}

/** Newest modification time of the files `npm run build` reads. */
function newestSource(): number {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const full = path.join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
    }, 0);
  return Math.max(
    newest(path.join(ROOT, 'lib')),
    newest(path.join(ROOT, 'lambda')),
    ...['package.json', 'tsconfig.build.json', 'scripts/build.ts'].map(
      (file) => statSync(path.join(ROOT, file)).mtimeMs,
    ),
  );
}

const TemplateSchema = z.object({
  Resources: z.record(
    z.string(),
    z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional() }),
  ),
});

let synthOutput = '';
let tarball = '';

beforeAll(() => {
  // `npm ci` builds dist/ through `prepare`; rebuild only when a source changed since.
  if (!existsSync(PREBUILT) || statSync(PREBUILT).mtimeMs < newestSource()) {
    run('npm', ['run', 'build'], { cwd: ROOT });
  }
  const packed = z
    .array(z.object({ filename: z.string() }))
    .parse(
      JSON.parse(
        run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT }),
      ),
    );
  tarball = path.join(work, packed[0]!.filename);

  mkdirSync(appDir);
  cpSync(path.join(FIXTURE, 'app.ts'), path.join(appDir, 'app.ts'));
  const linked = Object.fromEntries(
    LINKED.map((name) => [name, `file:${path.join(ROOT, 'node_modules', name)}`]),
  );
  writeFileSync(
    path.join(appDir, 'package.json'),
    JSON.stringify({
      name: 'team-cdk-app',
      private: true,
      dependencies: { ...linked, 'airudder-stats-monitor': `file:${tarball}` },
    }),
  );
  // One `npm install`, offline, writing no lock file: the tarball is unpacked, the rest linked.
  run('npm', ['install', '--offline', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: appDir,
  });
  writeFileSync(
    path.join(appDir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['app.ts'],
    }),
  );
  // TypeScript resolves the package through its `exports` and .d.ts; the output require()s it.
  run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', appDir]);
  // No node_modules/.bin on PATH: nothing could run esbuild even if the construct asked for it.
  synthOutput = run(process.execPath, ['app.js'], {
    cwd: appDir,
    env: {
      PATH: path.dirname(process.execPath),
      HOME: work,
      CDK_OUTDIR: outdir,
      CDK_DISABLE_VERSION_CHECK: 'true',
    },
  });
}, 180_000);

describe('the packed package in a team CDK app', () => {
  it('ships compiled JavaScript, declarations and the prebuilt function, no TypeScript sources or tests', () => {
    const listing = run('tar', ['-tzf', tarball]).split('\n').filter(Boolean);
    expect(listing).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/dist/lib/index.js',
        'package/dist/lib/index.d.ts',
        'package/dist/handler/index.js',
        'package/dist/handler/index.js.map',
      ]),
    );
    expect(listing.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(listing.filter((file) => /package-lock|\/test\/|node_modules/.test(file))).toEqual([]);
  });

  it('installs without a lock file and without esbuild', () => {
    expect(existsSync(path.join(appDir, 'package-lock.json'))).toBe(false);
    expect(existsSync(path.join(appDir, 'node_modules', 'esbuild'))).toBe(false);
    expect(
      existsSync(path.join(appDir, 'node_modules', 'airudder-stats-monitor', 'dist', 'lib', 'index.js')),
    ).toBe(true);
  });

  it('synthesises the team stack with cdk-nag finding nothing', () => {
    expect(JSON.parse(synthOutput.trim().split('\n').at(-1)!)).toEqual({ violations: [] });
  });

  it('puts both monitors next to the team resources, each function running the prebuilt bundle', () => {
    const template = TemplateSchema.parse(
      JSON.parse(readFileSync(path.join(outdir, 'OperationsStack.template.json'), 'utf8')),
    );
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => type === 'AWS::SNS::Topic')).toHaveLength(2); // the team's, and Monitor's own
    expect(types.filter((type) => type === 'AWS::Lambda::Function')).toHaveLength(2);
    expect(types).toContain('AWS::Chatbot::SlackChannelConfiguration');
    expect(types).toContain('AWS::CloudWatch::Dashboard');

    // Names that must be unique per account and region differ between the two monitors.
    for (const [type, property] of [
      ['AWS::Glue::Database', 'DatabaseInput'],
      ['AWS::Athena::WorkGroup', 'Name'],
    ] as const) {
      const names = Object.values(template.Resources)
        .filter((resource) => resource.Type === type)
        .map((resource) => JSON.stringify(resource.Properties?.[property]));
      expect(new Set(names).size, type).toBe(2);
    }

    const functions = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    for (const fn of functions)
      expect(fn.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x' });
    // The asset is the package's dist/handler as shipped: no bundling happened on the consumer side.
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    const shipped = readFileSync(PREBUILT, 'utf8');
    const bundles = assets.filter((asset) => existsSync(path.join(outdir, asset, 'index.js')));
    expect(bundles).toHaveLength(1);
    expect(readFileSync(path.join(outdir, bundles[0]!, 'index.js'), 'utf8')).toBe(shipped);
    expect(existsSync(path.join(outdir, bundles[0]!, 'index.js.map'))).toBe(true);
  });

  it('loads with a plain CommonJS require', () => {
    const output = run(
      process.execPath,
      [
        '-e',
        "const m = require('airudder-stats-monitor'); console.log(typeof m.AirudderStatsMonitor, m.ObjectLockMode.COMPLIANCE)",
      ],
      { cwd: appDir },
    );
    expect(output.trim()).toBe('function COMPLIANCE');
  });
});
