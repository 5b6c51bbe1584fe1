import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../../lambda/domain/digest/build-digest';
import type { DigestInput, FiredAlert } from '../../../../lambda/domain/digest/day-data';
import type { SlackMessage } from '../../../../lambda/domain/slack/slack-message';
import {
  allTexts,
  buildChecked,
  digestInput,
  offlineDailyRow,
  realtimeDailyRow,
  sectionText,
  visibleText,
} from './digest-test-kit';

const footerText = (message: SlackMessage): string => {
  const context = message.blocks.find((block) => block.type === 'context');
  return context?.type === 'context' ? context.elements.map((element) => element.text).join(' | ') : '';
};
/** The first-screen section after the headline: attention, better, normal range, late data. */
const attentionText = (message: SlackMessage): string => allTexts(message)[3] ?? '';
/** N in "✅ N other figures within the normal range", 0 without that line. */
const normalCount = (attention: string): number =>
  Number(/✅ (\d+) other figures? within the normal range/.exec(attention)?.[1] ?? 0);
const detailLine = (message: SlackMessage, label: string): string => {
  const line = allTexts(message)
    .flatMap((text) => text.split('\n'))
    .find((candidate) => candidate.startsWith(`*${label}* `));
  if (line === undefined) throw new Error(`no detail line for ${label}`);
  return line;
};

/** Sets a rate of the realtime daily row on the day, the day before and a week before. */
function withRates(
  field: 'agent_reception_rate' | 'transfer_success_rate' | 'robot_satisfied_rate',
  day: number,
  previous: number,
  weekAgo: number,
): DigestInput {
  const input = digestInput();
  realtimeDailyRow(input.day)[field] = day;
  if (input.previousDay) realtimeDailyRow(input.previousDay, '2025-11-10')[field] = previous;
  if (input.weekAgo) realtimeDailyRow(input.weekAgo, '2025-11-04')[field] = weekAgo;
  return input;
}

/** A day where much went wrong: five figures far worse than both earlier days, and 40 alerts. */
function badDay(): DigestInput {
  const input = digestInput();
  const row = realtimeDailyRow(input.day);
  row.transfer_success_rate = 0.41;
  row.agent_reception_rate = 0.52;
  row.robot_satisfied_rate = 0.44;
  if (row.satisfied_distribution) row.satisfied_distribution.robot_satisfied_rate = 0.44;
  row.duplicate_call_rate = 0.49;
  row.avg_agent_duration = 400;
  offlineDailyRow(input.day).one_call_problem_solve_rate = 0.2;
  const alertsFired: FiredAlert[] = Array.from({ length: 40 }, (_, index) => ({
    ruleId: `rule-${index}`,
    title: `Transfer success below ${90 - index}% on line ${index} of the inbound robot`,
    severity: index % 3 === 0 ? 'crit' : 'warn',
    at: new Date(Date.UTC(2025, 10, 11, 1, index * 10)).toISOString(),
    resolvedAt: new Date(Date.UTC(2025, 10, 11, 2, index * 10)).toISOString(),
    worst: { value: 0.3, unit: 'rate' },
  }));
  return { ...input, alertsFired };
}

