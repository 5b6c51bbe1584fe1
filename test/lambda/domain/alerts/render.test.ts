import { describe, expect, it } from 'vitest';
import type { RuleResult } from '../../../../lambda/domain/alerts/evaluate';
import type {
  MonitorNotification,
  Notification,
  RuleNotification,
} from '../../../../lambda/domain/alerts/notify';
import {
  buildAlertMessage,
  EmptyAlertMessageError,
  renderAlertLine,
  renderResultLine,
  renderRunbook,
} from '../../../../lambda/domain/alerts/render';
import type { RuleState } from '../../../../lambda/domain/alerts/state';
import type { SectionBlock, SlackMessage } from '../../../../lambda/domain/slack/slack-message';
import {
  expectWithinBlockKitLimits,
  firingRuleState,
  JAKARTA,
  minutesAfter,
  rates,
  rule,
  simulate,
} from './alert-test-helpers';

const AT = new Date('2025-11-12T07:30:00Z'); // 14:30 in Jakarta
const context = { at: AT, timeZone: JAKARTA };

const fired = (overrides: Partial<RuleNotification> = {}): RuleNotification => ({
  kind: 'fired',
  key: 'transfer-success:fired:2025-11-12T07:00:00.000Z:crit',
  ruleId: 'transfer-success',
  title: 'Transfer success rate',
  metric: 'transfer_success_rate',
  runbook: 'https://wiki.example.com/runbooks/transfer-success',
  severity: 'crit',
  condition: 'threshold',
  comparison: 'below',
  unit: 'rate',
  value: 0.412,
  threshold: 0.6,
  window: 'today so far (00:00–14:30)',
  firedAt: '2025-11-12T07:00:00.000Z',
  breachedAt: '2025-11-12T07:00:00.000Z',
  ...overrides,
});

const resolved = (overrides: Partial<RuleNotification> = {}): RuleNotification =>
  fired({
    kind: 'resolved',
    key: 'other:resolved',
    ruleId: 'agent-reception',
    title: 'Agent reception rate',
    severity: 'warn',
    value: 0.72,
    threshold: 0.65,
    firedAt: '2025-11-12T05:50:00.000Z',
    resolvedAt: '2025-11-12T07:15:00.000Z',
    durationMs: 85 * 60_000,
    ...overrides,
  });

const degraded: MonitorNotification = {
  kind: 'monitor-degraded',
  key: 'monitor:degraded',
  consecutiveFailures: 3,
  since: '2025-11-12T07:00:00.000Z',
  lastError: 'API down: HTTP 503',
};

/** Builds the message and asserts Block Kit limits, as every message in these tests must pass. */
function build(notifications: Notification[]): SlackMessage {
  const message = buildAlertMessage(notifications, context);
  expectWithinBlockKitLimits(message);
  return message;
}
const firstLine = (message: SlackMessage) => sections(message)[0]?.split('\n')[0] ?? '';
const sections = (message: SlackMessage) =>
  message.blocks
    .filter((block): block is SectionBlock => block.type === 'section')
    .map((block) => block.text?.text ?? '');

