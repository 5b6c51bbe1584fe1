import { isRuleNotification, type Notification } from '../domain/alerts/notify';
import type { AlertState } from '../domain/alerts/state';
import { type Claim, isHeldByAnother, newClaim } from '../domain/claim';

/**
 * Claims make delivery exactly-once across overlapping runs: a run first records (by
 * compare-and-swap) which notifications it is about to send, then sends, then records what Slack
 * accepted. A run that finds a live claim by another run leaves that notification alone; a claim
 * past its end (the claiming run's deadline and a grace; domain/claim.ts, shared with digests)
 * belongs to a run that died, and the notification is owed again.
 */

const claimOf = (state: AlertState, notification: Notification): Claim | undefined =>
  isRuleNotification(notification) ? state.rules[notification.ruleId]?.claim : state.monitor.claim;

/** Notifications nobody else is delivering right now. */
export function unclaimed(
  state: AlertState,
  owed: readonly Notification[],
  runId: string,
  now: Date,
): Notification[] {
  return owed.filter((notification) => {
    return !isHeldByAnother(claimOf(state, notification), runId, now);
  });
}

/** Marks `notifications` as being delivered by `runId`, until its `deadline` (epoch ms) and a grace. */
export function claim(
  state: AlertState,
  notifications: readonly Notification[],
  runId: string,
  now: Date,
  deadline: number | undefined,
): AlertState {
  const stamp = newClaim(runId, now, deadline);
  let { rules, monitor } = state;
  for (const notification of notifications) {
    if (isRuleNotification(notification)) {
      const rule = rules[notification.ruleId];
      if (rule) rules = { ...rules, [notification.ruleId]: { ...rule, claim: stamp } };
    } else {
      monitor = { ...monitor, claim: stamp };
    }
  }
  return { ...state, rules, monitor };
}

/** Drops every claim `runId` holds (after delivery, or after Slack refused). */
export function releaseClaims(state: AlertState, runId: string): AlertState {
  const rules = Object.fromEntries(
    Object.entries(state.rules).map(([id, rule]) => {
      if (rule.claim?.runId !== runId) return [id, rule];
      const { claim: _released, ...rest } = rule;
      return [id, rest];
    }),
  );
  let monitor = state.monitor;
  if (monitor.claim?.runId === runId) {
    const { claim: _released, ...rest } = monitor;
    monitor = rest;
  }
  return { ...state, rules, monitor };
}
