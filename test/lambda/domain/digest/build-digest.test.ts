import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../../lambda/domain/digest/build-digest';
import {
  allTexts,
  buildChecked,
  digestInput,
  offlineDailyRow,
  PREVIOUS_DAY,
  realtimeDailyRow,
  realtimeTotal,
  sectionText,
} from './digest-test-kit';

const legendText = (message: ReturnType<typeof buildDigest>): string => {
  const context = message.blocks.find((block) => block.type === 'context');
  return context?.type === 'context' ? (context.elements[0]?.text ?? '') : '';
};
const field = (message: ReturnType<typeof buildDigest>, label: string): string => sectionText(message, label);

describe('buildDigest: comparisons', () => {
  it('compares every headline figure with the day before and the week before', () => {
    // Act
    const message = buildChecked(digestInput());
    // Assess
    expect(field(message, 'Transfer success')).toBe(
      '*Transfer success*\n84.8%\n🔴 ▼ 7.9 pp d/d · 🔴 ▼ 9 pp w/w',
    );
    expect(field(message, 'Calls')).toBe('*Calls*\n966\n⚪ ▼ 1.6% d/d · ⚪ ▼ 3.3% w/w');
    expect(legendText(message)).toContain('d/d = vs Mon 10 Nov · w/w = vs Tue 4 Nov');
  });

  it('omits d/d and says "no data" once when the previous day is missing', () => {
    const input = { ...digestInput(), previousDay: undefined };
    const message = buildChecked(input);
    expect(legendText(message)).toContain('d/d: no data for Mon 10 Nov · w/w = vs Tue 4 Nov');
    expect(field(message, 'Transfer success')).toBe('*Transfer success*\n84.8%\n🔴 ▼ 9 pp w/w');
    const withoutLegend = allTexts(message).filter((text) => text !== legendText(message));
    expect(withoutLegend.join('\n')).not.toContain('d/d');
  });

  it('omits w/w and says "no data" once when the week-ago day is missing', () => {
    const message = buildChecked({ ...digestInput(), weekAgo: undefined });
    expect(legendText(message)).toContain('d/d = vs Mon 10 Nov · w/w: no data for Tue 4 Nov');
    expect(field(message, 'Transfer success')).toBe('*Transfer success*\n84.8%\n🔴 ▼ 7.9 pp d/d');
  });

  it('shows values without change lines when there is nothing to compare with', () => {
    const message = buildChecked({ ...digestInput(), previousDay: undefined, weekAgo: undefined });
    expect(field(message, 'Transfer success')).toBe('*Transfer success*\n84.8%');
    expect(message.text).toBe('Robot digest Tue 11 Nov: 966 calls, transfer success 84.8%, 2 alerts');
  });

  it('treats a comparison response that does not hold its date as missing', () => {
    // The archive handed back the wrong day: comparing with it would be wrong, not just noisy.
    const input = digestInput();
    const message = buildChecked({ ...input, previousDay: input.day });
    expect(legendText(message)).toContain('d/d: no data for Mon 10 Nov');
  });

  it('says "new" when the previous day had zero calls', () => {
    const input = digestInput();
    if (!input.previousDay) throw new Error('fixture input has a previous day');
    realtimeDailyRow(input.previousDay, PREVIOUS_DAY).total_calls = 0;
    const message = buildChecked(input);
    expect(field(message, 'Calls')).toBe('*Calls*\n966\n⚪ ▲ new d/d · ⚪ ▼ 3.3% w/w');
    expect(message.text).toContain('966 calls (▲ new d/d)');
  });

  it('says "n/a" for one figure the previous day lacks', () => {
    const input = digestInput();
    if (!input.previousDay) throw new Error('fixture input has a previous day');
    realtimeDailyRow(input.previousDay, PREVIOUS_DAY).agent_reception_rate = null;
    realtimeTotal(input.previousDay).agent_reception_rate = null;
    const message = buildChecked(input);
    expect(field(message, 'Agent reception')).toBe('*Agent reception*\n89.9%\nn/a d/d · ⚪ ▲ 0.8 pp w/w');
  });

  it('lists a figure that got worse beyond its noise under "Needs attention"', () => {
    const message = buildChecked(digestInput());
    expect(allTexts(message)[2]).toContain(
      '*Needs attention*\n• 🔴 *Transfer success* 84.8%: ▼ 7.9 pp d/d, ▼ 9 pp w/w\n• 🚨 2 alerts fired (1 critical, 1 still firing)',
    );
  });

  it('lists a figure that got better beyond its noise under "Better"', () => {
    const input = digestInput();
    realtimeDailyRow(input.day).agent_reception_rate = 0.95;
    const message = buildChecked(input);
    expect(allTexts(message)[2]).toContain('🟢 Better: *Agent reception* ▲ 6.3 pp d/d, ▲ 6 pp w/w');
  });

  it('says nothing needs attention on a quiet day without alerts', () => {
    const message = buildChecked({
      ...digestInput(),
      previousDay: undefined,
      weekAgo: undefined,
      alertsFired: [],
    });
    expect(allTexts(message)[2]).toContain('✅ Nothing needs attention');
    expect(sectionText(message, 'Alerts')).toBe('*Alerts*\nNo alerts fired.');
    expect(message.text).toContain('no alerts');
  });
});

