import { describe, expect, it } from 'vitest';
import { GAP, sparkline, sparklineAxis } from '../../../../lambda/domain/digest/build-digest';

describe('sparkline', () => {
  it('draws one bar per value, scaled from zero to the largest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });

  it('draws a flat busy day as full bars', () => {
    expect(sparkline([40, 40, 40])).toBe('███');
  });

  it('draws a day of zeros as a flat floor', () => {
    expect(sparkline(Array.from({ length: 24 }, () => 0))).toBe('▁'.repeat(24));
  });

  it('makes one peak stand out from a quiet day', () => {
    const values = Array.from({ length: 24 }, (_, hour) => (hour === 10 ? 100 : 2));
    const line = sparkline(values);
    expect([...line]).toHaveLength(24);
    expect(line.indexOf('█')).toBe(10);
    expect(line.replace('█', '')).toBe('▁'.repeat(23));
  });

  it('gives an empty string for no values', () => {
    expect(sparkline([])).toBe('');
  });

  it.each([23, 25])('draws a %i-hour day as that many bars', (hours) => {
    expect([...sparkline(Array.from({ length: hours }, (_, hour) => hour))]).toHaveLength(hours);
  });

  it('shows a missing hour as a gap, not as a quiet hour', () => {
    expect(sparkline([7, undefined, 0, null])).toBe(`█${GAP}▁${GAP}`);
  });

  it('treats negative and non-finite values as zero', () => {
    expect(sparkline([-5, Number.NaN, Number.POSITIVE_INFINITY, 7])).toBe('▁▁▁█');
  });
});

describe('sparklineAxis', () => {
  it('puts each label under its bar', () => {
    expect(sparklineAxis(['00', undefined, undefined, '03', undefined, undefined, '06'])).toBe('00 03 06');
  });

  it('drops a label that would touch or overlap the one before', () => {
    expect(sparklineAxis(['00', '01', '02', '03'])).toBe('00 03');
  });
});
