import { describe, expect, it } from 'vitest';
import { openEpisode } from '../../../../lambda/domain/alerts/episode';
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

  it('returns the very same state when nothing is after `to`, an instant exactly at `to` included', () => {
    const state = { ...emptyAlertState(), lastScheduledTime: to.toISOString() };
    const rewound = rewindWatermark(state, to);
    expect(rewound.moved).toBe(0);
    expect(rewound.state).toBe(state);
  });

  it('moves instants written with an offset or without fractions, and those inside lists (the episode record)', () => {
    const state = {
      ...emptyAlertState(),
      lastScheduledTime: '2026-11-12T07:00:00+01:00',
      reminders: { lastAt: '2026-11-12T06:00:00Z', count: 1 },
      episodes: [{ ...openEpisode('r', 'threshold', future.toISOString(), null) }],
    };
    const { state: rewound, moved } = rewindWatermark(state, to);
    // Everything else (counts, nulls, the rules) as it was.
    expect(rewound).toEqual({
      ...state,
      lastScheduledTime: to.toISOString(),
      reminders: { lastAt: to.toISOString(), count: 1 },
      episodes: [openEpisode('r', 'threshold', to.toISOString(), null)],
    });
    expect(moved).toBe(3);
  });

  it('keeps the snooze log as it was, and text that reads as a date without being an instant', () => {
    const failed = recordRunFailure(emptyAlertState(), to, 'Nov 12 2026', 3);
    const snoozeLog = [{ target: 'all', at: future.toISOString(), until: '2026-11-13T06:00:00.000Z' }];
    const state = { ...failed, snoozeLog };
    const rewound = rewindWatermark(state, to);
    expect(rewound.moved).toBe(0);
    expect(rewound.state.snoozeLog).toEqual(snoozeLog);
    expect(rewound.state.monitor).toEqual(failed.monitor);
  });
});
