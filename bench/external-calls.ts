import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * Instruments every call the function makes to the outside (AIRUDDER and Slack through its injected
 * fetch, S3 through a middleware on its client): when it started and ended. From those intervals,
 * the number of sequential round trips of a run follows without knowing the code.
 */

export type Service = 'airudder' | 'slack' | 's3';

export interface ExternalCall {
  readonly service: Service;
  /** Path and query, or S3 command and key: enough to tell which day a call was for. */
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

export class CallLog {
  #calls: ExternalCall[] = [];
  record(call: ExternalCall): void {
    this.#calls.push(call);
  }
  /** The calls since the last take. */
  take(): ExternalCall[] {
    const calls = this.#calls;
    this.#calls = [];
    return calls;
  }
}

/** A fetch that records each call; `serviceOf` names the service a URL belongs to. */
export function instrumentFetch(log: CallLog, serviceOf: (url: URL) => Service): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const start = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      log.record({
        service: serviceOf(url),
        label: `${url.pathname}${url.search}`,
        start,
        end: performance.now(),
      });
    }
  };
}

/** Per attempt on the wire (inside the SDK's retries): waits `latency.ms`, then sends, and records. */
export function instrumentS3(client: S3Client, log: CallLog, latency: { ms: number }): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const start = performance.now();
      try {
        if (latency.ms > 0) await sleep(latency.ms);
        return await next(args);
      } finally {
        const input = args.input as { Key?: string; Prefix?: string };
        log.record({
          service: 's3',
          label: `${context.commandName ?? 'S3'} ${input.Key ?? input.Prefix ?? ''}`,
          start,
          end: performance.now(),
        });
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'benchRoundTrip' },
  );
}

/**
 * The longest chain of calls each starting after the previous one ended: the round trips a run
 * cannot overlap (greedy by earliest end, which finds the largest set of non-overlapping intervals).
 */
export function sequentialRoundTrips(calls: readonly ExternalCall[]): number {
  let count = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.end - b.end)) {
    if (call.start >= lastEnd) {
      count += 1;
      lastEnd = call.end;
    }
  }
  return count;
}

export const countByService = (calls: readonly ExternalCall[]): Record<Service, number> => ({
  airudder: calls.filter((call) => call.service === 'airudder').length,
  slack: calls.filter((call) => call.service === 'slack').length,
  s3: calls.filter((call) => call.service === 's3').length,
});
