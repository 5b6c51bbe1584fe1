import { describe, expect, it } from 'vitest';
import {
  type ClosedEpisode,
  EPISODE_LIMIT,
  EPISODE_RETENTION_DAYS,
  type Episode,
  EpisodeSchema,
  isClosed,
  isFired,
  MESSAGE_LIMIT,
  openEpisode,
  retainEpisodes,
  stepEpisode,
  withMessage,
  withSeverity,
  worseOf,
} from '../../../../lambda/domain/alerts/episode';
import type { Measurement } from '../../../../lambda/domain/alerts/measure';
import { markNotified } from '../../../../lambda/domain/alerts/notify';
import { AlertStateSchema } from '../../../../lambda/domain/alerts/state';
import { EXAMPLE_AT, minutesAfter, rates, rule, simulate } from './alert-test-helpers';

const T0 = '2025-11-12T07:00:00.000Z';
const T1 = '2025-11-12T07:15:00.000Z';
const T2 = '2025-11-12T07:30:00.000Z';
const T3 = '2025-11-12T07:45:00.000Z';
const value = (v: number): Measurement => ({ kind: 'value', value: v, window: 'last 60 min' });
const quiet = (v: number): Measurement => ({
  kind: 'not-judged',
  value: v,
  calls: 3,
  window: 'last 60 min',
  reason: 'too few calls',
});
const noData: Measurement = { kind: 'no-data', reason: 'no realtime section' };

const pending = { status: 'pending', condition: 'threshold', breachedAt: T0 } as const;
const firing = (severity: 'warn' | 'crit', extra: { healthySince?: string } = {}) =>
  ({ status: 'firing', condition: 'threshold', breachedAt: T0, firedAt: T1, severity, ...extra }) as const;
const fired = (extra: Partial<Episode> = {}): Episode => ({
  ...openEpisode('r', 'threshold', T0, { value: 0.5, at: T0 }),
  firedAt: T1,
  severity: 'warn',
  peak: { severity: 'warn', at: T1 },
  ...extra,
});

describe('worseOf', () => {
  it.each([
    { comparison: 'below' as const, a: 0.5, b: 0.4, worse: 0.4 },
    { comparison: 'below' as const, a: 0.4, b: 0.5, worse: 0.4 },
    { comparison: 'above' as const, a: 0.5, b: 0.6, worse: 0.6 },
    { comparison: 'above' as const, a: 0.6, b: 0.5, worse: 0.6 },
    { comparison: 'below' as const, a: 0.4, b: 0.4, worse: 0.4 },
    { comparison: 'above' as const, a: 0.6, b: 0.6, worse: 0.6 },
  ])('$comparison: worse of $a and $b is $worse (the earlier on a tie)', ({ comparison, a, b, worse }) => {
    const result = worseOf(comparison, { value: a, at: T0 }, { value: b, at: T1 });
    expect(result).toEqual({ value: worse, at: worse === a ? T0 : T1 });
  });

  it('keeps the known reading when the other is none, and none of two nones', () => {
    expect(worseOf('below', null, { value: 1, at: T0 })).toEqual({ value: 1, at: T0 });
    expect(worseOf('below', { value: 1, at: T0 }, null)).toEqual({ value: 1, at: T0 });
    expect(worseOf('above', null, null)).toBeNull();
  });
});

describe('isFired / isClosed: what the digest and the resolution may read', () => {
  const closed = { ...fired(), ended: T2, resolvedAt: T3, resolvedValue: 0.7 };
  it.each([
    {
      name: 'a pending episode',
      episode: openEpisode('r', 'threshold', T0, null),
      isFired: false,
      isClosed: false,
    },
    {
      name: 'one without its fired run',
      episode: { ...fired(), firedAt: undefined },
      isFired: false,
      isClosed: false,
    },
    {
      name: 'one without its severity',
      episode: { ...fired(), severity: undefined },
      isFired: false,
      isClosed: false,
    },
    {
      name: 'one without its peak',
      episode: { ...fired(), peak: undefined },
      isFired: false,
      isClosed: false,
    },
    { name: 'an open fired episode', episode: fired(), isFired: true, isClosed: false },
    {
      name: 'one ended but not resolved',
      episode: { ...closed, resolvedAt: undefined },
      isFired: true,
      isClosed: false,
    },
    {
      name: 'one resolved without its end',
      episode: { ...closed, ended: undefined },
      isFired: true,
      isClosed: false,
    },
    { name: 'a closed episode', episode: closed, isFired: true, isClosed: true },
  ])('$name: fired $isFired, closed $isClosed', ({ name: _name, episode, ...expected }) => {
    expect({ isFired: isFired(episode as Episode), isClosed: isClosed(episode as Episode) }).toEqual(
      expected,
    );
  });
});

