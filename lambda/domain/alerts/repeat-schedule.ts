import type { RepeatPolicy } from './rules-schema';

/** Runs are scheduled on a grid; a delivery a few seconds late must not push a reminder a whole run later. */
const GRACE_MS = 60_000;

/** Minutes to wait after reminder `sent` (0 = after the fired message): every × backoff^sent, capped. */
export function repeatIntervalMinutes(policy: RepeatPolicy, sent: number): number {
  return Math.min(policy.everyMinutes * policy.backoff ** sent, policy.maxEveryMinutes);
}

/** True when a reminder is due at `at`, `sent` reminders after the last message accepted at `lastAt`. */
export function isRepeatDue(
  policy: RepeatPolicy | undefined,
  sent: number,
  lastAt: string,
  at: Date,
): boolean {
  if (policy === undefined) return false;
  const elapsed = at.getTime() - Date.parse(lastAt);
  return elapsed >= repeatIntervalMinutes(policy, sent) * 60_000 - GRACE_MS;
}
