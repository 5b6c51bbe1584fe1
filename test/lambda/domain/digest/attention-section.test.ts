import { describe, expect, it } from 'vitest';
import {
  attention,
  LOW_VOLUME_SHARE,
  volumeProblem,
} from '../../../../lambda/domain/digest/attention-section';
import {
  type DigestFigures,
  FIGURE_KEYS,
  type FigureKey,
  type FiredAlert,
} from '../../../../lambda/domain/digest/day-data';
import type { DigestView, FoldedBreakdowns } from '../../../../lambda/domain/digest/digest-view';
import {
  type Comparison,
  changesOf,
  figureDefinition,
  HEADLINE_FIGURES,
  type TaggedChange,
} from '../../../../lambda/domain/digest/figures';

/** Figures of a day: only the figures given have a value, so only they can be judged. */
const figures = (
  values: Partial<Record<FigureKey, number>>,
  flags: Partial<DigestFigures> = {},
): DigestFigures => ({
  date: '2025-11-12',
  values: Object.fromEntries(HEADLINE_FIGURES.map((figure) => [figure.key, values[figure.key]])) as Record<
    FigureKey,
    number | undefined
  >,
  sources: {},
  realtimeIn: true,
  offlineIn: true,
  ...flags,
});

/** No breakdowns: the section only asks whether the offline ones are in. */
const breakdowns = (offlineIn: boolean): FoldedBreakdowns => ({
  stories: undefined,
  intentions: undefined,
  hangups: undefined,
  ratings: undefined,
  transferReasons: undefined,
  tickets: undefined,
  fakeReceipts: undefined,
  offlineIn,
});

type Values = Partial<Record<FigureKey, number>>;
interface ViewOptions {
  readonly flags?: Partial<DigestFigures>;
  readonly breakdownsIn?: boolean;
  readonly alerts?: ReadonlyArray<FiredAlert>;
}
/** The view the section lays out: the day's figures judged against the earlier days given. */
const view = (today: Values, dayBefore?: Values, weekAgo?: Values, options: ViewOptions = {}): DigestView => {
  const current = figures(today, options.flags);
  const comparisons: Comparison[] = [
    ...(dayBefore === undefined ? [] : [{ tag: 'd/d' as const, figures: figures(dayBefore) }]),
    ...(weekAgo === undefined ? [] : [{ tag: 'w/w' as const, figures: figures(weekAgo) }]),
  ];
  const changes = Object.fromEntries(
    FIGURE_KEYS.map((key) => [key, changesOf(figureDefinition(key), current, comparisons)]),
  ) as Record<FigureKey, TaggedChange[]>;
  return {
    date: '2025-11-12',
    dayLabel: 'Wed 12 Nov',
    dayLabelWithYear: 'Wed 12 Nov 2025',
    timeZone: 'UTC',
    monitorName: 'Test centre',
    replay: false,
    figures: current,
    changes,
    breakdowns: breakdowns(options.breakdownsIn ?? true),
    earlier: [],
    comparisons,
    alerts: options.alerts ?? [],
    snoozes: [],
    hours: [],
    archiveLocation: 's3://archive/raw/day/2025-11-12/x.json',
  };
};

const anAlert: FiredAlert = {
  ruleId: 'transfer',
  title: 'Transfer success below 88%',
  severity: 'warn',
  at: '2025-11-12T03:00:00Z',
};
const NOTHING = '✅ Nothing needs attention: no alerts, and every other figure is within its normal range.';
const calls = (totalCalls: number, more: Values = {}): Values => ({ totalCalls, ...more });