describe('withSeverity: peak and easing', () => {
  it('fires at a severity: it is the peak, reached then', () => {
    const opened = openEpisode('r', 'threshold', T0, null);
    expect(withSeverity(opened, 'warn', T1)).toMatchObject({
      severity: 'warn',
      peak: { severity: 'warn', at: T1 },
    });
  });

  it('escalates to a new peak, eases below it, and climbs back to it without moving the peak', () => {
    const escalated = withSeverity(fired(), 'crit', T2);
    expect(escalated).toMatchObject({ severity: 'crit', peak: { severity: 'crit', at: T2 } });
    const eased = withSeverity(escalated, 'warn', T3);
    expect(eased).toMatchObject({ severity: 'warn', peak: { severity: 'crit', at: T2 }, easedAt: T3 });
    const back = withSeverity(eased, 'crit', '2025-11-12T08:00:00.000Z');
    expect(back).toMatchObject({ severity: 'crit', peak: { severity: 'crit', at: T2 } });
    expect(back.easedAt).toBeUndefined();
  });

  it('changes nothing when the severity stays', () => {
    const episode = fired();
    expect(withSeverity(episode, 'warn', T3)).toBe(episode);
  });

  it('gives a peak to an episode that has a severity but no peak (a document written without one)', () => {
    const { peak: _none, ...withoutPeak } = fired();
    expect(withSeverity(withoutPeak, 'warn', T3)).toMatchObject({
      severity: 'warn',
      peak: { severity: 'warn', at: T3 },
    });
  });
});

describe('EpisodeSchema: what a stored episode may hold', () => {
  it('reads a no-data episode, and times written with an offset', () => {
    const stored = {
      ...openEpisode('r', 'no-data', '2025-11-12T08:00:00+01:00', null),
      firedAt: '2025-11-12T08:15:00+01:00',
    };
    expect(EpisodeSchema.parse(stored)).toEqual(stored);
  });

  it('reads every kind of message an episode records', () => {
    const kinds = ['fired', 'escalated', 'de-escalated', 'repeat', 'resolved'] as const;
    const stored = {
      ...fired(),
      notified: kinds.map((kind) => ({
        kind,
        key: `r:${kind}`,
        at: T2,
        severity: 'warn' as const,
        value: 0.5,
      })),
    };
    expect(EpisodeSchema.parse(stored)).toEqual(stored);
  });

  it('reads an episode stored without its messages or reminders as having none', () => {
    const { notified: _n, reminders: _r, ...stored } = openEpisode('r', 'threshold', T0, null);
    expect(EpisodeSchema.parse(stored)).toMatchObject({ notified: [], reminders: 0 });
    expect(EpisodeSchema.parse(stored).notified).toEqual([]);
  });
});

describe('withMessage', () => {
  const message = (n: number) => ({
    kind: 'repeat' as const,
    key: `r:repeat:${T1}:warn#${n}`,
    at: T2,
    severity: 'warn' as const,
    value: 0.5,
  });

  it('records a message once, however often it is marked, and counts reminders by their number', () => {
    const once = withMessage(fired(), message(1), 1);
    const twice = withMessage(once, message(1), 1);
    expect(twice.notified).toHaveLength(1);
    expect(twice.reminders).toBe(1);
    expect(withMessage(twice, message(2), 2).reminders).toBe(2);
    expect(withMessage(twice, { ...message(9), kind: 'escalated' }).reminders).toBe(1);
  });

  it(`keeps all of exactly ${MESSAGE_LIMIT} messages`, () => {
    let episode = fired();
    for (let n = 1; n <= MESSAGE_LIMIT; n++) episode = withMessage(episode, message(n), n);
    expect(episode.notified.map((entry) => entry.key.split('#')[1])).toEqual(
      Array.from({ length: MESSAGE_LIMIT }, (_, i) => String(i + 1)),
    );
  });

  it(`keeps the first and the latest messages, ${MESSAGE_LIMIT} in all`, () => {
    let episode = fired();
    for (let n = 1; n <= MESSAGE_LIMIT + 5; n++) episode = withMessage(episode, message(n), n);
    expect(episode.notified).toHaveLength(MESSAGE_LIMIT);
    expect(episode.notified[0]?.key).toContain('#1');
    expect(episode.notified[1]?.key).toContain('#7');
    expect(episode.notified.at(-1)?.key).toContain(`#${MESSAGE_LIMIT + 5}`);
    expect(episode.reminders).toBe(MESSAGE_LIMIT + 5);
  });
});