describe('buildDigest: the first screen', () => {
  it('fits an ordinary day on one phone screen: at most 6 blocks and 1,200 visible characters', () => {
    // Act
    const message = buildChecked(digestInput());
    // Assess
    expect(message.blocks.length).toBeLessThanOrEqual(6);
    expect(visibleText(message).length).toBeLessThanOrEqual(1200);
    expect(allTexts(message)[2]).toBe(
      '*966 calls* · transfer success *84.8%* · first-call resolution *57.1%* · satisfied *79.1%*',
    );
  });

  it('keeps a bad day within two screens: at most 12 blocks, inside every Block Kit limit', () => {
    // Act
    const message = buildChecked(badDay());
    // Assess
    expect(message.blocks.length).toBeLessThanOrEqual(12);
    // Two phone screens: an ordinary day is held to 1,200 characters for one.
    expect(visibleText(message).length).toBeLessThanOrEqual(2400);
    const attention = attentionText(message);
    for (const label of ['Transfer success', 'Agent pick-up', 'Satisfied', 'Repeat callers', 'With an agent'])
      expect(attention).toContain(`🔴 *${label}*`);
    expect(sectionText(message, 'Alerts')).toMatch(/^\*Alerts\* · 40\n(.+\n){8}_…and 32 more_$/);
  });

  it('collapses every figure within its normal range into one line', () => {
    const message = buildChecked(digestInput());
    expect(attentionText(message)).toBe(
      [
        '*Needs attention*',
        '🔴 *Transfer success* 84.8% · ▼ 7.9 pp d/d · ▼ 9 pp w/w',
        '✅ 16 other figures within the normal range.',
      ].join('\n'),
    );
  });

  it('lists the alerts of the day with severity, worst value and how long they lasted', () => {
    expect(sectionText(buildChecked(digestInput()), 'Alerts')).toBe(
      [
        '*Alerts* · 2',
        '🚨 CRIT *Transfer success below 88%* · worst 61.2% · 14:10–16:05 (1h 55m)',
        '⚠️ WARN *Agent reception below 80%* · worst 78% · 23:40, still firing',
      ].join('\n'),
    );
  });

  it('says nothing needs attention on a quiet day without alerts, and shows no alerts section', () => {
    const input = { ...digestInput(), alertsFired: [] };
    realtimeDailyRow(input.day).transfer_success_rate = 0.92;
    const message = buildChecked(input);
    expect(attentionText(message)).toBe(
      '✅ Nothing needs attention: no alerts, and every other figure is within its normal range.',
    );
    expect(allTexts(message).some((text) => text.startsWith('*Alerts*'))).toBe(false);
  });

  it('shows the hourly shape with its peak', () => {
    expect(sectionText(buildChecked(digestInput()), 'Calls by hour')).toContain(
      '*Calls by hour* · peak 15:00 (111 calls)\n```▁▁▁▁▁▁▂▃▅▇█▇▅▆██▆▄▂▂▁▁▁▁\n00    06    12    18```',
    );
  });
});

describe('buildDigest: the attention rule', () => {
  it('lists a figure that rose day on day and fell week on week as mixed, not as worse and not as normal', () => {
    // Prepare: agent pick-up 89.9%, against 80% the day before and 99% a week before
    const input = withRates('agent_reception_rate', 0.899, 0.8, 0.99);
    // Act
    const attention = attentionText(buildChecked(input));
    // Assess
    expect(attention).not.toContain('🔴 *Agent pick-up*');
    expect(attention).toContain(
      '🔀 Mixed, worse against one day and better against the other: *Agent pick-up* 89.9% (▲ 9.9 pp d/d · ▼ 9.1 pp w/w)',
    );
    expect(normalCount(attention)).toBe(15);
  });

  it('never counts a figure bad week on week among the figures within the normal range (#27)', () => {
    // Prepare: transfer success 76.2%, above the day before (70%) but 17.6 pp under a week before
    const quiet = withRates('transfer_success_rate', 0.762, 0.762, 0.762);
    const input = withRates('transfer_success_rate', 0.762, 0.7, 0.938);
    // Act
    const attention = attentionText(buildChecked(input));
    // Assess: one figure fewer within the normal range, and shown with both of its moves
    expect(normalCount(attention)).toBe(normalCount(attentionText(buildChecked(quiet))) - 1);
    expect(attention).toContain('*Transfer success* 76.2% (▲ 6.2 pp d/d · ▼ 17.6 pp w/w)');
  });

  it('lists a figure that fell on both', () => {
    const input = withRates('agent_reception_rate', 0.899, 0.99, 0.99);
    expect(attentionText(buildChecked(input))).toContain(
      '🔴 *Agent pick-up* 89.9% · ▼ 9.1 pp d/d · ▼ 9.1 pp w/w',
    );
  });

  it('lists a figure that fell on one and moved within its noise on the other', () => {
    const input = withRates('agent_reception_rate', 0.899, 0.99, 0.905);
    expect(attentionText(buildChecked(input))).toContain(
      '🔴 *Agent pick-up* 89.9% · ▼ 9.1 pp d/d · ▼ 0.6 pp w/w',
    );
  });

  it('says what got better on both, in one line', () => {
    const input = withRates('agent_reception_rate', 0.95, 0.88, 0.89);
    expect(attentionText(buildChecked(input))).toContain(
      '🟢 Better: *Agent pick-up* ▲ 7 pp d/d · ▲ 6 pp w/w',
    );
  });

  it('never judges a figure AIRUDDER rates as neither good nor bad, however far it moved', () => {
    const input = digestInput();
    realtimeDailyRow(input.day).total_calls = 3000;
    const message = buildChecked(input);
    expect(attentionText(message)).not.toContain('Calls');
    expect(detailLine(buildChecked(input, { detail: true }), 'Calls')).toBe(
      '*Calls* 3,000 · ▲ 205.5% d/d · ▲ 200.3% w/w',
    );
  });
});

