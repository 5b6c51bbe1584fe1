import { type Claim, isHeldByAnother } from '../slack/claim';
import { type Acknowledgement, acknowledgementHolding } from './acknowledgement';
import {
  announcedRules,
  type DeliveryMode,
  groupUpdateDue,
  isBatchable,
  isRuleNotification,
  type Notification,
  openMutePeriod,
} from './notify';
import { DEFAULT_REMINDERS, type MutePeriod, type RepeatPolicy, type Rule } from './rules';
import { activeSnooze, SNOOZE_ALL } from './snooze';
import type { AlertState, Snooze } from './state';

/**
 * The suppression stage: of what the state machine says is owed (notify.ts), what goes to Slack now
 * and what is held, and why. One answer to "why was nothing sent", used by the check (which then
 * claims what it sends), by replay, and printed by `check --explain`.
 *
 * The stages, in this order; the first that holds a notification names the reason:
 *
 *   1. muted        — the rule's mute period is open at `at` on the account's wall clock. Everything
 *                     of that rule waits, its resolution included: a mute period is quiet.
 *   2. snoozed      — a snooze of the rule (or `all`, which also covers the monitor's own health)
 *                     is in force. Resolutions and the monitor's recovery still go out: a silence
 *                     never hides a recovery.
 *   3. acknowledged — someone acknowledged the incident (the Slack app's Acknowledge button): its
 *                     alerts' reminders wait until it gets worse or 4 reminder cadences pass
 *                     (acknowledgement.ts); its news still goes out.
 *   4. claimed      — another run is delivering it right now (a live claim; domain/slack/claim.ts).
 *   5. waiting      — webhook mode only: every message is a push, so easing, a WARN alert joining
 *                     a group already firing, a resolution while other alerts still fire, and the
 *                     resolution of an alert never announced wait for the group's next message
 *                     (`isBatchable` in notify.ts): its next reminder, an alert firing at CRIT or
 *                     escalating, or the resolution of its last alert. They wait only while the
 *                     group has a voice (an announced alert neither muted nor snoozed), and, but for
 *                     an easing, at most one reminder interval (`everyMinutes`, before back-off) after
 *                     the group's last post (`groupUpdateDue`): then they are the group's next message
 *                     themselves. An easing waits for its own alert's next reminder or resolution,
 *                     which says it.
 *
 * Held is never dropped: nothing here changes the state, so a held notification stays owed and goes
 * out at the first run where no stage holds it (if it is still true then).
 */

/** Why a notification is held. */
export type HoldReason =
  | { readonly stage: 'muted'; readonly period: MutePeriod }
  | { readonly stage: 'snoozed'; readonly target: string; readonly snooze: Snooze }
  | { readonly stage: 'acknowledged'; readonly acknowledgement: Acknowledgement }
  | { readonly stage: 'claimed'; readonly claim: Claim }
  | { readonly stage: 'waiting' };

export interface Held {
  readonly notification: Notification;
  readonly reason: HoldReason;
}

export interface Outgoing {
  /** What goes to Slack now, in the order owed. */
  readonly send: Notification[];
  readonly held: Held[];
}

export type { Acknowledgement };

export interface OutgoingContext {
  readonly rules: readonly Rule[];
  readonly timeZone: string;
  /** The group's reminder policy: an acknowledgement holds reminders for 4 of its cadences. */
  readonly reminders?: RepeatPolicy;
  /** This run and the store's time, to judge claims; without it no claim holds anything (replay). */
  readonly claims?: { readonly runId: string; readonly now: Date };
  /** How messages reach Slack; default webhook (see stage 5). */
  readonly delivery?: DeliveryMode;
}

/** Splits `owed` at `at` into what is sent and what is held, and why (see the stages above). */
export function outgoing(
  state: AlertState,
  owed: readonly Notification[],
  at: Date,
  context: OutgoingContext,
): Outgoing {
  const mutes = new Map(context.rules.map((rule) => [rule.id, rule.mute]));
  const send: Notification[] = [];
  const held: Held[] = [];
  for (const notification of owed) {
    const reason = holdReason(state, notification, at, context, mutes);
    if (reason === undefined) send.push(notification);
    else held.push({ notification, reason });
  }
  if ((context.delivery ?? 'webhook') === 'app' || send.some((n) => !isBatchable(state, n))) {
    return { send, held };
  }
  // Webhook mode, nothing in this run worth a push of its own: what can wait for the group's next
  // message waits, as long as the group has a voice that will speak (an announced alert neither muted
  // nor snoozed); an easing may wait for its own alert's reminder.
  const voices = announcedRules(state).filter(
    (ruleId) =>
      openMutePeriod(mutes.get(ruleId) ?? [], at, context.timeZone) === undefined &&
      activeSnooze(state, ruleId, at) === undefined,
  );
  const waits = (n: Notification) =>
    isRuleNotification(n) && voices.some((ruleId) => ruleId !== n.ruleId || n.kind === 'de-escalated');
  const waiting = send.filter(waits);
  // A voice may not speak for hours (a reminder backed off, an alert too quiet at night to be judged):
  // once the group has been silent one reminder interval, what waits goes out as the group's next
  // message, the easings with it. An easing alone keeps waiting for its own alert's next message.
  const update =
    waiting.some((n) => n.kind !== 'de-escalated') &&
    groupUpdateDue(state, at, context.reminders ?? DEFAULT_REMINDERS);
  if (update) return { send, held };
  return {
    send: send.filter((n) => !waits(n)),
    held: [...held, ...waiting.map((notification) => ({ notification, reason: WAITING }))],
  };
}

const WAITING: HoldReason = { stage: 'waiting' };

function holdReason(
  state: AlertState,
  notification: Notification,
  at: Date,
  context: OutgoingContext,
  mutes: ReadonlyMap<string, readonly MutePeriod[]>,
): HoldReason | undefined {
  const ruleId = isRuleNotification(notification) ? notification.ruleId : undefined;
  const period =
    ruleId === undefined ? undefined : openMutePeriod(mutes.get(ruleId) ?? [], at, context.timeZone);
  if (period !== undefined) return { stage: 'muted', period };
  const recovery = notification.kind === 'resolved' || notification.kind === 'monitor-recovered';
  const target = ruleId ?? SNOOZE_ALL;
  const snooze = recovery ? undefined : activeSnooze(state, target, at);
  if (snooze !== undefined) {
    const by = state.snoozes?.[target] === snooze ? target : SNOOZE_ALL;
    return { stage: 'snoozed', target: by, snooze };
  }
  const acknowledgement = acknowledgementHolding(state, notification, at, context.reminders);
  if (acknowledgement !== undefined) return { stage: 'acknowledged', acknowledgement };
  const claim = ruleId === undefined ? state.monitor.claim : state.rules[ruleId]?.claim;
  const { claims } = context;
  if (claims !== undefined && claim !== undefined && isHeldByAnother(claim, claims.runId, claims.now)) {
    return { stage: 'claimed', claim };
  }
  return undefined;
}
