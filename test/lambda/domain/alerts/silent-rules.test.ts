import { describe, expect, it } from 'vitest';
import type { WEEKDAYS } from '../../../../lambda/domain/alerts/rules';
import {
  MAX_PLAUSIBLE_CALLS,
  mutedAllWeek,
  silentRuleProblems,
  whyRuleCannotFire,
} from '../../../../lambda/domain/alerts/silent-rules';
import { rule } from './alert-test-helpers';

type Window = { from: string; to: string; days?: (typeof WEEKDAYS)[number][] };

describe('mutedAllWeek', () => {
  it.each<{ name: string; windows: Window[]; expected: boolean }>([
    { name: 'no window', windows: [], expected: false },
    { name: 'the whole day', windows: [{ from: '00:00', to: '24:00' }], expected: true },
    { name: 'all but the last minute', windows: [{ from: '00:00', to: '23:59' }], expected: false },
    { name: 'all but the first minute', windows: [{ from: '00:01', to: '24:00' }], expected: false },
    {
      name: 'night and day together',
      windows: [
        { from: '22:00', to: '06:00' },
        { from: '06:00', to: '22:00' },
      ],
      expected: true,
    },
    {
      name: 'night and day with a minute between',
      windows: [
        { from: '22:00', to: '06:00' },
        { from: '06:01', to: '22:00' },
      ],
      expected: false,
    },
    {
      name: 'the whole day on weekdays and at weekends',
      windows: [
        { from: '00:00', to: '24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
        { from: '00:00', to: '24:00', days: ['sat', 'sun'] },
      ],
      expected: true,
    },
    {
      name: 'the whole day with every weekday named',
      windows: [{ from: '00:00', to: '24:00', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] }],
      expected: true,
    },
    {
      name: 'the whole day on every day but Sunday',
      windows: [{ from: '00:00', to: '24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] }],
      expected: false,
    },
    {
      // Saturday 12:00 to 06:00 wraps into Sunday, the first day of the week; Sunday covers the rest.
      name: 'a window past midnight at the end of the week',
      windows: [
        { from: '00:00', to: '24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
        { from: '00:00', to: '12:00', days: ['sat'] },
        { from: '12:00', to: '06:00', days: ['sat'] },
        { from: '06:00', to: '24:00', days: ['sun'] },
      ],
      expected: true,
    },
  ])('$name: $expected', ({ windows, expected }) => {
    expect(mutedAllWeek(rule({ mute: windows }).mute)).toBe(expected);
  });
});

describe('whyRuleCannotFire', () => {
  it('names a mute window around the clock', () => {
    expect(whyRuleCannotFire(rule({ mute: [{ from: '00:00', to: '24:00' }] }))).toBe(
      'muted at every hour of every day',
    );
  });

  it(`names a minCalls above ${MAX_PLAUSIBLE_CALLS}, and allows exactly that`, () => {
    expect(whyRuleCannotFire(rule({ minCalls: MAX_PLAUSIBLE_CALLS + 1 }))).toBe(
      'minCalls 10000001 is more calls than any scope holds (at most 10000000 is plausible)',
    );
    expect(whyRuleCannotFire(rule({ minCalls: MAX_PLAUSIBLE_CALLS }))).toBeUndefined();
  });

  it.each([
    {
      name: 'a rate above 100 %',
      rule: { comparison: 'above', warn: 1, crit: 1.5, recovery: 0.9 },
      why: 'it fires above 100 %, and its metric is never more than 100 %',
    },
    {
      name: 'a share above 100 %',
      rule: {
        metric: { share: { of: 'hangup_type_distribution', key: 'by_user' } },
        comparison: 'above',
        warn: 1.2,
        crit: 1.5,
        recovery: 0.9,
      },
      why: 'it fires above 120 %, and its metric is never more than 100 %',
    },
    {
      name: 'a rate below 0 % (crit only)',
      rule: { warn: undefined, crit: 0, recovery: 0.1 },
      why: 'it fires below 0 %, and its metric is never less than 0 %',
    },
    {
      name: 'a count below zero',
      rule: { metric: 'total_calls', warn: -1, crit: -5, recovery: 1 },
      why: 'it fires below -1, and its metric is never less than 0',
    },
    {
      name: 'a week-on-week change below −100 %',
      rule: {
        metric: { weekOverWeek: 'total_calls' },
        scope: 'last-complete-hour',
        warn: -1,
        crit: -2,
        recovery: -0.5,
      },
      why: 'it fires below -1, and its metric is never less than -1',
    },
  ])('names $name', ({ rule: overrides, why }) => {
    expect(whyRuleCannotFire(rule(overrides as Parameters<typeof rule>[0]))).toBe(why);
  });

  it.each([
    { name: 'a rate below 60 %', rule: {} },
    { name: 'a rate above 99 %', rule: { comparison: 'above', warn: 0.99, crit: 0.995, recovery: 0.9 } },
    {
      name: 'a count above a billion',
      rule: { metric: 'total_calls', comparison: 'above', warn: 1e9, crit: 2e9, recovery: 1 },
    },
    {
      name: 'a score below −1000',
      rule: { metric: 'avg_robot_score', warn: -1000, crit: -2000, recovery: 0 },
    },
    {
      name: 'a week-on-week change above 1000 %',
      rule: {
        metric: { weekOverWeek: 'total_calls' },
        scope: 'last-complete-hour',
        comparison: 'above',
        warn: 10,
        crit: 20,
        recovery: 5,
      },
    },
    {
      name: 'a week-on-week change below −99 %',
      rule: {
        metric: { weekOverWeek: 'total_calls' },
        scope: 'last-complete-hour',
        warn: -0.99,
        crit: -0.999,
        recovery: -0.5,
      },
    },
    {
      name: 'a ratio above 150 % (a ratio is no share: it may pass 100 %)',
      rule: {
        metric: { ratio: { numerator: 'valid_calls', denominator: 'total_calls' } },
        comparison: 'above',
        warn: 1.5,
        crit: 2,
        recovery: 1.2,
      },
    },
    {
      name: 'a rate below 120 % (it always fires, but it fires)',
      rule: { warn: 1.2, crit: 1.1, recovery: 1.3 },
    },
    {
      name: 'a count above −1 (it always fires, but it fires)',
      rule: { metric: 'total_calls', comparison: 'above', warn: -1, crit: 5, recovery: -2 },
    },
  ])('lets $name fire', ({ rule: overrides }) => {
    expect(whyRuleCannotFire(rule(overrides as Parameters<typeof rule>[0]))).toBeUndefined();
  });
});

describe('silentRuleProblems', () => {
  it('refuses a set without rules', () => {
    expect(silentRuleProblems([])).toEqual(['the set has no rules: nothing can ever fire']);
  });

  it('names every rule that can never fire, one line each, and nothing for the rest', () => {
    const muted = rule({ id: 'muted', mute: [{ from: '00:00', to: '24:00' }] });
    const impossible = rule({ id: 'impossible', comparison: 'above', warn: 1, crit: 1.5, recovery: 0.9 });
    expect(silentRuleProblems([muted, rule(), impossible])).toEqual([
      'rule "muted" can never fire: muted at every hour of every day',
      'rule "impossible" can never fire: it fires above 100 %, and its metric is never more than 100 %',
    ]);
    expect(silentRuleProblems([rule()])).toEqual([]);
  });
});
