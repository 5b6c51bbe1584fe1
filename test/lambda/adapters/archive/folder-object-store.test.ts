import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../../lambda/adapters/archive/folder-object-store';
import { ArchiveStoreError, PreconditionFailedError } from '../../../../lambda/domain/object-store';

const json = { contentType: 'application/json', metadata: { sha256: 'abc', 'time-zone': 'Asia/Jakarta' } };

describe('createFolderObjectStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archive-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores exact bytes under the prefix with a metadata sidecar', async () => {
    const store = createFolderObjectStore(dir, 'monitor');
    const bytes = Buffer.from('{"a": 1,\n "b": "ü"}');
    expect(await store.createIfAbsent('raw/check/2025-11-12/x.json', bytes, json)).toBe(true);
    expect(await readFile(join(dir, 'monitor/raw/check/2025-11-12/x.json'))).toEqual(bytes);
    const object = await store.get('raw/check/2025-11-12/x.json');
    expect(Buffer.from(object!.bytes)).toEqual(bytes);
    expect(object?.metadata).toEqual(json.metadata);
    expect(object?.contentType).toBe('application/json');
  });

  it('never overwrites: a second create for the same key writes nothing', async () => {
    const store = createFolderObjectStore(dir);
    await store.createIfAbsent('raw/a.json', Buffer.from('first'), json);
    expect(await store.createIfAbsent('raw/a.json', Buffer.from('second'), json)).toBe(false);
    expect(Buffer.from((await store.get('raw/a.json'))!.bytes).toString()).toBe('first');
    expect((await readdir(join(dir, 'raw'))).sort()).toEqual(['a.json', 'a.json.meta.json']);
  });

  it('lets exactly one of many concurrent creates win', async () => {
    const store = createFolderObjectStore(dir);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.createIfAbsent('raw/race.json', Buffer.from(`writer ${i}`), json),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lists keys under a prefix in order, without sidecars', async () => {
    const store = createFolderObjectStore(dir);
    for (const key of ['raw/day/2025-11-12/b.json', 'raw/day/2025-11-11/a.json', 'state/rules.json']) {
      await store.createIfAbsent(key, Buffer.from('x'), json);
    }
    expect(await store.list('raw/')).toEqual(['raw/day/2025-11-11/a.json', 'raw/day/2025-11-12/b.json']);
    expect(await store.list('raw/day/2025-11-12/')).toEqual(['raw/day/2025-11-12/b.json']);
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('returns undefined for a missing key', async () => {
    expect(await createFolderObjectStore(dir).get('raw/missing.json')).toBeUndefined();
  });

  it('refuses keys that escape the folder', async () => {
    await expect(createFolderObjectStore(dir).get('../etc/passwd')).rejects.toThrow(ArchiveStoreError);
  });

  describe('replace (compare-and-swap)', () => {
    it('creates when absent, then updates only from the version it read', async () => {
      const store = createFolderObjectStore(dir);
      const v1 = await store.replace('state/s.json', Buffer.from('1'), {
        ...json,
        expectedVersion: undefined,
      });
      const v2 = await store.replace('state/s.json', Buffer.from('2'), { ...json, expectedVersion: v1 });
      expect(v2).not.toBe(v1);
      await expect(
        store.replace('state/s.json', Buffer.from('3'), { ...json, expectedVersion: v1 }),
      ).rejects.toThrow(PreconditionFailedError);
      await expect(
        store.replace('state/s.json', Buffer.from('3'), { ...json, expectedVersion: undefined }),
      ).rejects.toThrow(PreconditionFailedError);
      expect(Buffer.from((await store.get('state/s.json'))!.bytes).toString()).toBe('2');
    });

    it('lets one of two concurrent updates from the same version win and loses no update', async () => {
      const store = createFolderObjectStore(dir);
      const v1 = await store.replace('state/s.json', Buffer.from('0'), {
        ...json,
        expectedVersion: undefined,
      });
      const outcomes = await Promise.allSettled(
        ['a', 'b', 'c'].map((value) =>
          store.replace('state/s.json', Buffer.from(value), { ...json, expectedVersion: v1 }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const failed of outcomes.filter((o) => o.status === 'rejected')) {
        expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(PreconditionFailedError);
      }
    });
  });
});
