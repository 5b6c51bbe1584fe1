import { describe, expect, it } from 'vitest';
import { type Episode, openEpisode } from '../../../../lambda/domain/alerts/episode';
import {
  announcedRules,
  type DeliveryMode,
  episodePicture,
  groupUpdateDue,
  isBatchable,
  isMuted,
  markNotified,
  type Notification,
  owedNotifications,
  type RuleNotification,
  removedRulePicture,
  repeatIntervalMinutes,
} from '../../../../lambda/domain/alerts/notify';
import { buildAlertMessage } from '../../../../lambda/domain/alerts/render';
import {
  type MutePeriod,
  MutePeriodSchema,
  RepeatPolicySchema,
} from '../../../../lambda/domain/alerts/rules';
import {
  type AlertState,
  emptyAlertState,
  type FiringRuleState,
  type OkRuleState,
  type RuleState,
  RuleStateSchema,
} from '../../../../lambda/domain/alerts/state';
import {
  EXAMPLE_AT,
  JAKARTA,
  minutesAfter,
  rates,
  rule,
  simulate,
  withoutRealtime,
  withTotal,
} from './alert-test-helpers';

const NEW_YORK = 'America/New_York';
const window = (input: unknown): MutePeriod => MutePeriodSchema.parse(input);
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

  it.each([
    { local: '12:29', utc: '2026-03-10T05:29:00Z', expected: false },
    { local: '12:30', utc: '2026-03-10T05:30:00Z', expected: true },
    { local: '13:14', utc: '2026-03-10T06:14:00Z', expected: true },
    { local: '13:15', utc: '2026-03-10T06:15:00Z', expected: false },
  ])('a 12:30–13:15 window counts its minutes: $local (Asia/Jakarta) → $expected', ({ utc, expected }) => {
    expect(isMuted([window({ from: '12:30', to: '13:15' })], new Date(utc), 'Asia/Jakarta')).toBe(expected);
  });

  it('is never muted without mute periods', () => {
    expect(isMuted([], new Date('2026-03-08T06:30:00Z'), NEW_YORK)).toBe(false);
  });
});

describe('evaluateRules with a mute period', () => {
  it('owes nothing while muted, keeps evolving the state, and owes the difference once the period closes', () => {
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
    const reminders = { everyMinutes: 60, backoff: 2, maxEveryMinutes: 240 };
    // Act
    const { runs } = simulate([rule()], rates(...Array.from({ length: 16 * 4 }, () => 0.5)), { reminders });
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
    const reminders = { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 };
    // fired at 15, repeat at 75, escalated at 90, next reminder 60 minutes after the escalation
    const values = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3];
    const { runs } = simulate([rule()], rates(...values), { reminders });
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
    const reminders = { everyMinutes: 60 };
    const steps = rates(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5).map((step, i) => ({
      ...step,
      delivered: i !== 5,
    }));
    const { runs } = simulate([rule()], steps, { reminders });
    expect(runs.map((run) => run.kinds.join())).toEqual(['', 'fired', '', '', '', 'repeat', 'repeat']);
  });

  it('reminds hourly with back-off by default', () => {
    const { runs } = simulate([rule()], rates(...Array.from({ length: 16 }, () => 0.5)));
    expect(runs.flatMap((run) => run.kinds)).toEqual(['fired', 'repeat', 'repeat']);
  });
});

describe('group reminders: one cadence for every firing alert', () => {
  // Three rules on three metrics of the same response, each firing on its first breach.
  const transfer = rule({ id: 'transfer', pendingRuns: 1 });
  const solved = rule({
    id: 'solved',
    title: 'First-call resolution',
    metric: 'one_call_problem_solve_rate',
    pendingRuns: 1,
  });
  const duplicates = rule({
    id: 'duplicates',
    title: 'Duplicate calls',
    metric: 'duplicate_call_rate',
    comparison: 'above',
    warn: 0.5,
    crit: 0.7,
    recovery: 0.45,
    pendingRuns: 1,
  });
  const GOOD = { transfer_success_rate: 0.9, one_call_problem_solve_rate: 0.7, duplicate_call_rate: 0.2 };
  const step = (bad: { transfer?: boolean; solved?: boolean; duplicates?: boolean | 'no-data' }) => ({
    statistics: withTotal({
      transfer_success_rate: bad.transfer ? 0.5 : GOOD.transfer_success_rate,
      one_call_problem_solve_rate: bad.solved ? 0.5 : GOOD.one_call_problem_solve_rate,
      duplicate_call_rate:
        bad.duplicates === 'no-data' ? null : bad.duplicates ? 0.6 : GOOD.duplicate_call_rate,
    }),
  });
  const all = { transfer: true, solved: true, duplicates: true } as const;
  const steps = [
    step({ transfer: true }), // +0   transfer fires
    step({ transfer: true, solved: true }), // +15  solved fires
    step(all), // +30  duplicates fires: the group's clock starts here
    step(all),
    step(all),
    step(all),
    step(all), // +90  reminder 1: all three, in one message
    step({ ...all, duplicates: 'no-data' }), // duplicates stops being judged from here on
    step({ ...all, duplicates: 'no-data' }),
    step({ ...all, duplicates: 'no-data' }),
    step({ ...all, duplicates: 'no-data' }),
    step({ ...all, duplicates: 'no-data' }),
    step({ ...all, duplicates: 'no-data' }),
    step({ ...all, duplicates: 'no-data' }),
    step({ ...all, duplicates: 'no-data' }), // +210 reminder 2 (120 min later): the two still judged
  ];

  const summary = (runs: ReturnType<typeof simulate>['runs']) =>
    runs.flatMap((run, index) =>
      run.notifications.length === 0
        ? []
        : [
            `+${index * 15} ${run.notifications.map((n) => `${n.kind}:${'ruleId' in n ? n.ruleId : ''}`).join(' ')}`,
          ],
    );

  it('webhook mode: WARN alerts joining a firing group ride on its next reminder, which then lists every alert still judged', () => {
    const { runs } = simulate([transfer, solved, duplicates], steps, {
      reminders: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 },
    });
    expect(summary(runs)).toEqual([
      '+0 fired:transfer',
      // solved (+15) and duplicates (+30) are WARN and join a group already firing: no push of their own
      '+60 fired:solved fired:duplicates repeat:transfer',
      // the joins did not restart the back-off: the second reminder comes 120 minutes later
      '+180 repeat:transfer repeat:solved',
    ]);
    const numbers = runs.flatMap((run) =>
      run.notifications.flatMap((n) => (n.kind === 'repeat' ? [`${n.ruleId} ${n.repeatNumber}`] : [])),
    );
    expect(numbers).toEqual(['transfer 1', 'transfer 2', 'solved 1']);
  });

  it('lists every alert still firing in one reminder on one cadence, and holds a rule no longer judged (app mode: every alert at once)', () => {
    // Act
    const { runs } = simulate([transfer, solved, duplicates], steps, {
      reminders: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 },
      delivery: 'app',
    });
    // Assess: one message per run at most, news at once, reminders for the group
    const sent = runs.flatMap((run, index) =>
      run.notifications.length === 0
        ? []
        : [
            `+${index * 15} ${run.notifications.map((n) => `${n.kind}:${'ruleId' in n ? n.ruleId : ''}`).join(' ')}`,
          ],
    );
    expect(sent).toEqual([
      '+0 fired:transfer',
      '+15 fired:solved',
      '+30 fired:duplicates',
      '+90 repeat:transfer repeat:solved repeat:duplicates',
      '+210 repeat:transfer repeat:solved',
    ]);
    // Every figure a reminder shows was measured by the run that sends it.
    for (const run of runs) {
      for (const n of run.notifications.filter((n): n is RuleNotification => n.kind === 'repeat')) {
        expect(n.valueAt).toBe(run.at.toISOString());
        expect(n.repeatNumber).toBe(run === runs[6] ? 1 : 2);
      }
    }
  });

  it('webhook mode: a WARN joining the group, said in its next message while its value is back inside the hysteresis band, quotes the reading that breached, dated', () => {
    // solved breaches at +15 (50% < 60%) and joins; from +30 it sits at 62%: above warn (60%), below
    // recovery (65%), still WARN but no longer breaching. Its fired message goes out with the reminder at +60.
    const band = (solved: number) => ({
      statistics: withTotal({ ...GOOD, transfer_success_rate: 0.5, one_call_problem_solve_rate: solved }),
    });
    const { runs } = simulate(
      [transfer, solved],
      [band(0.7), band(0.5), band(0.62), band(0.62), band(0.62)],
      {
        reminders: { everyMinutes: 60 },
      },
    );
    expect(summary(runs)).toEqual(['+0 fired:transfer', '+60 fired:solved repeat:transfer']);
    const said = runs[4]?.notifications.find((n) => n.kind === 'fired');
    expect(said).toMatchObject({ ruleId: 'solved', value: 0.5, valueAt: runs[1]?.at.toISOString() });
    const text = JSON.stringify(
      buildAlertMessage(runs[4]?.notifications ?? [], { at: runs[4]?.at ?? EXAMPLE_AT, timeZone: JAKARTA }),
    );
    expect(text).toContain('First-call resolution 50% &lt; 60%');
    expect(text).toContain('to 14:45');
    expect(text).not.toContain('62%');
  });

  it('sends no reminder at all while no firing alert is judged, and sends it once one is', () => {
    const silent = () => ({ statistics: withoutRealtime() });
    const { runs } = simulate(
      [transfer],
      [step({ transfer: true }), ...Array.from({ length: 6 }, silent), step({ transfer: true })],
      {
        reminders: { everyMinutes: 60 },
      },
    );
    expect(runs.map((run) => run.kinds.join())).toEqual(['fired', '', '', '', '', '', '', 'repeat']);
    expect(runs[7]?.notifications[0]).toMatchObject({ valueAt: runs[7]?.at.toISOString(), value: 0.5 });
  });
});

