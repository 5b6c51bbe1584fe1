import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  ArchiveStoreError,
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
  type Stray,
} from '../../domain/archive/object-store';
import { type SidecarMetadata, SidecarSchema } from './sidecar';

const SIDECAR_SUFFIX = '.meta.json';
const LOCK_SUFFIX = '.lock';
const TAKEOVER_SUFFIX = '.takeover';
/**
 * A lock is held for milliseconds. One whose holder ran on this host is stale exactly when that
 * process is gone (no clock involved); one from another host (a shared folder) only once its file is
 * this old, a margin far beyond any clock skew between hosts.
 */
const LOCK_STALE_MS = 5 * 60_000;
/** How long a create waits for a key another run has locked. */
const CREATE_WAIT_MS = 5_000;
const HOST = hostname();

/** Who holds a lock: written into the lock file, so staleness and release need no clock. */
interface LockOwner {
  readonly id: string;
  readonly pid: number;
  readonly host: string;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The archive in a local folder, same keys as S3. Each object has a `<key>.meta.json` sidecar with
 * its content type and metadata. Every write takes the key's lock file and writes the sidecar before
 * the object, so a crash between the two leaves a sidecar without object (which the next create
 * replaces), never an object without metadata for good. Create-only writes then hard-link a finished
 * temp file (atomic, fails if the name exists); compare-and-swap compares, then renames into place.
 */
export function createFolderObjectStore(
  dir: string,
  prefix = '',
  options: { readonly now?: () => number } = {},
): ObjectStore {
  const root = resolve(dir, prefix);
  const localNow = options.now ?? Date.now;
  /**
   * How far the folder's clock (the modification time it gave the latest write: a file server's
   * for a shared folder) is ahead of this host's. Claims are judged by it (ObjectStore.now).
   */
  let clockOffsetMs: number | undefined;
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

  async function readOwner(file: string): Promise<LockOwner | undefined> {
    try {
      const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
      return typeof owner.id === 'string' && typeof owner.pid === 'number' && typeof owner.host === 'string'
        ? (owner as LockOwner)
        : undefined;
    } catch {
      return undefined;
    }
  }

  async function isStale(file: string, owner: LockOwner | undefined): Promise<boolean> {
    if (owner && owner.host === HOST) return !isAlive(owner.pid);
    const changed = await stat(file).then(
      (info) => info.mtimeMs,
      () => undefined,
    );
    return changed !== undefined && Date.now() - changed > LOCK_STALE_MS;
  }

  /** Takes the lock or returns false (held by a live run). Two runs can never both hold it. */
  async function tryLock(lock: string, me: LockOwner): Promise<boolean> {
    const mine = `${JSON.stringify(me)}\n`;
    try {
      await writeFile(lock, mine, { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readOwner(lock);
    if (!(await isStale(lock, holder))) return false;
    // A lock left by a crashed run. Only one run may take it over at a time (the takeover file), and
    // the takeover replaces the stale lock in one rename, so the lock never goes missing meanwhile.
    const takeover = `${lock}${TAKEOVER_SUFFIX}`;
    try {
      await writeFile(takeover, mine, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(takeover, await readOwner(takeover))) await rm(takeover, { force: true });
      return false;
    }
    try {
      const again = await readOwner(lock);
      if (again?.id !== holder?.id) return false; // released or taken meanwhile: not stale any more
      const temp = `${lock}.${me.id}.tmp`;
      await writeFile(temp, mine, { flag: 'wx' });
      await rename(temp, lock);
      return true;
    } finally {
      await rm(takeover, { force: true });
    }
  }

  async function withLock<T>(path: string, action: () => Promise<T>, waitMs = 0): Promise<T> {
    const lock = `${path}${LOCK_SUFFIX}`;
    await mkdir(dirname(path), { recursive: true });
    const me: LockOwner = { id: randomUUID(), pid: process.pid, host: HOST };
    const giveUp = Date.now() + waitMs;
    while (!(await tryLock(lock, me))) {
      if (Date.now() >= giveUp)
        throw new PreconditionFailedError(`"${path}" is being updated by another run`);
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
    try {
      return await action();
    } finally {
      // Release only our own lock: after a (wrong) takeover it may be someone else's.
      if ((await readOwner(lock))?.id === me.id) await rm(lock, { force: true });
    }
  }

  const store: ObjectStore = {
    describe: (key) => pathOf(key),

    async createIfAbsent(key, bytes, options) {
      const path = pathOf(key);
      const exists = () =>
        stat(path).then(
          () => true,
          () => false,
        );
      if (await exists()) return false;
      try {
        return await withLock(
          path,
          async () => {
            if (await exists()) return false;
            // Metadata first: a crash after it leaves a sidecar without object, replaced on the next create.
            await writeSidecar(path, options);
            const temp = await writeTemp(path, bytes);
            try {
              await link(temp, path);
            } finally {
              await rm(temp, { force: true });
            }
            return true;
          },
          CREATE_WAIT_MS,
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error instanceof ArchiveStoreError
          ? error
          : new ArchiveStoreError(`cannot write ${path}`, { cause: error });
      }
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
        clockOffsetMs = (await stat(temp)).mtimeMs - localNow();
        await writeSidecar(path, options);
        await rename(temp, path);
        return versionOf(bytes);
      });
    },

    now: () => (clockOffsetMs === undefined ? undefined : new Date(localNow() + clockOffsetMs)),

    async list(listPrefix) {
      const start = resolve(
        root,
        listPrefix.includes('/') ? listPrefix.slice(0, listPrefix.lastIndexOf('/')) : '.',
      );
      const keys: string[] = [];
      await walk(start, async (file) => {
        const key = relative(root, file).split(sep).join('/');
        const internal = isInternal(key);
        if (!internal && key.startsWith(listPrefix)) keys.push(key);
      });
      return keys.sort();
    },

    async strays(strayPrefix) {
      const found: Stray[] = [];
      await walk(resolve(root, strayPrefix), async (file) => {
        const key = relative(root, file).split(sep).join('/');
        if (key.endsWith(SIDECAR_SUFFIX)) {
          const orphan = !(await isFile(file.slice(0, -SIDECAR_SUFFIX.length)));
          if (orphan) found.push({ key, reason: 'metadata without its object', residue: false });
        } else if (key.endsWith(LOCK_SUFFIX) || key.endsWith(TAKEOVER_SUFFIX)) {
          // A write takes the lock before anything else: without a temp beside it, nothing was lost.
          found.push({
            key,
            reason: 'lock file of an interrupted write (or one in progress)',
            residue: true,
          });
        } else if (key.endsWith('.tmp')) {
          found.push(await describeTemp(key, file));
        }
      });
      return found.sort((a, b) => a.key.localeCompare(b.key));
    },

    async missing() {
      const info = await stat(root).catch(() => undefined);
      if (info === undefined) return `the archive folder ${root} does not exist`;
      return info.isDirectory() ? undefined : `the archive folder ${root} is not a folder`;
    },
  };
  return store;
}

const isFile = (path: string) =>
  stat(path).then(
    (info) => info.isFile(),
    () => false,
  );

/**
 * A temporary file is `<target>.<id>.tmp`. One whose target exists with the same bytes was left by a
 * crash after the link or rename that published it (residue); any other holds bytes that never
 * reached their object.
 */
async function describeTemp(key: string, file: string): Promise<Stray> {
  const target = file.replace(/\.[^./]+\.tmp$/, '');
  const [temp, published] = await Promise.all([
    readFile(file).catch(() => undefined),
    target === file ? undefined : readFile(target).catch(() => undefined),
  ]);
  if (temp !== undefined && published !== undefined && Buffer.compare(temp, published) === 0) {
    return {
      key,
      reason: 'temporary copy of its published object, left by an interrupted write',
      residue: true,
    };
  }
  return { key, reason: 'temporary file left behind', residue: false };
}

const isInternal = (key: string) =>
  key.endsWith(SIDECAR_SUFFIX) ||
  key.endsWith(LOCK_SUFFIX) ||
  key.endsWith(TAKEOVER_SUFFIX) ||
  key.endsWith('.tmp');

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
