import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  HANDLER_ENTRY,
  MONITOR_BUNDLING,
  MONITOR_RUNTIME,
  toEsbuildOptions,
} from '../../bench/bundle-options';

/** Every source file the deployed handler's bundle holds, relative to the repository. */
async function bundledInputs(): Promise<string[]> {
  const options = toEsbuildOptions(MONITOR_BUNDLING, MONITOR_RUNTIME, HANDLER_ENTRY, 'index.js');
  const result = await build({ ...options, write: false, metafile: true });
  return Object.keys(result.metafile.inputs);
}

describe('the handler bundle, built with the stack bundling options', () => {
  it('holds nothing from dev/, bench/ or the CLI: of the project, only lambda/ ships', async () => {
    const inputs = await bundledInputs();
    const ours = inputs.filter((input) => !input.startsWith('node_modules/'));
    expect(ours).toContain('lambda/handler.ts');
    expect(ours.filter((input) => /^(dev|bench)\/|^lambda\/cli(\/|\.ts$)/.test(input))).toEqual([]);
    expect(ours.filter((input) => !input.startsWith('lambda/'))).toEqual([]);
  });
});