describe('buildDigest: edge days', () => {
  function zeroCallDay(): DigestInput {
    const input = digestInput();
    const row = realtimeDailyRow(input.day);
    for (const key of Object.keys(row)) if (typeof row[key] === 'number') row[key] = 0;
    input.day.data.realtime!.hourly!.data_list = input.day.data.realtime!.hourly!.data_list.map((hour) => ({
      ...hour,
      total_calls: 0,
    }));
    input.day.data.realtime!.total = null;
    return { ...input, alertsFired: [] };
  }

  it('says a day without calls had none, with no rates and no "better"', () => {
    // Act
    const message = buildChecked(zeroCallDay(), { detail: true });
    // Assess
    expect(allTexts(message)[2]).toBe('📭 *No calls* on Tue 11 Nov (982 on Mon 10 Nov, 999 on Tue 4 Nov).');
    const firstScreen = visibleText(buildChecked(zeroCallDay()));
    expect(firstScreen).not.toMatch(/\b0(\.0)?%/);
    expect(firstScreen).not.toContain('Better');
    expect(detailLine(message, 'Transfer success')).toBe('*Transfer success* _no calls_');
    expect(message.text).toBe('AIRUDDER stats monitor · Robot digest Tue 11 Nov: no calls, no alerts');
  });

  it('makes a day without calls a problem line, never "Nothing needs attention" (#27)', () => {
    // Act
    const attention = attentionText(buildChecked(zeroCallDay()));
    // Assess
    expect(attention).toMatch(/^\*Needs attention\*\n🔴 \*No calls\* all day · ▼ 100% d\/d · ▼ 100% w\/w/);
    expect(attention).not.toContain('Nothing needs attention');
  });

  it('makes a day without calls a problem line even with no earlier day to compare with', () => {
    const input = { ...zeroCallDay(), previousDay: undefined, weekAgo: undefined };
    expect(attentionText(buildChecked(input))).toBe(
      '*Needs attention*\n🔴 *No calls* all day\nNo earlier day to compare with, so nothing is judged better or worse.',
    );
  });

  it.each([
    { calls: 300, shown: true, why: 'under half of both earlier days' },
    { calls: 491, shown: true, why: 'exactly half of the day before' },
    { calls: 492, shown: false, why: 'over half of the day before' },
  ])('makes a day of $calls calls a problem line: $shown ($why)', ({ calls, shown }) => {
    // Prepare: 982 calls the day before, 999 a week before, and every rate as it was
    const input = digestInput();
    realtimeDailyRow(input.day).total_calls = calls;
    // Act
    const attention = attentionText(buildChecked(input));
    // Assess
    const line = new RegExp(
      `🔴 \\*Calls\\* ${calls} · far below both earlier days · ▼ [\\d.]+% d/d · ▼ [\\d.]+% w/w`,
    );
    if (shown) {
      expect(attention).toMatch(line);
    } else {
      expect(attention).not.toContain('far below');
    }
  });

  it('judges the volume against the only earlier day there is', () => {
    const input = { ...digestInput(), weekAgo: undefined };
    realtimeDailyRow(input.day).total_calls = 100;
    expect(attentionText(buildChecked(input))).toContain(
      '🔴 *Calls* 100 · far below the earlier day · ▼ 89.8% d/d',
    );
  });

  it('does not count the calls and valid calls of a low-volume day within the normal range', () => {
    const input = digestInput();
    const usual = normalCount(attentionText(buildChecked(input)));
    realtimeDailyRow(input.day).total_calls = 100;
    expect(normalCount(attentionText(buildChecked(input)))).toBe(usual - 2);
  });

  it('does not call rates better or worse against an earlier day without calls', () => {
    const input = digestInput();
    const row = realtimeDailyRow(input.previousDay!, '2025-11-10');
    for (const key of Object.keys(row)) if (typeof row[key] === 'number') row[key] = 0;
    const message = buildChecked(input, { detail: true });
    expect(detailLine(message, 'Transfer success')).toMatch(/^\*Transfer success\* 84.8% · d\/d no data · /);
    expect(detailLine(message, 'Calls')).toMatch(/^\*Calls\* 966 · ▲ new d\/d · /);
  });

  it('says "no data" for a comparison day the archive and the API did not have', () => {
    // Prepare
    const input = { ...digestInput(), previousDay: undefined };
    // Act
    const message = buildChecked(input, { detail: true });
    // Assess
    expect(footerText(message)).toContain('d/d: no data for Mon 10 Nov · w/w = vs Tue 4 Nov');
    expect(attentionText(message)).toContain('🔴 *Transfer success* 84.8% · ▼ 9 pp w/w');
    expect(detailLine(message, 'Transfer success')).toBe(
      '*Transfer success* 84.8% · d/d no data · 🔴 ▼ 9 pp w/w _(handovers that reached an agent)_',
    );
  });

  it('treats a comparison response that does not hold its date as missing', () => {
    const input = { ...digestInput(), weekAgo: digestInput().previousDay };
    expect(footerText(buildChecked(input))).toContain('w/w: no data for Tue 4 Nov');
  });

  it('judges nothing when neither earlier day has data', () => {
    const input = { ...digestInput(), previousDay: undefined, weekAgo: undefined };
    expect(attentionText(buildChecked(input))).toBe(
      'No earlier day to compare with, so nothing is judged better or worse.',
    );
  });

  it('keeps the "not in yet" note while the offline (T+1) figures are late', () => {
    // Prepare
    const input = digestInput();
    input.day.data.offline = null;
    // Act
    const message = buildChecked(input, { detail: true });
    // Assess
    expect(attentionText(message)).toContain(
      '⏳ Not in yet (T+1): peak concurrent calls, transfer reasons, tickets, fake receipts.',
    );
    expect(detailLine(message, 'Peak concurrent calls')).toContain('_not in yet (T+1)_');
    expect(sectionText(message, 'Why calls went to an agent')).toMatch(
      /^\*Why calls went to an agent\*\n_not in yet \(T\+1\)_\n/,
    );
    expect(message.text).toContain('T+1 figures not in yet');
  });
});