describe('stepEpisode: the rule state before × after → the episode', () => {
  it('opens at the first breaching run with its value, and drops an episode that never fired', () => {
    const opened = stepEpisode('below', 'r', undefined, { status: 'ok' }, pending, value(0.5), T0);
    expect(opened).toEqual({ open: openEpisode('r', 'threshold', T0, { value: 0.5, at: T0 }) });
    expect(stepEpisode('below', 'r', opened.open, pending, { status: 'ok' }, value(0.7), T1)).toEqual({});
  });

  it('keeps the worst judged value: a quiet run or a run without data measures nothing', () => {
    const open = fired({ worst: { value: 0.45, at: T0 } });
    const step = (m: Measurement) =>
      stepEpisode('below', 'r', open, firing('warn'), firing('warn'), m, T2).open;
    expect(step(value(0.4))?.worst).toEqual({ value: 0.4, at: T2 });
    expect(step(value(0.5))?.worst).toEqual({ value: 0.45, at: T0 });
    expect(step(quiet(0.1))?.worst).toEqual({ value: 0.45, at: T0 });
    expect(step(noData)?.worst).toEqual({ value: 0.45, at: T0 });
  });

  it('fires the open episode when the rule fires, at the run it fired', () => {
    const open = openEpisode('r', 'threshold', T0, { value: 0.5, at: T0 });
    expect(stepEpisode('below', 'r', open, pending, firing('warn'), value(0.55), T1)).toEqual({
      open: { ...open, firedAt: T1, severity: 'warn', peak: { severity: 'warn', at: T1 } },
    });
  });

  it('closes at the first healthy run, resolved by this run, with the value that resolved it', () => {
    const before = firing('warn', { healthySince: T2 });
    expect(stepEpisode('below', 'r', fired(), before, { status: 'ok' }, quiet(0.7), T3)).toEqual({
      closed: { ...fired(), ended: T2, resolvedAt: T3, resolvedValue: 0.7 },
    });
  });

  it('closes at this run when no healthy streak led to it (data returned), without a value when there was none', () => {
    expect(stepEpisode('below', 'r', fired(), firing('warn'), { status: 'ok' }, noData, T3)).toEqual({
      closed: { ...fired(), ended: T3, resolvedAt: T3, resolvedValue: null },
    });
  });

  it('closes a no-data episode and opens the next when the returning data breaches at once', () => {
    const noDataEpisode = fired({ condition: 'no-data', worst: null });
    const after = { status: 'pending', condition: 'threshold', breachedAt: T3 } as const;
    const before = { ...firing('warn'), condition: 'no-data' } as const;
    expect(stepEpisode('below', 'r', noDataEpisode, before, after, value(0.3), T3)).toEqual({
      open: openEpisode('r', 'threshold', T3, { value: 0.3, at: T3 }),
      closed: { ...noDataEpisode, ended: T3, resolvedAt: T3, resolvedValue: 0.3 },
    });
  });

  it('closes a no-data episode and opens the next, fired, when the returning data fires at once', () => {
    const noDataEpisode = fired({ condition: 'no-data', worst: null });
    const before = { ...firing('warn'), condition: 'no-data' } as const;
    const after = {
      status: 'firing',
      condition: 'threshold',
      breachedAt: T3,
      firedAt: T3,
      severity: 'crit',
    } as const;
    expect(stepEpisode('below', 'r', noDataEpisode, before, after, value(0.3), T3)).toEqual({
      open: {
        ...openEpisode('r', 'threshold', T3, { value: 0.3, at: T3 }),
        firedAt: T3,
        severity: 'crit',
        peak: { severity: 'crit', at: T3 },
      },
      closed: { ...noDataEpisode, ended: T3, resolvedAt: T3, resolvedValue: 0.3 },
    });
  });

  it('counts the resolving run in the worst value of a threshold episode (its rule may have moved)', () => {
    const open = fired({ worst: { value: 0.45, at: T0 } });
    const before = firing('warn', { healthySince: T2 });
    expect(stepEpisode('below', 'r', open, before, { status: 'ok' }, value(0.3), T3).closed?.worst).toEqual({
      value: 0.3,
      at: T3,
    });
  });

  it('resolves without a value when the resolving run had too few calls and no value', () => {
    const fewCalls: Measurement = { kind: 'not-judged', calls: 0, window: 'last 60 min', reason: 'no calls' };
    expect(
      stepEpisode('below', 'r', fired(), firing('warn'), { status: 'ok' }, fewCalls, T3).closed
        ?.resolvedValue,
    ).toBeNull();
  });

  it("follows the rule's breach: a pending episode whose rule now breached at another run starts anew", () => {
    const open = openEpisode('r', 'threshold', T0, { value: 0.5, at: T0 });
    const after = { ...pending, breachedAt: T2 } as const;
    expect(stepEpisode('below', 'r', open, { status: 'ok' }, after, value(0.55), T2)).toEqual({
      open: openEpisode('r', 'threshold', T2, { value: 0.55, at: T2 }),
    });
  });

  it('closes at this run an episode whose rule had no state before it (a partly written document)', () => {
    expect(stepEpisode('below', 'r', fired(), undefined, { status: 'ok' }, noData, T3).closed).toEqual({
      ...fired(),
      ended: T3,
      resolvedAt: T3,
      resolvedValue: null,
    });
  });

  it('starts a new episode when the condition changes while pending', () => {
    const open = openEpisode('r', 'threshold', T0, { value: 0.5, at: T0 });
    const after = { status: 'pending', condition: 'no-data', breachedAt: T0 } as const;
    expect(stepEpisode('below', 'r', open, pending, after, noData, T1)).toEqual({
      open: openEpisode('r', 'no-data', T0, null),
    });
  });

  it('reads an alert already firing without an episode (an older document) as peaking when it fired', () => {
    expect(stepEpisode('below', 'r', undefined, firing('crit'), firing('crit'), value(0.3), T3)).toEqual({
      open: {
        ...openEpisode('r', 'threshold', T0, { value: 0.3, at: T3 }),
        firedAt: T1,
        severity: 'crit',
        peak: { severity: 'crit', at: T1 },
      },
    });
  });
});

