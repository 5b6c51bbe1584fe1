import { describe, expect, it } from 'vitest';
import { foldTopN } from '../../../../lambda/domain/digest/day-data';
import {
  DISTRIBUTION_KEYS_KEPT,
  foldedNames,
  JsonSyntaxError,
  othersKey,
  parseJsonBounded,
} from '../../../../lambda/domain/statistics/bounded-json';
import { parseStatistics } from '../../../../lambda/domain/statistics/schema';
import { encodeJson, fixtureJson } from '../../../helpers/fixtures';

/** 200,000 story names cost seconds on a loaded machine: room beyond the default budget (no time is asserted). */
const HEAVY = { timeout: 120_000 };

const STORY_NAMES = 200_000;
/** A count with many ties, so the order by name across the cut matters. */
const countOf = (index: number) => 1 + ((index * 7919) % 997);
const manyStories = (names = STORY_NAMES) =>
  Object.fromEntries(Array.from({ length: names }, (_, index) => [`story_${index}`, countOf(index)]));

/** The top `n` of a full map by count then name, computed here without the parser's code. */
function independentTop(map: Record<string, number>, n: number): Array<[string, number]> {
  return Object.entries(map)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, n);
}

describe('parseJsonBounded', () => {
  it.each([
    ['nested values of every kind', '{"a":[1,-2.5e3,0.25,true,false,null,"x"],"b":{"c":{}},"d":[]}'],
    ['escapes and non-ASCII text', String.raw`{"s":"a\"b\\c\/d\n\t\u00e9\ud83d\ude00","t":"日本"}`],
    ['whitespace everywhere', ' \n{ "a" : [ 1 , 2 ] ,\r\n\t"b" : null } \n'],
    ['a __proto__ key, kept as an own key', '{"__proto__":{"x":1},"y":2}'],
    ['duplicate keys, the last one wins', '{"a":1,"a":2}'],
    ['a small distribution, unchanged and in order', '{"story_distribution":{"b":2,"a":"3","c":null}}'],
    ['a top-level scalar', '"just a string"'],
  ])('reads %s exactly as JSON.parse does', (_case, text) => {
    // Act
    const bounded = parseJsonBounded(text, DISTRIBUTION_KEYS_KEPT, 0);
    // Assess
    expect(bounded).toStrictEqual(JSON.parse(text));
    expect(JSON.stringify(bounded)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it.each([
    ['', 'nothing'],
    ['{"a":1', 'a missing brace'],
    ['{"a":1,}', 'a trailing comma'],
    ['{a:1}', 'an unquoted name'],
    ['[01]', 'a leading zero'],
    ['[1.]', 'a bare decimal point'],
    ['["a\tb"]', 'a raw tab in a string'],
    ['["\\x41"]', 'a bad escape'],
    ['[tru]', 'a cut literal'],
    ['{"a":1} x', 'text after the value'],
    ["{'a':1}", 'single quotes'],
    ['{"story_distribution":{"a":1,}}', 'a trailing comma inside a distribution'],
  ])('refuses %j (%s), as JSON.parse does', (text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseJsonBounded(text, DISTRIBUTION_KEYS_KEPT, 0)).toThrow(JsonSyntaxError);
    expect(() => parseJsonBounded(text)).toThrow(JsonSyntaxError);
  });

  it(
    'keeps 1,000 of 200,000 story names: the largest ones, and the number and sum of the rest',
    HEAVY,
    () => {
      // Prepare
      const stories = manyStories();
      const text = JSON.stringify({ data: { total: { story_distribution: stories, total_calls: 5 } } });
      // Act
      const parsed = parseJsonBounded(text) as {
        data: { total: { story_distribution: Record<string, number> } };
      };
      // Assess
      const kept = parsed.data.total.story_distribution;
      expect(Object.keys(kept)).toHaveLength(DISTRIBUTION_KEYS_KEPT + 1);
      const top = independentTop(stories, DISTRIBUTION_KEYS_KEPT);
      const others = othersKey(STORY_NAMES - DISTRIBUTION_KEYS_KEPT);
      expect(Object.entries(kept).filter(([key]) => key !== others)).toStrictEqual(top);
      const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
      expect(kept[others]).toBe(sum(Object.values(stories)) - sum(top.map(([, count]) => count)));
      expect(foldedNames(others)).toBe(STORY_NAMES - DISTRIBUTION_KEYS_KEPT);
    },
  );

  it("folds into the digest's top five exactly what the whole map gives", HEAVY, () => {
    // Prepare
    const stories = manyStories();
    const text = JSON.stringify({ story_distribution: stories });
    // Act
    const bounded = parseJsonBounded(text) as { story_distribution: Record<string, number> };
    // Assess: the same figures as the 200,000-name map, computed here
    const folded = foldTopN(bounded.story_distribution, 5);
    const top = independentTop(stories, 5);
    const total = Object.values(stories).reduce((sum, count) => sum + count, 0);
    expect(folded.total).toBe(total);
    expect(folded.top.map((entry) => [entry.name, entry.count])).toStrictEqual(top);
    expect(folded.others?.names).toBe(STORY_NAMES - 5);
    expect(folded.others?.count).toBe(total - top.reduce((sum, [, count]) => sum + count, 0));
  });

  it(
    'keeps a negative count however small, so a response with one past the cut is still invalid',
    HEAVY,
    () => {
      // Prepare: one negative count among 200,000 names, far below the kept ones
      const body = fixtureJson('statistics-example.json');
      const stories = manyStories();
      stories.story_150000 = -4;
      body.data.realtime.total.story_distribution = stories;
      // Act
      const parsed = parseStatistics(encodeJson(body));
      // Assess
      expect(parsed.verdict).toBe('invalid');
      if (parsed.verdict === 'valid') return;
      expect(parsed.error.issues.map((issue) => issue.path)).toContain(
        'data.realtime.total.story_distribution.story_150000',
      );
    },
  );
});
