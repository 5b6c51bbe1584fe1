import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter } from '../../../lambda/use-cases/rate-limiter';

/** Fake timers: time only moves when the test runs the timers, so nothing here is timed for real. */
const fakeSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

describe('createRateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces request starts 1/rate apart, even when every caller asks at once', async () => {
    // Prepare
    const limiter = createRateLimiter({ perSecond: 5, now: Date.now, sleep: fakeSleep });
    const starts: number[] = [];
    // Act
    const all = Promise.all(
      Array.from({ length: 6 }, () => limiter.acquire().then(() => starts.push(Date.now()))),
    );
    await vi.runAllTimersAsync();
    await all;
    // Assess
    expect(starts).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('never lets more than `rate` starts into any one-second window', async () => {
    const limiter = createRateLimiter({ perSecond: 3, now: Date.now, sleep: fakeSleep });
    const starts: number[] = [];
    const all = Promise.all(
      Array.from({ length: 20 }, () => limiter.acquire().then(() => starts.push(Date.now()))),
    );
    await vi.runAllTimersAsync();
    await all;
    for (const start of starts) {
      expect(starts.filter((other) => other >= start && other < start + 1000).length).toBeLessThanOrEqual(3);
    }
  });

  it('lets a caller through at once when the last start is more than 1/rate ago', async () => {
    const sleep = vi.fn(fakeSleep);
    const limiter = createRateLimiter({ perSecond: 2, now: Date.now, sleep });
    await limiter.acquire();
    vi.setSystemTime(10_000);
    await limiter.acquire();
    expect(sleep).not.toHaveBeenCalled();
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a rate of %s', (rate) => {
    expect(() => createRateLimiter({ perSecond: rate, now: Date.now, sleep: fakeSleep })).toThrow(RangeError);
  });
});