describe('buildDigest: late offline (T+1) data', () => {
  const lateInput = () => {
    // Prepare: what the API answers before AIRUDDER's batch has run: no daily rows, zero totals.
    const input = digestInput();
    const offline = input.day.data.offline;
    if (!offline?.daily || !offline.total) throw new Error('fixture has an offline section');
    offline.daily.data_list = [];
    offline.daily.total_count = 0;
    offline.total = {
      transfer_reason_distribution: { entrance: 0, query_status: 0 },
      fake_receipts_count: 0,
      daily_deduplicated_fake_receipts_count: 0,
      deduplicated_fake_receipts_count: 0,
      ticket_count: 0,
    };
    return input;
  };

  it('says the T+1 figures are not in yet instead of printing zeros', () => {
    // Act
    const message = buildChecked(lateInput());
    // Assess
    for (const label of ['Peak concurrent calls', 'Transfer reasons', 'Tickets', 'Fake receipts']) {
      expect(field(message, label)).toBe(`*${label}*\n_not in yet (T+1)_`);
    }
    expect(allTexts(message)[2]).toContain(
      '⏳ Offline (T+1) figures are not in yet: peak concurrent calls, transfer reasons, tickets, fake receipts.',
    );
    expect(message.text).toContain('T+1 figures not in yet');
  });

  it('still shows what realtime gives while offline is late', () => {
    const message = buildChecked(lateInput());
    expect(field(message, 'Users')).toBe('*Users*\n723\n⚪ ▼ 0.1% d/d · ⚪ ▼ 5% w/w');
    expect(field(message, 'One-call solve')).toContain('57.1%');
  });

  it('says users are not in yet when neither realtime nor offline has them', () => {
    const input = lateInput();
    const range = input.day.data.realtime?.time_range;
    if (!range) throw new Error('fixture has a time_range');
    range.end_time = '2025-11-12 06:00:00'; // the total is no longer the day's
    const message = buildChecked(input);
    expect(field(message, 'Users')).toBe('*Users*\n_not in yet (T+1)_');
    expect(field(message, 'Duplicate call rate')).toBe('*Duplicate call rate*\n_no data_');
  });
});

