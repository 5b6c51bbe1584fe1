import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, truncate, unescapeMrkdwn } from '../../../../lambda/domain/slack/mrkdwn';

describe('escapeMrkdwn', () => {
  it.each([
    { input: '<!channel>', expected: '&lt;!channel&gt;' },
    { input: '<!here> please look', expected: '&lt;!here&gt; please look' },
    { input: '<@U012AB3CD>', expected: '&lt;@U012AB3CD&gt;' },
    { input: '<http://x|y>', expected: '&lt;http://x|y&gt;' },
    { input: 'Sales & Support', expected: 'Sales &amp; Support' },
    { input: 'already &amp; escaped', expected: 'already &amp;amp; escaped' },
    { input: 'a > b < c', expected: 'a &gt; b &lt; c' },
    { input: 'plain *bold* _it_ 100%', expected: 'plain *bold* _it_ 100%' },
    { input: '', expected: '' },
  ])('escapes $input so that it pings and links nobody', ({ input, expected }) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it.each(['<!channel>', 'a & b', '<http://x|y>', '&lt; literally', '&&<<>>'])(
    'round-trips %s through unescapeMrkdwn',
    (input) => {
      expect(unescapeMrkdwn(escapeMrkdwn(input))).toBe(input);
    },
  );
});

describe('truncate', () => {
  it.each([
    { text: 'short', max: 10, expected: 'short' },
    { text: 'exactly10!', max: 10, expected: 'exactly10!' },
    { text: 'abcdefghijk', max: 10, expected: 'abcdefghi…' },
    { text: 'abcdef', max: 1, expected: '…' },
  ])('shortens "$text" to at most $max characters ending with …', ({ text, max, expected }) => {
    const result = truncate(text, max);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(max);
  });

  it.each([
    // The cut at 7 would fall inside '&amp;' (starting at 5): the whole entity goes.
    { text: 'Sales&amp;Support', max: 8, expected: 'Sales…' },
    { text: 'ab&lt;cdef', max: 5, expected: 'ab…' },
    { text: 'ab&gt;cdef', max: 6, expected: 'ab…' },
    // The entity ends exactly at the cut: it stays.
    { text: 'ab&lt;cdef', max: 7, expected: 'ab&lt;…' },
  ])('never cuts an escape entity in half: $text → $expected', ({ text, max, expected }) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it('never splits a surrogate pair (an emoji stays whole or goes)', () => {
    // Prepare: '😀' is two UTF-16 code units at index 2 and 3.
    const text = 'ab😀cdef';
    // Act
    const result = truncate(text, 4);
    // Assess
    expect(result).toBe('ab…');
    expect(() => encodeURIComponent(result)).not.toThrow(); // throws on a lone surrogate
  });

  it('drops a link that would be cut, rather than leaving a broken <url|label>', () => {
    expect(truncate('see <https://example.com/report|the report> now', 20)).toBe('see …');
  });

  it('keeps a link that ends before the cut', () => {
    expect(truncate('<https://a.io|a> and more text', 20)).toBe('<https://a.io|a> an…');
  });

  it('keeps an escaped user string safe after truncation', () => {
    const result = truncate(escapeMrkdwn(`${'x'.repeat(10)}<!channel>`), 16);
    expect(result).toBe('xxxxxxxxxx&lt;!…');
    expect(result).not.toContain('<');
  });

  it.each([0, -1, 1.5])('refuses max = %s', (max) => {
    expect(() => truncate('abc', max)).toThrow(RangeError);
  });
});
