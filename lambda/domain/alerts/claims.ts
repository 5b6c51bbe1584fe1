import type { Claim } from '../slack/claim';
import { isRuleNotification, type Notification } from './notify';
import type { AlertState, RuleState } from './state';

/**
 * Alert claims: where the delivery protocol (use-cases/deliver-once.ts) keeps a run's claim in the
 * alert state — on each rule it is announcing, and on the monitor for its own health. A claim is
 * judged (alerts/outgoing.ts, its last stage) with domain/slack/claim.ts, shared with digests and the
 * rules notice.
 *
 * Each function copies the rules map once, whatever the number of notifications, so 2,048 alerts
 * firing at once cost four times 512, not sixteen.
 */

/** Records `stamp` (a claim of this run) on what `notifications` announce. */
export function claim(state: AlertState, notifications: readonly Notification[], stamp: Claim): AlertState {
  return withClaims(state, notifications, () => stamp);
}

/**
 * Drops the claims `runId` holds on what `notifications` announce (after delivery, or after Slack
 * refused); a claim another run took over since is left alone, and so is everything else.
 */
export function releaseClaims(
  state: AlertState,
  notifications: readonly Notification[],
  runId: string,
): AlertState {
  return withClaims(state, notifications, (held) => (held?.runId === runId ? undefined : held));
}

/** Sets each claim `notifications` touch to `change(claim)`, copying the rules map once. */
function withClaims(
  state: AlertState,
  notifications: readonly Notification[],
  change: (held: Claim | undefined) => Claim | undefined,
): AlertState {
  if (notifications.length === 0) return state;
  const rules: Record<string, RuleState> = { ...state.rules };
  let monitor = state.monitor;
  for (const notification of notifications) {
    if (isRuleNotification(notification)) {
      const rule = rules[notification.ruleId];
      if (rule !== undefined) rules[notification.ruleId] = claimed(rule, change(rule.claim));
    } else {
      monitor = claimed(monitor, change(monitor.claim));
    }
  }
  return { ...state, rules, monitor };
}

function claimed<S extends { readonly claim?: Claim }>(holder: S, claim: Claim | undefined): S {
  if (claim === holder.claim) return holder;
  const { claim: _old, ...rest } = holder;
  return (claim === undefined ? rest : { ...rest, claim }) as S;
}