describe("the digest's attention section", () => {
  it('says nothing needs attention on a day like the earlier ones without alerts', () => {
    expect(attention(view(calls(1000), calls(1000), calls(1000)))).toBe(NOTHING);
  });

  it('with alerts, counts the figures within their normal range instead (one, or several)', () => {
    const alerts = [anAlert];
    expect(attention(view(calls(1000), calls(1000), calls(1000), { alerts }))).toBe(
      '✅ 1 other figure within the normal range.',
    );
    const both = calls(1000, { validCalls: 900 });
    expect(attention(view(both, both, both, { alerts }))).toBe('✅ 2 other figures within the normal range.');
  });

  it('lists a figure worse against both days under "Needs attention", with its value and moves', () => {
    const text = attention(
      view(
        calls(1000, { transferSuccessRate: 0.7 }),
        calls(1000, { transferSuccessRate: 0.9 }),
        calls(1000, { transferSuccessRate: 0.9 }),
      ),
    );
    expect(text.split('\n')).toEqual([
      '*Needs attention*',
      '🔴 *Transfer success* 70% · ▼ 20 pp d/d · ▼ 20 pp w/w',
      '✅ 1 other figure within the normal range.',
    ]);
  });

  it('puts a figure worse against one day and better against the other on the mixed line, never as normal', () => {
    const text = attention(
      view(
        calls(1000, { transferSuccessRate: 0.7 }),
        calls(1000, { transferSuccessRate: 0.9 }),
        calls(1000, { transferSuccessRate: 0.5 }),
      ),
    );
    expect(text.split('\n')).toEqual([
      '🔀 Mixed, worse against one day and better against the other: *Transfer success* 70% (▼ 20 pp d/d · ▲ 20 pp w/w)',
      '✅ 1 other figure within the normal range.',
    ]);
  });

  it('lists what got better', () => {
    const text = attention(
      view(
        calls(1000, { transferSuccessRate: 0.9 }),
        calls(1000, { transferSuccessRate: 0.7 }),
        calls(1000, { transferSuccessRate: 0.9 }),
      ),
    );
    expect(text.split('\n')).toEqual(['🟢 Better: *Transfer success* ▲ 20 pp d/d · = 0 pp w/w', NOTHING]);
  });

  it('puts several mixed figures on one line, and several better ones on another', () => {
    const rates = (rate: number) => calls(1000, { transferSuccessRate: rate, agentReceptionRate: rate });
    expect(attention(view(rates(0.9), rates(0.7), rates(0.7))).split('\n')[0]).toBe(
      '🟢 Better: *Transfer success* ▲ 20 pp d/d · ▲ 20 pp w/w · *Agent pick-up* ▲ 20 pp d/d · ▲ 20 pp w/w',
    );
    expect(attention(view(rates(0.7), rates(0.9), rates(0.5))).split('\n')[0]).toBe(
      '🔀 Mixed, worse against one day and better against the other: *Transfer success* 70% (▼ 20 pp d/d · ▲ 20 pp w/w) · *Agent pick-up* 70% (▼ 20 pp d/d · ▲ 20 pp w/w)',
    );
  });

  it('judges nothing without an earlier day', () => {
    expect(attention(view(calls(1000)))).toBe(
      'No earlier day to compare with, so nothing is judged better or worse.',
    );
  });

  it.each([
    { name: 'the offline figures', flags: { offlineIn: false }, breakdownsIn: true },
    { name: 'the offline breakdowns', flags: {}, breakdownsIn: false },
  ])('names the T+1 figures not in yet when $name are missing', ({ flags, breakdownsIn }) => {
    expect(attention(view(calls(1000), calls(1000), undefined, { flags, breakdownsIn })).split('\n')).toEqual(
      [
        '⏳ Not in yet (T+1): users, new users, returning users, peak concurrent calls, first-call resolution, transfer reasons, tickets, fake receipts.',
        NOTHING,
      ],
    );
  });

  it('never calls a day without calls, or far quieter than the earlier days, one that needs nothing', () => {
    expect(attention(view(calls(0), calls(1000), calls(800))).split('\n')).toEqual([
      '*Needs attention*',
      '🔴 *No calls* all day · ▼ 100% d/d · ▼ 100% w/w',
    ]);
    // The volume line stands for calls and valid calls: neither is counted again as normal.
    const quiet = attention(
      view(
        calls(400, { validCalls: 300, transferSuccessRate: 0.9 }),
        calls(1000, { validCalls: 900, transferSuccessRate: 0.9 }),
        calls(800, { validCalls: 700, transferSuccessRate: 0.9 }),
      ),
    );
    expect(quiet.split('\n')).toEqual([
      '*Needs attention*',
      '🔴 *Calls* 400 · far below both earlier days · ▼ 60% d/d · ▼ 50% w/w',
      '✅ 1 other figure within the normal range.',
    ]);
  });
});

describe('volumeProblem', () => {
  it('reads a day without calls as a problem even with nothing to compare with', () => {
    expect(volumeProblem(view(calls(0)))).toBe('🔴 *No calls* all day');
  });

  it(`is a problem at ${LOW_VOLUME_SHARE * 100}% of every earlier day's calls or less, not above it`, () => {
    expect(volumeProblem(view(calls(500), calls(1000)))).toBe(
      '🔴 *Calls* 500 · far below the earlier day · ▼ 50% d/d',
    );
    expect(volumeProblem(view(calls(501), calls(1000)))).toBeUndefined();
    // Far below one day but not the other: not a problem line.
    expect(volumeProblem(view(calls(400), calls(1000), calls(700)))).toBeUndefined();
  });

  it('compares with the earlier days that counted calls only', () => {
    expect(volumeProblem(view(calls(400), calls(1000), { validCalls: 3 }))).toBe(
      '🔴 *Calls* 400 · far below the earlier day · ▼ 60% d/d',
    );
    expect(volumeProblem(view(calls(400), { validCalls: 3 }, { validCalls: 3 }))).toBeUndefined();
  });

  it('says nothing when the day has no realtime figures, or no call count', () => {
    expect(
      volumeProblem(view(calls(0), calls(1000), undefined, { flags: { realtimeIn: false } })),
    ).toBeUndefined();
    expect(volumeProblem(view({ validCalls: 0 }, calls(1000)))).toBeUndefined();
  });
});
