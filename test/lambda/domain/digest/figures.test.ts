import { describe, expect, it } from 'vitest';
import {
  compareFigure,
  type FigureKind,
  figureDefinition,
  formatChange,
  formatToneChange,
  verdictOf,
} from '../../../../lambda/domain/digest/figures';

const transferSuccess = figureDefinition('transferSuccessRate');
const duplicateRate = figureDefinition('duplicateCallRate');
const calls = figureDefinition('totalCalls');
const agentDuration = figureDefinition('agentDuration');
const score = figureDefinition('averageScore');

describe('compareFigure', () => {
  it.each<{ name: string; kind: FigureKind; current: number; previous: number; shown: string; tone: string }>(
    [
      {
        name: 'transfer success up is good',
        kind: transferSuccess,
        current: 0.95,
        previous: 0.9,
        shown: '▲ 5 pp',
        tone: 'good',
      },
      {
        name: 'transfer success down is bad',
        kind: transferSuccess,
        current: 0.8476,
        previous: 0.9269,
        shown: '▼ 7.9 pp',
        tone: 'bad',
      },
      {
        name: 'duplicate call rate up is bad',
        kind: duplicateRate,
        current: 0.3,
        previous: 0.25,
        shown: '▲ 5 pp',
        tone: 'bad',
      },
      {
        name: 'duplicate call rate down is good',
        kind: duplicateRate,
        current: 0.2,
        previous: 0.25,
        shown: '▼ 5 pp',
        tone: 'good',
      },
      {
        name: 'call volume up is neutral',
        kind: calls,
        current: 1200,
        previous: 1000,
        shown: '▲ 20%',
        tone: 'neutral',
      },
      {
        name: 'call volume down is neutral',
        kind: calls,
        current: 800,
        previous: 1000,
        shown: '▼ 20%',
        tone: 'neutral',
      },
      {
        name: 'agent duration up is bad',
        kind: agentDuration,
        current: 100,
        previous: 80,
        shown: '▲ 25%',
        tone: 'bad',
      },
      {
        name: 'average score up is good',
        kind: score,
        current: 4.3,
        previous: 4.1,
        shown: '▲ 0.2',
        tone: 'good',
      },
      {
        name: 'a rate move inside the noise is neutral',
        kind: transferSuccess,
        current: 0.91,
        previous: 0.92,
        shown: '▼ 1 pp',
        tone: 'neutral',
      },
      {
        name: 'a small count move keeps one decimal',
        kind: calls,
        current: 1004,
        previous: 1000,
        shown: '▲ 0.4%',
        tone: 'neutral',
      },
      {
        name: 'an unchanged rate reads as equal',
        kind: transferSuccess,
        current: 0.9,
        previous: 0.9,
        shown: '= 0 pp',
        tone: 'neutral',
      },
      {
        name: 'a count that rounds to no change reads as equal',
        kind: calls,
        current: 100_001,
        previous: 100_000,
        shown: '= 0%',
        tone: 'neutral',
      },
    ],
  )('$name ($shown)', ({ kind, current, previous, shown, tone }) => {
    // Act
    const change = compareFigure(current, previous, kind);
    // Assess
    expect(formatChange(change, kind.unit)).toBe(shown);
    expect(change.kind === 'no-data' ? undefined : change.tone).toBe(tone);
  });

  it('says "new" instead of dividing by a zero previous count', () => {
    const change = compareFigure(5, 0, calls);
    expect(change).toEqual({ kind: 'new', tone: 'neutral' });
    expect(formatToneChange(change, 'count', 'd/d')).toBe('▲ new d/d');
  });

  it('colours "new" by the figure: agent time appearing from nothing is bad news', () => {
    expect(compareFigure(40, 0, agentDuration)).toEqual({ kind: 'new', tone: 'bad' });
  });

  it('reads zero against zero as no change', () => {
    expect(formatChange(compareFigure(0, 0, calls), 'count')).toBe('= 0%');
  });

  it('compares a rate with a zero previous rate in percentage points, no division needed', () => {
    expect(formatChange(compareFigure(0.25, 0, transferSuccess), 'rate')).toBe('▲ 25 pp');
  });

  it.each([
    { current: undefined, previous: 0.9 },
    { current: 0.9, previous: undefined },
    { current: undefined, previous: undefined },
  ])('has no data when a side is missing (current $current, previous $previous)', ({ current, previous }) => {
    const change = compareFigure(current, previous, transferSuccess);
    expect(change).toEqual({ kind: 'no-data' });
    expect(formatToneChange(change, 'rate', 'w/w')).toBe('w/w no data');
  });

  it('does not let binary-float residue decide the tone of an exactly-at-noise move', () => {
    // 0.93 - 0.91 is 0.020000000000000018 in floating point; the reader sees 2.0 pp.
    const change = compareFigure(0.93, 0.91, transferSuccess);
    expect(change).toMatchObject({ kind: 'delta', delta: 2, notable: true, tone: 'good' });
  });
});

describe('verdictOf: the attention rule', () => {
  const delta = (tone: 'good' | 'bad' | 'neutral') =>
    ({
      kind: 'delta',
      delta: tone === 'good' ? 5 : tone === 'bad' ? -5 : 0.5,
      unit: 'points',
      notable: tone !== 'neutral',
      tone,
    }) as const;
  const noData = { kind: 'no-data' } as const;
  it.each([
    { dd: delta('bad'), ww: delta('bad'), verdict: 'attention', why: 'worse on both' },
    {
      dd: delta('bad'),
      ww: delta('neutral'),
      verdict: 'attention',
      why: 'worse on one, within noise on the other',
    },
    { dd: delta('bad'), ww: noData, verdict: 'attention', why: 'worse on one, no data on the other' },
    { dd: delta('good'), ww: delta('bad'), verdict: 'mixed', why: 'better day on day, worse week on week' },
    { dd: delta('bad'), ww: delta('good'), verdict: 'mixed', why: 'worse day on day, better week on week' },
    { dd: delta('good'), ww: delta('neutral'), verdict: 'better', why: 'better on one and not worse' },
    { dd: delta('neutral'), ww: delta('neutral'), verdict: 'normal', why: 'within noise on both' },
    { dd: noData, ww: noData, verdict: 'not-compared', why: 'nothing to compare with' },
  ] as const)('says $verdict when $why', ({ dd, ww, verdict }) => {
    expect(
      verdictOf([
        { tag: 'd/d', change: dd },
        { tag: 'w/w', change: ww },
      ]),
    ).toBe(verdict);
  });
});
