import { describe, expect, it } from 'vitest';
import { firstNumber, numberOf, readNumber, readObject } from '../../../../lambda/domain/statistics/numbers';

describe('numberOf: the one way a figure is read', () => {
  it.each([
    [42, 42],
    [0, 0],
    [-1.5, -1.5],
    ['0.8123', 0.8123],
    [' 17 ', 17],
  ])('reads %j as %j', (value, expected) => {
    expect(numberOf(value)).toBe(expected);
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['  '],
    ['n/a'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [{}],
    [[3]],
    [true],
  ])('reads %j as no figure', (value) => {
    expect(numberOf(value)).toBeUndefined();
  });
});

describe('firstNumber', () => {
  it('takes the first usable value in order, skipping null, garbage and blanks', () => {
    expect(firstNumber(null, 'x', '', '12', 7)).toBe(12);
    expect(firstNumber(0, 5)).toBe(0);
    expect(firstNumber(undefined, null)).toBeUndefined();
  });
});

describe('readNumber and readObject over rows', () => {
  const total = { total_calls: '120', user_distribution: { call_users: 90 }, hangups: null };
  const daily = { total_calls: 999, valid_calls: 100, satisfied_distribution: { '5': 3 } };

  it('reads a field from the first row that holds a number there', () => {
    expect(readNumber([total, daily], 'total_calls')).toBe(120);
    expect(readNumber([total, daily], 'valid_calls')).toBe(100);
  });

  it('follows a dotted path into a nested object, and only own keys', () => {
    expect(readNumber([total], 'user_distribution.call_users')).toBe(90);
    expect(readNumber([total], 'user_distribution.toString')).toBeUndefined();
    expect(readNumber([total], 'total_calls.length')).toBeUndefined();
  });

  it('reads the first object at a path, not null and not an array', () => {
    expect(readObject([total, daily], 'satisfied_distribution')).toEqual({ '5': 3 });
    expect(readObject([total, { hangups: [1] }], 'hangups')).toBeUndefined();
  });
});
