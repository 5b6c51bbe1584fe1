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
 * listing that tells "missing" from "denied" (`rememberingStore`).
 */
export interface KnownDocuments {
  /** The object as last seen at `location`; undefined when not known (or forgotten). */
  get(location: string): StoredObject | undefined;
  set(location: string, object: StoredObject): void;
  /** Forgets the document at `location`, and that it was found absent. */
  delete(location: string): void;
  /** Notes that the object at `location` was found absent (forgetting any document held for it). */
  setAbsent(location: string): void;
  /** True when the object at `location` was last found absent. */
  isAbsent(location: string): boolean;
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
  const absent = new Set<string>();
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
    setAbsent(location) {
      remove(location);
      if (limits.maxEntries < 1) return;
      absent.add(location);
      for (const oldest of absent) {
        if (absent.size <= limits.maxEntries) break;
        absent.delete(oldest);
      }
    },
    isAbsent: (location) => absent.has(location),
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
 * `store`, remembering in `known` each state document it reads or writes, and offering it back
 * through `lastKnown`. A write that failed or was refused forgets the document: its version is
 * then unknown.
 *
 * A normally absent object (`probes`) found absent is read next time by first listing its key (one
 * request: still absent, nothing more), and by a GET only once the listing shows it: an object
 * written since is read by that very run. Without this, every read of it cost two requests in S3:
 * the GET, refused with 403 for a missing key since the role may list only under prefixes, and the
 * listing that tells "missing" from "denied" (s3-object-store.ts).
 */
export function rememberingStore(
  store: ObjectStore,
  known: KnownDocuments,
  remembers: (key: string) => boolean = isStateDocument,
  probes: (key: string) => boolean = isNormallyAbsent,
): ObjectStore {
  const remember = (key: string, object: StoredObject | undefined) => {
    const location = store.describe(key);
    if (object === undefined && probes(key)) known.setAbsent(location);
    else if (remembers(key) && object !== undefined && object.version !== '') known.set(location, object);
    else if (remembers(key) || probes(key)) known.delete(location);
  };
  const forget = (key: string) => {
    if (remembers(key) || probes(key)) known.delete(store.describe(key));
  };
  /** True when `key` was found absent before and a listing shows it still is: no read is needed. */
  const stillAbsent = async (key: string) => {
    const location = store.describe(key);
    if (!probes(key) || !known.isAbsent(location)) return false;
    if (!(await store.list(key)).includes(key)) return true;
    // Written since: read it now, as if never found absent.
    known.delete(location);
    return false;
  };
  return {
    ...store,
    async createIfAbsent(key, bytes, options) {
      // Its answer carries no version: whatever was known of the key is no longer sure.
      forget(key);
      return store.createIfAbsent(key, bytes, options);
    },
    async get(key) {
      if (await stillAbsent(key)) return undefined;
      const object = await store.get(key);
      remember(key, object);
      return object;
    },
    async getIfChanged(key, knownVersion) {
      if (await stillAbsent(key)) return undefined;
      const read = await store.getIfChanged(key, knownVersion);
      if (read !== 'unchanged') remember(key, read);
      return read;
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
