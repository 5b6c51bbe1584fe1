import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { bundledRules } from '../../../lambda/adapters/rules/load-rules';
import { RULES_KEY } from '../../../lambda/domain/alerts/rules-status';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import { loadActiveRules } from '../../../lambda/use-cases/active-rules';

let dir: string;
let store: ObjectStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'active-rules-'));
  store = createFolderObjectStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadActiveRules', () => {
  it('treats a rules object over the size limit as invalid, naming the limit, and keeps the defaults', async () => {
    // #22 finding 7: a 66 MB object was decoded and parsed whole by every check.
    const huge = Buffer.alloc(300 * 1024, 0x20);
    await store.replace(RULES_KEY, huge, {
      contentType: 'application/json',
      metadata: {},
      expectedVersion: undefined,
    });
    const active = await loadActiveRules({ store, bundled: bundledRules() });
    expect(active.origin).toBe('bundled');
    expect(active.invalid?.error).toBe('config/rules.json: file: 307200 bytes; at most 262144 are allowed');
  });
});
