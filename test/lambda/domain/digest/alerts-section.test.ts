import { describe, expect, it } from 'vitest';
import {
  ALERTS_SHOWN,
  alertsText,
  instant,
  localTime,
} from '../../../../lambda/domain/digest/alerts-section';
import type { FiredAlert } from '../../../../lambda/domain/digest/day-data';

const DAY = '2025-11-12';
const alert = (ruleId: string, at: string, extra: Partial<FiredAlert> = {}): FiredAlert => ({
  ruleId,
  title: `Rule ${ruleId}`,
  severity: 'warn',
  at,
  ...extra,
});

describe("the digest's alert section", () => {
  it('lists the episodes in the order they began (ties by rule id), with severity, worst value and span', () => {
    const text = alertsText(
      [
        alert('b', '2025-11-12T09:30:00Z', {
          severity: 'crit',
          resolvedAt: '2025-11-12T11:00:00Z',
          worst: { value: 0.612, unit: 'rate' },
        }),
        alert('z', '2025-11-12T08:00:00Z'),
        alert('a', '2025-11-12T08:00:00Z', { worst: { value: 1234, unit: 'count' } }),
      ],
      DAY,
      'UTC',
    );
    expect(text.split('\n')).toEqual([
      '*Alerts* · 3',
      '⚠️ WARN *Rule a* · worst 1,234 · 08:00, still firing',
      '⚠️ WARN *Rule z* · 08:00, still firing',
      '🚨 CRIT *Rule b* · worst 61.2% · 09:30–11:00 (1h 30m)',
    ]);
  });

  it("reads times on the account's wall clock, with the date when an episode began the day before", () => {
    const text = alertsText(
      [alert('night', '2025-11-11T14:30:00Z', { resolvedAt: '2025-11-11T15:15:00Z' })],
      DAY,
      'Asia/Tokyo',
    );
    expect(text.split('\n')[1]).toBe('⚠️ WARN *Rule night* · Tue 11 Nov 23:30–00:15 (45m)');
  });

  it('shows an unreadable time as written, lists it last, and gives no duration it cannot compute', () => {
    const text = alertsText(
      [alert('garbled', 'not a time'), alert('open', '2025-11-12T10:00:00Z', { resolvedAt: 'soon' })],
      DAY,
      'UTC',
    );
    expect(text.split('\n').slice(1)).toEqual([
      '⚠️ WARN *Rule open* · 10:00–soon',
      '⚠️ WARN *Rule garbled* · not a time, still firing',
    ]);
  });

  it('escapes a title for Slack and cuts it at 120 characters', () => {
    const text = alertsText(
      [alert('x', '2025-11-12T08:00:00Z', { title: `<b>&${'x'.repeat(200)}` })],
      DAY,
      'UTC',
    );
    const title = text.split('\n')[1]?.split('*')[1] ?? '';
    expect(title.startsWith('&lt;b&gt;&amp;xxx')).toBe(true);
    expect(title.endsWith('x…')).toBe(true);
    expect(title).toHaveLength(120);
  });

  it(`lists ${ALERTS_SHOWN} episodes and counts the rest on one line`, () => {
    const many = (count: number) =>
      Array.from({ length: count }, (_, index) => alert(`r${index}`, `2025-11-12T0${index}:00:00Z`));
    const exactly = alertsText(many(ALERTS_SHOWN), DAY, 'UTC').split('\n');
    expect(exactly).toHaveLength(1 + ALERTS_SHOWN);
    expect(exactly.at(-1)).toBe('⚠️ WARN *Rule r7* · 07:00, still firing');
    const more = alertsText(many(ALERTS_SHOWN + 2), DAY, 'UTC').split('\n');
    expect(more).toHaveLength(2 + ALERTS_SHOWN);
    expect(more[0]).toBe('*Alerts* · 10');
    expect(more.at(-2)).toBe('⚠️ WARN *Rule r7* · 07:00, still firing');
    expect(more.at(-1)).toBe('_…and 2 more_');
  });

  it("stays within Slack's 3,000 characters a section with the longest lines there can be", () => {
    const title = '&'.repeat(500);
    const longest = (index: number): FiredAlert[] => [
      // Both times unreadable (shown cut at 40 characters), the most negative value.
      alert(`a${index}`, `<${'9'.repeat(300)}`, {
        title,
        severity: 'crit',
        resolvedAt: `<${'9'.repeat(300)}`,
        worst: { value: -Number.MAX_VALUE, unit: 'seconds' },
      }),
      // Both readable on other days, nine thousand years apart.
      alert(`b${index}`, '1000-01-01T00:00:00Z', {
        title,
        resolvedAt: '9999-12-31T00:00:00Z',
        worst: { value: -Number.MAX_VALUE, unit: 'count' },
      }),
    ];
    const alerts = Array.from({ length: 30 }, (_, index) => longest(index)).flat();
    const text = alertsText(alerts, DAY, 'Pacific/Kiritimati');
    expect(text.split('\n')).toHaveLength(2 + ALERTS_SHOWN);
    expect(text.length).toBeLessThanOrEqual(3000);
    for (const line of text.split('\n')) expect(line.length).toBeLessThan(300);
  });

  it('says how many there were on a day without alerts', () => {
    expect(alertsText([], DAY, 'UTC')).toBe('*Alerts* · 0');
  });
});

