import type { Condition } from './alert-state';
import type { Comparison, Scope, Severity, Unit } from './rules-schema';

/**
 * A notification owed now. It carries everything the message needs and exactly what it announces,
 * so `markNotified` records what Slack accepted even if the state moved on in between.
 */
export type RuleNotificationKind = 'fired' | 'escalated' | 'de-escalated' | 'repeat' | 'resolved';

export interface RuleNotification {
  readonly kind: RuleNotificationKind;
  /** Stable per announcement (rule, kind, episode, severity/reminder): usable as a claim or dedup key. */
  readonly key: string;
  readonly ruleId: string;
  readonly title: string;
  readonly metric: string;
  readonly runbook?: string;
  /** The severity announced; for `resolved`, the severity last announced for the episode. */
  readonly severity: Severity;
  /** For escalated / de-escalated: the severity last announced. */
  readonly previousSeverity?: Severity;
  readonly condition: Condition;
  readonly comparison: Comparison;
  readonly unit: Unit;
  readonly scope: Scope;
  /** The value behind the announcement; null for no-data. */
  readonly value: number | null;
  /** The threshold it is compared with: the breached one, or `recovery` for `resolved`. */
  readonly threshold: number | null;
  /**
   * Where the announced severity ends (firing kinds): recovery for warn, the crit release point for a
   * crit that would ease to warn. Lets a reminder say "42.9% (WARN until ≥ 45%)" truthfully while the
   * value sits in the hysteresis band.
   */
  readonly clearsAt?: number;
  /** The window of the value, e.g. "day so far 00:00–14:30 Asia/Jakarta". */
  readonly window?: string;
  /** Why there is no data (no-data condition). */
  readonly reason?: string;
  /** Start of the episode (ISO). */
  readonly firedAt: string;
  /** For resolved (ISO); durationMs = resolvedAt − firedAt. */
  readonly resolvedAt?: string;
  readonly durationMs?: number;
  /** For repeat: 1 for the first reminder, 2 for the second… */
  readonly repeatNumber?: number;
}

export interface MonitorNotification {
  readonly kind: 'monitor-degraded' | 'monitor-recovered';
  readonly key: string;
  readonly consecutiveFailures: number;
  /** When the failures began (ISO). */
  readonly since: string;
  /** The last failure's short reason, e.g. "API down: HTTP 503" (degraded only). */
  readonly lastError?: string;
  readonly recoveredAt?: string;
  readonly durationMs?: number;
}

export type Notification = RuleNotification | MonitorNotification;

export const isRuleNotification = (notification: Notification): notification is RuleNotification =>
  !notification.kind.startsWith('monitor-');
