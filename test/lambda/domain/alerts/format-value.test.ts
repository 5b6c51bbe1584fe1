import { describe, expect, it } from 'vitest';
import { formatLocalTime, metricUnit } from '../../../../lambda/domain/alerts/format-value';
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
    expect(metricUnit(rule({ metric: 'queue_ratio', unit: 'rate', allowUnknownMetric: true }))).toBe('rate');
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
