import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../lambda/domain/alerts/notify';
import { type AlertState, emptyAlertState, type RuleState } from '../../../lambda/domain/alerts/state';
import { CLAIM_GRACE_MS, CLAIM_MAX_MS, CLAIM_TTL_MS } from '../../../lambda/domain/claim';
import { claim, releaseClaims, unclaimed } from '../../../lambda/use-cases/alert-claims';

const NOW = new Date('2025-11-11T02:00:00Z');
const ruleState: RuleState = {
  status: 'firing',
  severity: 'crit',
  condition: 'threshold',
  since: '2025-11-11T02:00:00Z',
  pendingCount: 0,
  lastValue: 0.5,
  lastEvaluatedAt: '2025-11-11T02:00:00Z',
  firedAt: '2025-11-11T02:00:00Z',
  breachedAt: '2025-11-11T02:00:00Z',
  healthyCount: 0,
  history: [],
};
const fired = { kind: 'fired', key: 'transfer:fired', ruleId: 'transfer' } as Notification;
const degraded = { kind: 'monitor-degraded', key: 'monitor:degraded' } as Notification;
const state = (): AlertState => ({ ...emptyAlertState(), rules: { transfer: ruleState } });

describe('alert claims', () => {
  it('hide a notification another run is delivering, but not from the run that claimed it', () => {
    const claimed = claim(state(), [fired, degraded], 'run-a', NOW, undefined);
    expect(unclaimed(claimed, [fired, degraded], 'run-b', NOW)).toEqual([]);
    expect(unclaimed(claimed, [fired, degraded], 'run-a', NOW)).toEqual([fired, degraded]);
  });

  it('without a deadline, expire after CLAIM_TTL_MS, so a notification claimed by a run that died is owed again', () => {
    const claimed = claim(state(), [fired], 'crashed', NOW, undefined);
    const justBefore = new Date(NOW.getTime() + CLAIM_TTL_MS - 1);
    const after = new Date(NOW.getTime() + CLAIM_TTL_MS);
    expect(unclaimed(claimed, [fired], 'next', justBefore)).toEqual([]);
    expect(unclaimed(claimed, [fired], 'next', after)).toEqual([fired]);
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
    const claimed = claim(state(), [fired], 'run-a', NOW, NOW.getTime() + deadlineInMs);
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    expect(unclaimed(claimed, [fired], 'run-b', at(heldForMs - 1))).toEqual([]);
    expect(unclaimed(claimed, [fired], 'run-b', at(heldForMs))).toEqual([fired]);
  });

  it('are released only for the run that holds them', () => {
    const claimed = claim(
      claim(state(), [fired], 'run-a', NOW, undefined),
      [degraded],
      'run-b',
      NOW,
      undefined,
    );
    const released = releaseClaims(claimed, 'run-a');
    expect(released.rules.transfer?.claim).toBeUndefined();
    expect(released.monitor.claim).toEqual({ runId: 'run-b', at: NOW.toISOString() });
  });
});