describe('buildDigest: the full table (--detail)', () => {
  it('adds every figure, one line each, coloured only where it is news, with what it means', () => {
    const message = buildChecked(digestInput(), { detail: true });
    expect(detailLine(message, 'Transfer success')).toBe(
      '*Transfer success* 84.8% · 🔴 ▼ 7.9 pp d/d · 🔴 ▼ 9 pp w/w _(handovers that reached an agent)_',
    );
    expect(detailLine(message, 'With an agent')).toBe('*With an agent* 1m 25s · ▼ 1.2% d/d · ▼ 5.6% w/w');
    expect(allTexts(message).join('\n')).not.toContain('⚪');
  });

  it('names known AIRUDDER keys in words and shows unknown ones as they are', () => {
    const message = buildChecked(digestInput(), { detail: true });
    expect(sectionText(message, 'What callers wanted')).toContain('` 34%` Order status (276)');
    expect(sectionText(message, 'Intentions')).toContain('` 30%` A (243)');
    const small = sectionText(message, 'Why calls went to an agent');
    expect(small).toContain('` 78%` Caller hung up (756)');
    expect(small).toContain('` 45%` Ticket type 1 (13)');
    expect(small).toContain(
      '*Fake delivery receipts* _(callers reporting a parcel marked delivered but never received)_\n18 reports, 16 without same-day repeats',
    );
  });

  const HOSTILE = ['<!channel>', 'Sales & Support', '<http://x|y>'];
  const hostile = Object.fromEntries(HOSTILE.map((name, index) => [name, 100 - index]));
  it.each([
    {
      where: 'stories',
      set: (input: DigestInput) => {
        realtimeDailyRow(input.day).story_distribution = hostile;
      },
    },
    {
      where: 'intentions',
      set: (input: DigestInput) => {
        realtimeDailyRow(input.day).intention_distribution = hostile;
      },
    },
    {
      where: 'transfer reasons',
      set: (input: DigestInput) => {
        offlineDailyRow(input.day).transfer_reason_distribution = hostile;
      },
    },
    {
      where: 'tickets',
      set: (input: DigestInput) => {
        offlineDailyRow(input.day).ticket_distribution = hostile;
      },
    },
    {
      where: 'hangups',
      set: (input: DigestInput) => {
        realtimeDailyRow(input.day).hangup_type_distribution = hostile;
      },
    },
    {
      where: 'alerts',
      set: (input: DigestInput) =>
        Object.assign(input, {
          alertsFired: HOSTILE.map((name) => ({
            ruleId: name,
            title: name,
            severity: 'warn',
            at: '2025-11-11T03:00:00Z',
          })),
        }),
    },
  ])('escapes hostile names in $where so that they ping and link nobody', ({ set }) => {
    // Prepare
    const input = digestInput();
    set(input);
    // Act
    const text = allTexts(buildChecked(input, { detail: true })).join('\n');
    // Assess
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('Sales &amp; Support');
    expect(text).toContain('&lt;http://x|y&gt;');
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });
});