describe('buildDigest: names from the API', () => {
  const HOSTILE = ['<!channel>', 'Sales & Support', '<http://x|y>'];
  const hostile = Object.fromEntries(HOSTILE.map((name, index) => [name, 100 - index]));

  it.each([
    {
      where: 'stories',
      set: (input: ReturnType<typeof digestInput>) => {
        realtimeDailyRow(input.day).story_distribution = hostile;
      },
    },
    {
      where: 'intentions',
      set: (input: ReturnType<typeof digestInput>) => {
        realtimeDailyRow(input.day).intention_distribution = hostile;
      },
    },
    {
      where: 'transfer reasons',
      set: (input: ReturnType<typeof digestInput>) => {
        offlineDailyRow(input.day).transfer_reason_distribution = hostile;
      },
    },
    {
      where: 'tickets',
      set: (input: ReturnType<typeof digestInput>) => {
        offlineDailyRow(input.day).ticket_distribution = hostile;
      },
    },
    {
      where: 'hangups',
      set: (input: ReturnType<typeof digestInput>) => {
        realtimeDailyRow(input.day).hangup_type_distribution = hostile;
      },
    },
    {
      where: 'alerts',
      set: (input: ReturnType<typeof digestInput>) => {
        Object.assign(input, {
          alertsFired: HOSTILE.map((name) => ({
            ruleId: name,
            title: name,
            severity: 'warn',
            at: '2025-11-11T03:00:00Z',
          })),
        });
      },
    },
  ])('escapes hostile names in $where so that they ping and link nobody', ({ set }) => {
    // Prepare
    const input = digestInput();
    set(input);
    // Act
    const text = allTexts(buildChecked(input)).join('\n');
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
      const message = buildChecked(input);
      // Assess: what is shown and what is folded still accounts for all 500.
      const stories = sectionText(message, 'Top stories').split('\n').slice(1);
      const others = /_(\d+) others_/.exec(stories.at(-1) ?? '');
      expect(Number(others?.[1]) + stories.length - 1).toBe(500);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
    },
  );

  it('stays within the limits with 300 alerts, saying how many more there were', () => {
    const input = digestInput();
    const alertsFired = Array.from({ length: 300 }, (_, index) => ({
      ruleId: `rule-${index}`,
      title: `Alert ${index} ${'long title '.repeat(30)}`,
      severity: 'crit' as const,
      at: new Date(Date.UTC(2025, 10, 11, 0, index)).toISOString(),
    }));
    const message = buildChecked({ ...input, alertsFired });
    expect(sectionText(message, 'Alerts')).toMatch(/_…and \d+ more_$/);
  });

  it('folds every story into "others" when topN is 0', () => {
    const message = buildChecked({ ...digestInput(), topN: 0 });
    expect(sectionText(message, 'Top stories')).toBe('*Top stories* · of 822\n`100%` _10 others_ (822)');
  });

  it('refuses a negative topN', () => {
    expect(() => buildDigest({ ...digestInput(), topN: -1 })).toThrow(RangeError);
  });
});

describe('buildDigest: the message', () => {
  it('has a notification text that reads well on a phone', () => {
    expect(buildChecked(digestInput()).text).toBe(
      'Robot digest Tue 11 Nov: 966 calls (▼ 1.6% d/d), transfer success 84.8% (▼ 7.9 pp d/d), 2 alerts',
    );
  });

  it('says so when the response holds no realtime figures for the day', () => {
    const input = digestInput();
    input.day.data.realtime = null;
    const message = buildChecked(input);
    expect(allTexts(message)[2]).toContain('⚠️ No realtime figures for Tue 11 Nov in the response.');
    expect(message.text).toBe('Robot digest Tue 11 Nov: no call figures, 2 alerts');
  });

  it('says where the raw data sits, escaped', () => {
    const message = buildChecked({
      ...digestInput(),
      archiveLocation: 's3://bucket/raw/day/2025-11-11/a&b.json',
    });
    expect(allTexts(message).join('\n')).toContain(
      '📦 Raw data: `s3://bucket/raw/day/2025-11-11/a&amp;b.json`',
    );
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
    expect(sectionText(message, 'Alerts')).toContain('Mon 10 Nov 23:30–01:00');
  });

  it('refuses a date that is not a date', () => {
    expect(() => buildDigest({ ...digestInput(), date: '2025-13-01' })).toThrow(RangeError);
  });
});
