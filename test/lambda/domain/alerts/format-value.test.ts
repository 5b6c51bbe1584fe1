import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatLocalTime,
  formatValue,
  metricUnit,
} from '../../../../lambda/domain/alerts/format-value';
import { rule } from './alert-test-helpers';

describe('metricUnit', () => {
  it.each([
    { metric: 'transfer_success_rate', expected: 'rate' },
    { metric: 'satisfied_distribution.robot_satisfied_rate', expected: 'rate' },
    { metric: 'avg_total_duration', expected: 'seconds' },
    { metric: 'avg_robot_score', expected: 'number' },
    { metric: 'average_robot_talk_round', expected: 'number' },
    { metric: 'total_calls', expected: 'count' },
    { metric: { share: { of: 'hangup_type_distribution', key: 'by_user' } }, expected: 'rate' },
    { metric: { ratio: { numerator: 'valid_calls', denominator: 'total_calls' } }, expected: 'rate' },
  ])('shows $metric as $expected', ({ metric, expected }) => {
    expect(metricUnit(rule({ metric }))).toBe(expected);
  });

  it('lets the rule override the inferred unit', () => {
    expect(metricUnit(rule({ metric: 'queue_ratio', unit: 'rate' }))).toBe('rate');
  });
});

describe('formatValue', () => {
  it.each([
    { value: 0.6, unit: 'rate' as const, expected: '60%' },
    { value: 0.41234, unit: 'rate' as const, expected: '41.2%' },
    { value: 1.5, unit: 'change' as const, expected: '+150%' },
    { value: -0.5, unit: 'change' as const, expected: '-50%' },
    { value: 0, unit: 'change' as const, expected: '0%' },
    { value: 1234567, unit: 'count' as const, expected: '1,234,567' },
    { value: 75.5, unit: 'seconds' as const, expected: '76s' },
    { value: 4.8943, unit: 'number' as const, expected: '4.89' },
    { value: null, unit: 'rate' as const, expected: 'no data' },
  ])('formats $value as $unit: $expected', ({ value, unit, expected }) => {
    expect(formatValue(value, unit)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    { ms: 30_000, expected: '< 1 min' },
    { ms: 15 * 60_000, expected: '15 min' },
    { ms: 60 * 60_000, expected: '1 h' },
    { ms: 85 * 60_000, expected: '1 h 25 min' },
    { ms: 51 * 3_600_000, expected: '2 d 3 h' },
    { ms: 48 * 3_600_000, expected: '2 d' },
  ])('formats $ms ms as $expected', ({ ms, expected }) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('formatLocalTime', () => {
  it.each([
    { instant: '2026-03-08T06:30:00Z', expected: '01:30' },
    { instant: '2026-03-08T07:30:00Z', expected: '03:30' },
    { instant: '2026-03-07T23:00:00Z', expected: '2026-03-07 18:00' },
  ])('shows $instant in New York as $expected on the day of 2026-03-08', ({ instant, expected }) => {
    expect(formatLocalTime(instant, 'America/New_York', new Date('2026-03-08T15:00:00Z'))).toBe(expected);
  });
});
