/**
 * Runs `work` for every item with at most `concurrency` at a time, in item order of start. Once
 * `signal` is aborted no new item starts; the ones running finish. `work` should not throw (each job
 * records its own failure); a throw rejects the whole run.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  }
  let next = 0;
  const worker = async () => {
    while (!signal?.aborted && next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
