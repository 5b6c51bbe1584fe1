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
 * kept. One per container (composition.ts `createRunEdges`); nothing else caches objects.
 *
 * Archived responses (raw/) are not kept: they are write-once, but a check never reads the same one
 * twice (each check reads last weeks' windows of its own scheduled time), so keeping them would
 * save no request (docs/performance.md).
 */
export interface KnownDocuments {
  /** The object as last seen at `location`; undefined when not known (or forgotten). */
  get(location: string): StoredObject | undefined;
  set(location: string, object: StoredObject): void;
  delete(location: string): void;
  /** Documents and bytes held now. */
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
  let bytes = 0;
  const remove = (location: string) => {
    const old = objects.get(location);
    if (old === undefined) return;
    bytes -= old.bytes.byteLength;
    objects.delete(location);
  };
  return {
    get: (location) => objects.get(location),
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
 * `store`, remembering in `known` each state document it reads or writes, and offering it back
 * through `lastKnown`. A write that failed or was refused forgets the document: its version is
 * then unknown.
 */
export function rememberingStore(
  store: ObjectStore,
  known: KnownDocuments,
  remembers: (key: string) => boolean = isStateDocument,
): ObjectStore {
  const remember = (key: string, object: StoredObject | undefined) => {
    if (!remembers(key)) return;
    if (object === undefined || object.version === '') known.delete(store.describe(key));
    else known.set(store.describe(key), object);
  };
  const forget = (key: string) => {
    if (remembers(key)) known.delete(store.describe(key));
  };
  return {
    ...store,
    async createIfAbsent(key, bytes, options) {
      // Its answer carries no version: whatever was known of the key is no longer sure.
      forget(key);
      return store.createIfAbsent(key, bytes, options);
    },
    async get(key) {
      const object = await store.get(key);
      remember(key, object);
      return object;
    },
    async getIfChanged(key, knownVersion) {
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