describe('buildAlertMessage: content', () => {
  // 14:30 local; breaching since 14:00 (the firing run was 14:15).
  const facts = {
    window: 'last 60 min',
    valueAt: AT.toISOString(),
    basis: { part: 57, whole: 118, noun: 'transfers' },
    breachedAt: '2025-11-12T07:00:00.000Z',
    firedAt: '2025-11-12T07:15:00.000Z',
    value: 0.483,
  };
  const named = { ...context, monitorName: 'Acme Jakarta' };
  const firstLine = (message: SlackMessage) => sections(message)[0]?.split('\n')[0];
  const pinned = (notification: Notification) => {
    const message = buildAlertMessage([notification], named);
    expectWithinBlockKitLimits(message);
    return { text: message.text, firstLine: firstLine(message), section: sections(message)[0] ?? '' };
  };

  it.each([
    {
      kind: 'fired',
      notification: fired(facts),
      text: 'Acme Jakarta: 🔴 Transfer success rate 48.3% &lt; 60% · last 60 min · 57 of 118 transfers',
      firstLine: '🔴 *Transfer success rate 48.3% &lt; 60% · last 60 min · 57 of 118 transfers*',
      runbook: true,
    },
    {
      kind: 'escalated',
      notification: fired({ ...facts, kind: 'escalated', previousSeverity: 'warn' }),
      text: 'Acme Jakarta: 🔴 Escalated to CRIT: Transfer success rate 48.3% &lt; 60% · last 60 min · 57 of 118 transfers',
      firstLine:
        '🔴 *Escalated to CRIT: Transfer success rate 48.3% &lt; 60% · last 60 min · 57 of 118 transfers*',
      runbook: true,
    },
    {
      kind: 'eased',
      notification: fired({
        ...facts,
        kind: 'de-escalated',
        severity: 'warn',
        previousSeverity: 'crit',
        value: 0.7,
        threshold: 0.75,
        basis: { part: 83, whole: 118, noun: 'transfers' },
      }),
      text: 'Acme Jakarta: 🟠 Eased to WARN: Transfer success rate 70% &lt; 75% · last 60 min · 83 of 118 transfers',
      firstLine: '🟠 *Eased to WARN: Transfer success rate 70% &lt; 75% · last 60 min · 83 of 118 transfers*',
      runbook: false,
    },
    {
      kind: 'reminder',
      notification: fired({ ...facts, kind: 'repeat', repeatNumber: 2 }),
      text: 'Acme Jakarta: 🔴 Still firing: Transfer success rate 48.3% &lt; 60% · last 60 min · 57 of 118 transfers',
      firstLine:
        '🔴 *Still firing: Transfer success rate 48.3% &lt; 60% · last 60 min · 57 of 118 transfers*',
      runbook: false,
    },
    {
      kind: 'resolved',
      notification: fired({
        ...facts,
        kind: 'resolved',
        value: 0.86,
        threshold: 0.8,
        endedAt: '2025-11-12T07:15:00.000Z',
        resolvedAt: '2025-11-12T07:30:00.000Z',
        durationMs: 15 * 60_000,
      }),
      text: 'Acme Jakarta: ✅ Resolved: Transfer success rate back to 86% (≥ 80%) · last 60 min',
      firstLine: '✅ *Resolved: Transfer success rate back to 86% (≥ 80%) · last 60 min*',
      runbook: false,
    },
  ])(
    'pins the $kind message: notification text and first line',
    ({ notification, text, firstLine, runbook }) => {
      const message = pinned(notification);
      expect(message.text).toBe(text);
      expect(message.firstLine).toBe(firstLine);
      expect(message.section.includes('Runbook:')).toBe(runbook);
      // No metric ids and no zone names in the body: the footer names the zone once.
      expect(message.section).not.toContain('transfer_success_rate');
      expect(message.section).not.toContain('Asia/Jakarta');
    },
  );

  it('says on the second line when the condition began, and for a resolution when it ended and how long', () => {
    expect(pinned(fired({ ...facts, kind: 'repeat', repeatNumber: 2 })).section.split('\n')[1]).toBe(
      'CRIT · since 14:00 (30m) · reminder 2',
    );
    const resolution = fired({
      ...facts,
      kind: 'resolved',
      value: 0.86,
      threshold: 0.8,
      endedAt: '2025-11-12T07:15:00.000Z',
      durationMs: 15 * 60_000,
    });
    expect(pinned(resolution).section.split('\n')[1]).toBe('was CRIT · 14:00–14:15 (15m)');
  });

  it('heads every message with the monitor name and marks a replay in header and notification text', () => {
    const message = buildAlertMessage([fired(facts)], { ...named, replay: true });
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'REPLAY · Acme Jakarta — 🔴 1 critical' },
    });
    expect(message.text.startsWith('[replay] Acme Jakarta: ')).toBe(true);
    expect(buildAlertMessage([fired(facts)], context).blocks[0]).toMatchObject({
      text: { text: 'AIRUDDER stats monitor — 🔴 1 critical' },
    });
  });

  it('dates a figure measured by an earlier run instead of passing it off as current', () => {
    const stale = fired({ ...facts, valueAt: '2025-11-11T07:00:00.000Z' });
    expect(pinned(stale).firstLine).toContain('last 60 min to 2025-11-11 14:00');
  });

  it.each([
    { unit: 'rate' as const, value: 0.4123, threshold: 0.6, expected: '41.2% &lt; 60%' },
    { unit: 'count' as const, value: 12345, threshold: 20000, expected: '12,345 &lt; 20,000' },
    { unit: 'seconds' as const, value: 37.6, threshold: 45, expected: '38s &lt; 45s' },
    { unit: 'change' as const, value: -0.625, threshold: -0.5, expected: '-62.5% &lt; -50%' },
    { unit: 'number' as const, value: 3.2391, threshold: 3.5, expected: '3.24 &lt; 3.5' },
  ])('formats $unit values: $expected', ({ unit, value, threshold, expected }) => {
    expect(firstLine(build([fired({ unit, value, threshold })]))).toContain(` ${expected} `);
  });

  it('orders the monitor first and resolutions last, under a header that counts them', () => {
    const message = build([resolved(), fired({ severity: 'warn', threshold: 0.75 }), degraded, fired()]);
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: {
        text: 'AIRUDDER stats monitor — 🛑 monitor degraded · 🔴 1 critical · 🟠 1 warning · ✅ 1 resolved',
      },
    });
    expect(sections(message).map((text) => text.split(' ')[0])).toEqual(['🛑', '🔴', '🟠', '✅']);
    expect(sections(message)[0]).toContain('3 check runs failed in a row');
    expect(sections(message)[0]).toContain('last error: API down: HTTP 503');
  });

  it('announces a recovered monitor with the outage duration', () => {
    const recovered: MonitorNotification = {
      kind: 'monitor-recovered',
      key: 'monitor:recovered',
      consecutiveFailures: 0,
      since: '2025-11-12T06:00:00.000Z',
      recoveredAt: '2025-11-12T07:30:00.000Z',
      durationMs: 90 * 60_000,
    };
    expect(build([recovered]).text).toContain('✅ Monitor recovered');
    expect(sections(build([recovered]))[0]).toContain('failing since 13:00 (1h 30m)');
  });

  it('refuses to build a message for no notifications', () => {
    expect(() => buildAlertMessage([], context)).toThrow(EmptyAlertMessageError);
  });

  it('builds a message within limits for every run of a simulated episode', () => {
    // simulate() asserts the limits of each message it builds
    const { runs } = simulate([rule()], rates(0.5, 0.5, 0.3, 0.5, 0.9), { reminders: { everyMinutes: 15 } });
    // Webhook mode: the easing is said by the reminder due at the same run.
    expect(runs.flatMap((r) => r.kinds)).toEqual(['fired', 'escalated', 'repeat', 'resolved']);
  });
});

