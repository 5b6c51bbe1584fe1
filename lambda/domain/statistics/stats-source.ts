import type { QueryWindow } from './query-window';
import type { ParsedStatistics } from './schema';

/** A statistics response as received: the exact bytes, how they came, and what the schema made of them. */
export interface FetchedStatistics {
  /** The response body exactly as received: archived byte for byte. */
  readonly bytes: Uint8Array;
  readonly httpStatus: number;
  readonly fetchedAt: Date;
  readonly latencyMs: number;
  readonly attempts: number;
  readonly parsed: ParsedStatistics;
}

/** How a statistics source failed, as the monitor's health alert words it. */
export type SourceFailureKind = 'refused' | 'api-error' | 'unreachable';

/**
 * What a StatsSource adapter throws when the source fails: `kind` lets a use case tell refused
 * credentials from an outage without knowing the adapter's own error classes.
 */
export class StatsSourceError extends Error {
  readonly kind: SourceFailureKind;
  constructor(message: string, kind: SourceFailureKind, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StatsSourceError';
    this.kind = kind;
  }
}

/** Port: where statistics come from (the AIRUDDER API; tests use the stand-in behind the same client). */
export interface StatsSource {
  fetchStatistics(window: QueryWindow, options?: { deadline?: number }): Promise<FetchedStatistics>;
}
