/** Thrown into pending sleeps when the stand-in closes, so no request waits on a dead server. */
export class SleeperClosedError extends Error {
  constructor(message = 'the stand-in closed', options?: ErrorOptions) {
    super(message, options);
    this.name = 'SleeperClosedError';
  }
}

/** Timers that can all be cancelled at once, so closing never leaves a test waiting. */
export interface Sleeper {
  sleep(ms: number): Promise<void>;
  cancelAll(): void;
}

export function createSleeper(): Sleeper {
  const pending = new Map<NodeJS.Timeout, (error: Error) => void>();
  let closed = false;
  return {
    sleep(ms) {
      if (closed) return Promise.reject(new SleeperClosedError());
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.set(timer, reject);
      });
    },
    cancelAll() {
      closed = true;
      for (const [timer, reject] of pending) {
        clearTimeout(timer);
        reject(new SleeperClosedError());
      }
      pending.clear();
    },
  };
}
