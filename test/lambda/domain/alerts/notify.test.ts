import { describe, expect, it } from 'vitest';
import { isMuted, repeatIntervalMinutes } from '../../../../lambda/domain/alerts/notify';
import {
  type MuteWindow,
  MuteWindowSchema,
  RepeatPolicySchema,
} from '../../../../lambda/domain/alerts/rules';
import { EXAMPLE_AT, minutesAfter, rates, rule, simulate } from './alert-test-helpers';

const NEW_YORK = 'America/New_York';
const window = (input: unknown): MuteWindow => MuteWindowSchema.parse(input);
const nightly = window({ from: '22:00', to: '06:00' });
const saturdayNight = window({ days: ['sat'], from: '22:00', to: '06:00' });

describe('isMuted', () => {
  it.each([
    // 2026-03-08: clocks spring forward 02:00 EST → 03:00 EDT; the night is 7 real hours long.
    { name: '21:30 EST, before the window', utc: '2026-03-08T02:30:00Z', expected: false },
    { name: '22:00 EST, the window opens', utc: '2026-03-08T03:00:00Z', expected: true },
    { name: '01:30 EST, before the change', utc: '2026-03-08T06:30:00Z', expected: true },
    { name: '03:30 EDT, just after the change', utc: '2026-03-08T07:30:00Z', expected: true },
    { name: '05:30 EDT (a fixed EST offset would say 04:30)', utc: '2026-03-08T09:30:00Z', expected: true },
    {
      name: '06:30 EDT (a fixed EST offset would say 05:30, still muted)',
      utc: '2026-03-08T10:30:00Z',
      expected: false,
    },
    // 2026-11-01: clocks fall back 02:00 EDT → 01:00 EST; 01:30 happens twice, the night is 9 hours.
    { name: '01:30 EDT, the first 01:30', utc: '2026-11-01T05:30:00Z', expected: true },
    { name: '01:30 EST, the second 01:30', utc: '2026-11-01T06:30:00Z', expected: true },
    {
      name: '05:30 EST (a fixed EDT offset would say 06:30, unmuted)',
      utc: '2026-11-01T10:30:00Z',
      expected: true,
    },
    { name: '06:30 EST, after the window', utc: '2026-11-01T11:30:00Z', expected: false },
  ])('a 22:00–06:00 window across the DST change in New York: $name → $expected', ({ utc, expected }) => {
    expect(isMuted([nightly], new Date(utc), NEW_YORK)).toBe(expected);
  });

  it.each([
    { name: 'Saturday 23:00 EST', utc: '2026-03-08T04:00:00Z', expected: true },
    { name: 'Sunday 01:30 EST, the Saturday window still open', utc: '2026-03-08T06:30:00Z', expected: true },
    { name: 'Sunday 22:30 EDT, no Sunday window', utc: '2026-03-09T02:30:00Z', expected: false },
    { name: 'Saturday 01:30 EST, the tail of a Friday window', utc: '2026-03-07T06:30:00Z', expected: false },
  ])('a window on days ["sat"] belongs to the day it starts: $name → $expected', ({ utc, expected }) => {
    expect(isMuted([saturdayNight], new Date(utc), NEW_YORK)).toBe(expected);
  });

  it.each([
    {
      window: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
      local: 'Tue 09:00',
      utc: '2026-03-10T02:00:00Z',
      expected: true,
    },
    {
      window: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
      local: 'Tue 17:00',
      utc: '2026-03-10T10:00:00Z',
      expected: false,
    },
    {
      window: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
      local: 'Sat 10:00',
      utc: '2026-03-14T03:00:00Z',
      expected: false,
    },
    {
      window: { from: '00:00', to: '24:00' },
      local: 'any 23:59',
      utc: '2026-03-10T16:59:00Z',
      expected: true,
    },
    {
      window: { from: '12:00', to: '13:00' },
      local: '12:59 (Jakarta, no DST)',
      utc: '2026-03-10T05:59:00Z',
      expected: true,
    },
  ])('$window.from–$window.to at $local (Asia/Jakarta) → $expected', ({ window: input, utc, expected }) => {
    expect(isMuted([window(input)], new Date(utc), 'Asia/Jakarta')).toBe(expected);
  });

  it('is never muted without windows', () => {
    expect(isMuted([], new Date('2026-03-08T06:30:00Z'), NEW_YORK)).toBe(false);
  });
});

