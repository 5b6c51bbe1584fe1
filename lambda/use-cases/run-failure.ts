import { UnansweredRequestError } from '../domain/archive/answer-fit';
import { ArchiveStoreError } from '../domain/archive/object-store';
import { ResponseValidationError } from '../domain/statistics/schema';
import { type SourceFailureKind, StatsSourceError } from '../domain/statistics/stats-source';
import { RetryExhaustedError } from '../shared/retry';
import { RulesUnavailableError } from './active-rules';

const SOURCE_FAILURES: Record<SourceFailureKind, string> = {
  refused: 'AIRUDDER refused the credentials or token',
  'api-error': 'AIRUDDER API error',
  unreachable: 'AIRUDDER unreachable',
};

/** A short reason for the "monitor degraded" alert: what kind of failure, then the first words of it. */
export function describeRunFailure(error: unknown): string {
  const root = error instanceof RetryExhaustedError && error.cause ? error.cause : error;
  const detail = (error instanceof Error ? error.message : String(error)).slice(0, 160);
  if (root instanceof StatsSourceError) return `${SOURCE_FAILURES[root.kind]}: ${detail}`;
  if (root instanceof UnansweredRequestError)
    return `AIRUDDER's answer lacks what the check needs: ${detail}`;
  if (root instanceof ResponseValidationError)
    return `AIRUDDER sent data that does not fit the schema: ${detail}`;
  if (root instanceof RulesUnavailableError) return `rules unreadable: ${detail}`;
  if (root instanceof ArchiveStoreError) return `archive failing: ${detail}`;
  return `run failed: ${detail}`;
}
