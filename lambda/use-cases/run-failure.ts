import { AirudderApiError, AirudderAuthError } from '../adapters/airudder/airudder-api-error';
import { HttpNetworkError, HttpTimeoutError } from '../adapters/http/http-request';
import { ArchiveStoreError } from '../domain/object-store';
import { ResponseValidationError } from '../domain/statistics-schema';
import { RetryExhaustedError } from '../shared/retry';

/** A short reason for the "monitor degraded" alert: what kind of failure, then the first words of it. */
export function describeRunFailure(error: unknown): string {
  const root = error instanceof RetryExhaustedError && error.cause ? error.cause : error;
  const detail = (error instanceof Error ? error.message : String(error)).slice(0, 160);
  if (root instanceof AirudderAuthError) return `AIRUDDER refused the credentials or token: ${detail}`;
  if (root instanceof AirudderApiError) return `AIRUDDER API error: ${detail}`;
  if (root instanceof HttpTimeoutError || root instanceof HttpNetworkError)
    return `AIRUDDER unreachable: ${detail}`;
  if (root instanceof ResponseValidationError)
    return `AIRUDDER sent data that does not fit the schema: ${detail}`;
  if (root instanceof ArchiveStoreError) return `archive failing: ${detail}`;
  return `run failed: ${detail}`;
}