describe('evaluateRules with a mute window', () => {
  it('owes nothing while muted, keeps evolving the state, and owes the difference once the window closes', () => {
    // Prepare: runs from 04:45 to 06:15 Jakarta; the window closes at 06:00
    const muted = rule({ mute: [{ from: '22:00', to: '06:00' }] });
    const start = new Date('2026-03-09T21:45:00Z');
    // Act
    const { runs, state } = simulate([muted], rates(0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3), { start });
    // Assess
    expect(runs.map((run) => run.kinds)).toEqual([[], [], [], [], [], ['fired'], []]);
    expect(runs[1]?.evaluation.results[0]).toMatchObject({
      muted: true,
      after: { status: 'firing', severity: 'warn' },
    });
    expect(runs[5]?.at).toEqual(minutesAfter(start, 75));
    expect(runs[5]?.notifications[0]).toMatchObject({ kind: 'fired', severity: 'crit' });
    expect(state.rules['transfer-success']?.notified).toMatchObject({ status: 'firing', severity: 'crit' });
  });

  it('swallows nothing: an episode that opened and closed inside the window sends nothing afterwards', () => {
    const muted = rule({ mute: [{ from: '22:00', to: '06:00' }] });
    const { runs } = simulate([muted], rates(0.5, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9), {
      start: new Date('2026-03-09T21:45:00Z'),
    });
    expect(runs.flatMap((run) => run.kinds)).toEqual([]);
  });
});

describe('repeatIntervalMinutes', () => {
  it.each([
    { policy: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 240 }, expected: [60, 120, 240, 240, 240] },
    { policy: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 }, expected: [60, 120, 240, 480, 480] },
    { policy: { everyMinutes: 30 }, expected: [30, 30, 30, 30, 30] },
    { policy: { everyMinutes: 45, backoff: 1.5, maxEveryMinutes: 100 }, expected: [45, 67.5, 100, 100, 100] },
  ])('waits $expected minutes for $policy', ({ policy, expected }) => {
    const parsed = RepeatPolicySchema.parse(policy);
    expect([0, 1, 2, 3, 4].map((sent) => repeatIntervalMinutes(parsed, sent))).toEqual(expected);
  });

  it('caps at a day when no maximum is given', () => {
    expect(RepeatPolicySchema.parse({ everyMinutes: 60, backoff: 2 }).maxEveryMinutes).toBe(1440);
  });
});

describe('repeat while firing', () => {
  it('reminds after 60, 120, 240 and then every 240 minutes (capped), counting from each accepted message', () => {
    // Prepare: sustained breach for 16 hours of 15-minute runs
    const repeating = rule({ repeat: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 240 } });
    // Act
    const { runs } = simulate([repeating], rates(...Array.from({ length: 16 * 4 }, () => 0.5)));
    // Assess
    const sent = runs.filter((run) => run.kinds.length > 0);
    expect(sent.map((run) => run.kinds[0])).toEqual([
      'fired',
      'repeat',
      'repeat',
      'repeat',
      'repeat',
      'repeat',
    ]);
    const minutes = sent.map((run) => (run.at.getTime() - EXAMPLE_AT.getTime()) / 60_000);
    const gaps = minutes.slice(1).map((m, i) => m - (minutes[i] ?? 0));
    expect(gaps).toEqual([60, 120, 240, 240, 240]);
    expect(
      sent
        .slice(1)
        .map((run) => run.notifications[0])
        .map((n) => n && 'repeatNumber' in n && n.repeatNumber),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('restarts the schedule after an escalation', () => {
    const repeating = rule({ repeat: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 } });
    // fired at 15, repeat at 75, escalated at 90, next reminder 60 minutes after the escalation
    const values = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3];
    const { runs } = simulate([repeating], rates(...values));
    expect(runs.map((run) => run.kinds.join())).toEqual([
      '',
      'fired',
      '',
      '',
      '',
      'repeat',
      'escalated',
      '',
      '',
      '',
      'repeat',
    ]);
  });

  it('keeps a refused reminder owed on the following runs', () => {
    const repeating = rule({ repeat: { everyMinutes: 60 } });
    const steps = rates(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5).map((step, i) => ({
      ...step,
      delivered: i !== 5,
    }));
    const { runs } = simulate([repeating], steps);
    expect(runs.map((run) => run.kinds.join())).toEqual(['', 'fired', '', '', '', 'repeat', 'repeat']);
  });

  it('never repeats without a repeat policy', () => {
    const { runs } = simulate([rule()], rates(...Array.from({ length: 40 }, () => 0.5)));
    expect(runs.flatMap((run) => run.kinds)).toEqual(['fired']);
  });
});
