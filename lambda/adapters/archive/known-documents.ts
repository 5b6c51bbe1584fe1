import { RULES_KEY } from '../../domain/alerts/rules-status';
import type { ObjectStore, StoredObject } from '../../domain/archive/object-store';

/**
 * The mutable documents (`state/…`: the alert state, the rules health) as this container last read
 * or wrote them, each with its version (the S3 ETag), kept between warm invocations. A check uses
 * the alert state it wrote 15 minutes earlier instead of reading it again: its claim is a
 * compare-and-swap on that version, so when another writer (the digest, a Slack button click, a
 * concurrent run, the CLI) changed the document since, S3 refuses the write and the check re-reads
 * it (json-document.ts `updateDocument`). What is remembered is never trusted beyond that.
 *
 * Keyed by the object's full location (`s3://bucket/prefix/key`), bounded in entries and bytes:
 * the oldest remembered document goes first, and a document larger than the whole budget is not
 * kept. One per container (composition.ts `createRunEdges`; the interactions edges keep one for
 * absences alone); nothing else caches objects.
 *
 * Archived responses (raw/) are not kept: they are write-once, but a check never reads the same one
 * twice (each check reads last weeks' windows of its own scheduled time), so keeping them would
 * save no request (docs/performance.md).
 *
 * It also remembers which normally absent objects (the rules object of a deployment that keeps the
 * bundled defaults) were found absent, so the next read asks S3 with one listing whether that is
 * still so, instead of a GET that S3 refuses (403: the role may list only under prefixes) and the
 * listing that tells "missing" from "denied" (`rememberingStore`); and which folders of windows of
 * past days were empty, so a seasonal baseline reading weeks not archived costs nothing for an hour.
 */
export interface KnownDocuments {
  /** The object as last seen at `location`; undefined when not known (or forgotten). */
  get(location: string): StoredObject | undefined;
  set(location: string, object: StoredObject): void;
  /** Forgets the document at `location`, and that it was found absent. */
  delete(location: string): void;
  /**
   * Notes that the object (or the folder) at `location` was found absent at epoch ms `at`, forgetting
   * any document held for it.
   */
  setAbsent(location: string, at: number): void;
  /** When the object at `location` was last found absent (epoch ms); undefined when not known absent. */
  absentSince(location: string): number | undefined;
  /** Documents and bytes held now (absences not counted: a few locations, bounded by `maxEntries`). */
  readonly size: { readonly entries: number; readonly bytes: number };
}

export interface KnownDocumentsLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/** A few state documents of a few KB each; the budget leaves room for a large alert state. */
export const KNOWN_DOCUMENTS_LIMITS: KnownDocumentsLimits = { maxEntries: 16, maxBytes: 4 * 1024 * 1024 };

export function createKnownDocuments(limits: KnownDocumentsLimits = KNOWN_DOCUMENTS_LIMITS): KnownDocuments {
  // A Map keeps insertion order: re-setting a key moves it last, so the first entry is the oldest.
  const objects = new Map<string, StoredObject>();
  /** Insertion-ordered too: past `maxEntries`, the oldest absence is forgotten (the next read is a GET). */
  const absent = new Map<string, number>();
  let bytes = 0;
  const remove = (location: string) => {
    absent.delete(location);
    const old = objects.get(location);
    if (old === undefined) return;
    bytes -= old.bytes.byteLength;
    objects.delete(location);
  };
  return {
    get: (location) => objects.get(location),
    setAbsent(location, at) {
      remove(location);
      if (limits.maxEntries < 1) return;
      absent.set(location, at);
      for (const oldest of absent.keys()) {
        if (absent.size <= limits.maxEntries) break;
        absent.delete(oldest);
      }
    },
    absentSince: (location) => absent.get(location),
    set(location, object) {
      remove(location);
      if (object.bytes.byteLength > limits.maxBytes || limits.maxEntries < 1) return;
      // A copy: the caller's buffer may be reused or changed after this.
      objects.set(location, { ...object, bytes: Uint8Array.from(object.bytes) });
      bytes += object.bytes.byteLength;
      for (const oldest of objects.keys()) {
        if (objects.size <= limits.maxEntries && bytes <= limits.maxBytes) break;
        remove(oldest);
      }
    },
    delete: remove,
    get size() {
      return { entries: objects.size, bytes };
    },
  };
}

/** The keys whose last version is remembered: the documents runs update by compare-and-swap. */
export const isStateDocument = (key: string): boolean => key.startsWith('state/');

/**
 * The objects read on every run that most deployments never have: the rules object (config/
 * rules.json), absent wherever the bundled defaults are used. Not the alert state or the rules
 * health record (written by the first run, then always there), nor archived responses (a run never
 * reads the same missing key twice).
 */
export const isNormallyAbsent = (key: string): boolean => key === RULES_KEY;