describe('retainEpisodes: the state stays bounded', () => {
  const AT = new Date('2025-11-30T00:00:00.000Z');
  const closedAt = (resolvedAt: string, ruleId = 'r'): ClosedEpisode => ({
    ...(fired({ ruleId }) as ClosedEpisode),
    ended: resolvedAt,
    resolvedAt,
    resolvedValue: 0.7,
  });
  const daysBefore = (days: number) => new Date(AT.getTime() - days * 86_400_000).toISOString();

  it(`keeps what resolved in the last ${EPISODE_RETENTION_DAYS} days, and an older one whose resolution is still owed`, () => {
    const kept = closedAt(daysBefore(EPISODE_RETENTION_DAYS));
    const old = closedAt(daysBefore(EPISODE_RETENTION_DAYS + 1), 'old');
    const owed = closedAt(daysBefore(40), 'owed');
    expect(retainEpisodes([owed, old, kept], AT, (episode) => episode.ruleId === 'owed')).toEqual([
      owed,
      kept,
    ]);
  });

  it(`keeps at most ${EPISODE_LIMIT}, dropping the oldest first but never one still owed`, () => {
    const many = Array.from({ length: EPISODE_LIMIT + 3 }, (_, i) =>
      closedAt(daysBefore(1 - i / 1000), `r${i}`),
    );
    const kept = retainEpisodes(many, AT, (episode) => episode.ruleId === 'r1');
    expect(kept).toHaveLength(EPISODE_LIMIT);
    expect(kept.slice(0, 3).map((episode) => episode.ruleId)).toEqual(['r1', 'r4', 'r5']);
  });
});