describe('buildAlertMessage: limits', () => {
  it('folds 200 notifications into 50 blocks, ending with "…and N more"', () => {
    const many = Array.from({ length: 200 }, (_, i) => fired({ ruleId: `rule-${i}`, title: `Rule ${i}` }));
    const message = build(many);
    expect(message.blocks).toHaveLength(50);
    expect(sections(message).at(-1)).toMatch(/^…and 153 more: 🔴 Rule 47 41.2% &lt; 60%/);
  });

  it('keeps 3000-character hostile titles, runbooks and windows within every limit', () => {
    const hostile = '<!channel> & <http://evil|click> '.repeat(100).slice(0, 3000);
    const many = Array.from({ length: 60 }, () =>
      fired({ title: hostile, runbook: hostile, window: hostile, metric: hostile, reason: hostile }),
    );
    const message = build([...many, { ...degraded, lastError: hostile }]);
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(message.text.length).toBeLessThanOrEqual(300);
  });

  it.each([1, 2, 47, 48, 49, 50, 51])('stays within limits for %s notifications', (count) => {
    const message = build(Array.from({ length: count }, (_, i) => fired({ title: `Rule ${i}` })));
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('buildAlertMessage: escaping', () => {
  it.each([
    { field: 'title', input: '<!channel> Sales & Support <http://x|y>' },
    { field: 'runbook', input: 'Call <!here> & see <http://x|y>' },
    { field: 'window', input: 'day so far <!everyone> & <http://x|y>' },
  ])('escapes <!channel>, & and <http://x|y> in the $field', ({ field, input }) => {
    const message = build([fired({ [field]: input })]);
    const json = JSON.stringify(message);
    expect(json).not.toMatch(/<!|<http:\/\/x/);
    expect(json).toContain('&amp;');
    expect(json).toContain('&lt;http://x|y&gt;');
  });

  it('escapes the title in the fallback text too', () => {
    expect(build([fired({ title: '<!channel> & co' })]).text).toContain('&lt;!channel&gt; &amp; co');
  });

  it.each([
    {
      runbook: 'https://wiki.example.com/run?queue=a&step=2',
      expected: '<https://wiki.example.com/run?queue=a&amp;step=2|runbook>',
    },
    { runbook: 'http://wiki.example.com/run', expected: 'http://wiki.example.com/run' },
    { runbook: 'https://x.example.com/a|<!channel>', expected: 'https://x.example.com/a|&lt;!channel&gt;' },
    { runbook: 'https://x.example.com/a>b', expected: 'https://x.example.com/a&gt;b' },
    { runbook: 'javascript:alert(1)', expected: 'javascript:alert(1)' },
    { runbook: 'Restart the queue & call ops', expected: 'Restart the queue &amp; call ops' },
  ])('links a runbook only when it is a plain https URL: $runbook', ({ runbook, expected }) => {
    expect(renderRunbook(runbook)).toBe(expected);
  });
});

describe('renderAlertLine', () => {
  it.each([
    {
      notification: fired(),
      expected: '🔴 Transfer success rate 41.2% < 60% · today so far (00:00–14:30) (CRIT, since 14:00 (30m))',
    },
    {
      notification: fired({
        condition: 'no-data',
        value: null,
        threshold: null,
        reason: 'the response has no realtime total',
        window: undefined,
      }),
      expected:
        '🔴 Transfer success rate has no data: the response has no realtime total (CRIT, since 14:00 (30m))',
    },
    {
      notification: degraded,
      expected:
        '🛑 Monitor degraded: 3 check runs failed in a row (failing since 14:00, last error: API down: HTTP 503, alerts are not being evaluated)',
    },
  ])('renders $notification.kind as one plain line', ({ notification, expected }) => {
    expect(renderAlertLine(notification, context)).toBe(expected);
  });
});

describe('buildAlertMessage: hysteresis wording', () => {
  it.each([
    {
      value: 0.412,
      severity: 'crit' as const,
      threshold: 0.4,
      clearsAt: 0.45,
      expected: '41.2% (CRIT until ≥ 45%)',
    },
    {
      value: 0.62,
      severity: 'warn' as const,
      threshold: 0.6,
      clearsAt: 0.65,
      expected: '62% (WARN until ≥ 65%)',
    },
    { value: 0.3, severity: 'crit' as const, threshold: 0.4, clearsAt: 0.45, expected: '30% &lt; 40%' },
    {
      // Past the recovery level on its raw rate, but a rule that weighs its evidence is not sure yet
      value: 0.917,
      severity: 'warn' as const,
      threshold: 0.85,
      clearsAt: 0.85,
      expected: '91.7%, recovering (≥ 85%, not yet beyond doubt)',
    },
  ])(
    'never claims "$value < $threshold" falsely: $expected',
    ({ value, severity, threshold, clearsAt, expected }) => {
      const reminder = fired({ kind: 'repeat', repeatNumber: 1, value, severity, threshold, clearsAt });
      expect(firstLine(build([reminder]))).toContain(` ${expected}`);
    },
  );

  it('words a reminder from a simulated run inside the band truthfully', () => {
    const { runs } = simulate([rule()], rates(0.5, 0.5, 0.62), { reminders: { everyMinutes: 15 } });
    expect(runs[2]?.notifications[0]).toMatchObject({ kind: 'repeat', value: 0.62, clearsAt: 0.65 });
    expect(
      renderAlertLine(runs[2]?.notifications[0] ?? degraded, { at: runs[2]?.at ?? AT, timeZone: JAKARTA }),
    ).toContain('62% (WARN until ≥ 65%)');
  });
});

describe('messages say what the evaluation saw (#27)', () => {
  const lineOf = (run: { at: Date; notifications: readonly Notification[] } | undefined, kind: string) => {
    const notification = run?.notifications.find((n) => n.kind === kind);
    if (run === undefined || notification === undefined) throw new Error(`no ${kind} in the run`);
    return renderAlertLine(notification, { at: run.at, timeZone: JAKARTA });
  };

  it('never quotes a healthy value as breaching in a reminder that falls on a recovery run', () => {
    // Prepare: crit at 30%, then 90.9% (healthy) while recoveryRuns = 2 keeps it firing one more run.
    const machine = rule({ recoveryRuns: 2 });
    // Act
    const { runs } = simulate([machine], rates(0.3, 0.3, 0.909, 0.909), { reminders: { everyMinutes: 15 } });
    // Assess
    const reminder = lineOf(runs[2], 'repeat');
    expect(reminder).toContain('Transfer success rate 90.9%, recovering (1 of 2 healthy runs)');
    expect(reminder).not.toMatch(/until|90\.9% </);
    expect(runs[3]?.kinds).toEqual(['resolved']);
  });

  it('names the peak severity in a resolution, and when it eased: "was CRIT, eased to WARN at 15:30"', () => {
    // Prepare: warn from 14:30 (fires 14:45), crit at 15:00–15:15, eases to warn at 15:30, healthy at 16:00.
    const { runs } = simulate([rule()], rates(0.5, 0.5, 0.3, 0.3, 0.5, 0.55, 0.7));
    // Assess
    // Webhook mode: the easing at 15:30 is no push of its own; the resolution says it.
    expect(runs.map((run) => run.kinds)).toEqual([[], ['fired'], ['escalated'], [], [], [], ['resolved']]);
    expect(runs[4]?.evaluation.notifications.map((n) => n.kind)).toEqual(['de-escalated']);
    expect(lineOf(runs[6], 'resolved')).toBe(
      '✅ Resolved: Transfer success rate back to 70% (≥ 65%) · today so far (00:00–16:00) (was CRIT, eased to WARN at 15:30, 14:30–16:00 (1h 30m))',
    );
  });

  it('says "was CRIT" of an alert that was CRIT until it resolved, whatever it was first announced as', () => {
    const { runs } = simulate([rule()], rates(0.5, 0.5, 0.3, 0.7));
    expect(lineOf(runs[3], 'resolved')).toContain('(was CRIT, 14:30–15:15 (45m))');
  });

  it('numbers reminders per episode: another rule firing restarts the clock, not the count', () => {
    // Prepare: transfer fires at 14:45 and is reminded every 30 min; a second rule, added at 15:45,
    // fires at once at CRIT (its news restarts the group's clock; a WARN would join the next reminder).
    const transfer = rule({ pendingRuns: 2 });
    const other = rule({
      id: 'other',
      title: 'Other rate',
      pendingRuns: 1,
      warn: undefined,
      crit: 0.7,
      recovery: 0.75,
    });
    const steps = rates(...Array.from({ length: 14 }, () => 0.5));
    // Act
    const first = simulate([transfer], steps.slice(0, 5), { reminders: { everyMinutes: 30 } });
    const second = simulate([transfer, other], steps.slice(5), {
      start: minutesAfter(AT, 75),
      state: first.state,
      reminders: { everyMinutes: 30 },
    });
    // Assess
    const numbers = [...first.runs, ...second.runs].flatMap((run) =>
      run.notifications.flatMap((n) =>
        n.kind === 'repeat' && 'ruleId' in n && n.ruleId === 'transfer-success' ? [n.repeatNumber] : [],
      ),
    );
    expect(second.runs[0]?.kinds).toEqual(['fired']);
    expect(numbers.length).toBeGreaterThanOrEqual(3);
    expect(numbers).toEqual(numbers.map((_, index) => index + 1));
  });
});

describe('renderResultLine', () => {
  const okState = (overrides: Partial<RuleState> = {}): RuleState =>
    ({
      status: 'ok',
      since: '2025-11-12T06:00:00.000Z',
      pendingCount: 0,
      lastValue: 0.7,
      lastEvaluatedAt: AT.toISOString(),
      healthyCount: 0,
      history: [],
      ...overrides,
    }) as RuleState;
  const result = (after: RuleState, measurement: RuleResult['measurement'], muted = false): RuleResult => ({
    ruleId: 'transfer-success',
    measurement,
    before: undefined,
    after,
    muted,
  });

  it("shows the status, the value in the rule's unit with both limits, and the window", () => {
    const line = renderResultLine(
      rule(),
      result(okState(), { kind: 'value', value: 0.7, window: 'today so far (00:00–14:30)' }),
    );
    expect(line).toBe('transfer-success  ok  70% (warn < 60%, crit < 40%)  today so far (00:00–14:30)');
  });

  it("shows a pending rule's count of breaching runs, a firing one's severity, and a mute", () => {
    const pending = okState({
      status: 'pending',
      pendingCount: 1,
      condition: 'threshold',
      breachedAt: AT.toISOString(),
    } as Partial<RuleState>);
    expect(renderResultLine(rule(), result(pending, { kind: 'value', value: 0.5, window: 'w' }, true))).toBe(
      'transfer-success  pending 1/2  50% (warn < 60%, crit < 40%)  w  [muted]',
    );
    expect(
      renderResultLine(rule(), result(firingRuleState('crit'), { kind: 'value', value: 0.3, window: 'w' })),
    ).toBe('transfer-success  firing:crit  30% (warn < 60%, crit < 40%)  w');
  });

  it('quotes the count a rate rests on, as the Slack message does, so a WARN at a rate past the CRIT limit reads as too few calls', () => {
    const line = renderResultLine(
      rule(),
      result(firingRuleState('warn'), {
        kind: 'value',
        value: 1 / 3,
        window: 'last 45 min',
        basis: { part: 3, whole: 9, noun: 'transfers' },
      }),
    );
    expect(line).toBe(
      'transfer-success  firing:warn  33.3% (warn < 60%, crit < 40%) · 3 of 9 transfers  last 45 min',
    );
  });

  it('names only the limits a rule has, with its comparison, in its own unit', () => {
    const calls = rule({
      id: 'volume',
      metric: 'valid_calls',
      comparison: 'above',
      warn: undefined,
      crit: 500,
      recovery: 400,
      minCalls: 0,
    });
    expect(
      renderResultLine(calls, result(okState(), { kind: 'value', value: 120, window: 'last hour' })),
    ).toBe('volume  ok  120 (crit > 500)  last hour');
  });

  it('shows why there is no value, with the window when the measurement names one', () => {
    expect(
      renderResultLine(
        rule(),
        result(okState(), { kind: 'no-data', reason: 'the response has no realtime total' }),
      ),
    ).toBe('transfer-success  ok  no-data: the response has no realtime total');
    expect(
      renderResultLine(
        rule(),
        result(okState(), {
          kind: 'not-judged',
          reason: '12 calls, fewer than 30',
          calls: 12,
          window: 'last hour',
        }),
      ),
    ).toBe('transfer-success  ok  not-judged: 12 calls, fewer than 30  last hour');
  });
});

describe('buildAlertMessage: header, fallback text and order', () => {
  const recovered: MonitorNotification = {
    kind: 'monitor-recovered',
    key: 'monitor:recovered',
    consecutiveFailures: 0,
    since: '2025-11-12T06:00:00.000Z',
    recoveredAt: '2025-11-12T07:00:00.000Z',
    durationMs: 60 * 60_000,
  };
  const header = (message: SlackMessage) => {
    const [first] = message.blocks;
    return first?.type === 'header' ? first.text.text : undefined;
  };
  const warnFired = fired({ key: 'warn', ruleId: 'agent', title: 'Agent rate', severity: 'warn' });
  const escalated = fired({ key: 'esc', ruleId: 'volume', title: 'Volume', kind: 'escalated' });
  const repeatCrit = fired({
    key: 'rc',
    ruleId: 'rc',
    title: 'Repeat crit',
    kind: 'repeat',
    repeatNumber: 2,
  });
  const repeatWarn = fired({
    key: 'rw',
    ruleId: 'rw',
    title: 'Repeat warn',
    kind: 'repeat',
    severity: 'warn',
  });
  const eased = fired({ key: 'de', ruleId: 'de', title: 'Eased', kind: 'de-escalated', severity: 'warn' });

  it('orders the monitor, escalations, new CRIT, new WARN, CRIT then WARN reminders, easings, resolutions, recovery', () => {
    const all: Notification[] = [
      recovered,
      resolved(),
      eased,
      repeatWarn,
      repeatCrit,
      warnFired,
      fired(),
      escalated,
      degraded,
    ];
    const icons = sections(build(all)).map((text) => text.split('\n')[0]);
    expect(icons).toEqual([
      '🛑 *Monitor degraded: 3 check runs failed in a row*',
      '🔴 *Escalated to CRIT: Volume 41.2% &lt; 60% · today so far (00:00–14:30)*',
      '🔴 *Transfer success rate 41.2% &lt; 60% · today so far (00:00–14:30)*',
      '🟠 *Agent rate 41.2% &lt; 60% · today so far (00:00–14:30)*',
      '🔴 *Still firing: Repeat crit 41.2% &lt; 60% · today so far (00:00–14:30)*',
      '🟠 *Still firing: Repeat warn 41.2% &lt; 60% · today so far (00:00–14:30)*',
      '🟠 *Eased to WARN: Eased 41.2% &lt; 60% · today so far (00:00–14:30)*',
      '✅ *Resolved: Agent reception rate back to 72% (≥ 65%) · today so far (00:00–14:30)*',
      '✅ *Monitor recovered: check runs succeed again*',
    ]);
  });

  it('keeps the order given among notifications of one rank', () => {
    const a = fired({ key: 'a', ruleId: 'a', title: 'Alpha' });
    const b = fired({ key: 'b', ruleId: 'b', title: 'Beta' });
    const c = fired({ key: 'c', ruleId: 'c', title: 'Gamma' });
    expect(sections(build([b, c, a])).map((text) => text.split(' ')[1])).toEqual([
      '*Beta',
      '*Gamma',
      '*Alpha',
    ]);
  });

  it('counts every kind in the header, and leads the fallback text with the first line and what else there is', () => {
    const message = build([recovered, resolved(), repeatWarn, fired(), degraded]);
    expect(header(message)).toBe(
      'AIRUDDER stats monitor — 🛑 monitor degraded · 🔴 1 critical · 🟠 1 warning · ✅ 1 resolved · ✅ monitor recovered',
    );
    expect(message.text).toBe(
      'AIRUDDER stats monitor: 🛑 Monitor degraded: 3 check runs failed in a row · +2 more · 2 resolved',
    );
  });

  it('says only what there is in the fallback text (escaped): one alert alone, or alerts without resolutions', () => {
    expect(build([fired()]).text).toBe(
      'AIRUDDER stats monitor: 🔴 Transfer success rate 41.2% &lt; 60% · today so far (00:00–14:30)',
    );
    expect(build([fired(), warnFired]).text).toBe(
      'AIRUDDER stats monitor: 🔴 Transfer success rate 41.2% &lt; 60% · today so far (00:00–14:30) · +1 more',
    );
    expect(build([fired(), resolved()]).text).toBe(
      'AIRUDDER stats monitor: 🔴 Transfer success rate 41.2% &lt; 60% · today so far (00:00–14:30) · 1 resolved',
    );
  });

  it('ends with the run time in the zone, as plain mrkdwn', () => {
    const footer = build([fired()]).blocks.at(-1);
    expect(footer).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'run 2025-11-12 14:30 Asia/Jakarta', verbatim: true }],
    });
  });

  it("words each kind's second line: severity, since when (with how long from a minute on), reminder number", () => {
    const second = (n: Notification, at = AT) =>
      (sections(buildAlertMessage([n], { at, timeZone: JAKARTA }))[0] ?? '').split('\n')[1];
    expect(second(fired())).toBe('CRIT · since 14:00 (30m)');
    expect(second(fired({ breachedAt: '2025-11-12T07:29:30.000Z' }))).toBe('CRIT · since 14:29');
    expect(second(fired({ breachedAt: '2025-11-12T07:29:00.000Z' }))).toBe('CRIT · since 14:29 (1m)');
    expect(second(escalated)).toBe('WARN → CRIT · since 14:00 (30m)');
    expect(second(eased)).toBe('CRIT → WARN · since 14:00 (30m)');
    expect(second(repeatCrit)).toBe('CRIT · since 14:00 (30m) · reminder 2');
    expect(second(repeatWarn)).toBe('WARN · since 14:00 (30m) · reminder 1');
  });
});

