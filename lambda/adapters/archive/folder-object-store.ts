import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  ArchiveStoreError,
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../domain/object-store';
import { type SidecarMetadata, SidecarSchema } from './sidecar';

const SIDECAR_SUFFIX = '.meta.json';
const LOCK_SUFFIX = '.lock';
const LOCK_STALE_MS = 30_000;

/**
 * The archive in a local folder, same keys as S3. Each object has a `<key>.meta.json` sidecar with
 * its content type and metadata. Create-only writes are a hard link of a finished temp file (atomic,
 * fails if the name exists); compare-and-swap takes a lock file, compares, then renames into place.
 */
export function createFolderObjectStore(dir: string, prefix = ''): ObjectStore {
  const root = resolve(dir, prefix);
  const pathOf = (key: string) => {
    const path = resolve(root, key);
    if (!path.startsWith(root + sep)) throw new ArchiveStoreError(`key "${key}" escapes the archive folder`);
    return path;
  };
  const versionOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  async function writeTemp(path: string, bytes: Uint8Array): Promise<string> {
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, bytes, { flag: 'wx' });
    return temp;
  }

  async function writeSidecar(path: string, options: PutOptions): Promise<void> {
    const sidecar: SidecarMetadata = { contentType: options.contentType, metadata: { ...options.metadata } };
    const temp = await writeTemp(
      `${path}${SIDECAR_SUFFIX}`,
      Buffer.from(`${JSON.stringify(sidecar, null, 2)}\n`),
    );
    await rename(temp, `${path}${SIDECAR_SUFFIX}`);
  }

  async function withLock<T>(path: string, action: () => Promise<T>): Promise<T> {
    const lock = `${path}${LOCK_SUFFIX}`;
    await mkdir(dirname(path), { recursive: true });
    try {
      await (await open(lock, 'wx')).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age < LOCK_STALE_MS) {
        throw new PreconditionFailedError(`"${path}" is being updated by another run`, { cause: error });
      }
      // A lock left by a crashed run: take it over.
      await rm(lock, { force: true });
      await (await open(lock, 'wx')).close();
    }
    try {
      return await action();
    } finally {
      await rm(lock, { force: true });
    }
  }

  const store: ObjectStore = {
    describe: (key) => pathOf(key),

    async createIfAbsent(key, bytes, options) {
      const path = pathOf(key);
      const temp = await writeTemp(path, bytes);
      try {
        await link(temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw new ArchiveStoreError(`cannot write ${path}`, { cause: error });
      } finally {
        await rm(temp, { force: true });
      }
      await writeSidecar(path, options);
      return true;
    },

    async get(key) {
      const path = pathOf(key);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new ArchiveStoreError(`cannot read ${path}`, { cause: error });
      }
      const sidecar = await readSidecar(`${path}${SIDECAR_SUFFIX}`);
      const object: StoredObject = {
        bytes: new Uint8Array(bytes),
        metadata: sidecar?.metadata ?? {},
        contentType: sidecar?.contentType,
        version: versionOf(bytes),
      };
      return object;
    },

    async getIfChanged(key, knownVersion) {
      // A local read costs no more than comparing: read, then compare the content hash.
      const object = await store.get(key);
      return object !== undefined && object.version === knownVersion ? 'unchanged' : object;
    },

    async replace(key, bytes, options) {
      const path = pathOf(key);
      return withLock(path, async () => {
        const current = await store.get(key);
        if (current?.version !== options.expectedVersion) {
          throw new PreconditionFailedError(`"${key}" changed since it was read`);
        }
        const temp = await writeTemp(path, bytes);
        await writeSidecar(path, options);
        await rename(temp, path);
        return versionOf(bytes);
      });
    },

    async list(listPrefix) {
      const start = resolve(
        root,
        listPrefix.includes('/') ? listPrefix.slice(0, listPrefix.lastIndexOf('/')) : '.',
      );
      const keys: string[] = [];
      await walk(start, async (file) => {
        const key = relative(root, file).split(sep).join('/');
        const internal = key.endsWith(SIDECAR_SUFFIX) || key.endsWith(LOCK_SUFFIX) || key.endsWith('.tmp');
        if (!internal && key.startsWith(listPrefix)) keys.push(key);
      });
      return keys.sort();
    },
  };
  return store;
}

async function readSidecar(path: string): Promise<SidecarMetadata | undefined> {
  try {
    return SidecarSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ArchiveStoreError(`cannot read metadata ${path}`, { cause: error });
  }
}

async function walk(dir: string, visit: (file: string) => Promise<void>): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, visit);
    else if (entry.isFile()) await visit(path);
  }
}
