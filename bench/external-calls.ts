/**
 * The calls the function makes to the outside, as the latency proxies in front of the fakes saw
 * them: when each started and ended. From those intervals, the number of sequential round trips of
 * a run follows without knowing the code.
 */

export type Service = 'airudder' | 'slack' | 's3' | 'secrets';

export interface ExternalCall {
  readonly service: Service;
  /** Path and query: enough to tell which day a call was for. */
  readonly label: string;
  /** Epoch ms (every process on the machine shares the clock). */
  readonly start: number;
  readonly end: number;
}

/**
 * The longest chain of calls each starting after the previous one ended: the round trips a run
 * cannot overlap (greedy by earliest end, which finds the largest set of non-overlapping intervals).
 */
export function sequentialRoundTrips(calls: readonly ExternalCall[]): number {
  return criticalPath(calls).length;
}

/** The calls of that chain: a run waits at least the sum of their durations, whatever it does. */
export function criticalPath(calls: readonly ExternalCall[]): ExternalCall[] {
  const chain: ExternalCall[] = [];
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.end - b.end)) {
    if (call.start >= lastEnd) {
      chain.push(call);
      lastEnd = call.end;
    }
  }
  return chain;
}

export const countByService = (calls: readonly ExternalCall[]): Record<Service, number> => ({
  airudder: calls.filter((call) => call.service === 'airudder').length,
  slack: calls.filter((call) => call.service === 'slack').length,
  s3: calls.filter((call) => call.service === 's3').length,
  secrets: calls.filter((call) => call.service === 'secrets').length,
});
