import { describe, expect, it } from 'vitest';
import { emptyAlertState, recordRunFailure } from '../../../../lambda/domain/alerts/state';
import { rewindWatermark } from '../../../../lambda/domain/alerts/watermark';

describe('rewindWatermark', () => {
  const future = new Date('2026-11-12T06:00:00Z');
  const to = new Date('2025-11-12T06:00:00Z');

  it('moves every evaluation time after `to` back to it, keeps snoozes and claims, and counts what moved', () => {
    const failed = recordRunFailure(emptyAlertState(), future, 'API down', 3);
    const state = {
      ...failed,
      lastScheduledTime: future.toISOString(),
      reminders: { lastAt: future.toISOString(), count: 1 },
      monitor: { ...failed.monitor, claim: { runId: 'r', at: future.toISOString() } },
      snoozes: { all: { at: '2025-11-12T05:00:00.000Z', until: '2025-11-12T08:00:00.000Z' } },
    };
    const { state: rewound, moved } = rewindWatermark(state, to);
    expect(rewound.lastScheduledTime).toBe(to.toISOString());
    expect(rewound.reminders?.lastAt).toBe(to.toISOString());
    // A failure counted "in the future" would stop every later failure from counting.
    expect(rewound.monitor.lastFailureAt).toBe(to.toISOString());
    expect(rewound.monitor.claim).toEqual(state.monitor.claim);
    expect(rewound.snoozes).toEqual(state.snoozes);
    expect(moved).toBe(4);
  });

  it('returns the very same state when nothing is after `to`', () => {
    const state = { ...emptyAlertState(), lastScheduledTime: '2025-11-12T05:00:00.000Z' };
    expect(rewindWatermark(state, to)).toEqual({ state, moved: 0 });
  });
});
