import type { AlertState, RuleState } from './alert-state';
import { isRuleNotification, type Notification, type RuleNotification } from './notification';

/**
 * Records that Slack ACCEPTED `notifications` at `at` (call it only then). It records exactly what was
 * announced, taken from the notifications, so a state that moved on since evaluation stays owed the
 * difference. Resolutions are applied first: a message may close one episode and open the next.
 */
export function markNotified(
  state: AlertState,
  notifications: readonly Notification[],
  at: Date,
): AlertState {
  const now = at.toISOString();
  const ordered = [...notifications].sort((a, b) => closesFirst(a) - closesFirst(b));
  let rules = state.rules;
  let monitor = state.monitor;
  for (const notification of ordered) {
    if (isRuleNotification(notification)) {
      const ruleState = rules[notification.ruleId];
      if (ruleState !== undefined)
        rules = { ...rules, [notification.ruleId]: marked(ruleState, notification, now) };
    } else if (notification.kind === 'monitor-degraded') {
      monitor = { ...monitor, notified: { status: 'degraded', since: notification.since, at: now } };
    } else {
      monitor = { ...monitor, notified: { status: 'ok', at: now } };
    }
  }
  return { ...state, rules, monitor };
}

const closesFirst = (notification: Notification): number =>
  notification.kind === 'resolved' || notification.kind === 'monitor-recovered' ? 0 : 1;

function marked(state: RuleState, notification: RuleNotification, now: string): RuleState {
  if (notification.kind === 'resolved') return { ...state, notified: { status: 'ok', at: now } };
  const notified = {
    status: 'firing' as const,
    severity: notification.severity,
    condition: notification.condition,
    firedAt: notification.firedAt,
    at: now,
  };
  // A reminder's number is absolute, so marking the same reminder twice cannot skip a step.
  const repeatCount =
    notification.kind === 'repeat' ? (notification.repeatNumber ?? state.repeatCount + 1) : 0;
  return { ...state, notified, repeatCount };
}
