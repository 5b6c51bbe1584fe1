import {
  ArchiveStoreError,
  type ObjectStore,
  PreconditionFailedError,
  type StoredObject,
} from '../domain/archive/object-store';
import type * as z from '../domain/shared/zod';
import { withRetry } from '../shared/retry';

/**
 * Small JSON documents in the archive store (alert state, digest records), read with their version
 * and updated by compare-and-swap, so two overlapping runs can neither both win nor lose an update.
 */

export interface VersionedDocument<T> {
  readonly value: T;
  readonly version: string;
}

/** Thrown when a stored document is not what its schema says; names the key. */
export class DocumentCorruptError extends ArchiveStoreError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DocumentCorruptError';
  }
}

/**
 * Thrown when a run is about to write a document its own schema would refuse to read back: nothing is
 * written (a document no run can read would stop every later run). Names the key and the fields.
 */
export class DocumentInvalidError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DocumentInvalidError';
  }
}

/** The first few schema issues, `path: message` each. */
const describeIssues = (issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) =>
  issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');

/** The bytes of `value` as a stored document, once it is what `schema` reads back; else DocumentInvalidError. */
export function serializeDocument<T>(
  store: Pick<ObjectStore, 'describe'>,
  key: string,
  schema: z.ZodMiniType<T>,
  value: T,
): Buffer {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new DocumentInvalidError(
      `Refused to write ${store.describe(key)}: it would not match its schema (${describeIssues(parsed.error.issues)})`,
      { cause: parsed.error },
    );
  }
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

export async function readDocument<T>(
  store: ObjectStore,
  key: string,
  schema: z.ZodMiniType<T>,
): Promise<VersionedDocument<T> | undefined> {
  const object = await store.get(key);
  return object && parseDocument(store, key, schema, object);
}

/**
 * The document as this process last read or wrote it (`ObjectStore.lastKnown`), without a request:
 * possibly stale, so only to start a compare-and-swap (`updateDocument`'s `alreadyRead`), whose
 * conflict re-reads it. Undefined when the store remembers none, or what it remembers does not parse.
 */
export function lastKnownDocument<T>(
  store: ObjectStore,
  key: string,
  schema: z.ZodMiniType<T>,
): VersionedDocument<T> | undefined {
  const object = store.lastKnown?.(key);
  if (object === undefined) return undefined;
  try {
    return parseDocument(store, key, schema, object);
  } catch {
    return undefined;
  }
}

function parseDocument<T>(
  store: ObjectStore,
  key: string,
  schema: z.ZodMiniType<T>,
  object: StoredObject,
): VersionedDocument<T> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(object.bytes));
  } catch (cause) {
    throw new DocumentCorruptError(`${store.describe(key)} is not JSON`, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = describeIssues(parsed.error.issues);
    throw new DocumentCorruptError(`${store.describe(key)} does not match its schema: ${where}`, {
      cause: parsed.error,
    });
  }
  return { value: parsed.data, version: object.version };
}

/** The outcome of `update`: the new value, or `undefined` to leave the document as it is. */
export type DocumentUpdate<T, R> = { readonly value: T | undefined; readonly result: R };

/** What `updateDocument` did: `update`'s result, and the document as it now stands. */
export interface UpdatedDocument<T, R> {
  readonly result: R;
  /**
   * The document with its new version when written, as found when left alone (undefined: absent).
   * A next update passes it as `alreadyRead` instead of reading back what it just wrote.
   */
  readonly document: VersionedDocument<T> | undefined;
}

/**
 * Reads, applies `update`, writes back only if nobody wrote in between; on a conflict re-reads and
 * applies `update` again to the newer document (so `update` must be a pure function of it).
 * `update` returns `value: undefined` to leave the document as it is. A caller that has just read the
 * document passes it as `alreadyRead` to save the first read (a stale one just costs a conflict).
 * The new value is checked against `schema` before it is written (DocumentInvalidError, nothing
 * written): what one run writes, every later run can read.
 */
export async function updateDocument<T, R>(
  store: ObjectStore,
  key: string,
  schema: z.ZodMiniType<T>,
  update: (current: T | undefined) => DocumentUpdate<T, R>,
  options: { readonly attempts?: number; readonly alreadyRead?: VersionedDocument<T> | null } = {},
): Promise<UpdatedDocument<T, R>> {
  let known = options.alreadyRead;
  return withRetry(
    `update of ${store.describe(key)}`,
    async () => {
      const current = known === undefined ? await readDocument(store, key, schema) : (known ?? undefined);
      known = undefined;
      const { value, result } = update(current?.value);
      if (value === undefined) return { result, document: current };
      const version = await store.replace(key, serializeDocument(store, key, schema, value), {
        contentType: 'application/json',
        metadata: {},
        expectedVersion: current?.version,
      });
      return { result, document: { value, version } };
    },
    {
      attempts: options.attempts ?? 8,
      baseDelayMs: 20,
      maxDelayMs: 500,
      classify: (error) => ({ retry: error instanceof PreconditionFailedError }),
    },
  );
}
