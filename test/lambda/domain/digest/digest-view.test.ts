import { describe, expect, it } from 'vitest';
import { buildDigest, renderDigest } from '../../../../lambda/domain/digest/build-digest';
import { digestView } from '../../../../lambda/domain/digest/digest-view';
import { allTexts, DAY, digestInput, PREVIOUS_DAY, WEEK_AGO } from './digest-test-kit';

describe('digestView: what the digest shows, read and judged before anything is laid out', () => {
  it('holds the figures, their changes against both earlier days and the folded breakdowns', () => {
    const view = digestView(digestInput());

    expect(view.earlier.map(({ tag, date, dayLabel }) => [tag, date, dayLabel])).toEqual([
      ['d/d', PREVIOUS_DAY, 'Mon 10 Nov'],
      ['w/w', WEEK_AGO, 'Tue 4 Nov'],
    ]);
    expect(view.changes.totalCalls.map(({ tag }) => tag)).toEqual(['d/d', 'w/w']);
    expect(view.breakdowns.stories?.top.length).toBeLessThanOrEqual(5);
    expect(view.breakdowns.ratings?.top.map(({ name }) => name)).toEqual(['5', '4', '3', '2', '1']);
    expect(view.hours).toHaveLength(24);
    expect(view.dayLabelWithYear).toBe('Tue 11 Nov 2025');
  });

  it('refuses a malformed topN or date with a RangeError', () => {
    expect(() => digestView({ ...digestInput(), topN: 1.5 })).toThrow(RangeError);
    expect(() => digestView({ ...digestInput(), date: `${DAY}x` })).toThrow(RangeError);
  });
});

describe('renderDigest: lays out the view it is given and reads nothing else', () => {
  it('renders the same message as buildDigest from the same input', () => {
    const input = digestInput();

    expect(renderDigest(digestView(input), { detail: true })).toEqual(buildDigest(input, { detail: true }));
  });

  it('shows what the view says, even where the responses would say otherwise', () => {
    const view = digestView(digestInput());
    const changed = {
      ...view,
      figures: { ...view.figures, values: { ...view.figures.values, totalCalls: 4321 } },
      hours: view.hours.map((slot) => ({ ...slot, calls: slot.hour === 3 ? 999_999 : 0 })),
      earlier: view.earlier.map((day) => ({ ...day, dayLabel: `label of ${day.tag}` })),
    };

    const texts = allTexts(renderDigest(changed)).join('\n');

    expect(texts).toContain('*4,321 calls*');
    expect(texts).toContain('peak 03:00 (999,999 calls)');
    expect(texts).toContain('d/d = vs label of d/d');
    expect(texts).not.toContain('vs Mon 10 Nov');
  });
});
