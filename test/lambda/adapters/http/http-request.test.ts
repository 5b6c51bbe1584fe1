import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../../lambda/adapters/http/http-request';

const NOW = Date.parse('2024-05-01T09:00:00Z');

describe('parseRetryAfter', () => {
  it.each<{ header: string | null; expected: number | undefined }>([
    { header: '1', expected: 1000 },
    { header: ' 30 ', expected: 30_000 },
    { header: '0', expected: 0 },
    { header: 'Wed, 01 May 2024 09:00:05 GMT', expected: 5000 },
    { header: 'Wed, 01 May 2024 08:59:00 GMT', expected: 0 },
    { header: null, expected: undefined },
    { header: '', expected: undefined },
    { header: '1.5', expected: undefined },
    { header: '-1', expected: undefined },
    { header: 'soon', expected: undefined },
  ])('reads Retry-After "$header" as $expected ms', ({ header, expected }) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});