describe('buildDigest: Slack limits', () => {
  const longNames = (prefix: string, count: number) =>
    Object.fromEntries(
      Array.from({ length: count }, (_, index) => [`${prefix}-${index}-${'x&<'.repeat(66)}`, 1000 - index]),
    );

  it.each([5, 50, 500])(
    'stays within every Block Kit limit with 500 stories of 200-character names (topN %i)',
    (topN) => {
      // Prepare
      const input = { ...digestInput(), topN };
      const row = realtimeDailyRow(input.day);
      row.story_distribution = longNames('story', 500);
      row.intention_distribution = longNames('intent', 500);
      row.hangup_type_distribution = longNames('hangup', 500);
      offlineDailyRow(input.day).transfer_reason_distribution = longNames('reason', 500);
      offlineDailyRow(input.day).ticket_distribution = longNames('ticket', 500);
      // Act
      const message = buildChecked(input, { detail: true });
      // Assess: what is shown and what is folded still accounts for all 500.
      const stories = sectionText(message, 'What callers wanted').split('\n').slice(1);
      const others = /_(\d+) others_/.exec(stories.at(-1) ?? '');
      expect(Number(others?.[1]) + stories.length - 1).toBe(500);
    },
  );

  it('stays within the limits with 300 alerts, saying how many more there were', () => {
    const alertsFired = Array.from({ length: 300 }, (_, index) => ({
      ruleId: `rule-${index}`,
      title: `Alert ${index} ${'long title '.repeat(30)}`,
      severity: 'crit' as const,
      at: new Date(Date.UTC(2025, 10, 11, 0, index)).toISOString(),
    }));
    const message = buildChecked({ ...digestInput(), alertsFired });
    expect(sectionText(message, 'Alerts')).toMatch(/_…and \d+ more_$/);
  });

  it('folds every story into "others" when topN is 0', () => {
    const message = buildChecked({ ...digestInput(), topN: 0 }, { detail: true });
    expect(sectionText(message, 'What callers wanted')).toBe(
      '*What callers wanted* · 822 _(conversation flows the robot ran)_\n`100%` _10 others_ (822)',
    );
  });

  it('refuses a negative topN', () => {
    expect(() => buildDigest({ ...digestInput(), topN: -1 })).toThrow(RangeError);
  });
});