describe("the digest's alert links (Slack app mode: each alert links to its incident's message)", () => {
  const PERMALINK = 'https://example.slack.com/archives/C0ALERTS00/p1762931400000100';
  const lineWith = (link: string | undefined) =>
    alertsText([alert('a', '2025-11-12T08:00:00Z', link === undefined ? {} : { link })], DAY, 'UTC').split(
      '\n',
    )[1];

  it('names the alert as a link to its incident', () => {
    expect(lineWith(PERMALINK)).toBe(`⚠️ WARN *<${PERMALINK}|Rule a>* · 08:00, still firing`);
    expect(lineWith('http://127.0.0.1:4000/archives/C1/p1')).toBe(
      '⚠️ WARN *<http://127.0.0.1:4000/archives/C1/p1|Rule a>* · 08:00, still firing',
    );
  });

  it('accepts a link of exactly 500 characters and leaves out a longer one', () => {
    const base = 'https://example.slack.com/archives/C0ALERTS00/p';
    const exactly = base + '1'.repeat(500 - base.length);
    expect(lineWith(exactly)).toBe(`⚠️ WARN *<${exactly}|Rule a>* · 08:00, still firing`);
    expect(lineWith(`${exactly}1`)).toBe('⚠️ WARN *Rule a* · 08:00, still firing');
  });

  it.each([
    ['no link', undefined],
    ['another scheme', 'slack://channel?id=C0ALERTS00'],
    ['a scheme not at the start', 'see https://example.slack.com/archives/C1/p1'],
    ['a space inside', 'https://example.slack.com/archives/C1/p1 x'],
    ['a bar that would end the label early', 'https://example.slack.com/a|b'],
    ['an angle bracket', 'https://example.slack.com/a>b'],
    ['nothing after the scheme', 'https://'],
    ['a bar right after the host', 'https://x|'],
  ])('shows the bare title when the link has %s', (_case, link) => {
    expect(lineWith(link)).toBe('⚠️ WARN *Rule a* · 08:00, still firing');
  });
});

describe('localTime and instant', () => {
  it('gives HH:mm on the day, the day in front otherwise, the raw text (escaped, cut) if unreadable', () => {
    expect(localTime('2025-11-12T07:05:00Z', DAY, 'UTC')).toBe('07:05');
    expect(localTime('2025-11-13T00:05:00Z', DAY, 'UTC')).toBe('Thu 13 Nov 00:05');
    expect(localTime(`<${'y'.repeat(60)}`, DAY, 'UTC')).toBe(`&lt;${'y'.repeat(35)}…`);
  });

  it('sorts an unreadable time after every readable one', () => {
    expect(instant('2025-11-12T07:05:00Z')).toBe(Date.UTC(2025, 10, 12, 7, 5));
    expect(instant('garbled')).toBe(Number.MAX_SAFE_INTEGER);
  });
});
