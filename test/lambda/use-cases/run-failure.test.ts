import { describe, expect, it } from 'vitest';
import { AirudderApiError, AirudderAuthError } from '../../../lambda/adapters/airudder/airudder-api-error';
import { HttpTimeoutError } from '../../../lambda/adapters/http/http-request';
import { ArchiveStoreError } from '../../../lambda/domain/archive/object-store';
import { ResponseValidationError } from '../../../lambda/domain/statistics/schema';
import { StatsSourceError } from '../../../lambda/domain/statistics/stats-source';
import { RetryExhaustedError } from '../../../lambda/shared/retry';
import { describeRunFailure } from '../../../lambda/use-cases/run-failure';

const exhausted = (cause: Error) =>
  new RetryExhaustedError(`failed after 3 attempts: ${cause.message}`, 3, { cause });

describe('describeRunFailure', () => {
  it.each([
    [
      new AirudderAuthError('refused', { httpStatus: 200, bodyCode: 401 }),
      /^AIRUDDER refused the credentials or token: refused/,
    ],
    [
      exhausted(new AirudderApiError('HTTP 503', { httpStatus: 503 })),
      /^AIRUDDER API error: failed after 3 attempts: HTTP 503/,
    ],
    [exhausted(new HttpTimeoutError('timed out after 30000 ms')), /^AIRUDDER unreachable: /],
    [new StatsSourceError('connection reset', 'unreachable'), /^AIRUDDER unreachable: connection reset/],
    [
      new ResponseValidationError('data: expected object', []),
      /^AIRUDDER sent data that does not fit the schema/,
    ],
    [new ArchiveStoreError('cannot write s3://b/raw/x'), /^archive failing: cannot write/],
    [new Error('boom'), /^run failed: boom/],
  ])('names the kind of failure for %s', (error, expected) => {
    expect(describeRunFailure(error)).toMatch(expected);
  });

  it('keeps the reason short enough for an alert line', () => {
    expect(describeRunFailure(new Error('x'.repeat(1000))).length).toBeLessThan(200);
  });
});