/**
 * A day's windows are written by that day's checks; a day at least this old gets new ones only from
 * an event replayed late (a dead letter redriven) or an operator's `check --at` after a `watermark
 * reset`. The seasonal baseline reads days 7 to 28 days old.
 */
const PAST_DAY_MS = 3 * 24 * 60 * 60 * 1000;
/** How long a past day's empty window folder is believed empty: a window written late is seen within it. */
export const EMPTY_FOLDER_TTL_MS = 60 * 60 * 1000;

/** `raw/window/<date>/` of the window `key` when its date lies at least 3 days before `now`. */
export function pastWindowFolder(key: string, now: number): string | undefined {
  const date = /^raw\/window\/(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
  if (date === undefined || now - Date.parse(`${date}T00:00:00Z`) < PAST_DAY_MS) return undefined;
  return `raw/window/${date}/`;
}

export interface RememberingOptions {
  /** The keys whose last version is remembered; default: the state documents. */
  readonly remembers?: (key: string) => boolean;
  /** The keys listed, not read, once found absent; default: the rules object. */
  readonly probes?: (key: string) => boolean;
  /** Epoch ms, for the age of a window's day and of an empty folder; default: this host's clock. */
  readonly now?: () => number;
}

/**
 * `store`, remembering in `known` each state document it reads or writes, and offering it back
 * through `lastKnown`. A write that failed or was refused forgets the document: its version is
 * then unknown.
 *
 * A normally absent object (`probes`) found absent is read next time by first listing its key (one
 * request: still absent, nothing more), and by a GET only once the listing shows it: an object
 * written since is read by that very run. Without this, every read of it cost two requests in S3:
 * the GET, refused with 403 for a missing key since the role may list only under prefixes, and the
 * listing that tells "missing" from "denied" (s3-object-store.ts).
 *
 * A window of a past day found absent has its day's folder listed once; an empty folder (the weeks
 * before the deploy, which the seasonal baseline reads during its first four weeks) answers every
 * read of a window in it for `EMPTY_FOLDER_TTL_MS` without a request. A folder holding windows is
 * not remembered: its windows are read as before.
 */
export function rememberingStore(
  store: ObjectStore,
  known: KnownDocuments,
  options: RememberingOptions = {},
): ObjectStore {
  const remembers = options.remembers ?? isStateDocument;
  const probes = options.probes ?? isNormallyAbsent;
  const now = options.now ?? Date.now;
  const remember = (key: string, object: StoredObject | undefined) => {
    const location = store.describe(key);
    if (object === undefined && probes(key)) known.setAbsent(location, now());
    else if (remembers(key) && object !== undefined && object.version !== '') known.set(location, object);
    else if (remembers(key) || probes(key)) known.delete(location);
  };
  const forget = (key: string) => {
    if (remembers(key) || probes(key)) known.delete(store.describe(key));
  };
  /** True when `key` was found absent before and a listing shows it still is: no read is needed. */
  const stillAbsent = async (key: string) => {
    const location = store.describe(key);
    if (!probes(key) || known.absentSince(location) === undefined) return false;
    if (!(await store.list(key)).includes(key)) return true;
    // Written since: read it now, as if never found absent.
    known.delete(location);
    return false;
  };
  /** True when `key` is a window in a past day's folder found empty within the hour. */
  const inEmptyFolder = (key: string) => {
    const folder = pastWindowFolder(key, now());
    const since = folder === undefined ? undefined : known.absentSince(store.describe(folder));
    return since !== undefined && now() - since < EMPTY_FOLDER_TTL_MS;
  };
  /** After a window of a past day was found absent: its folder, listed, remembered if empty. */
  const noteFolder = async (key: string) => {
    const folder = pastWindowFolder(key, now());
    if (folder !== undefined && (await store.list(folder)).length === 0)
      known.setAbsent(store.describe(folder), now());
  };
  const read = async <T>(key: string, get: () => Promise<T | undefined>): Promise<T | undefined> => {
    if (inEmptyFolder(key) || (await stillAbsent(key))) return undefined;
    const object = await get();
    if (object === undefined) await noteFolder(key);
    return object;
  };
  return {
    ...store,
    async createIfAbsent(key, bytes, options) {
      // Its answer carries no version: whatever was known of the key is no longer sure.
      forget(key);
      return store.createIfAbsent(key, bytes, options);
    },
    async get(key) {
      const object = await read(key, () => store.get(key));
      remember(key, object);
      return object;
    },
    async getIfChanged(key, knownVersion) {
      const object = await read(key, () => store.getIfChanged(key, knownVersion));
      if (object !== 'unchanged') remember(key, object);
      return object;
    },
    async replace(key, bytes, options) {
      try {
        const version = await store.replace(key, bytes, options);
        remember(key, { bytes, metadata: options.metadata, contentType: options.contentType, version });
        return version;
      } catch (error) {
        forget(key);
        throw error;
      }
    },
    lastKnown: (key) => (remembers(key) ? known.get(store.describe(key)) : undefined),
  };
}
