/**
 * The one place that retries. Callers say which errors are worth another attempt (and how long the
 * other side asked us to wait); this module owns attempts, exponential backoff with equal jitter and
 * the overall deadline, so a Lambda never dies mid-retry.
 */

/** What a caller's classifier says about a failed attempt. */
export type RetryDecision =
  | { readonly retry: false }
  | {
      readonly retry: true /** Server-requested wait (e.g. Retry-After), in ms. */;
      readonly afterMs?: number;
    };

export interface RetryOptions {
  /** Total attempts, the first included. */
  readonly attempts: number;
  /** First backoff step in ms; doubled each attempt. */
  readonly baseDelayMs: number;
  /** Cap of one backoff step in ms. */
  readonly maxDelayMs: number;
  /** Epoch ms after which no new attempt starts and no wait may end. */
  readonly deadline?: number;
  readonly classify: (error: unknown) => RetryDecision;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  readonly random?: () => number;
  /** Told before each wait; for logs and metrics. */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Thrown when every attempt failed or the deadline left no room; `cause` is the last failure. */
export class RetryExhaustedError extends Error {
  readonly attempts: number;
  constructor(message: string, attempts: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RetryExhaustedError';
    this.attempts = attempts;
  }
}

export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Backoff before attempt `attempt + 1`: equal jitter over an exponentially growing cap (half the
 * cap, plus a random share of the other half), so retries spread out but never come at once.
 */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/**
 * Runs `operation` until it succeeds, the classifier refuses, the attempts run out or the deadline
 * would be passed. Non-retryable errors are rethrown as they are; exhaustion throws
 * RetryExhaustedError with the last error as cause. `operation` gets the attempt number (1-based).
 */
export async function withRetry<T>(
  what: string,
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const decision = options.classify(error);
      if (!decision.retry) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt >= options.attempts) {
        throw new RetryExhaustedError(`${what} failed after ${attempt} attempts: ${reason}`, attempt, {
          cause: error,
        });
      }
      const delayMs = Math.max(decision.afterMs ?? 0, backoffDelay(attempt, options, random));
      if (options.deadline !== undefined && now() + delayMs >= options.deadline) {
        throw new RetryExhaustedError(
          `${what} failed after ${attempt} attempts; the run deadline leaves no time to wait ${delayMs} ms for another: ${reason}`,
          attempt,
          { cause: error },
        );
      }
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
