import type { ObjectStore } from '../../lambda/domain/archive/object-store';

type Operation = 'get' | 'replace' | 'createIfAbsent';

const topFolder = (key: string) => key.slice(0, key.indexOf('/') + 1);

/**
 * An ObjectStore that holds each get, replace and createIfAbsent for `delayMs` before passing it on,
 * and records the most calls of one operation in flight at once under one top folder ('digest/',
 * 'curated/'): overlapping round trips show as more than one, with no clock in the assertion.
 */
export function recordingStore(inner: ObjectStore, delayMs = 5) {
  const inFlight: Array<{ readonly operation: Operation; readonly folder: string }> = [];
  const peaks = new Map<string, number>();
  const held = async <T>(operation: Operation, key: string, call: () => Promise<T>): Promise<T> => {
    const entry = { operation, folder: topFolder(key) };
    inFlight.push(entry);
    const now = inFlight.filter((each) => each.operation === operation && each.folder === entry.folder);
    const name = `${operation} ${entry.folder}`;
    peaks.set(name, Math.max(peaks.get(name) ?? 0, now.length));
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return await call();
    } finally {
      inFlight.splice(inFlight.indexOf(entry), 1);
    }
  };
  const store: ObjectStore = {
    ...inner,
    get: (key) => held('get', key, () => inner.get(key)),
    replace: (key, bytes, options) => held('replace', key, () => inner.replace(key, bytes, options)),
    createIfAbsent: (key, bytes, options) =>
      held('createIfAbsent', key, () => inner.createIfAbsent(key, bytes, options)),
  };
  /** The most `operation` calls in flight at once on keys under `folder` (e.g. 'digest/'). */
  const mostInFlight = (operation: Operation, folder: string) => peaks.get(`${operation} ${folder}`) ?? 0;
  return { store, mostInFlight };
}
