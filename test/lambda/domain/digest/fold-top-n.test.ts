import { describe, expect, it } from 'vitest';
import { foldTopN } from '../../../../lambda/domain/digest/day-data';

const names = (folded: ReturnType<typeof foldTopN>) => folded.top.map((entry) => entry.name);

describe('foldTopN', () => {
  it('keeps the N largest entries and folds the rest into others', () => {
    // Act
    const folded = foldTopN({ a: 10, b: 50, c: 30, d: 5, e: 5 }, 2);
    // Assess
    expect(names(folded)).toEqual(['b', 'c']);
    expect(folded.others).toEqual({ names: 3, count: 20, share: 0.2 });
    expect(folded.total).toBe(100);
    expect(folded.top[0]?.share).toBe(0.5);
  });

  it('breaks ties by name, so the digest reads the same on every run', () => {
    expect(names(foldTopN({ zeta: 7, alpha: 7, mid: 7 }, 3))).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('folds an entry tied with the last one shown: N is a hard cap', () => {
    const folded = foldTopN({ a: 9, b: 5, c: 5 }, 2);
    expect(names(folded)).toEqual(['a', 'b']);
    expect(folded.others).toEqual({ names: 1, count: 5, share: 5 / 19 });
  });

  it('shows everything and folds nothing when there are fewer than N entries', () => {
    const folded = foldTopN({ a: 1, b: 2 }, 5);
    expect(names(folded)).toEqual(['b', 'a']);
    expect(folded.others).toBeUndefined();
  });

  it('folds everything into others when N is 0', () => {
    const folded = foldTopN({ a: 1, b: 3 }, 0);
    expect(folded.top).toEqual([]);
    expect(folded.others).toEqual({ names: 2, count: 4, share: 1 });
  });

  it('leaves out zero, null and absent counts: they carry no calls', () => {
    const folded = foldTopN({ a: 4, none: 0, unknown: null, missing: undefined }, 0);
    expect(folded.others).toEqual({ names: 1, count: 4, share: 1 });
  });

  it('gives an empty fold for a missing or empty distribution', () => {
    expect(foldTopN(undefined, 3)).toEqual({ total: 0, top: [], others: undefined });
    expect(foldTopN({}, 3)).toEqual({ total: 0, top: [], others: undefined });
  });

  it.each([-1, 1.5, Number.NaN])('refuses N = %s', (n) => {
    expect(() => foldTopN({ a: 1 }, n)).toThrow(RangeError);
  });
});
