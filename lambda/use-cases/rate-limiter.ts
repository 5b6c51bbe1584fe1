/**
 * A request-start limiter for jobs that call AIRUDDER many times (backfill): starts are spaced at
 * least `1000 / perSecond` ms apart, so any second holds at most `perSecond` starts (a token bucket
 * of capacity one). A slot is reserved synchronously on `acquire`, so concurrent workers never share
 * one. It paces our own starts only; the client's retries keep their own backoff.
 */
export interface RateLimiter {
  /** Resolves when the caller may start its request. */
  acquire(): Promise<void>;
}

export interface RateLimiterOptions {
  readonly perSecond: number;
  /** Epoch ms. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perSecond, now, sleep } = options;
  if (!(perSecond > 0 && Number.isFinite(perSecond))) {
    throw new RangeError(`rate must be a number > 0 per second, got ${perSecond}`);
  }
  // Whole milliseconds, rounded up: fractions would add up to a start early enough to let rate + 1
  // into one second. The cost is a rate a hair under the one asked for (3/s spaces starts 334 ms).
  const spacingMs = Math.ceil(1000 / perSecond);
  let nextSlot = Number.NEGATIVE_INFINITY;
  return {
    async acquire() {
      const current = now();
      const slot = Math.max(current, nextSlot);
      nextSlot = slot + spacingMs;
      if (slot > current) await sleep(slot - current);
    },
  };
}