/** Without the named fields (an older document, or a rule file without them). */
const without = <T extends object>(value: T, ...keys: string[]): T =>
  Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key))) as T;

describe('owedNotifications: state × what Slack last accepted → what is owed, with its fields', () => {
  const AT = new Date('2025-11-12T07:30:00.000Z');
  const now = AT.toISOString();
  const FIRED = '2025-11-12T07:00:00.000Z';
  const BREACHED = '2025-11-12T06:45:00.000Z';
  const machine = rule({ id: 'transfer', runbook: 'https://wiki.example.com/rb' });
  const firingState = (severity: 'warn' | 'crit', extra: Partial<FiringRuleState> = {}): FiringRuleState => ({
    status: 'firing',
    severity,
    condition: 'threshold',
    since: FIRED,
    firedAt: FIRED,
    breachedAt: BREACHED,
    pendingCount: 0,
    healthyCount: 0,
    lastValue: severity === 'crit' ? 0.3 : 0.5,
    lastValueAt: now,
    lastWindow: 'last 60 min',
    lastEvaluatedAt: now,
    lastOutcome: 'value',
    history: [],
    ...extra,
  });
  const told = (severity: 'warn' | 'crit', at = FIRED) =>
    ({ status: 'firing', severity, condition: 'threshold', firedAt: FIRED, at }) as const;
  const stateWith = (rule: RuleState, reminders?: AlertState['reminders']): AlertState => ({
    ...emptyAlertState(),
    rules: { transfer: rule },
    ...(reminders === undefined ? {} : { reminders }),
  });

  it.each([
    {
      name: 'firing, never announced → fired with runbook, window, threshold and clearsAt',
      state: stateWith(firingState('warn')),
      owed: [
        {
          kind: 'fired',
          severity: 'warn',
          value: 0.5,
          threshold: 0.6,
          clearsAt: 0.65,
          window: 'last 60 min',
          runbook: 'https://wiki.example.com/rb',
          breachedAt: BREACHED,
          firedAt: FIRED,
        },
      ],
    },
    {
      name: 'crit, announced as warn → escalated, clearing at the crit release',
      state: stateWith(firingState('crit', { notified: told('warn') })),
      owed: [
        {
          kind: 'escalated',
          severity: 'crit',
          previousSeverity: 'warn',
          threshold: 0.4,
          clearsAt: expect.closeTo(0.45, 10),
        },
      ],
    },
    {
      name: 'warn, announced as crit → eased',
      state: stateWith(firingState('warn', { notified: told('crit') })),
      owed: [
        { kind: 'de-escalated', severity: 'warn', previousSeverity: 'crit', threshold: 0.6, clearsAt: 0.65 },
      ],
    },
    {
      name: 'announced, reminder not yet due → nothing',
      state: stateWith(firingState('warn', { notified: told('warn', now) }), {
        lastAt: '2025-11-12T07:00:00.000Z',
        count: 0,
      }),
      owed: [],
    },
    {
      name: 'announced, reminder due, judged now → reminder 1',
      state: stateWith(firingState('warn', { notified: told('warn') }), {
        lastAt: '2025-11-12T06:30:00.000Z',
        count: 0,
      }),
      owed: [{ kind: 'repeat', repeatNumber: 1, valueAt: now, window: 'last 60 min' }],
    },
    {
      name: 'announced, reminder due, not judged now → held',
      state: stateWith(
        firingState('warn', { notified: told('warn'), lastValueAt: FIRED, lastOutcome: 'not-judged' }),
        { lastAt: '2025-11-12T06:30:00.000Z', count: 0 },
      ),
      owed: [],
    },
    {
      name: 'ok after an announced episode → resolved with the condition span',
      state: stateWith({
        ...without(firingState('warn'), 'severity', 'condition', 'firedAt', 'breachedAt'),
        status: 'ok',
        since: now,
        notified: told('warn'),
        history: [
          {
            at: now,
            from: 'firing:warn',
            to: 'ok',
            value: 0.7,
            threshold: 0.65,
            condition: 'threshold',
            firedAt: FIRED,
            breachedAt: BREACHED,
            endedAt: '2025-11-12T07:15:00.000Z',
          },
        ],
      }),
      owed: [
        {
          kind: 'resolved',
          value: 0.7,
          threshold: 0.65,
          breachedAt: BREACHED,
          endedAt: '2025-11-12T07:15:00.000Z',
          durationMs: 30 * 60_000,
          resolvedAt: now,
        },
      ],
    },
  ])('$name', ({ state, owed }) => {
    const notifications = owedNotifications(state, [machine], AT, JAKARTA, {
      everyMinutes: 60,
      backoff: 2,
      maxEveryMinutes: 480,
    });
    expect(notifications).toHaveLength(owed.length);
    for (const [index, expected] of owed.entries()) expect(notifications[index]).toMatchObject(expected);
    for (const n of notifications)
      if (n.kind !== 'fired' && n.kind !== 'escalated') expect(n).not.toHaveProperty('runbook', undefined);
  });

  it.each([
    { delivered: ['fired'], before: undefined, after: { lastAt: '2025-11-12T07:30:00.000Z', count: 0 } },
    {
      delivered: ['repeat'],
      before: { lastAt: FIRED, count: 1 },
      after: { lastAt: '2025-11-12T07:30:00.000Z', count: 2 },
    },
    {
      delivered: ['de-escalated'],
      before: { lastAt: FIRED, count: 1 },
      after: { lastAt: '2025-11-12T07:30:00.000Z', count: 1 },
    },
    {
      delivered: ['escalated'],
      before: { lastAt: FIRED, count: 3 },
      after: { lastAt: '2025-11-12T07:30:00.000Z', count: 0 },
    },
  ])('moves the group clock after $delivered is accepted', ({ delivered, before, after }) => {
    const state = stateWith(firingState('warn', { notified: told('warn') }), before);
    const notifications = delivered.map(
      (kind) =>
        ({
          ...owedNotifications(stateWith(firingState('warn')), [machine], AT, JAKARTA)[0],
          kind,
          repeatNumber: kind === 'repeat' ? (before?.count ?? 0) + 1 : undefined,
        }) as Notification,
    );
    expect(markNotified(state, notifications, AT).reminders).toEqual(after);
  });

  it('drops the group clock once nothing announced is firing', () => {
    const resolvedState = stateWith(
      { ...firingState('warn', { notified: told('warn') }), status: 'ok' },
      { lastAt: FIRED, count: 2 },
    );
    const [resolved] = owedNotifications(resolvedState, [machine], AT, JAKARTA);
    expect(resolved?.kind).toBe('resolved');
    expect(markNotified(resolvedState, resolved ? [resolved] : [], AT).reminders).toBeUndefined();
  });
});

