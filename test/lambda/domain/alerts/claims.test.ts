import { describe, expect, it } from 'vitest';
import { claim, releaseClaims } from '../../../../lambda/domain/alerts/claims';
import type { Notification } from '../../../../lambda/domain/alerts/notify';
import { outgoing } from '../../../../lambda/domain/alerts/outgoing';
import { type AlertState, emptyAlertState } from '../../../../lambda/domain/alerts/state';
import { CLAIM_GRACE_MS, CLAIM_MAX_MS, CLAIM_TTL_MS, newClaim } from '../../../../lambda/domain/slack/claim';
import { firingRuleState } from './alert-test-helpers';

const NOW = new Date('2025-11-11T02:00:00Z');
const ruleState = firingRuleState('crit');
const fired = (ruleId = 'transfer') => ({ kind: 'fired', key: `${ruleId}:fired`, ruleId }) as Notification;
const degraded = { kind: 'monitor-degraded', key: 'monitor:degraded' } as Notification;
const state = (): AlertState => ({
  ...emptyAlertState(),
  rules: { transfer: ruleState, volume: { ...ruleState, lastValue: 12 } },
});
/** What the suppression stage lets `runId` send at `now`, claims being the only stage in play. */
const unclaimed = (state: AlertState, owed: Notification[], runId: string, now: Date) =>
  outgoing(state, owed, now, { rules: [], timeZone: 'UTC', claims: { runId, now } }).send;
const stamp = (runId: string, deadline?: number) => newClaim(runId, NOW, deadline);

describe('alert claims', () => {
  it('hide a notification another run is delivering, but not from the run that claimed it', () => {
    const claimed = claim(state(), [fired(), degraded], stamp('run-a'));
    expect(unclaimed(claimed, [fired(), degraded], 'run-b', NOW)).toEqual([]);
    expect(unclaimed(claimed, [fired(), degraded], 'run-a', NOW)).toEqual([fired(), degraded]);
  });

  it('claim only what the notifications announce: another rule stays free', () => {
    const claimed = claim(state(), [fired('transfer')], stamp('run-a'));
    expect(unclaimed(claimed, [fired('volume'), degraded], 'run-b', NOW)).toEqual([
      fired('volume'),
      degraded,
    ]);
    expect(claimed.rules.volume).toEqual(state().rules.volume);
  });

  it('without a deadline, expire after CLAIM_TTL_MS, so a notification claimed by a run that died is owed again', () => {
    const claimed = claim(state(), [fired()], stamp('crashed'));
    const justBefore = new Date(NOW.getTime() + CLAIM_TTL_MS - 1);
    const after = new Date(NOW.getTime() + CLAIM_TTL_MS);
    expect(unclaimed(claimed, [fired()], 'next', justBefore)).toEqual([]);
    expect(unclaimed(claimed, [fired()], 'next', after)).toEqual([fired()]);
  });

  it.each([
    [
      'a 2-minute Lambda (deadline 105 s): free soon after the run is over',
      105_000,
      105_000 + CLAIM_GRACE_MS,
    ],
    [
      'a 15-minute Lambda (deadline 885 s): held while the run may still send, past CLAIM_TTL_MS',
      885_000,
      885_000 + CLAIM_GRACE_MS,
    ],
    ['a CLI run with a deadline of days: held no longer than CLAIM_MAX_MS', 5 * 86_400_000, CLAIM_MAX_MS],
  ])('with a deadline, end with it and a grace: %s', (_case, deadlineInMs, heldForMs) => {
    const claimed = claim(state(), [fired()], stamp('run-a', NOW.getTime() + deadlineInMs));
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    expect(unclaimed(claimed, [fired()], 'run-b', at(heldForMs - 1))).toEqual([]);
    expect(unclaimed(claimed, [fired()], 'run-b', at(heldForMs))).toEqual([fired()]);
  });

  it('are released only for the run that holds them', () => {
    const claimed = claim(claim(state(), [fired()], stamp('run-a')), [degraded], stamp('run-b'));
    const released = releaseClaims(claimed, [fired(), degraded], 'run-a');
    expect(released.rules.transfer?.claim).toBeUndefined();
    expect(released.monitor.claim).toEqual({ runId: 'run-b', at: NOW.toISOString() });
  });

  it('on release, leave every other rule, the monitor and the rest of the state exactly as they were', () => {
    const before: AlertState = {
      ...claim(state(), [fired('transfer'), fired('volume')], stamp('run-a')),
      lastScheduledTime: NOW.toISOString(),
      reminders: { lastAt: NOW.toISOString(), count: 2 },
    };
    const released = releaseClaims(before, [fired('transfer')], 'run-a');
    expect(released).toEqual({ ...before, rules: { ...before.rules, transfer: ruleState } });
  });

  it('release to the state as it was before the claim', () => {
    const claimed = claim(state(), [fired('transfer'), fired('volume'), degraded], stamp('run-a'));
    expect(releaseClaims(claimed, [fired('transfer'), fired('volume'), degraded], 'run-a')).toEqual(state());
  });

  it('claim and release nothing for a rule no longer in the state, nor a rule never claimed', () => {
    const gone = fired('removed-rule');
    expect(claim(state(), [gone], stamp('run-a'))).toEqual(state());
    expect(releaseClaims(state(), [fired('transfer'), gone, degraded], 'run-a')).toEqual(state());
  });

  it('return the very state they were given when there is nothing to claim or release: no copy', () => {
    const unchanged = state();
    expect(claim(unchanged, [], stamp('run-a'))).toBe(unchanged);
    expect(releaseClaims(unchanged, [], 'run-a')).toBe(unchanged);
  });

  it('keep the very rule and monitor objects whose claim a release leaves as it is: no copy', () => {
    const claimed = claim(state(), [fired('volume'), degraded], stamp('run-b'));
    const released = releaseClaims(claimed, [fired('transfer'), fired('volume'), degraded], 'run-a');
    expect(released.rules.transfer).toBe(claimed.rules.transfer);
    expect(released.rules.volume).toBe(claimed.rules.volume);
    expect(released.monitor).toBe(claimed.monitor);
  });
});
