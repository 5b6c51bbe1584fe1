import { describe, expect, it } from 'vitest';
import { emptyAlertState } from '../../../lambda/domain/alerts/state';
import { snoozesOn } from '../../../lambda/domain/snooze';
import { rule } from './alerts/alert-test-helpers';

const TIME_ZONE = 'Asia/Jakarta'; // UTC+7: local midnight of 11 Nov is 2025-11-10T17:00:00Z

describe('snoozesOn', () => {
  it('lists the snoozes that overlapped the local day, by title, and none that ended at its midnight or began after it', () => {
    // Prepare
    const state = {
      ...emptyAlertState(),
      snoozeLog: [
        // 10 Nov 20:00 → 11 Nov 02:00 local: across midnight into the day
        {
          target: 'transfer-success',
          at: '2025-11-10T13:00:00Z',
          until: '2025-11-10T19:00:00Z',
          reason: 'carrier',
        },
        // 10 Nov 22:00 → 11 Nov 00:00 local: ends exactly at the day's midnight
        { target: 'all', at: '2025-11-10T15:00:00Z', until: '2025-11-10T17:00:00Z' },
        // 11 Nov 14:00 → 16:00 local, a rule the rules no longer have
        { target: 'old-rule', at: '2025-11-11T07:00:00Z', until: '2025-11-11T09:00:00Z' },
        // 12 Nov 09:00 local: the next day
        { target: 'all', at: '2025-11-12T02:00:00Z', until: '2025-11-12T04:00:00Z' },
      ],
    };

    // Act
    const listed = snoozesOn(state, [rule()], '2025-11-11', TIME_ZONE);

    // Assess
    expect(listed).toEqual([
      {
        title: 'Transfer success rate',
        at: '2025-11-10T13:00:00Z',
        until: '2025-11-10T19:00:00Z',
        reason: 'carrier',
      },
      { title: 'old-rule', at: '2025-11-11T07:00:00Z', until: '2025-11-11T09:00:00Z' },
    ]);
  });

  it("names a snooze of every rule 'all rules'", () => {
    const state = {
      ...emptyAlertState(),
      snoozeLog: [{ target: 'all', at: '2025-11-11T01:00:00Z', until: '2025-11-11T03:00:00Z' }],
    };

    expect(snoozesOn(state, [rule()], '2025-11-11', TIME_ZONE).map((snooze) => snooze.title)).toEqual([
      'all rules',
    ]);
  });

  it('lists nothing without a snooze log', () => {
    expect(snoozesOn(emptyAlertState(), [rule()], '2025-11-11', TIME_ZONE)).toEqual([]);
  });
});
