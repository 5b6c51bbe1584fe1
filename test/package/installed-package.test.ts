import { execFile, type SpawnSyncOptions, spawnSync } from 'node:child_process';
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
import type { StandIn } from '../../dev/stand-in/airudder-stand-in';
import { startTestStandIn, TEST_CREDENTIALS } from '../helpers/airudder';
import { startS3Emulator } from '../helpers/s3-emulator';

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
const LINKED = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'cdk-nag-v2', 'zod'];
/**
 * What an operator's `npm install airudder-stats-monitor` brings (its dependency and its optional
 * one, DuckDB), linked from this project so the test needs no network: everything else the CLI
 * runs is inside its bundle.
 */
const OPERATOR_LINKED = ['zod', '@duckdb/node-api'];

const work = mkdtempSync(path.join(tmpdir(), 'airudder-package-'));
const appDir = path.join(work, 'app');
const outdir = path.join(work, 'cdk.out');
const outdirNag2 = path.join(work, 'cdk.out.nag2');
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
    z.object({
      Type: z.string(),
      Properties: z.record(z.string(), z.unknown()).optional(),
      DeletionPolicy: z.string().optional(),
    }),
  ),
});

let synthOutput = '';
let synthOutputNag2 = '';
let tarball = '';

/** A directory with only package.json: `dependencies` installed offline, no lock file, no scripts. */
function installInto(dir: string, dependencies: Record<string, string>, flags: string[] = []) {
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: path.basename(dir), private: true, dependencies }),
  );
  run(
    'npm',
    ['install', '--offline', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', ...flags],
    { cwd: dir },
  );
}

const linksTo = (names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, `file:${path.join(ROOT, 'node_modules', name)}`]));