describe('renderAlertLine: every way a figure is worded', () => {
  const line = (n: Notification) => renderAlertLine(n, context);
  const volume = fired({
    key: 'volume',
    ruleId: 'volume',
    title: 'Calls',
    comparison: 'above',
    unit: 'count',
    value: 1200,
    threshold: 1000,
    window: 'last hour',
    runbook: undefined,
  });

  it('words an above rule: beyond its threshold, inside the band, and back', () => {
    expect(line(volume)).toBe('🔴 Calls 1,200 > 1,000 · last hour (CRIT, since 14:00 (30m))');
    expect(line({ ...volume, kind: 'repeat', value: 950, clearsAt: 900 })).toBe(
      '🔴 Still firing: Calls 950 (CRIT until ≤ 900) · last hour (CRIT, since 14:00 (30m), reminder 1)',
    );
    expect(line({ ...volume, kind: 'repeat', value: 1000, clearsAt: 900 })).toBe(
      '🔴 Still firing: Calls 1,000 (CRIT until ≤ 900) · last hour (CRIT, since 14:00 (30m), reminder 1)',
    );
    expect(line({ ...volume, kind: 'resolved', value: 800, threshold: 900, durationMs: 30 * 60_000 })).toBe(
      '✅ Resolved: Calls back to 800 (≤ 900) · last hour (was CRIT, 14:00–14:30 (30m))',
    );
  });

  it('words a below rule at its threshold as inside the band, not beyond it', () => {
    expect(line(fired({ kind: 'repeat', value: 0.6, clearsAt: 0.65, severity: 'warn' }))).toBe(
      '🟠 Still firing: Transfer success rate 60% (WARN until ≥ 65%) · today so far (00:00–14:30) (WARN, since 14:00 (30m), reminder 1)',
    );
  });

  it('words each way a resolution can come: removed rule, data back, no data, no recovery threshold', () => {
    const ended = {
      kind: 'resolved' as const,
      durationMs: undefined,
      resolvedAt: '2025-11-12T07:15:00.000Z',
    };
    expect(line(fired({ ...ended, ruleRemoved: true }))).toBe(
      '✅ Resolved: Transfer success rate rule removed (no longer in the rules; not evaluated any more) · today so far (00:00–14:30) (was CRIT, 14:00–14:15)',
    );
    expect(line(fired({ ...ended, condition: 'no-data', value: 0.7 }))).toBe(
      '✅ Resolved: Transfer success rate has data again (was CRIT, 14:00–14:15)',
    );
    expect(line(fired({ ...ended, value: null }))).toBe(
      '✅ Resolved: Transfer success rate has no data, treated as OK · today so far (00:00–14:30) (was CRIT, 14:00–14:15)',
    );
    expect(line(fired({ ...ended, value: 0.7, threshold: null, window: undefined }))).toBe(
      '✅ Resolved: Transfer success rate back to 70% (was CRIT, 14:00–14:15)',
    );
  });

  it('names the runbook only when an alert fires or escalates', () => {
    const runbookOf = (n: Notification) => sections(build([n]))[0]?.includes('Runbook:');
    expect(runbookOf(fired())).toBe(true);
    expect(runbookOf(fired({ kind: 'escalated' }))).toBe(true);
    expect(runbookOf(fired({ kind: 'repeat' }))).toBe(false);
    expect(runbookOf(fired({ kind: 'de-escalated', severity: 'warn' }))).toBe(false);
    expect(runbookOf(fired({ kind: 'fired', runbook: undefined }))).toBe(false);
  });

  it('links a runbook URL of up to 500 characters, and shows a longer one as text', () => {
    const url = (length: number) => `https://wiki.example.com/${'a'.repeat(length - 25)}`;
    expect(renderRunbook(url(500))).toBe(`<${url(500)}|runbook>`);
    expect(renderRunbook(url(501))).not.toContain('|runbook>');
  });
});

describe('buildAlertMessage: the header and the fold', () => {
  it('heads the message with a plain-text header that shows emoji', () => {
    expect(build([fired()]).blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'AIRUDDER stats monitor — 🔴 1 critical', emoji: true },
    });
  });

  it('shows 48 notifications one section each, and folds the 49th with the last into "…and 2 more"', () => {
    const many = (count: number) =>
      Array.from({ length: count }, (_, i) => fired({ key: `k${i}`, ruleId: `r${i}`, title: `Rule ${i}` }));
    const all = sections(build(many(48)));
    expect(all).toHaveLength(48);
    expect(all.at(-1)).toMatch(/^🔴 \*Rule 47 /);
    const folded = sections(build(many(49)));
    expect(folded).toHaveLength(48);
    expect(folded.at(-1)).toMatch(/^…and 2 more: 🔴 Rule 47 /);
  });
});