describe('buildDigest: the message', () => {
  it('heads the digest and its notification text with MONITOR_NAME, so centres sharing a channel are told apart (#27)', () => {
    // Act
    const message = buildChecked({ ...digestInput(), monitorName: 'Jakarta inbound' });
    // Assess
    expect(JSON.stringify(message.blocks[0])).toContain(
      '"Jakarta inbound — 🤖 Robot digest · Tue 11 Nov 2025"',
    );
    expect(message.text).toMatch(/^Jakarta inbound · Robot digest Tue 11 Nov: /);
  });

  it('marks a replayed digest as replayed alerts are marked (#27)', () => {
    const message = buildChecked({ ...digestInput(), monitorName: 'Jakarta inbound', replay: true });
    expect(JSON.stringify(message.blocks[0])).toContain(
      '"REPLAY · Jakarta inbound — 🤖 Robot digest · Tue 11 Nov 2025"',
    );
    expect(message.text).toMatch(/^\[replay\] Jakarta inbound · Robot digest Tue 11 Nov: /);
  });

  it('escapes the monitor name in the notification text', () => {
    const message = buildChecked({ ...digestInput(), monitorName: '<!channel> desk' });
    expect(message.text).toMatch(/^&lt;!channel&gt; desk · /);
  });

  it('has a notification text that reads well on a phone', () => {
    expect(buildChecked(digestInput()).text).toBe(
      'AIRUDDER stats monitor · Robot digest Tue 11 Nov: 966 calls (▼ 1.6% d/d), transfer success 84.8% (▼ 7.9 pp d/d), 2 alerts',
    );
  });

  it('says so when the response holds no realtime figures for the day', () => {
    const input = digestInput();
    input.day.data.realtime = null;
    const message = buildChecked(input);
    expect(allTexts(message)[2]).toBe('⚠️ No realtime figures for Tue 11 Nov in the response.');
    expect(message.text).toBe('AIRUDDER stats monitor · Robot digest Tue 11 Nov: no call figures, 2 alerts');
  });

  it('says where the raw data sits, escaped', () => {
    const message = buildChecked({
      ...digestInput(),
      archiveLocation: 's3://bucket/raw/day/2025-11-11/a&b.json',
    });
    expect(footerText(message)).toContain('📦 Raw data: `s3://bucket/raw/day/2025-11-11/a&amp;b.json`');
  });

  it('shows an alert that started the day before with its date', () => {
    const alertsFired = [
      {
        ruleId: 'r',
        title: 'Overnight',
        severity: 'warn' as const,
        at: '2025-11-10T16:30:00Z',
        resolvedAt: '2025-11-10T18:00:00Z',
      },
    ];
    const message = buildChecked({ ...digestInput(), alertsFired });
    expect(sectionText(message, 'Alerts')).toContain('⚠️ WARN *Overnight* · Mon 10 Nov 23:30–01:00 (1h 30m)');
  });

  it('refuses a date that is not a date', () => {
    expect(() => buildDigest({ ...digestInput(), date: '2025-13-01' })).toThrow(RangeError);
  });
});

describe('the snoozes of the day', () => {
  it('lists each snooze with its local times and reason in one section, and adds none on a day without', () => {
    // Prepare
    const plain = buildDigest(digestInput());
    const input: DigestInput = {
      ...digestInput(),
      snoozes: [
        {
          title: 'Transfer success',
          at: '2025-11-11T07:00:00Z',
          until: '2025-11-11T09:00:00Z',
          reason: 'carrier <!here>',
        },
        { title: 'all rules', at: '2025-11-10T16:00:00Z', until: '2025-11-11T01:00:00Z' },
      ],
    };

    // Act
    const message = buildDigest(input);

    // Assess
    expect(message.blocks).toHaveLength(plain.blocks.length + 1);
    expect(allTexts(plain).some((text) => text.includes('Snoozed'))).toBe(false);
    const lines = (allTexts(message).find((text) => text.includes('*Snoozed*')) ?? '').split('\n');
    expect(lines[0]).toBe('🔕 *Snoozed* · 2 (messages held; resolutions still sent)');
    expect(lines[1]).toMatch(/^• all rules .*23:00–08:00$/);
    expect(lines[2]).toBe('• Transfer success 14:00–16:00 — carrier &lt;!here&gt;');
  });
});
