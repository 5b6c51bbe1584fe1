/**
 * Port: the archive's storage. Two adapters share one key layout: S3 (bucket + prefix) and a local
 * folder. Keys are relative ('raw/…', 'state/…'); the adapter adds the configured prefix.
 */

export interface StoredObject {
  readonly bytes: Uint8Array;
  readonly metadata: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  /** Opaque version for compare-and-swap (the S3 ETag; a content hash in the folder). */
  readonly version: string;
  /** The S3 object version id in a versioned bucket (none in the folder). */
  readonly versionId?: string;
}

export interface PutOptions {
  readonly contentType: string;
  /** Lower-case ASCII keys and values (S3 user metadata rules). */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ObjectStore {
  /** Human-readable location of a key, e.g. `s3://bucket/prefix/raw/…` or a file path. */
  describe(key: string): string;
  /**
   * Writes `key` only if it does not exist yet. Returns false, writing nothing, when it exists:
   * a repeated run neither adds a second object nor overwrites the first.
   */
  createIfAbsent(key: string, bytes: Uint8Array, options: PutOptions): Promise<boolean>;
  get(key: string): Promise<StoredObject | undefined>;
  /**
   * A conditional read: 'unchanged' when the object's version is still `knownVersion` (S3:
   * If-None-Match on the ETag, answered 304 without a body), so a value read each run costs little.
   */
  getIfChanged(
    key: string,
    knownVersion: string | undefined,
  ): Promise<StoredObject | 'unchanged' | undefined>;
  /**
   * Compare-and-swap: writes only if the current version is `expectedVersion` (undefined: only if
   * absent). Throws PreconditionFailedError when another writer got there first.
   */
  replace(
    key: string,
    bytes: Uint8Array,
    options: PutOptions & { expectedVersion: string | undefined },
  ): Promise<string>;
  /**
   * The store's clock now: the time it stamps on what it writes (S3: the `Date` of its latest
   * answer, carried forward on this host's clock; the folder: the modification time of its latest
   * write, likewise). Undefined before the store answered anything. Claims are stamped and judged
   * with it, so a host whose clock is off cannot take a live claim of another run for a dead one.
   */
  now?(): Date | undefined;
  /** Keys under `prefix` (relative), in lexicographic order. */
  list(prefix: string): Promise<string[]>;
  /**
   * The document at `key` as this process last read or wrote it, without a request; undefined when
   * not known. Possibly stale (another writer may have changed it since), so only for a
   * compare-and-swap, whose conflict reads it again. Only stores that remember implement it
   * (adapters/archive/known-documents.ts).
   */
  lastKnown?(key: string): StoredObject | undefined;
  /**
   * Files under `prefix` that are not objects: temporaries, locks, metadata without its object (left
   * by a crash or copied by hand). Only stores that have such files (the folder) implement it.
   */
  strays?(prefix: string): Promise<Stray[]>;
  /** Why the archive's location itself is missing (a folder that does not exist); undefined when it is there. */
  missing?(): Promise<string | undefined>;
}

/** A file in the archive that is not an object, and why it is there. */
export interface Stray {
  readonly key: string;
  readonly reason: string;
  /**
   * Residue of a write interrupted after its object was complete (a lock, a temporary file identical
   * to the object it became): harmless, so a note rather than a problem.
   */
  readonly residue: boolean;
}

/** Thrown by `replace` when the object changed (or appeared) since it was read. */
export class PreconditionFailedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PreconditionFailedError';
  }
}

/** Thrown when the archive store cannot be read or written. */
export class ArchiveStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ArchiveStoreError';
  }
}