describe('the episode record in the alert state, through real runs', () => {
  it('records a whole episode: began, fired, escalated, eased, worst, every message and its end', () => {
    // App mode: the easing is its own message (webhook mode says it in the next reminder).
    const { state } = simulate([rule({ recoveryRuns: 2 })], rates(0.5, 0.5, 0.3, 0.25, 0.5, 0.7, 0.7), {
      delivery: 'app',
    });
    const at = (i: number) => minutesAfter(EXAMPLE_AT, i * 15).toISOString();
    const [episode] = state.episodes;
    expect(state.episodes).toHaveLength(1);
    expect(EpisodeSchema.parse(episode)).toEqual({
      ruleId: 'transfer-success',
      condition: 'threshold',
      began: at(0),
      firedAt: at(1),
      severity: 'warn',
      peak: { severity: 'crit', at: at(2) },
      easedAt: at(4),
      worst: { value: 0.25, at: at(3) },
      reminders: 0,
      notified: [
        {
          kind: 'fired',
          key: `transfer-success:fired:${at(1)}:warn`,
          at: at(1),
          severity: 'warn',
          value: 0.5,
        },
        {
          kind: 'escalated',
          key: `transfer-success:escalated:${at(1)}:crit:${at(2)}`,
          at: at(2),
          severity: 'crit',
          value: 0.3,
        },
        {
          kind: 'de-escalated',
          key: `transfer-success:de-escalated:${at(1)}:warn:${at(4)}`,
          at: at(4),
          severity: 'warn',
          value: 0.5,
        },
        {
          kind: 'resolved',
          key: `transfer-success:resolved:${at(1)}`,
          at: at(6),
          severity: 'warn',
          value: 0.7,
        },
      ],
      ended: at(5),
      resolvedAt: at(6),
      resolvedValue: 0.7,
    });
  });

  it('records every escalation and easing of an episode that escalates twice, each its own message', () => {
    // Fires WARN, escalates, eases (above the crit release 45%), escalates again, eases again.
    const { state } = simulate([rule()], rates(0.5, 0.5, 0.3, 0.5, 0.3, 0.5), { delivery: 'app' });
    const at = (i: number) => minutesAfter(EXAMPLE_AT, i * 15).toISOString();
    const messages = state.episodes[0]?.notified.map((message) => `${message.kind} ${message.at}`);
    expect(messages).toEqual([
      `fired ${at(1)}`,
      `escalated ${at(2)}`,
      `de-escalated ${at(3)}`,
      `escalated ${at(4)}`,
      `de-escalated ${at(5)}`,
    ]);
  });

  it(`keeps ${EPISODE_RETENTION_DAYS} days of an alert flapping every hour for 20 days, and a bounded document`, () => {
    // 480 hourly runs alternating breach and recovery (pendingRuns = recoveryRuns = 1): 240 episodes.
    const values = Array.from({ length: 20 * 24 }, (_, i) => (i % 2 === 0 ? 0.3 : 0.9));
    const { state, runs } = simulate([rule({ pendingRuns: 1 })], rates(...values), { everyMinutes: 60 });
    const last = runs.at(-1)?.at.getTime() ?? 0;
    const oldest = Math.min(...state.episodes.map((episode) => Date.parse(episode.resolvedAt ?? '')));
    expect(last - oldest).toBeLessThanOrEqual(EPISODE_RETENTION_DAYS * 86_400_000);
    // 12 a day resolved within the retention period, the boundary included.
    expect(state.episodes.length).toBeGreaterThanOrEqual(EPISODE_RETENTION_DAYS * 12);
    expect(state.episodes.length).toBeLessThanOrEqual(EPISODE_RETENTION_DAYS * 12 + 1);
    expect(JSON.stringify(AlertStateSchema.parse(state)).length).toBeLessThan(200_000);
  }, 30_000);

  it('reads a document written before the record (no episodes) and records from the next run on', () => {
    const { state } = simulate([rule()], rates(0.5, 0.5));
    const { episodes: _none, ...older } = state;
    const parsed = AlertStateSchema.parse(older);
    expect(parsed.episodes).toEqual([]);
    const next = simulate([rule()], rates(0.3), { state: parsed, start: minutesAfter(EXAMPLE_AT, 30) });
    expect(next.state.episodes).toMatchObject([{ firedAt: minutesAfter(EXAMPLE_AT, 15).toISOString() }]);
    expect(markNotified(next.state, [], EXAMPLE_AT).episodes).toEqual(next.state.episodes);
  });
});
