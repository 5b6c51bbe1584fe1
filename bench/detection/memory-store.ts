import { createHash } from 'node:crypto';
import {
  type ObjectStore,
  PreconditionFailedError,
  type PutOptions,
  type StoredObject,
} from '../../lambda/domain/archive/object-store';

/**
 * The archive port in memory, with the same create-only and compare-and-swap rules as the S3 and
 * folder adapters: the detection benchmark runs thousands of real checks and needs no disk.
 * `snapshot` and `from` let scenarios share an archived history without writing it again.
 */
export class MemoryStore implements ObjectStore {
  readonly #objects: Map<string, StoredObject>;

  constructor(objects: ReadonlyMap<string, StoredObject> = new Map()) {
    this.#objects = new Map(objects);
  }

  snapshot(): ReadonlyMap<string, StoredObject> {
    return new Map(this.#objects);
  }

  describe(key: string): string {
    return `memory:${key}`;
  }

  async createIfAbsent(key: string, bytes: Uint8Array, options: PutOptions): Promise<boolean> {
    if (this.#objects.has(key)) return false;
    this.#objects.set(key, stored(bytes, options));
    return true;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    return this.#objects.get(key);
  }

  async getIfChanged(
    key: string,
    knownVersion: string | undefined,
  ): Promise<StoredObject | 'unchanged' | undefined> {
    const object = this.#objects.get(key);
    return object !== undefined && object.version === knownVersion ? 'unchanged' : object;
  }

  async replace(
    key: string,
    bytes: Uint8Array,
    options: PutOptions & { expectedVersion: string | undefined },
  ): Promise<string> {
    const current = this.#objects.get(key)?.version;
    if (current !== options.expectedVersion)
      throw new PreconditionFailedError(`${key} changed since it was read`);
    const object = stored(bytes, options);
    this.#objects.set(key, object);
    return object.version;
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.#objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}

function stored(bytes: Uint8Array, options: PutOptions): StoredObject {
  return {
    bytes,
    metadata: options.metadata,
    contentType: options.contentType,
    version: createHash('sha1').update(bytes).digest('hex'),
  };
}
