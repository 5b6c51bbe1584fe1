import type { AlertState } from './alert-state';

/**
 * The monitor watching itself. A run that cannot fetch, archive or evaluate records a failure; after
 * `threshold` consecutive failures the monitor is "degraded" and a notification is owed (derived like
 * rule notifications, from `monitor.notified`); the next successful run recovers it.
 */

/** Reasons are short ("API down: HTTP 503"); a stack trace pasted in must not bloat the document. */
const MAX_REASON = 300;

/** Counts one failed run. The same scheduled time failing twice (a retried run) counts once. */
export function recordRunFailure(state: AlertState, at: Date, reason: string, threshold: number): AlertState {
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new RangeError(`recordRunFailure: threshold must be an integer ≥ 1, got ${threshold}`);
  }
  const monitor = state.monitor;
  if (monitor.lastFailureAt !== undefined && at.getTime() <= Date.parse(monitor.lastFailureAt)) return state;
  const now = at.toISOString();
  const failures = monitor.consecutiveFailures + 1;
  const degraded = monitor.status === 'degraded' || failures >= threshold;
  const status = degraded ? 'degraded' : 'ok';
  const since = status === monitor.status ? monitor.since : now;
  return {
    ...state,
    monitor: {
      ...monitor,
      status,
      ...(since === undefined ? {} : { since }),
      consecutiveFailures: failures,
      firstFailureAt: failures === 1 ? now : (monitor.firstFailureAt ?? now),
      lastFailureAt: now,
      lastError: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason,
    },
  };
}

/** Ends a failure streak; a degraded monitor becomes ok (and a "recovered" message is owed). */
export function recordRunSuccess(state: AlertState, at: Date): AlertState {
  const monitor = state.monitor;
  if (monitor.status === 'ok' && monitor.consecutiveFailures === 0) return state;
  const { firstFailureAt: _first, lastError: _error, ...rest } = monitor;
  return {
    ...state,
    monitor: {
      ...rest,
      status: 'ok',
      ...(monitor.status === 'degraded' ? { since: at.toISOString() } : {}),
      consecutiveFailures: 0,
    },
  };
}
