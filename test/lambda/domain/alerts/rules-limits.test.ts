import { describe, expect, it } from 'vitest';
import { countProblems, RULES_LIMITS, sizeProblem } from '../../../../lambda/domain/alerts/rules-limits';

const SMALL = { maxBytes: 10, maxRules: 2, maxWindows: 2 };
const windowed = (minutes: number, short?: number) => ({
  window: short === undefined ? { minutes } : { minutes, short },
});

describe('RULES_LIMITS', () => {
  it('allow 256 KiB, 100 rules and 4 distinct windows by default', () => {
    expect(RULES_LIMITS).toEqual({ maxBytes: 262_144, maxRules: 100, maxWindows: 4 });
    expect(sizeProblem('x'.repeat(262_144))).toBeUndefined();
    expect(sizeProblem('x'.repeat(262_145))).toBe(
      'file: larger than 262144 bytes; at most 262144 are allowed',
    );
    expect(countProblems(Array.from({ length: 100 }, () => ({})))).toEqual([]);
    expect(countProblems([windowed(5, 10), windowed(15, 30)])).toEqual([]);
  });
});

describe('sizeProblem', () => {
  it('accepts up to maxBytes bytes and names the limit past it', () => {
    expect(sizeProblem('0123456789', SMALL)).toBeUndefined();
    expect(sizeProblem('0123456789a', SMALL)).toBe('file: larger than 10 bytes; at most 10 are allowed');
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 5 characters, 10 bytes: allowed; 6 characters, 12 bytes: refused with the byte count.
    expect(sizeProblem('ééééé', SMALL)).toBeUndefined();
    expect(sizeProblem('éééééé', SMALL)).toBe('file: 12 bytes; at most 10 are allowed');
  });
});

describe('countProblems', () => {
  it('allows maxRules rules and names the count past it', () => {
    expect(countProblems([{}, {}], SMALL)).toEqual([]);
    expect(countProblems([{}, {}, {}], SMALL)).toEqual(['field rules: 3 rules; at most 2 are allowed']);
  });

  it("counts distinct window lengths, a two-window rule's short window included", () => {
    expect(countProblems([windowed(60), windowed(60)], SMALL)).toEqual([]);
    expect(countProblems([windowed(60), {}], SMALL)).toEqual([]);
    expect(countProblems([windowed(60, 15)], SMALL)).toEqual([]);
    // A one-window rule and a rule without a window add no length of their own.
    expect(countProblems([windowed(60), windowed(30), {}], { ...SMALL, maxRules: 3 })).toEqual([]);
    expect(countProblems([windowed(60, 15), windowed(30)], SMALL)).toEqual([
      'field rules: 3 distinct window lengths (each is one more AIRUDDER call and archived object per check); at most 2 are allowed',
    ]);
  });
});
