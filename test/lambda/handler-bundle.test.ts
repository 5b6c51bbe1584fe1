import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  HANDLER_ENTRY,
  MONITOR_BUNDLING,
  MONITOR_RUNTIME,
  toEsbuildOptions,
} from '../../bench/bundle-options';

/** Every source file the deployed handler's bundle holds code from, relative to the repository. */
async function bundledInputs(): Promise<string[]> {
  const options = toEsbuildOptions(MONITOR_BUNDLING, MONITOR_RUNTIME, HANDLER_ENTRY, 'index.js');
  const result = await build({ ...options, write: false, metafile: true });
  // Inputs that tree-shaking dropped entirely are still listed, with no bytes in the output.
  const bundle = Object.values(result.metafile.outputs).find((output) => output.entryPoint !== undefined);
  return Object.entries(bundle?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
}

describe('the handler bundle, built with the stack bundling options', () => {
  it('holds nothing from dev/, bench/ or the CLI: of the project, only lambda/ ships', async () => {
    const inputs = await bundledInputs();
    const ours = inputs.filter((input) => !input.startsWith('node_modules/'));
    expect(ours).toContain('lambda/handler.ts');
    expect(ours.filter((input) => /^(dev|bench)\/|^lambda\/cli(\/|\.ts$)/.test(input))).toEqual([]);
    expect(ours.filter((input) => !input.startsWith('lambda/'))).toEqual([]);
  });

  it('carries zod/mini and its English messages, not the classic API (40 % of the bundle before)', async () => {
    const zod = (await bundledInputs()).filter((input) => input.startsWith('node_modules/zod/'));
    expect(zod).toContain('node_modules/zod/v4/mini/schemas.js');
    expect(zod).toContain('node_modules/zod/v4/locales/en.js');
    expect(
      zod.filter((input) => /\/classic\/|\/locales\/(?!en\.js|index\.js)|to-json-schema/.test(input)),
    ).toEqual([]);
  });
});
