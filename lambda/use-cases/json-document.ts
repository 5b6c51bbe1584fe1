import { ArchiveStoreError, type ObjectStore, PreconditionFailedError } from '../domain/object-store';
import type * as z from '../domain/zod';
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

export async function readDocument<T>(
  store: ObjectStore,
  key: string,
  schema: z.ZodMiniType<T>,
): Promise<VersionedDocument<T> | undefined> {
  const object = await store.get(key);
  if (!object) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(object.bytes));
  } catch (cause) {
    throw new DocumentCorruptError(`${store.describe(key)} is not JSON`, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
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
      const version = await store.replace(key, Buffer.from(`${JSON.stringify(value, null, 2)}\n`), {
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
