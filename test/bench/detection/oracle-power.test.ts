import { describe, expect, it } from 'vitest';
import {
  alertingCount,
  falseRecovery,
  HOURLY_ALPHA,
  oracleDetection,
  resolvingCount,
  THREE_HOUR_ALPHA,
} from '../../../bench/detection/oracle-power';

// The figures docs/alerts-and-rules.md quotes for the 20-point-drop ceiling, computed independently
// (a separate script summing binomial terms over the same 89–96 % grid of normal rates).
describe('the oracle ceiling on finding a 20-point drop without false alerts', () => {
  it('alerts on at most 5 of 10, 13 of 20 and 30 of 40 successful transfers at ≤ 1 false alert in 480 hours', () => {
    expect([10, 20, 40].map((n) => alertingCount(n, HOURLY_ALPHA))).toEqual([5, 13, 30]);
  });

  it('alerts on nothing when a handful of transfers cannot reach the false-alarm budget', () => {
    // 0 of 2 under a 92.5 % rate is a 0.6 % chance: above 1 in 480, so even 0 of 2 may not alert.
    expect(alertingCount(2, HOURLY_ALPHA)).toBe(-1);
  });

  it.each([
    [6, HOURLY_ALPHA, 0.0579],
    [20, HOURLY_ALPHA, 0.3024],
    [50, THREE_HOUR_ALPHA, 0.838],
  ])(
    'finds a drop holding %d transfers (false-alarm chance %f a window) with probability at most %f',
    (transfers, alpha, expected) => {
      expect(oracleDetection(transfers, 0.2, alpha)).toBeCloseTo(expected, 2);
    },
  );

  it('finds more with more transfers, never all at a small centre’s volumes', () => {
    const found = [5, 10, 20, 40, 60].map((perHour) => oracleDetection(perHour, 0.2, HOURLY_ALPHA));
    expect(found).toEqual([...found].sort((a, b) => a - b));
    expect(found[3]).toBeLessThan(0.95);
  });
});

// The figures docs/alerts-and-rules.md quotes for flaps against a 30-minute resolution, computed
// independently (a separate script over the same grid: for each count, the largest floor on the
// successes that a recovered quarter-hour reaches half the time, and its chance under a 10-point drop).
describe('the price of resolving on one quarter-hour: a continuing 10-point drop resolved too', () => {
  it('demands all 6 of 6 and 11 of 12 good transfers to end a recovered alert half the time', () => {
    expect([6, 12].map((n) => resolvingCount(n, 0.5))).toEqual([6, 11]);
  });

  it.each([
    [25, 0.3645],
    [40, 0.3121],
    [60, 0.2471],
  ])(
    'at %d transfers an hour also ends a continuing 10-point drop with probability %f',
    (perHour, expected) => {
      expect(falseRecovery(perHour, 0.1, 0.5)).toBeCloseTo(expected, 3);
    },
  );

  it('costs less with more transfers, never nothing at these volumes', () => {
    const chances = [25, 40, 60].map((perHour) => falseRecovery(perHour, 0.1, 0.5));
    expect(chances).toEqual([...chances].sort((a, b) => b - a));
    expect(chances[2]).toBeGreaterThan(0.2);
  });
});
