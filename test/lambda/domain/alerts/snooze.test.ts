import { describe, expect, it } from 'vitest';
import {
  endedSnoozes,
  snoozeEndLines,
  snoozesOn,
  withSnoozeEnds,
} from '../../../../lambda/domain/alerts/snooze';
import { emptyAlertState } from '../../../../lambda/domain/alerts/state';
import { rule } from './alert-test-helpers';

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

describe('the snooze-ended notice (#27: monitor name, the rule by its label, its value, once)', () => {
  const AT = new Date('2025-11-12T09:00:00Z'); // 16:00 in Jakarta
  const transfer = rule();
  const firing = {
    status: 'firing' as const,
    severity: 'crit' as const,
    condition: 'threshold' as const,
    since: '2025-11-12T07:00:00Z',
    firedAt: '2025-11-12T07:00:00Z',
    breachedAt: '2025-11-12T06:45:00Z',
    pendingCount: 0,
    lastValue: 0.352,
    lastEvaluatedAt: AT.toISOString(),
    healthyCount: 0,
    history: [],
  };
  const snoozed = (target: string) => ({
    ...emptyAlertState(),
    rules: { 'transfer-success': firing },
    snoozes: {
      [target]: { at: '2025-11-12T06:00:00Z', until: AT.toISOString(), reason: 'carrier maintenance' },
    },
  });

  it('names the rule by its title with its severity and current value, and the monitor in a message of its own', () => {
    // Act
    const lines = snoozeEndLines(endedSnoozes(snoozed('transfer-success'), [transfer], AT), TIME_ZONE);
    const message = withSnoozeEnds(undefined, lines, 'Jakarta inbound');
    // Assess
    expect(lines).toEqual([
      '⏰ Snooze of Transfer success rate (carrier maintenance) ended at 2025-11-12 16:00; still firing: 35.2% (CRIT)',
    ]);
    expect(message?.text).toBe(`Jakarta inbound: ${lines[0]}`);
    expect(message?.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Jakarta inbound — ⏰ snooze ended' },
    });
  });

  it('lists each rule of a snooze of all alerts by title and value', () => {
    const lines = snoozeEndLines(endedSnoozes(snoozed('all'), [transfer], AT), TIME_ZONE);
    expect(lines).toEqual([
      '⏰ Snooze of all alerts (carrier maintenance) ended at 2025-11-12 16:00; still firing: Transfer success rate 35.2% (CRIT)',
    ]);
  });

  it('says it once: a rule whose own line is in the same message is not described again', () => {
    const ended = endedSnoozes(snoozed('transfer-success'), [transfer], AT);
    expect(snoozeEndLines(ended, TIME_ZONE, new Set(['transfer-success']))).toEqual([
      '⏰ Snooze of Transfer success rate (carrier maintenance) ended at 2025-11-12 16:00',
    ]);
  });

  it('says nothing when nothing the snooze covered still fires', () => {
    const state = { ...snoozed('transfer-success'), rules: {} };
    expect(snoozeEndLines(endedSnoozes(state, [transfer], AT), TIME_ZONE)).toEqual([]);
    expect(withSnoozeEnds(undefined, [], 'Jakarta inbound')).toBeUndefined();
  });
});