beforeAll(() => {
  // `npm pack` builds dist/ through `prepack`, but this test packs with --ignore-scripts: rebuild
  // here when a source changed since the last build.
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

  // One `npm install`, offline, writing no lock file: the tarball is unpacked, the rest linked.
  installInto(appDir, { ...linksTo(LINKED), 'airudder-stats-monitor': `file:${tarball}` });
  for (const file of ['team-stack.ts', 'app.ts', 'app-nag2.ts'])
    cpSync(path.join(FIXTURE, file), path.join(appDir, file));
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
      files: ['app.ts', 'app-nag2.ts'],
    }),
  );
  // TypeScript resolves the package through its `exports` and .d.ts; the output require()s it.
  run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', appDir]);
  // No node_modules/.bin on PATH: nothing could run esbuild even if the construct asked for it.
  const synth = (script: string, cdkOut: string) =>
    run(process.execPath, [script], {
      cwd: appDir,
      env: {
        PATH: path.dirname(process.execPath),
        HOME: work,
        CDK_OUTDIR: cdkOut,
        CDK_DISABLE_VERSION_CHECK: 'true',
      },
    });
  synthOutput = synth('app.js', outdir);
  synthOutputNag2 = synth('app-nag2.js', outdirNag2);
}, 300_000);

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
        'package/dist/cli/airudder-monitor.js',
      ]),
    );
    expect(listing.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(listing.filter((file) => /package-lock|\/test\/|node_modules/.test(file))).toEqual([]);
  });

  it('builds at pack time, not at install: no prepare script for npm to warn every consumer about', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(appDir, 'node_modules', 'airudder-stats-monitor', 'package.json'), 'utf8'),
    ) as { scripts?: Record<string, string> };
    expect(manifest.scripts?.prepare).toBeUndefined();
    expect(manifest.scripts?.prepack).toBe('npm run build');
  });

  it('installs without a lock file and without esbuild', () => {
    expect(existsSync(path.join(appDir, 'package-lock.json'))).toBe(false);
    expect(existsSync(path.join(appDir, 'node_modules', 'esbuild'))).toBe(false);
    expect(
      existsSync(path.join(appDir, 'node_modules', 'airudder-stats-monitor', 'dist', 'lib', 'index.js')),
    ).toBe(true);
  });

  it('synthesises the team stack with cdk-nag 3 finding nothing', () => {
    expect(JSON.parse(synthOutput.trim().split('\n').at(-1)!)).toEqual({ violations: [] });
  });

  it('synthesises the team stack with cdk-nag 2 (2.38.2, its Aspects API) finding nothing', () => {
    expect(readFileSync(path.join(appDir, 'node_modules', 'cdk-nag-v2', 'package.json'), 'utf8')).toContain(
      '"version": "2.38.2"',
    );
    expect(JSON.parse(synthOutputNag2.trim().split('\n').at(-1)!)).toEqual({ violations: [] });
  });

  it('puts both monitors next to the team resources, each function running the prebuilt bundle', () => {
    const template = TemplateSchema.parse(
      JSON.parse(readFileSync(path.join(outdir, 'OperationsStack.template.json'), 'utf8')),
    );
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => type === 'AWS::SNS::Topic')).toHaveLength(2); // the team's, and Monitor's own
    // Two monitors' check functions, and the interactions function of the one in Slack app mode.
    expect(types.filter((type) => type === 'AWS::Lambda::Function')).toHaveLength(3);
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
    // (StagingStack's autoDeleteObjects adds aws-cdk-lib's own provider asset: not a monitor's.)
    const codeKeys = new Set(functions.map((fn) => JSON.stringify(fn.Properties?.Code)));
    const assets = readdirSync(outdir).filter(
      (name) => name.startsWith('asset.') && [...codeKeys].some((code) => code.includes(name.slice(6))),
    );
    const shipped = readFileSync(PREBUILT, 'utf8');
    const bundles = assets.filter((asset) => existsSync(path.join(outdir, asset, 'index.js')));
    // Two prebuilt bundles: the check function's (shared by both monitors) and the interactions one.
    expect(bundles).toHaveLength(2);
    expect(
      bundles.filter((asset) => readFileSync(path.join(outdir, asset, 'index.js'), 'utf8') === shipped),
    ).toHaveLength(1);
    expect(existsSync(path.join(outdir, bundles[0]!, 'index.js.map'))).toBe(true);
  });

  it("runs staging on the team's secret and bucket, leaving nothing behind when its stack is deleted", () => {
    const template = TemplateSchema.parse(
      JSON.parse(readFileSync(path.join(outdir, 'StagingStack.template.json'), 'utf8')),
    );
    const resources = Object.values(template.Resources);
    const ofType = (type: string) => resources.filter((resource) => resource.Type === type);
    // No secret or archive bucket of its own: the access-logs and Athena results buckets only.
    expect(ofType('AWS::SecretsManager::Secret')).toEqual([]);
    expect(ofType('AWS::S3::Bucket')).toHaveLength(2);
    for (const resource of [...ofType('AWS::S3::Bucket'), ...ofType('AWS::Logs::LogGroup')]) {
      expect(resource.DeletionPolicy).toBe('Delete');
    }
    expect(ofType('Custom::S3AutoDeleteObjects')).toHaveLength(2);
    const text = JSON.stringify(template);
    expect(text).toContain('team-shared-staging/airudder/raw/*');
    expect(text).toContain(':secret:team/airudder-staging-??????');
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

/** 19:00 on 12 Nov 2025 in Jakarta, the stand-in's clock: the 9th and 10th are whole days that are over. */
const DAYS = ['2025-11-09', '2025-11-10'];

describe('the packed package on an operator laptop: npx airudder-monitor', () => {
  const opsDir = path.join(work, 'ops');
  const leanDir = path.join(work, 'ops-without-duckdb');
  const archiveDir = path.join(work, 'archive');
  let standIn: StandIn;
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;

  beforeAll(async () => {
    installInto(opsDir, { ...linksTo(OPERATOR_LINKED), 'airudder-stats-monitor': `file:${tarball}` });
    // The same install for someone who left optional dependencies out (or whose platform DuckDB lacks).
    installInto(leanDir, { ...linksTo(['zod']), 'airudder-stats-monitor': `file:${tarball}` }, [
      '--omit=optional',
    ]);
    standIn = await startTestStandIn();
    s3 = await startS3Emulator('ops-archive');
  }, 120_000);
  afterAll(async () => {
    await standIn?.close();
    await s3?.close();
  });

  /**
   * `npx airudder-monitor …` in `dir`, as an operator types it: a PATH with node and npm only, no
   * NODE_PATH, a HOME of its own, no network beyond 127.0.0.1; only `env` configures it.
   */
  async function npx(dir: string, args: string[], env: Record<string, string> = {}) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'npx',
        ['--no', '--', 'airudder-monitor', ...args],
        {
          cwd: dir,
          encoding: 'utf8',
          timeout: 60_000,
          env: {
            PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
            HOME: work,
            npm_config_offline: 'true',
            npm_config_update_notifier: 'false',
            ...env,
          },
        },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  const operatorEnv = () => ({
    AIRUDDER_TIMEZONE: 'Asia/Jakarta',
    AIRUDDER_BASE_URL: standIn.url,
    AIRUDDER_APP_KEY: TEST_CREDENTIALS.appKey,
    AIRUDDER_APP_SECRET: TEST_CREDENTIALS.appSecret,
  });

  it('installs the CLI with its bin, and nothing of the devDependencies', () => {
    const installed = readdirSync(path.join(opsDir, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed.sort()).toEqual(['@duckdb', 'airudder-stats-monitor', 'zod']);
    const packageDir = path.join(opsDir, 'node_modules', 'airudder-stats-monitor');
    // The bundle needs only Node's own modules at run time (DuckDB for sql; the CRT signer is an optional SDK speed-up it tries).
    const bundle = readFileSync(path.join(packageDir, 'dist', 'cli', 'airudder-monitor.js'), 'utf8');
    const required = new Set(
      [...bundle.matchAll(/require\("([^"]+)"\)|import\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2]),
    );
    // (DuckDB is loaded by a module name the bundler does not follow, so no literal require names it.)
    expect([...required].filter((name) => !name?.startsWith('node:')).sort()).toEqual([
      '@aws-sdk/signature-v4-crt',
    ]);
    for (const dev of ['tsx', 'esbuild', 'typescript', '@aws-sdk/client-s3', 'vitest']) {
      expect(() => require.resolve(dev, { paths: [packageDir] }), dev).toThrow();
    }
  });

  it('prints its version with -V and --version, and a command help, with nothing configured', async () => {
    const version = await npx(opsDir, ['--version']);
    const short = await npx(opsDir, ['-V']);
    const help = await npx(opsDir, ['snooze', '--help']);
    const packageVersion = z
      .object({ version: z.string() })
      .parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))).version;
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout.trim()).toBe(`airudder-stats-monitor ${packageVersion} (node ${process.version})`);
    expect(short.stdout).toBe(version.stdout);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: airudder-monitor snooze <rule-id\|all>/);
    expect(help.stdout).toMatch(/--archive s3:\/\/BUCKET\[\/PREFIX\] \| FOLDER/);
  });

  it('backfills, verifies and queries a local archive folder given with --archive', async () => {
    // Act
    const backfill = await npx(
      opsDir,
      ['backfill', '--from', DAYS[0]!, '--to', DAYS[1]!, '--archive', archiveDir],
      operatorEnv(),
    );
    const verify = await npx(opsDir, ['verify', '--archive', archiveDir, '--json'], {
      AIRUDDER_TIMEZONE: 'Asia/Jakarta',
    });
    const sql = await npx(opsDir, ['sql', '--named', 'daily-trend', '--json'], {
      AIRUDDER_TIMEZONE: 'Asia/Jakarta',
      ARCHIVE_DIR: archiveDir,
    });
    // Assess
    expect(backfill.code, backfill.stderr).toBe(0);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      command: 'verify',
      ok: true,
      objects: 2,
      problems: [],
    });
    expect(sql.code, sql.stderr).toBe(0);
    const rows = z
      .array(z.object({ date: z.string(), total_calls: z.number() }))
      .parse(JSON.parse(sql.stdout));
    // Each day's total as the raw response says it, read here without the package's code.
    expect(rows.map((row) => [row.date, row.total_calls])).toEqual(
      DAYS.map((date) => [date, rawTotal(date)]),
    );
  });

  /** total_calls of `date` in its archived whole-day response. */
  function rawTotal(date: string): number {
    const dir = path.join(archiveDir, 'raw', 'day', date);
    const [file] = readdirSync(dir).filter((name) => !name.endsWith('.meta.json'));
    const response = z
      .object({
        data: z.object({
          realtime: z.object({
            daily: z.object({
              data_list: z.array(z.object({ date: z.string(), total_calls: z.coerce.number() })),
            }),
          }),
        }),
      })
      .parse(JSON.parse(readFileSync(path.join(dir, file!), 'utf8')));
    const row = response.data.realtime.daily.data_list.find((entry) => entry.date === date);
    if (row === undefined) throw new Error(`no daily row for ${date}`);
    return row.total_calls;
  }

  it('reads and writes an S3 archive from --archive s3://bucket/prefix with credentials from the default chain', async () => {
    // The SDK's default chain reads these from the environment, as it would read a profile or SSO.
    const aws = {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
    };
    // Act
    const backfill = await npx(
      opsDir,
      ['backfill', '--from', DAYS[0]!, '--to', DAYS[0]!, '--archive', 's3://ops-archive/team-a', '--json'],
      { ...operatorEnv(), ...aws },
    );
    const verify = await npx(opsDir, ['verify', '--archive', 's3://ops-archive/team-a', '--json'], {
      AIRUDDER_TIMEZONE: 'Asia/Jakarta',
      ...aws,
    });
    // Assess
    expect(backfill.code, backfill.stderr).toBe(0);
    expect(JSON.parse(backfill.stdout)).toMatchObject({ command: 'backfill', fetched: 1 });
    expect(JSON.parse(verify.stdout)).toMatchObject({
      command: 'verify',
      ok: true,
      objects: 1,
      location: 's3://ops-archive/team-a/raw/',
    });
  });

  it('without DuckDB installed, sql says what is missing and how to install it, and the rest works', async () => {
    // Act
    const sql = await npx(leanDir, ['sql', 'SELECT 1'], {
      AIRUDDER_TIMEZONE: 'Asia/Jakarta',
      ARCHIVE_DIR: archiveDir,
    });
    const verify = await npx(leanDir, ['verify', '--archive', archiveDir], {
      AIRUDDER_TIMEZONE: 'Asia/Jakarta',
    });
    // Assess
    expect(existsSync(path.join(leanDir, 'node_modules', '@duckdb'))).toBe(false);
    expect(sql.code).toBe(1);
    expect(sql.stderr).toMatch(
      /^sql failed: sql needs DuckDB \(@duckdb\/node-api [\d.]+-r\.\d+\), an optional dependency that is not installed here .*npm install @duckdb\/node-api@/,
    );
    expect(sql.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(verify.code, verify.stderr).toBe(0);
  });
});
