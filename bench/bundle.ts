import { type BuiltBundle, buildBundle, bytesFrom, composition, filesFrom, substitute } from './build-bundle';
import { HANDLER_ENTRY } from './bundle-options';
import type { DetailTable, ResultRow, SectionResult } from './report';
import { kib, round } from './stats';

/** #17: the handler with both SDK clients external. */
const TARGET_KIB = 190;
const ZOD = 'node_modules/zod/';

const slackFetch = substitute(/^@slack\/webhook$/, 'bench/experiments/stubs/slack-webhook-fetch.ts');
const powertoolsLite = substitute(
  /^@aws-lambda-powertools\/(logger|metrics)$/,
  'bench/experiments/stubs/powertools-lite.ts',
);
const esbuildTrims = { esbuildArgs: { '--legal-comments': 'none', '--charset': 'utf8' } };

/** The bundles other benchmarks load: the deployed handler and its references. */
export interface Bundles {
  readonly deployed: BuiltBundle;
  /** A handler with no dependencies: the cold-start floor. */
  readonly hello: BuiltBundle;
  /** The floor plus the two SDK clients the handler requires at init. */
  readonly sdkOnly: BuiltBundle;
  /** The handler with the SDK bundled in (externalModules: []). */
  readonly sdkBundled: BuiltBundle;
  /** The handler without Powertools and @slack/webhook (both stubbed), trims on. */
  readonly slim: BuiltBundle;
}

export interface BundleData {
  readonly deployedBytes: number;
  readonly deployedGzipBytes: number;
  readonly composition: Array<[string, number]>;
  /** Minified bytes from lambda/ (the rest is dependencies). */
  readonly ownBytes: number;
  readonly options: ReadonlyArray<{ option: string; bytes: number; gzipBytes?: number; estimate: boolean }>;
}

/** Sizes the deployed bundle, what it is made of, and each option for bringing it under the target. */
export async function benchBundle(): Promise<{ section: SectionResult<BundleData>; bundles: Bundles }> {
  const build = (name: string, extra: Omit<Parameters<typeof buildBundle>[0], 'name' | 'entry'> = {}) =>
    buildBundle({ name, entry: HANDLER_ENTRY, ...extra });
  // One at a time: the machine has two cores and other work on it.
  const deployed = await build('handler');
  const hello = await buildBundle({ name: 'hello', entry: 'bench/fixtures/hello-handler.ts' });
  const sdkOnly = await buildBundle({ name: 'sdk-only', entry: 'bench/fixtures/sdk-only-handler.ts' });
  const legal = await build('legal-comments-none', {
    bundling: { esbuildArgs: { '--legal-comments': 'none' } },
  });
  const charset = await build('charset-utf8', { bundling: { esbuildArgs: { '--charset': 'utf8' } } });
  const mainFields = await build('main-fields-module', { bundling: { mainFields: ['module', 'main'] } });
  const noSlack = await build('slack-fetch', { plugins: [slackFetch] });
  const noPowertools = await build('powertools-lite', { plugins: [powertoolsLite] });
  const powertoolsLayer = await build('powertools-external', {
    bundling: { externalModules: ['@aws-sdk/*', '@aws-lambda-powertools/*'] },
  });
  const slim = await build('slim', { bundling: esbuildTrims, plugins: [slackFetch, powertoolsLite] });
  const sdkBundled = await build('sdk-bundled', { bundling: { externalModules: [] } });

  // What the project's own code weighs beside what the chosen stack brings (zod, Powertools, Slack).
  const ownBytes = composition(deployed)
    .filter(([group]) => group.startsWith('lambda/'))
    .reduce((sum, [, bytes]) => sum + bytes, 0);

  const options: BundleData['options'] = [
    { option: 'as deployed', bytes: deployed.bytes, gzipBytes: deployed.gzipBytes, estimate: false },
    ...[
      ['esbuildArgs --legal-comments=none', legal],
      ['esbuildArgs --charset=utf8', charset],
      ['mainFields module,main', mainFields],
      ['@slack/webhook → one fetch POST', noSlack],
      ['Powertools → JSON log line + EMF', noPowertools],
      ['Powertools external (Lambda layer)', powertoolsLayer],
    ].map(([option, bundle]) => ({
      option: option as string,
      bytes: (bundle as BuiltBundle).bytes,
      gzipBytes: (bundle as BuiltBundle).gzipBytes,
      estimate: false,
    })),
    {
      option: 'trims + fetch POST + EMF',
      bytes: slim.bytes,
      gzipBytes: slim.gzipBytes,
      estimate: false,
    },
    {
      option: 'SDK bundled (externalModules: [])',
      bytes: sdkBundled.bytes,
      gzipBytes: sdkBundled.gzipBytes,
      estimate: false,
    },
  ];

  const parts = composition(deployed);
  const rows: ResultRow[] = [
    {
      section: 'Bundle',
      measure: 'handler index.js, minified',
      value: `${round(kib(deployed.bytes))} KiB`,
      target: `≤ ${TARGET_KIB} KiB`,
      pass: kib(deployed.bytes) <= TARGET_KIB,
    },
    {
      section: 'Bundle',
      measure: 'handler index.js, gzipped',
      value: `${round(kib(deployed.gzipBytes))} KiB`,
      target: '—',
    },
  ];
  const details: DetailTable[] = [
    {
      title: 'Bundle composition (minified bytes in index.js)',
      headers: ['Source', 'KiB', 'Share'],
      rows: parts.map(([group, bytes]) => [
        group,
        round(kib(bytes)).toFixed(1),
        `${round((100 * bytes) / deployed.bytes, 0)} %`,
      ]),
    },
    {
      title: 'zod in the bundle, by file (zod/mini: only what the schemas use)',
      headers: ['File under node_modules/zod/', 'KiB'],
      rows: filesFrom(deployed, ZOD)
        .slice(0, 8)
        .map(([file, bytes]) => [file, round(kib(bytes)).toFixed(1)]),
      note:
        `zod: ${round(kib(bytesFrom(deployed, ZOD)))} KiB (the classic API was 99 KiB); the project's own ` +
        `code (lambda/): ${round(kib(ownBytes))} KiB; every dependency: ${round(kib(deployed.bytes - ownBytes))} KiB.`,
    },
    {
      title: `Options for the ${TARGET_KIB} KiB target (each alone unless combined)`,
      headers: ['Option', 'Minified KiB', 'Gzip KiB', 'Δ KiB', `≤ ${TARGET_KIB}`],
      rows: options.map((option) => [
        option.option,
        round(kib(option.bytes)).toFixed(1),
        option.gzipBytes === undefined ? '—' : round(kib(option.gzipBytes)).toFixed(1),
        round(kib(option.bytes - deployed.bytes)).toFixed(1),
        kib(option.bytes) <= TARGET_KIB ? '✔' : '✘',
      ]),
      note: 'trims = --legal-comments=none and --charset=utf8 (NodejsFunction passes them only through esbuildArgs).',
    },
  ];
  return {
    section: {
      rows,
      details,
      data: {
        deployedBytes: deployed.bytes,
        deployedGzipBytes: deployed.gzipBytes,
        composition: parts,
        ownBytes,
        options,
      },
    },
    bundles: { deployed, hello, sdkOnly, sdkBundled, slim },
  };
}
