import type { QueryWindow } from './query-window';
import type { ParsedStatistics } from './statistics-schema';

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

/** Port: where statistics come from (the AIRUDDER API; tests use the stand-in behind the same client). */
export interface StatsSource {
  fetchStatistics(window: QueryWindow, options?: { deadline?: number }): Promise<FetchedStatistics>;
}
