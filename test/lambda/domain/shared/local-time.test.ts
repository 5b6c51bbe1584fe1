import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, toWallClock } from '../../../../lambda/domain/shared/local-time';

describe('isKnownTimeZone', () => {
  it('knows IANA zones and refuses others, the same answer every time it is asked', () => {
    const asked = ['Asia/Jakarta', 'Mars/Base', 'Asia/Jakarta', 'Mars/Base', 'America/New_York', 'UTC'];
    expect(asked.map(isKnownTimeZone)).toEqual([true, false, true, false, true, true]);
  });

  it('leaves a known zone usable for wall-clock arithmetic', () => {
    expect(isKnownTimeZone('Asia/Makassar')).toBe(true);
    expect(toWallClock(new Date('2025-11-11T03:00:00Z'), 'Asia/Makassar')).toMatchObject({ hour: 11 });
  });
});
