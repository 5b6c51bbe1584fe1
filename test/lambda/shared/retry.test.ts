import { describe, expect, it } from 'vitest';
import { RetryExhaustedError, withRetry } from '../../../lambda/shared/retry';

class Transient extends Error {
  constructor(readonly afterMs?: number) {
    super('transient');
  }
}

function harness(start = 0) {
  let clock = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => clock,
    sleep: async (ms: number) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    classify: (error: unknown) =>
      error instanceof Transient
        ? { retry: true as const, afterMs: error.afterMs }
        : { retry: false as const },
  };
}

describe('withRetry', () => {
  it('returns the first success without waiting', async () => {
    const h = harness();
    await expect(
      withRetry('op', async () => 'ok', { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, ...h }),
    ).resolves.toBe('ok');
    expect(h.waits).toEqual([]);
  });

  it('backs off exponentially between retryable failures and then succeeds', async () => {
    const h = harness();
    let calls = 0;
    const result = await withRetry(
      'op',
      async () => {
        calls++;
        if (calls < 4) throw new Transient();
        return calls;
      },
      { attempts: 4, baseDelayMs: 100, maxDelayMs: 10_000, ...h },
    );
    expect(result).toBe(4);
    // Full jitter with random 0.5: three quarters of each doubling cap.
    expect(h.waits).toEqual([75, 150, 300]);
  });

  it('waits at least as long as the server asked', async () => {
    const h = harness();
    let calls = 0;
    await withRetry(
      'op',
      async () => {
        if (++calls === 1) throw new Transient(5_000);
        return 'ok';
      },
      { attempts: 2, baseDelayMs: 100, maxDelayMs: 1000, ...h },
    );
    expect(h.waits).toEqual([5_000]);
  });

  it('rethrows a non-retryable error at once', async () => {
    const h = harness();
    const fatal = new Error('bad request');
    await expect(
      withRetry('op', async () => Promise.reject(fatal), {
        attempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        ...h,
      }),
    ).rejects.toBe(fatal);
    expect(h.waits).toEqual([]);
  });

  it('gives up after the last attempt with the last failure as cause', async () => {
    const h = harness();
    const error = await withRetry('fetch stats', async () => Promise.reject(new Transient()), {
      attempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 100,
      ...h,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as RetryExhaustedError).attempts).toBe(3);
    expect((error as Error).message).toMatch(/^fetch stats failed after 3 attempts: transient/);
    expect((error as Error).cause).toBeInstanceOf(Transient);
    expect(h.waits).toHaveLength(2);
  });

  it('does not start a wait that would end after the deadline', async () => {
    const h = harness(1_000);
    const error = await withRetry('op', async () => Promise.reject(new Transient(60_000)), {
      attempts: 5,
      baseDelayMs: 10,
      maxDelayMs: 100,
      deadline: 30_000,
      ...h,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as Error).message).toMatch(/deadline leaves no time to wait 60000 ms/);
    expect(h.waits).toEqual([]);
  });
});
