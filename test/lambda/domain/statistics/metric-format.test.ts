import { describe, expect, it } from 'vitest';
import {
  DERIVED_RATES,
  deriveRate,
  formatDuration,
  formatElapsed,
  formatMetric,
  type MetricUnit,
} from '../../../../lambda/domain/statistics/metric-format';

describe('formatMetric', () => {
  it.each<{ value: number | null | undefined; unit: MetricUnit; expected: string }>([
    { value: 0.6, unit: 'rate', expected: '60%' },
    { value: 0.75, unit: 'rate', expected: '75%' },
    { value: 0.41234, unit: 'rate', expected: '41.2%' },
    { value: 0.00004, unit: 'rate', expected: '0%' },
    { value: 1.5, unit: 'change', expected: '+150%' },
    { value: -0.5, unit: 'change', expected: '-50%' },
    { value: 0, unit: 'change', expected: '0%' },
    { value: 0.0001, unit: 'change', expected: '0%' },
    { value: 1234567, unit: 'count', expected: '1,234,567' },
    { value: 12.6, unit: 'count', expected: '13' },
    { value: -1234, unit: 'count', expected: '-1,234' },
    { value: 75.5, unit: 'seconds', expected: '1m 16s' },
    { value: 85, unit: 'seconds', expected: '1m 25s' },
    { value: 32, unit: 'seconds', expected: '32s' },
    { value: 4.8943, unit: 'number', expected: '4.89' },
    { value: 4.1, unit: 'number', expected: '4.1' },
    { value: 1234.5, unit: 'number', expected: '1,234.5' },
    { value: 4.123, unit: 'score', expected: '4.12 / 5' },
    { value: null, unit: 'rate', expected: 'no data' },
    { value: undefined, unit: 'count', expected: 'no data' },
  ])('formats $value as $unit: $expected', ({ value, unit, expected }) => {
    expect(formatMetric(value, unit)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    { seconds: 0, expected: '0s' },
    { seconds: 0.4, expected: '0s' },
    { seconds: 59, expected: '59s' },
    { seconds: 60, expected: '1m' },
    { seconds: 85, expected: '1m 25s' },
    { seconds: 3_600, expected: '1h' },
    { seconds: 3_605, expected: '1h' },
    { seconds: 5_100, expected: '1h 25m' },
    { seconds: 183_600, expected: '2d 3h' },
    { seconds: 172_800, expected: '2d' },
    { seconds: -5, expected: '0s' },
  ])('says $seconds s in its two largest units: $expected', ({ seconds, expected }) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it('says an alert age in milliseconds with the same words as a call length in seconds', () => {
    expect(formatElapsed(85_000)).toBe(formatDuration(85));
    expect(formatElapsed(85 * 60_000)).toBe('1h 25m');
  });
});

describe('deriveRate', () => {
  it.each([
    { part: 3, whole: 4, expected: 0.75 },
    { part: 1, whole: 3, expected: 0.3333 },
    { part: 0, whole: 0, expected: undefined },
    { part: 5, whole: undefined, expected: undefined },
    { part: undefined, whole: 5, expected: undefined },
  ])('derives $part / $whole as $expected', ({ part, whole, expected }) => {
    expect(deriveRate(part, whole)).toBe(expected);
  });

  it('derives transfer success from successful over attempted transfers', () => {
    expect(DERIVED_RATES.transfer_success_rate).toEqual([
      'transfer_success_calls',
      'attempted_transfer_calls',
    ]);
  });
});
