import { spawnSync } from 'node:child_process';
import { link, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../../lambda/adapters/archive/folder-object-store';
import { ArchiveStoreError, PreconditionFailedError } from '../../../../lambda/domain/archive/object-store';

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

  it("tells the folder's time (its latest write's modification time), even on a host whose clock is 10 minutes slow", async () => {
    const store = createFolderObjectStore(dir, '', { now: () => Date.now() - 600_000 });
    expect(store.now?.()).toBeUndefined();
    await store.replace('state/x.json', Buffer.from('{}'), { ...json, expectedVersion: undefined });
    expect(Math.abs((store.now?.()?.getTime() ?? 0) - Date.now())).toBeLessThan(1_000);
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

  it('never leaves an object without metadata: a failure writing the sidecar publishes nothing, and the rerun creates both', async () => {
    // Prepare: inject a failure at the exact step: the sidecar's name is taken by a folder
    const store = createFolderObjectStore(dir);
    const key = 'raw/check/2025-11-12/crash.json';
    await mkdir(join(dir, `${key}.meta.json`), { recursive: true });
    await writeFile(join(dir, `${key}.meta.json`, 'x'), '');
    // Act: the create fails where a crash would stop it
    await expect(store.createIfAbsent(key, Buffer.from('{"a":1}'), json)).rejects.toThrow();
    // Assess: no object published without its metadata, and the rerun (after the "crash") completes
    expect(await store.get(key)).toBeUndefined();
    await rm(join(dir, `${key}.meta.json`), { recursive: true });
    expect(await store.createIfAbsent(key, Buffer.from('{"a":1}'), json)).toBe(true);
    expect((await store.get(key))?.metadata).toEqual(json.metadata);
  });

  it('replaces the sidecar a crash left without its object on the next create', async () => {
    const store = createFolderObjectStore(dir);
    const key = 'raw/check/2025-11-12/orphan.json';
    await mkdir(join(dir, 'raw/check/2025-11-12'), { recursive: true });
    await writeFile(
      join(dir, `${key}.meta.json`),
      JSON.stringify({ contentType: 'x', metadata: { stale: '1' } }),
    );
    expect(await store.strays!('raw/')).toEqual([
      { key: `${key}.meta.json`, reason: 'metadata without its object', residue: false },
    ]);
    expect(await store.createIfAbsent(key, Buffer.from('{}'), json)).toBe(true);
    expect((await store.get(key))?.metadata).toEqual(json.metadata);
    expect(await store.strays!('raw/')).toEqual([]);
  });

  it('tells the residue of a crash between link and temp removal from bytes that never reached their object', async () => {
    // Prepare: an object written, then what a crash right after its link leaves (its temp and its lock),
    // and a temp whose bytes never became an object
    const store = createFolderObjectStore(dir);
    const key = 'raw/check/2025-11-12/residue.json';
    await store.createIfAbsent(key, Buffer.from('{"a":1}'), json);
    await link(join(dir, key), join(dir, `${key}.0f3a9c.tmp`));
    await writeFile(join(dir, `${key}.lock`), '{}');
    await writeFile(join(dir, 'raw/check/2025-11-12/lost.json.77ab.tmp'), '{"b":2}');
    // Act
    const strays = await store.strays!('raw/');
    // Assess
    expect(strays).toEqual([
      {
        key: 'raw/check/2025-11-12/lost.json.77ab.tmp',
        reason: 'temporary file left behind',
        residue: false,
      },
      {
        key: `${key}.0f3a9c.tmp`,
        reason: 'temporary copy of its published object, left by an interrupted write',
        residue: true,
      },
      { key: `${key}.lock`, reason: 'lock file of an interrupted write (or one in progress)', residue: true },
    ]);
    expect(await store.list('raw/')).toEqual([key]);
  });

  describe('stale locks', () => {
    const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;
    const lockFor = async (key: string, owner: { pid: number; host?: string }, mtime: Date) => {
      const lock = join(dir, `${key}.lock`);
      await mkdir(join(lock, '..'), { recursive: true });
      await writeFile(lock, JSON.stringify({ id: 'crashed-run', host: hostname(), ...owner }));
      await utimes(lock, mtime, mtime);
    };
    const value = () => ({ ...json, expectedVersion: undefined as string | undefined });

    it('takes over a lock whose process is gone, even when its file time is an hour ahead (clock skew)', async () => {
      const store = createFolderObjectStore(dir);
      await lockFor('state/s.json', { pid: deadPid() }, new Date(Date.now() + 3_600_000));
      await expect(store.replace('state/s.json', Buffer.from('1'), value())).resolves.toEqual(
        expect.any(String),
      );
    });

    it('never takes over the lock of a live process, even when its file time is an hour behind', async () => {
      const store = createFolderObjectStore(dir);
      await lockFor('state/s.json', { pid: process.pid }, new Date(Date.now() - 3_600_000));
      await expect(store.replace('state/s.json', Buffer.from('1'), value())).rejects.toThrow(
        PreconditionFailedError,
      );
    });

    it('lets exactly one of many runs take over the same stale lock', async () => {
      const store = createFolderObjectStore(dir);
      await lockFor('state/s.json', { pid: deadPid() }, new Date(Date.now() - 3_600_000));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => store.replace('state/s.json', Buffer.from(`${i}`), value())),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await readdir(join(dir, 'state'))).toEqual(['s.json', 's.json.meta.json']);
    });
  });
});