describe('owedNotifications: every field of what is owed', () => {
  const AT = new Date('2025-11-12T07:30:00.000Z');
  const now = AT.toISOString();
  const HEALTHY = '2025-11-12T07:15:00.000Z';
  const FIRED = '2025-11-12T07:00:00.000Z';
  const BREACHED = '2025-11-12T06:45:00.000Z';
  const OLDER = '2025-11-12T06:00:00.000Z';
  const RUNBOOK = 'https://wiki.example.com/rb';
  const MISSING = 'the 60-min window response is missing';
  const BASIS = { part: 50, whole: 100, noun: 'transfers' };
  const machine = rule({ id: 'transfer', runbook: RUNBOOK });
  /** What every message of `machine` says about the rule itself. */
  const about = {
    ruleId: 'transfer',
    title: 'Transfer success rate',
    metric: 'transfer_success_rate',
    runbook: RUNBOOK,
    comparison: 'below',
    unit: 'rate',
  };
  const firingState = (extra: Partial<FiringRuleState> = {}): FiringRuleState => ({
    status: 'firing',
    severity: 'warn',
    condition: 'threshold',
    since: FIRED,
    firedAt: FIRED,
    breachedAt: BREACHED,
    pendingCount: 0,
    healthyCount: 0,
    lastValue: 0.5,
    lastValueAt: now,
    lastWindow: 'last 60 min',
    lastBasis: BASIS,
    lastEvaluatedAt: now,
    lastOutcome: 'value',
    history: [],
    ...extra,
  });
  /** Firing on no data since FIRED, the last value (from before) still stored. */
  const noDataState = (extra: Partial<FiringRuleState> = {}): FiringRuleState =>
    firingState({
      condition: 'no-data',
      lastValueAt: OLDER,
      lastOutcome: 'no-data',
      lastReason: MISSING,
      ...extra,
    });
  const told = (
    severity: 'warn' | 'crit' = 'warn',
    { firedAt = FIRED, condition = 'threshold' as 'threshold' | 'no-data', at = FIRED } = {},
  ) => ({ status: 'firing', severity, condition, firedAt, at }) as const;
  /** Back to ok at `now`, after the episode fired at FIRED was announced; its resolution in history. */
  const resolvedState = (extra: Partial<OkRuleState> = {}): OkRuleState => ({
    status: 'ok',
    since: now,
    pendingCount: 0,
    healthyCount: 0,
    lastValue: 0.7,
    lastValueAt: now,
    lastWindow: 'last 60 min',
    lastEvaluatedAt: now,
    lastOutcome: 'value',
    notified: told(),
    history: [
      {
        at: now,
        from: 'firing:warn',
        to: 'ok',
        value: 0.7,
        threshold: 0.65,
        condition: 'threshold',
        firedAt: FIRED,
        breachedAt: BREACHED,
        endedAt: HEALTHY,
      },
    ],
    ...extra,
  });
  const stateWith = (rules: Record<string, RuleState>, reminders?: AlertState['reminders']): AlertState => ({
    ...emptyAlertState(),
    rules,
    ...(reminders === undefined ? {} : { reminders }),
  });
  const cadence = { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 };
  const owed = (state: AlertState, rules = [machine], delivery?: DeliveryMode) =>
    owedNotifications(state, rules, AT, JAKARTA, cadence, delivery);
  /** The resolution of the episode fired at FIRED, breached at BREACHED, ended at HEALTHY on 0.7. */
  const resolution = {
    kind: 'resolved',
    key: `transfer:resolved:${FIRED}`,
    ...about,
    severity: 'warn',
    condition: 'threshold',
    value: 0.7,
    threshold: 0.65,
    window: 'last 60 min',
    valueAt: now,
    firedAt: FIRED,
    breachedAt: BREACHED,
    endedAt: HEALTHY,
    resolvedAt: now,
    durationMs: 30 * 60_000,
  } as const;

  it.each([
    {
      name: 'firing, never announced → fired, with the value, its window, run and counts, and no reason',
      rule: machine,
      state: firingState({ lastOutcome: 'not-judged', lastReason: '5 calls, fewer than minCalls 30' }),
      expected: {
        kind: 'fired',
        key: `transfer:fired:${FIRED}:warn`,
        ...about,
        severity: 'warn',
        condition: 'threshold',
        value: 0.5,
        threshold: 0.6,
        clearsAt: 0.65,
        window: 'last 60 min',
        valueAt: now,
        basis: BASIS,
        firedAt: FIRED,
        breachedAt: BREACHED,
      },
    },
    {
      name: 'firing without window, run, counts or runbook → fired without those fields',
      rule: without(machine, 'runbook'),
      state: without(firingState(), 'lastWindow', 'lastValueAt', 'lastBasis'),
      expected: {
        kind: 'fired',
        key: `transfer:fired:${FIRED}:warn`,
        ...without(about, 'runbook'),
        severity: 'warn',
        condition: 'threshold',
        value: 0.5,
        threshold: 0.6,
        clearsAt: 0.65,
        firedAt: FIRED,
        breachedAt: BREACHED,
      },
    },
    {
      name: 'firing crit on a crit-only rule → fired crit, clearing at recovery',
      rule: rule({ id: 'transfer', runbook: RUNBOOK, warn: undefined, crit: 0.4, recovery: 0.5 }),
      state: firingState({ severity: 'crit', lastValue: 0.3 }),
      expected: {
        kind: 'fired',
        key: `transfer:fired:${FIRED}:crit`,
        ...about,
        severity: 'crit',
        condition: 'threshold',
        value: 0.3,
        threshold: 0.4,
        clearsAt: 0.5,
        window: 'last 60 min',
        valueAt: now,
        basis: BASIS,
        firedAt: FIRED,
        breachedAt: BREACHED,
      },
    },
    {
      name: 'firing on no data → fired with the reason and no stale value, window, run or counts',
      rule: machine,
      state: noDataState(),
      expected: {
        kind: 'fired',
        key: `transfer:fired:${FIRED}:warn`,
        ...about,
        severity: 'warn',
        condition: 'no-data',
        value: null,
        threshold: null,
        reason: MISSING,
        firedAt: FIRED,
        breachedAt: BREACHED,
      },
    },
    {
      name: 'firing on no data with no reason stored → fired without a reason',
      rule: machine,
      state: without(noDataState(), 'lastReason'),
      expected: {
        kind: 'fired',
        key: `transfer:fired:${FIRED}:warn`,
        ...about,
        severity: 'warn',
        condition: 'no-data',
        value: null,
        threshold: null,
        firedAt: FIRED,
        breachedAt: BREACHED,
      },
    },
    {
      name: 'firing stored without a breach (older document, upgraded on read) → breached when it fired',
      rule: machine,
      state: RuleStateSchema.parse(without(firingState(), 'breachedAt')),
      expected: {
        kind: 'fired',
        key: `transfer:fired:${FIRED}:warn`,
        ...about,
        severity: 'warn',
        condition: 'threshold',
        value: 0.5,
        threshold: 0.6,
        clearsAt: 0.65,
        window: 'last 60 min',
        valueAt: now,
        basis: BASIS,
        firedAt: FIRED,
        breachedAt: FIRED,
      },
    },
    {
      name: 'ok after an announced episode → resolved from its history entry, with the window of the last value',
      rule: machine,
      state: resolvedState(),
      expected: resolution,
    },
    {
      name: 'ok, its resolution rolled off the history and no window stored → resolved at the ok status start',
      rule: machine,
      state: without(resolvedState({ since: HEALTHY, history: [] }), 'lastWindow'),
      expected: {
        kind: 'resolved',
        key: `transfer:resolved:${FIRED}`,
        ...about,
        severity: 'warn',
        condition: 'threshold',
        value: null,
        threshold: 0.65,
        firedAt: FIRED,
        breachedAt: FIRED,
        endedAt: HEALTHY,
        resolvedAt: HEALTHY,
        durationMs: 15 * 60_000,
      },
    },
    {
      name: 'resolved after the rules file moved recovery → the threshold recorded at the resolution',
      rule: rule({ id: 'transfer', runbook: RUNBOOK, recovery: 0.7 }),
      state: resolvedState(),
      expected: resolution,
    },
    {
      name: 'ok after an announced no-data episode → resolved with no threshold',
      rule: machine,
      state: resolvedState({
        notified: told('warn', { condition: 'no-data' }),
        history: [
          {
            at: now,
            from: 'firing:warn',
            to: 'ok',
            value: 0.9,
            threshold: null,
            condition: 'no-data',
            firedAt: FIRED,
            breachedAt: BREACHED,
            endedAt: now,
            note: 'data returned',
          },
        ],
      }),
      expected: {
        kind: 'resolved',
        key: `transfer:resolved:${FIRED}`,
        ...about,
        severity: 'warn',
        condition: 'no-data',
        value: 0.9,
        threshold: null,
        window: 'last 60 min',
        valueAt: now,
        firedAt: FIRED,
        breachedAt: BREACHED,
        endedAt: now,
        resolvedAt: now,
        durationMs: 45 * 60_000,
      },
    },
  ])('$name', ({ rule: theRule, state, expected }) => {
    expect(owedNotifications(stateWith({ transfer: state }), [theRule], AT, JAKARTA)).toStrictEqual([
      expected,
    ]);
  });

  it('closes an announced episode whose resolution rolled off, at the last run, and announces the new one', () => {
    // Prepare: announced at OLDER, resolved and fired again at HEALTHY while nothing got through
    const state = firingState({
      since: HEALTHY,
      firedAt: HEALTHY,
      breachedAt: HEALTHY,
      notified: told('warn', { firedAt: OLDER }),
    });
    // Act
    const notifications = owedNotifications(stateWith({ transfer: state }), [machine], AT, JAKARTA);
    // Assess
    expect(notifications.map((n) => n.kind)).toEqual(['resolved', 'fired']);
    expect(notifications[0]).toMatchObject({
      key: `transfer:resolved:${OLDER}`,
      value: null,
      firedAt: OLDER,
      breachedAt: OLDER,
      endedAt: now,
      resolvedAt: now,
      durationMs: 90 * 60_000,
    });
    expect(notifications[0]).not.toHaveProperty('valueAt');
    expect(notifications[1]).toMatchObject({ key: `transfer:fired:${HEALTHY}:warn`, firedAt: HEALTHY });
  });

  it('owes only the new episode once the previous resolution was delivered', () => {
    const state = firingState({ notified: { status: 'ok', at: OLDER } });
    expect(owed(stateWith({ transfer: state })).map((n) => n.kind)).toEqual(['fired']);
  });

  it('owes nothing for a rule the state has never seen', () => {
    expect(owed(stateWith({}, { lastAt: OLDER, count: 0 }))).toEqual([]);
  });

  it('reminds with every field of the figure measured now, numbered in its key', () => {
    const state = stateWith({ transfer: firingState({ notified: told() }) }, { lastAt: OLDER, count: 0 });
    expect(owed(state)).toStrictEqual([
      {
        kind: 'repeat',
        key: `transfer:repeat:${FIRED}:warn#1`,
        ...about,
        severity: 'warn',
        condition: 'threshold',
        value: 0.5,
        threshold: 0.6,
        clearsAt: 0.65,
        window: 'last 60 min',
        valueAt: now,
        basis: BASIS,
        firedAt: FIRED,
        breachedAt: BREACHED,
        repeatNumber: 1,
        reminderStep: 1,
      },
    ]);
  });

  it('reminds of an alert on no data that this run found still without data, with its reason', () => {
    const state = stateWith(
      { transfer: noDataState({ notified: told('warn', { condition: 'no-data' }) }) },
      {
        lastAt: OLDER,
        count: 2,
      },
    );
    // 60 × 2² = 240 minutes after OLDER is not yet due at +90; a count of 0 would be
    expect(owed(state)).toEqual([]);
    expect(owed({ ...state, reminders: { lastAt: OLDER, count: 0 } })).toStrictEqual([
      {
        kind: 'repeat',
        key: `transfer:repeat:${FIRED}:warn#1`,
        ...about,
        severity: 'warn',
        condition: 'no-data',
        value: null,
        threshold: null,
        reason: MISSING,
        firedAt: FIRED,
        breachedAt: BREACHED,
        repeatNumber: 1,
        reminderStep: 1,
      },
    ]);
  });

  it.each([
    {
      name: 'no data found again by this run',
      state: noDataState(),
      expected: ['repeat'],
    },
    {
      name: 'data back but too few calls to judge',
      state: noDataState({ lastOutcome: 'not-judged', lastReason: '5 calls, fewer than minCalls 30' }),
      expected: [],
    },
    {
      name: 'not evaluated by this run (a failed run)',
      state: noDataState({ lastEvaluatedAt: HEALTHY }),
      expected: [],
    },
    {
      name: 'a value judged by this run',
      state: firingState(),
      expected: ['repeat'],
    },
    {
      name: 'a value from an earlier run, this run not judged',
      state: firingState({ lastValueAt: HEALTHY, lastOutcome: 'not-judged' }),
      expected: [],
    },
  ])('a due reminder for an announced alert with $name owes $expected', ({ state, expected }) => {
    const notified = told('warn', { condition: state.condition ?? 'threshold' });
    const owing = owed(stateWith({ transfer: { ...state, notified } }, { lastAt: OLDER, count: 0 }));
    expect(owing.map((n) => n.kind)).toEqual(expected);
  });

  describe('news holds the group reminder; other messages do not', () => {
    const solved = rule({
      id: 'solved',
      title: 'First-call resolution',
      metric: 'one_call_problem_solve_rate',
    });
    const reminded = firingState({ notified: told() });
    const degraded = {
      status: 'degraded',
      since: HEALTHY,
      consecutiveFailures: 3,
      firstFailureAt: HEALTHY,
      lastError: 'API down: HTTP 503',
    } as const;
    const label = (n: Notification) => `${n.kind}:${'ruleId' in n ? n.ruleId : 'monitor'}`;
    const crit = firingState({ severity: 'crit', lastValue: 0.3 });

    it.each([
      {
        name: 'the other rule ok',
        solved: resolvedState({ notified: undefined }),
        expected: ['repeat:transfer'],
      },
      { name: 'the other rule never seen', solved: undefined, expected: ['repeat:transfer'] },
      { name: 'the other rule fired at CRIT', solved: crit, expected: ['fired:solved'] },
      {
        name: 'the other rule fired at WARN (webhook: it joins the reminder)',
        solved: firingState(),
        expected: ['fired:solved', 'repeat:transfer'],
      },
      {
        name: 'the other rule fired at WARN (app mode: news)',
        solved: firingState(),
        delivery: 'app' as const,
        expected: ['fired:solved'],
      },
      {
        name: 'the other rule escalated',
        solved: firingState({ severity: 'crit', lastValue: 0.3, notified: told('warn') }),
        expected: ['escalated:solved'],
      },
      {
        name: 'the other rule eased (webhook: its reminder says the easing)',
        solved: firingState({ notified: told('crit') }),
        expected: ['repeat:transfer', 'repeat:solved'],
      },
      {
        name: 'the other rule eased (app mode: its ease is owed, no reminder of it yet)',
        solved: firingState({ notified: told('crit') }),
        delivery: 'app' as const,
        expected: ['de-escalated:solved', 'repeat:transfer'],
      },
      {
        name: 'the other rule resolved',
        solved: resolvedState(),
        expected: ['resolved:solved', 'repeat:transfer'],
      },
      {
        name: 'the monitor degraded',
        solved: resolvedState({ notified: undefined }),
        monitor: degraded,
        expected: ['monitor-degraded:monitor', 'repeat:transfer'],
      },
      {
        name: 'the other rule fired at CRIT and the monitor degraded',
        solved: crit,
        monitor: degraded,
        expected: ['fired:solved', 'monitor-degraded:monitor'],
      },
    ])('a due reminder with $name → $expected', ({ solved: solvedState, monitor, expected, ...mode }) => {
      const state: AlertState = {
        ...stateWith(
          solvedState === undefined ? { transfer: reminded } : { transfer: reminded, solved: solvedState },
          { lastAt: OLDER, count: 0 },
        ),
        ...(monitor === undefined ? {} : { monitor }),
      };
      const delivery = 'delivery' in mode ? mode.delivery : undefined;
      expect(owed(state, [machine, solved], delivery).map(label)).toEqual(expected);
    });
  });

  it.each([
    { name: 'one announcement, due', rules: { transfer: told('warn', { at: OLDER }) }, expected: ['repeat'] },
    {
      name: 'the latest announcement not yet due, though an earlier one is',
      rules: { transfer: told('warn', { at: FIRED }), solved: told('warn', { at: OLDER }) },
      expected: [],
    },
  ])('starts the group clock of an older document from $name', ({ rules, expected }) => {
    const states = Object.fromEntries(
      Object.entries(rules).map(([id, notified]) => [id, firingState({ notified })]),
    );
    const state = stateWith({ ...states, other: resolvedState({ notified: undefined }) });
    // Both rules are in the rules: a firing state of a rule that is not would be owed "rule removed".
    const owing = owed(state, [machine, rule({ id: 'solved', metric: 'one_call_problem_solve_rate' })]);
    expect(owing.map((n) => n.kind)).toEqual(expected);
    expect(owing.map((n) => 'repeatNumber' in n && n.repeatNumber)).toEqual(expected.map(() => 1));
  });

  /** An episode of `ruleId` fired at `firedAt`: peaked CRIT, eased back to WARN, ended at HEALTHY on 0.7. */
  const closedEpisode = (ruleId: string, firedAt: string, extra: Partial<Episode> = {}): Episode => ({
    ...openEpisode(ruleId, 'threshold', BREACHED, { value: 0.3, at: FIRED }),
    firedAt,
    severity: 'warn',
    peak: { severity: 'crit', at: FIRED },
    easedAt: HEALTHY,
    ended: HEALTHY,
    resolvedAt: now,
    resolvedValue: 0.7,
    ...extra,
  });

  describe('removed rules, episode records, the reminder cadence and the monitor', () => {
    /** What a removed rule's resolution says: the rule's id for its title, no value, no threshold. */
    const removedResolution = (facts: Record<string, unknown>) => ({
      kind: 'resolved',
      key: `gone:resolved:${FIRED}`,
      ruleId: 'gone',
      title: 'gone',
      metric: '',
      comparison: 'below',
      unit: 'count',
      condition: 'threshold',
      value: null,
      threshold: null,
      firedAt: FIRED,
      resolvedAt: now,
      durationMs: 30 * 60_000,
      ruleRemoved: true,
      ...facts,
    });
    it('owes a rule removed from the rules while Slack was told it fires a resolution saying so, from its episode record', () => {
      const record = closedEpisode('gone', FIRED, { severity: 'crit' });
      const state = {
        ...stateWith({
          gone: firingState({ severity: 'crit', notified: told('crit'), lastEvaluatedAt: OLDER }),
        }),
        // Another rule's episode of the same start, and an earlier episode of the removed rule, come first.
        episodes: [
          closedEpisode('transfer', FIRED, { ended: FIRED }),
          closedEpisode('gone', OLDER, { ended: FIRED }),
          record,
        ],
      };
      expect(owed(state)).toStrictEqual([
        removedResolution({
          severity: 'crit',
          breachedAt: BREACHED,
          endedAt: HEALTHY,
          peak: { severity: 'crit', at: FIRED },
        }),
      ]);
    });

    it('owes a removed rule of a document without an episode record a resolution at its last run', () => {
      const state = stateWith({ gone: firingState({ notified: told() }) });
      expect(owed(state)).toStrictEqual([
        removedResolution({ severity: 'warn', breachedAt: FIRED, endedAt: now }),
      ]);
      // Nothing for a removed rule Slack was never told fires, or was told resolved.
      expect(owed(stateWith({ gone: firingState() }))).toEqual([]);
      expect(owed(stateWith({ gone: resolvedState({ notified: { status: 'ok', at: FIRED } }) }))).toEqual([]);
    });

    it("resolves from the announced episode's own record, among other rules' and earlier episodes", () => {
      const record = closedEpisode('transfer', FIRED);
      const state = {
        ...stateWith({ transfer: resolvedState() }),
        episodes: [
          closedEpisode('other', FIRED),
          closedEpisode('transfer', OLDER, { resolvedValue: 0.9 }),
          record,
        ],
      };
      expect(owed(state)).toStrictEqual([
        { ...resolution, peak: { severity: 'crit', at: FIRED }, easedAt: HEALTHY },
      ]);
    });

    it('compares no threshold in a resolution without a value or of a no-data episode, and adds no window it lacks', () => {
      const { lastWindow: _none, ...windowless } = resolvedState();
      const resolution = (episode: Episode) =>
        owed({ ...stateWith({ transfer: windowless }), episodes: [episode] })[0];
      const noValue = resolution(closedEpisode('transfer', FIRED, { resolvedValue: null }));
      expect(noValue).toMatchObject({ value: null, threshold: null });
      expect(noValue).not.toHaveProperty('window');
      const dataReturned = resolution(closedEpisode('transfer', FIRED, { condition: 'no-data' }));
      expect(dataReturned).toMatchObject({ value: 0.7, threshold: null });
      const { easedAt: _never, ...atPeak } = closedEpisode('transfer', FIRED);
      expect(resolution(atPeak)).not.toHaveProperty('easedAt');
    });

    it('resolves a document without an episode record from the resolution in its history, not a later entry', () => {
      const pending: RuleState = {
        status: 'pending',
        condition: 'threshold',
        since: now,
        breachedAt: now,
        pendingCount: 1,
        healthyCount: 0,
        lastValue: 0.5,
        lastValueAt: now,
        lastEvaluatedAt: now,
        notified: told(),
        history: [
          // The resolution of the episode fired at FIRED, then the next episode's first breach.
          ...resolvedState().history.map((entry) => ({ ...entry, at: HEALTHY })),
          { at: now, from: 'ok', to: 'pending', value: 0.5, threshold: 0.6, condition: 'threshold' },
        ],
      };
      expect(owed(stateWith({ transfer: pending }))[0]).toMatchObject({
        kind: 'resolved',
        value: 0.7,
        threshold: 0.65,
        valueAt: HEALTHY,
        resolvedAt: HEALTHY,
        endedAt: HEALTHY,
        breachedAt: BREACHED,
      });
    });

    it("numbers a reminder by the rule's own open episode, not another rule's or an earlier one", () => {
      const open = (ruleId: string, firedAt: string, reminders: number): Episode => ({
        ...openEpisode(ruleId, 'threshold', BREACHED, null),
        firedAt,
        severity: 'warn',
        peak: { severity: 'warn', at: firedAt },
        reminders,
      });
      const state = {
        ...stateWith({ transfer: firingState({ notified: told() }) }, { lastAt: OLDER, count: 0 }),
        episodes: [
          closedEpisode('transfer', OLDER, { reminders: 5 }),
          open('other', FIRED, 3),
          open('transfer', FIRED, 1),
          // An even earlier one listed after it: the rule's episodes are all looked at, not its last.
          closedEpisode('transfer', '2025-11-12T05:00:00.000Z', { reminders: 7 }),
        ],
      };
      // App mode: in webhook mode the earlier episode, closed without a message since the group's
      // last one, would also be owed its resolution "not announced before".
      expect(owed(state, [machine], 'app')).toMatchObject([
        { kind: 'repeat', repeatNumber: 2, key: `transfer:repeat:${FIRED}:warn#2` },
      ]);
    });

    it('reminds once the cadence less a minute of grace has passed since the last message, not before', () => {
      const state = (lastAt: Date) =>
        stateWith(
          { transfer: firingState({ notified: told() }) },
          { lastAt: lastAt.toISOString(), count: 0 },
        );
      expect(owed(state(minutesAfter(AT, -59))).map((n) => n.kind)).toEqual(['repeat']);
      expect(owed(state(new Date(AT.getTime() - 59 * 60_000 + 1))).map((n) => n.kind)).toEqual([]);
    });

    it.each([
      { severity: 'warn' as const, lastValue: 0.5 },
      // CRIT would be news, not a WARN joining the group: only the mute period keeps it from holding.
      { severity: 'crit' as const, lastValue: 0.3 },
    ])("lets a muted rule's $severity news not hold the group reminder: it is not sent yet", (firing) => {
      const quiet = rule({
        id: 'solved',
        metric: 'one_call_problem_solve_rate',
        mute: [{ from: '14:00', to: '15:00' }],
      });
      const state = stateWith(
        { transfer: firingState({ notified: told() }), solved: firingState(firing) },
        { lastAt: OLDER, count: 0 },
      );
      const owing = owed(state, [machine, quiet]);
      expect(owing.map((n) => `${n.kind}:${'ruleId' in n ? n.ruleId : ''}`)).toEqual([
        'fired:solved',
        'repeat:transfer',
      ]);
    });

    it("keys the monitor's messages by the spell they announce, and adds no error it does not know", () => {
      const degraded = {
        status: 'degraded',
        since: HEALTHY,
        consecutiveFailures: 3,
        firstFailureAt: OLDER,
      } as const;
      expect(owedNotifications({ ...emptyAlertState(), monitor: degraded }, [], AT, JAKARTA)).toStrictEqual([
        { kind: 'monitor-degraded', key: `monitor:degraded:${OLDER}`, consecutiveFailures: 3, since: OLDER },
      ]);
      const recovered = {
        status: 'ok',
        consecutiveFailures: 0,
        notified: { status: 'degraded', since: OLDER, at: FIRED },
      } as const;
      expect(owedNotifications({ ...emptyAlertState(), monitor: recovered }, [], AT, JAKARTA)).toStrictEqual([
        {
          kind: 'monitor-recovered',
          key: `monitor:recovered:${OLDER}`,
          consecutiveFailures: 0,
          since: OLDER,
          recoveredAt: FIRED,
          durationMs: 60 * 60_000,
        },
      ]);
    });
  });

  describe('webhook batching, the group clock, unannounced resolutions and removed-rule pictures', () => {
    const quietState = () => resolvedState({ notified: undefined });
    const message = (at: string) => ({
      kind: 'fired' as const,
      key: `transfer:fired:${at}`,
      at,
      severity: 'warn' as const,
      value: 0.5,
    });

    it('webhook mode: owes the resolution of an episode that fired and ended since the group last posted with no message out, marked unannounced; app mode does not', () => {
      const state = {
        ...stateWith({ transfer: quietState() }, { lastAt: OLDER, count: 0 }),
        episodes: [closedEpisode('transfer', FIRED)],
      };
      expect(owed(state)).toStrictEqual([
        { ...resolution, peak: { severity: 'crit', at: FIRED }, easedAt: HEALTHY, unannounced: true },
      ]);
      expect(owed(state, [machine], 'app')).toEqual([]);
    });

    it('webhook mode: owes no unannounced resolution for an episode ended at or before the last post, one that got a message out, one still open, or one whose rule or state is gone', () => {
      const owedWith = (
        episode: Episode,
        { rules = { transfer: quietState() } as Record<string, RuleState>, lastAt = OLDER } = {},
      ) => owed({ ...stateWith(rules, { lastAt, count: 0 }), episodes: [episode] });
      // The episode closed at `now`: a group post at that very time, or after it, already covered it.
      expect(owedWith(closedEpisode('transfer', FIRED), { lastAt: now })).toEqual([]);
      expect(owedWith(closedEpisode('transfer', FIRED), { lastAt: '2025-11-12T07:45:00.000Z' })).toEqual([]);
      expect(owedWith(closedEpisode('transfer', FIRED, { notified: [message(FIRED)] }))).toEqual([]);
      expect(
        owedWith({ ...closedEpisode('transfer', FIRED), ended: undefined, resolvedAt: undefined }),
      ).toEqual([]);
      expect(owedWith(closedEpisode('gone', FIRED), { rules: { gone: quietState() } })).toEqual([]);
      expect(owedWith(closedEpisode('transfer', FIRED), { rules: {} })).toEqual([]);
      // No group post ever: nothing was waiting for one.
      expect(
        owed({ ...stateWith({ transfer: quietState() }), episodes: [closedEpisode('transfer', FIRED)] }),
      ).toEqual([]);
    });

    it("webhook mode: batches an unannounced resolution, or one while another announced alert fires; pushes the last announced alert's resolution and a lone WARN firing", () => {
      const alone = {
        ...stateWith({ transfer: quietState() }, { lastAt: OLDER, count: 0 }),
        episodes: [closedEpisode('transfer', FIRED)],
      };
      const [unannounced] = owed(alone);
      const [announced] = owed(stateWith({ transfer: resolvedState() }));
      if (unannounced === undefined || announced === undefined) throw new Error('nothing owed');
      expect(isBatchable(alone, unannounced)).toBe(true);
      expect(isBatchable(stateWith({ transfer: resolvedState() }), announced)).toBe(false);
      const withOther = stateWith({ transfer: resolvedState(), solved: firingState({ notified: told() }) });
      expect(isBatchable(withOther, announced)).toBe(true);
      // The rule's own announced episode is not another alert of the group.
      expect(isBatchable(stateWith({ transfer: firingState({ notified: told() }) }), announced)).toBe(false);
      const lone = stateWith({ transfer: firingState() });
      const [fired] = owed(lone);
      if (fired === undefined) throw new Error('nothing owed');
      expect(isBatchable(lone, fired)).toBe(false);
    });

    it('webhook mode: never batches a reminder or a monitor message', () => {
      const state = stateWith({ transfer: firingState({ notified: told() }) }, { lastAt: OLDER, count: 0 });
      const [reminder] = owed(state);
      expect(reminder?.kind).toBe('repeat');
      if (reminder === undefined) throw new Error('nothing owed');
      expect(isBatchable(state, reminder)).toBe(false);
      const degraded = {
        status: 'degraded',
        since: OLDER,
        consecutiveFailures: 3,
        firstFailureAt: OLDER,
      } as const;
      const [monitor] = owedNotifications({ ...emptyAlertState(), monitor: degraded }, [], AT, JAKARTA);
      if (monitor === undefined) throw new Error('nothing owed');
      expect(isBatchable(state, monitor)).toBe(false);
    });

    it("webhook mode: the group update is due with no post on record, or once the interval less a minute of grace has passed since the group's latest post", () => {
      const posted = (...times: Date[]): AlertState => ({
        ...emptyAlertState(),
        episodes: [
          { ...closedEpisode('transfer', FIRED), notified: times.map((time) => message(time.toISOString())) },
        ],
      });
      expect(groupUpdateDue(emptyAlertState(), AT, cadence)).toBe(true);
      expect(groupUpdateDue(posted(minutesAfter(AT, -59)), AT, cadence)).toBe(true);
      expect(groupUpdateDue(posted(minutesAfter(AT, -58)), AT, cadence)).toBe(false);
      // The latest post counts, wherever it is listed.
      expect(groupUpdateDue(posted(minutesAfter(AT, -30), minutesAfter(AT, -90)), AT, cadence)).toBe(false);
    });

    it('lists as the group only the rules firing in the episode Slack was told about', () => {
      const state = stateWith({
        transfer: firingState({ notified: told() }),
        solved: firingState(),
        later: firingState({ notified: told('warn', { firedAt: OLDER }) }),
        calm: quietState(),
      });
      expect(announcedRules(state)).toEqual(['transfer']);
    });

    it("quotes an escalation said after the run that saw it by the reading that breached CRIT, dated, with that reading's window and counts", () => {
      const basis = { part: 35, whole: 100, noun: 'transfers' };
      const breach = { value: 0.35, at: HEALTHY, window: 'last 30 min', basis };
      const state = firingState({
        severity: 'crit',
        lastValue: 0.45,
        notified: told('warn'),
        lastBreach: breach,
      });
      expect(owed(stateWith({ transfer: state }))[0]).toMatchObject({
        kind: 'escalated',
        previousSeverity: 'warn',
        value: 0.35,
        valueAt: HEALTHY,
        window: 'last 30 min',
        basis,
      });
      // A breach recorded without window or counts adds none.
      const bare = firingState({
        severity: 'crit',
        lastValue: 0.45,
        notified: told('warn'),
        lastBreach: { value: 0.35, at: HEALTHY },
      });
      const said = owed(stateWith({ transfer: bare }))[0];
      expect(said).toMatchObject({ kind: 'escalated', value: 0.35, valueAt: HEALTHY });
      expect(Object.keys(said ?? {})).not.toContain('window');
      expect(Object.keys(said ?? {})).not.toContain('basis');
    });

    it("quotes a breach found by this run with this run's window and counts, and a no-data firing with no value at all", () => {
      const thisRun = firingState({ lastBreach: { value: 0.5, at: now } });
      expect(owed(stateWith({ transfer: thisRun }))[0]).toMatchObject({
        kind: 'fired',
        value: 0.5,
        valueAt: now,
        window: 'last 60 min',
        basis: BASIS,
      });
      // The last breaching reading came after the last stored value, before the data stopped.
      const silent = noDataState({ lastBreach: { value: 0.35, at: HEALTHY } });
      const said = owed(stateWith({ transfer: silent }))[0];
      expect(said).toMatchObject({ kind: 'fired', condition: 'no-data', value: null });
      expect(Object.keys(said ?? {})).not.toContain('valueAt');
    });

    it('app mode: an easing is said with the value of this run, not the last breaching reading', () => {
      const eased = firingState({
        lastValue: 0.62,
        notified: told('crit'),
        lastBreach: { value: 0.55, at: HEALTHY },
      });
      expect(owed(stateWith({ transfer: eased }), [machine], 'app')).toMatchObject([
        {
          kind: 'de-escalated',
          previousSeverity: 'crit',
          value: 0.62,
          valueAt: now,
          window: 'last 60 min',
          basis: BASIS,
        },
      ]);
    });

    it('webhook mode: a reminder of an alert still CRIT says no easing; one of an alert that eased dates the easing from its episode record', () => {
      const crit = stateWith(
        { transfer: firingState({ severity: 'crit', lastValue: 0.3, notified: told('crit') }) },
        { lastAt: OLDER, count: 0 },
      );
      const [reminder] = owed(crit);
      expect(reminder).toMatchObject({ kind: 'repeat', severity: 'crit' });
      expect(Object.keys(reminder ?? {})).not.toContain('eased');
      expect(Object.keys(reminder ?? {})).not.toContain('previousSeverity');
      const EASED = '2025-11-12T07:10:00.000Z';
      const record: Episode = {
        ...openEpisode('transfer', 'threshold', BREACHED, null),
        firedAt: FIRED,
        severity: 'warn',
        peak: { severity: 'crit', at: FIRED },
        easedAt: EASED,
      };
      const easedState = {
        ...stateWith(
          { transfer: firingState({ since: HEALTHY, notified: told('crit') }) },
          { lastAt: OLDER, count: 0 },
        ),
        episodes: [record],
      };
      expect(owed(easedState)).toMatchObject([
        { kind: 'repeat', severity: 'warn', previousSeverity: 'crit', eased: { from: 'crit', at: EASED } },
      ]);
    });

    it('announces a degraded monitor whose document recorded no start with an empty start, not an invented one', () => {
      const monitor = { status: 'degraded', consecutiveFailures: 1 } as const;
      expect(owedNotifications({ ...emptyAlertState(), monitor }, [], AT, JAKARTA)).toStrictEqual([
        { kind: 'monitor-degraded', key: 'monitor:degraded:', consecutiveFailures: 1, since: '' },
      ]);
    });

    it("shows a removed rule's episode as Slack was told, else as its own record says, else as a WARN threshold alert, ended at its last run or at the time given", () => {
      const GIVEN = '2025-11-12T08:00:00.000Z';
      const fired = (
        ruleId: string,
        firedAt: string,
        severity: 'warn' | 'crit',
        condition: 'threshold' | 'no-data',
      ): Episode => ({
        ...openEpisode(ruleId, condition, BREACHED, null),
        firedAt,
        severity,
        peak: { severity, at: firedAt },
      });
      // Another rule's episode of the same start and an earlier episode of the rule come first.
      const episodes = [
        fired('other', FIRED, 'warn', 'threshold'),
        fired('gone', OLDER, 'warn', 'threshold'),
        fired('gone', FIRED, 'crit', 'no-data'),
      ];
      const picture = (rules: Record<string, RuleState>) =>
        removedRulePicture({ ...stateWith(rules), episodes }, 'gone', FIRED, GIVEN);
      const announcedWarn = firingState({ notified: told('warn'), lastEvaluatedAt: HEALTHY });
      expect(picture({ gone: announcedWarn })).toMatchObject({
        key: `gone:resolved:${FIRED}`,
        severity: 'warn',
        condition: 'threshold',
        resolvedAt: HEALTHY,
        ruleRemoved: true,
      });
      expect(picture({})).toMatchObject({
        severity: 'crit',
        condition: 'no-data',
        resolvedAt: GIVEN,
        ruleRemoved: true,
      });
      const untold = firingState({ lastEvaluatedAt: HEALTHY });
      expect(
        removedRulePicture({ ...stateWith({ gone: untold }), episodes: [] }, 'gone', FIRED, GIVEN),
      ).toMatchObject({ severity: 'warn', condition: 'threshold', resolvedAt: HEALTHY });
      expect(removedRulePicture(stateWith({}), 'gone', FIRED, GIVEN)).toMatchObject({
        severity: 'warn',
        condition: 'threshold',
        resolvedAt: GIVEN,
      });
    });
  });

  describe('episodePicture: how an incident head shows one episode of a rule', () => {
    const fired = (state: FiringRuleState) => owed(stateWith({ transfer: state }))[0];

    it('shows an episode firing now as its fired message, with its recovery runs when it is recovering', () => {
      const firing = firingState();
      expect(episodePicture(machine, firing, [], FIRED)).toStrictEqual(fired(firing));
      const recovering = firingState({ healthyCount: 1, healthySince: now });
      expect(episodePicture(machine, recovering, [], FIRED)).toStrictEqual({
        ...fired(recovering),
        recovering: { healthyRuns: 1, recoveryRuns: machine.recoveryRuns },
      });
    });

    it('shows an episode that ended as its resolution, from its own record', () => {
      const record = closedEpisode('transfer', OLDER);
      const episodes = [closedEpisode('other', OLDER), closedEpisode('transfer', HEALTHY), record];
      const firingAgain = firingState({ firedAt: FIRED });
      expect(episodePicture(machine, firingAgain, episodes, OLDER)).toStrictEqual({
        ...resolution,
        key: `transfer:resolved:${OLDER}`,
        firedAt: OLDER,
        peak: { severity: 'crit', at: FIRED },
        easedAt: HEALTHY,
      });
    });

    it('shows nothing for a rule without state, or an episode neither firing nor on record as ended', () => {
      expect(episodePicture(machine, undefined, [closedEpisode('transfer', OLDER)], OLDER)).toBeUndefined();
      const openOnly = { ...closedEpisode('transfer', OLDER), ended: undefined, resolvedAt: undefined };
      expect(episodePicture(machine, firingState(), [openOnly], OLDER)).toBeUndefined();
      expect(
        episodePicture(machine, resolvedState(), [closedEpisode('other', OLDER)], OLDER),
      ).toBeUndefined();
      // Another episode of the rule that ended is not the one asked for.
      expect(
        episodePicture(machine, resolvedState(), [closedEpisode('transfer', HEALTHY)], OLDER),
      ).toBeUndefined();
    });
  });
});

