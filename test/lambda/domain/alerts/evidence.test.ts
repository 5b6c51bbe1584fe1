import { describe, expect, it } from 'vitest';
import {
  median,
  normalQuantile,
  quantile,
  robustSpread,
  wilsonInterval,
} from '../../../../lambda/domain/alerts/evidence';

describe('normalQuantile', () => {
  it.each([
    [0.975, 1.959964],
    [0.995, 2.575829],
    [0.9, 1.281552],
    [0.5, 0],
    [0.01, -2.326348],
    [0.001, -3.090232],
    [0.99, 2.326348],
    [0.999, 3.090232],
    [0.3, -0.524401],
  ])('the standard normal quantile of %s is %s (published tables)', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });

  // Reference values: Python's statistics.NormalDist().inv_cdf (Wichura's AS241), rounded to 6 places.
  it.each([
    [0.0243, -1.972084],
    [0.02425, -1.972961],
    [0.97575, 1.972961],
    [0.9757, 1.972084],
  ])('stays exact at %s, where the approximation changes from the central region to a tail (%s)', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });

  it.each([0, 1, -0.1, Number.NaN])('refuses p = %s', (p) => {
    expect(() => normalQuantile(p)).toThrow(new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`));
  });
});

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3
  // (Wilson score interval without continuity correction), 95 %.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i gives %s–%s at 95 % (Newcombe 1998)', (successes, trials, low, high) => {
    const interval = wilsonInterval(successes, trials, 0.95);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('is symmetric: k of n mirrors n−k of n', () => {
    const a = wilsonInterval(3, 17, 0.9);
    const b = wilsonInterval(14, 17, 0.9);
    expect(a.low).toBeCloseTo(1 - b.high, 12);
    expect(a.high).toBeCloseTo(1 - b.low, 12);
  });

  it('narrows as calls accumulate at the same rate, and widens with the confidence', () => {
    const few = wilsonInterval(2, 10, 0.95);
    const many = wilsonInterval(200, 1000, 0.95);
    expect(many.high - many.low).toBeLessThan(few.high - few.low);
    const surer = wilsonInterval(2, 10, 0.99);
    expect(surer.high - surer.low).toBeGreaterThan(few.high - few.low);
  });

  it('knows nothing without trials: the whole 0..1 range', () => {
    expect(wilsonInterval(0, 0, 0.95)).toEqual({ low: 0, high: 1 });
  });
});

describe('median and robustSpread', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('lets one outlying week (a holiday) move the spread little', () => {
    // Four normal Mondays and a holiday: the median absolute deviation stays at the normal wobble.
    expect(robustSpread([100, 104, 96, 102])).toBeCloseTo(1.4826 * 2, 10);
    expect(robustSpread([100, 104, 96, 20])).toBeCloseTo(1.4826 * 4, 10);
  });
});

describe('quantile (nearest rank)', () => {
  it('is the smallest value with at least q of them at or below it, in numeric order', () => {
    const values = [100, 9, 30, 20, 10];
    expect(quantile(values, 0.5)).toBe(20);
    expect(quantile(values, 0.2)).toBe(9);
    expect(quantile(values, 0.21)).toBe(10);
    expect(quantile(values, 0.8)).toBe(30);
    expect(quantile(values, 0.81)).toBe(100);
    expect(quantile(values, 1)).toBe(100);
  });

  it('stays within the values at the ends, and has none of no values', () => {
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1.5)).toBe(3);
    expect(quantile([], 0.5)).toBeUndefined();
  });

  it('leaves the values it was given in their order', () => {
    const values = [3, 1, 2];
    quantile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('median in numeric order', () => {
  it('sorts numbers as numbers, not as text', () => {
    expect(median([100, 9, 30, 20, 10])).toBe(20);
    expect(median([100, 9, 30, 10])).toBe(20);
    expect(median([7])).toBe(7);
    expect(median([2, 4])).toBe(3);
  });
});