describe('markNotified: what Slack accepted → notified and the group clock', () => {
  const AT = new Date('2025-11-12T07:30:00.000Z');
  const now = AT.toISOString();
  const FIRED = '2025-11-12T07:00:00.000Z';
  const OLDER = '2025-11-12T06:00:00.000Z';
  const machine = rule({ id: 'transfer' });
  const firingState = (extra: Partial<FiringRuleState> = {}): FiringRuleState => ({
    status: 'firing',
    severity: 'warn',
    condition: 'threshold',
    since: FIRED,
    firedAt: FIRED,
    breachedAt: FIRED,
    pendingCount: 0,
    healthyCount: 0,
    lastValue: 0.5,
    lastValueAt: now,
    lastEvaluatedAt: now,
    lastOutcome: 'value',
    history: [],
    ...extra,
  });
  const told = (firedAt = FIRED, at = FIRED) =>
    ({ status: 'firing', severity: 'warn', condition: 'threshold', firedAt, at }) as const;
  const stateWith = (rules: Record<string, RuleState>, reminders?: AlertState['reminders']): AlertState => ({
    ...emptyAlertState(),
    rules,
    ...(reminders === undefined ? {} : { reminders }),
  });
  /** What is owed for `ruleState` alone, as evaluation would hand it to Slack. */
  const owedFor = (ruleState: RuleState, reminders?: AlertState['reminders']) =>
    owedNotifications(stateWith({ transfer: ruleState }, reminders), [machine], AT, JAKARTA);
  const degraded = (since: string) =>
    ({ kind: 'monitor-degraded', key: `monitor:degraded:${since}`, consecutiveFailures: 3, since }) as const;
  const recovered = (since: string) =>
    ({
      kind: 'monitor-recovered',
      key: `monitor:recovered:${since}`,
      consecutiveFailures: 0,
      since,
      recoveredAt: now,
      durationMs: Date.parse(now) - Date.parse(since),
    }) as const;

  it.each([
    {
      name: 'degraded',
      notifications: [degraded(OLDER)],
      notified: { status: 'degraded', since: OLDER, at: now },
    },
    { name: 'recovered', notifications: [recovered(OLDER)], notified: { status: 'ok', at: now } },
    {
      name: 'degraded again after recovering, in one message',
      notifications: [degraded(FIRED), recovered(OLDER)],
      notified: { status: 'degraded', since: FIRED, at: now },
    },
  ])('records the monitor $name, leaving the rules alone', ({ notifications, notified }) => {
    const state = stateWith({ transfer: firingState({ notified: told() }) }, { lastAt: FIRED, count: 1 });
    const next = markNotified(state, notifications, AT);
    expect(next.monitor).toStrictEqual({ ...state.monitor, notified });
    expect(next.rules).toStrictEqual(state.rules);
    expect(next.reminders).toStrictEqual({ lastAt: FIRED, count: 1 });
  });

  it('applies the resolution of the old episode before the new episode, whatever their order', () => {
    // Prepare: announced at OLDER, resolved and fired again at FIRED while undelivered
    const state = firingState({ notified: told(OLDER, OLDER) });
    const [resolved, fired] = owedFor(state);
    expect([resolved?.kind, fired?.kind]).toEqual(['resolved', 'fired']);
    // Act
    const next = markNotified(stateWith({ transfer: state }), [fired, resolved] as Notification[], AT);
    // Assess
    expect(next.rules.transfer?.notified).toStrictEqual({
      status: 'firing',
      severity: 'warn',
      condition: 'threshold',
      firedAt: FIRED,
      at: now,
    });
  });

  it('ignores a notification for a rule the state no longer has', () => {
    const [fired] = owedFor(firingState());
    const state = stateWith({});
    expect(markNotified(state, fired ? [fired] : [], AT).rules).toStrictEqual({});
  });

  it.each([
    {
      name: 'reminder #2 accepted again',
      clock: { lastAt: FIRED, count: 2 },
      reminderStep: 2,
      after: { lastAt: now, count: 2 },
    },
    { name: 'an unnumbered reminder', clock: { lastAt: FIRED, count: 1 }, after: { lastAt: now, count: 2 } },
    { name: 'an unnumbered reminder without a clock', clock: undefined, after: { lastAt: now, count: 1 } },
  ])('counts the group clock steps absolutely: $name → $after', ({ clock, reminderStep, after }) => {
    const state = stateWith({ transfer: firingState({ notified: told() }) }, clock);
    const [repeat] = owedFor(firingState({ notified: told() }), { lastAt: OLDER, count: 0 });
    const { reminderStep: _numbered, ...unnumbered } = repeat as RuleNotification;
    const accepted = { ...unnumbered, ...(reminderStep === undefined ? {} : { reminderStep }) };
    expect(markNotified(state, [accepted], AT).reminders).toStrictEqual(after);
  });

  it('restarts the wait at step 0 after an ease when there was no clock', () => {
    const state = firingState({ notified: { ...told(), severity: 'crit' } });
    const eased = owedFor(state);
    expect(eased.map((n) => n.kind)).toEqual(['de-escalated']);
    expect(markNotified(stateWith({ transfer: state }), eased, AT).reminders).toStrictEqual({
      lastAt: now,
      count: 0,
    });
  });

  it('leaves the group clock as it was after a resolution or monitor message while another alert still fires', () => {
    const ok = { ...firingState({ notified: told() }), status: 'ok' as const, firedAt: undefined };
    const state = stateWith(
      { transfer: firingState({ notified: told() }), solved: ok },
      { lastAt: FIRED, count: 1 },
    );
    const [resolved] = owedNotifications(state, [rule({ id: 'solved' })], AT, JAKARTA);
    expect(resolved?.kind).toBe('resolved');
    expect(markNotified(state, resolved ? [resolved] : [], AT).reminders).toStrictEqual({
      lastAt: FIRED,
      count: 1,
    });
    expect(markNotified(state, [degraded(OLDER)], AT).reminders).toStrictEqual({ lastAt: FIRED, count: 1 });
  });

  it('keeps the group clock while one of several rules is still announced and firing', () => {
    const ok = { ...firingState(), status: 'ok' as const, firedAt: undefined };
    const state = stateWith(
      { transfer: firingState({ notified: told() }), solved: ok },
      { lastAt: OLDER, count: 0 },
    );
    const [repeat] = owedFor(firingState({ notified: told() }), { lastAt: OLDER, count: 0 });
    expect(markNotified(state, repeat ? [repeat] : [], AT).reminders).toStrictEqual({
      lastAt: now,
      count: 1,
    });
  });

  it.each([{ name: 'only an earlier episode was announced', notified: told(OLDER, OLDER) }])(
    'drops the group clock when no announced alert is firing: $name',
    ({ notified }) => {
      const state = stateWith({ transfer: firingState({ notified }) }, { lastAt: FIRED, count: 1 });
      const next = markNotified(state, [degraded(OLDER)], AT);
      expect(next).not.toHaveProperty('reminders');
    },
  );

  it('keeps the group clock while the announced episode fires at a severity not yet announced (its easing waits for the next reminder)', () => {
    const clock = { lastAt: FIRED, count: 1 };
    const state = stateWith({ transfer: firingState({ notified: { ...told(), severity: 'crit' } }) }, clock);
    expect(markNotified(state, [degraded(OLDER)], AT).reminders).toEqual(clock);
  });

  it("records each message in its own episode: not another rule's, nor an earlier episode of the rule", () => {
    const episode = (ruleId: string, firedAt: string): Episode => ({
      ...openEpisode(ruleId, 'threshold', firedAt, null),
      firedAt,
      severity: 'warn',
      peak: { severity: 'warn', at: firedAt },
    });
    const state = {
      ...stateWith({ transfer: firingState(), solved: firingState() }),
      episodes: [episode('transfer', OLDER), episode('solved', FIRED), episode('transfer', FIRED)],
    };
    const [fired] = owedFor(firingState());
    const next = markNotified(state, fired ? [fired, degraded(OLDER)] : [], AT);
    expect(next.episodes.map((e) => e.notified.map((message) => message.key))).toEqual([
      [],
      [],
      [`transfer:fired:${FIRED}:warn`],
    ]);
  });
});
