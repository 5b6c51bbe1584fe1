import * as z from 'zod';
import { ClaimSchema } from '../claim';
import { SeveritySchema } from './rules';

/**
 * The persisted alert state: one document per monitor, read at the start of a check run and written
 * back (compare-and-swap) at its end. Every field needed to explain a transition is here, so the
 * document alone answers "why did (or didn't) this alert fire?".
 */

/** The one alert-state document: every rule's state, the monitor's health, and who is delivering. */
export const ALERT_STATE_KEY = 'state/alerts.json';

const Instant = z.iso.datetime({ offset: true });

export const RuleStatusSchema = z.enum(['ok', 'pending', 'firing']);
export type RuleStatus = z.infer<typeof RuleStatusSchema>;

/** Why a rule is pending or firing: its value crossed a threshold, or its data went missing. */
export const ConditionSchema = z.enum(['threshold', 'no-data']);
export type Condition = z.infer<typeof ConditionSchema>;

/** A status with its severity, as history shows it. */
export const StatusLabelSchema = z.enum(['ok', 'pending', 'firing:warn', 'firing:crit']);
export type StatusLabel = z.infer<typeof StatusLabelSchema>;

export const TransitionSchema = z.object({
  at: Instant,
  from: StatusLabelSchema,
  to: StatusLabelSchema,
  /** The value that caused it; null when there was none (no data). */
  value: z.number().nullable(),
  /** The threshold crossed (warn, crit, recovery or the crit release point); null for no-data. */
  threshold: z.number().nullable(),
  condition: ConditionSchema.optional(),
  /** Start of the episode a resolution closes, so a late "resolved" message can find its duration. */
  firedAt: Instant.optional(),
  note: z.string().optional(),
});
export type Transition = z.infer<typeof TransitionSchema>;

/** What Slack last ACCEPTED for a rule. Owed notifications are derived by comparing it with the status. */
export const NotifiedSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), at: Instant }),
  z.object({
    status: z.literal('firing'),
    severity: SeveritySchema,
    condition: ConditionSchema,
    firedAt: Instant,
    at: Instant,
  }),
]);
export type Notified = z.infer<typeof NotifiedSchema>;

export const RuleStateSchema = z.object({
  status: RuleStatusSchema,
  /** Set while firing. */
  severity: SeveritySchema.optional(),
  /** Set while pending or firing. */
  condition: ConditionSchema.optional(),
  /** When the status last changed. */
  since: Instant,
  /** Consecutive breaching (or data-less, for noData "alert") runs; 0 unless pending. */
  pendingCount: z.number().int().min(0),
  lastValue: z.number().nullable(),
  lastEvaluatedAt: Instant,
  lastOutcome: z.enum(['value', 'no-data', 'not-judged', 'skipped']).optional(),
  /** Why the last run had no value or did not judge it. */
  lastReason: z.string().optional(),
  /** The scope window of `lastValue`, e.g. "hour 13:00–14:00 Asia/Jakarta". */
  lastWindow: z.string().optional(),
  /** Start of the current firing episode. */
  firedAt: Instant.optional(),
  /** Reminders delivered in the current episode since the last fired/escalated message. */
  repeatCount: z.number().int().min(0).default(0),
  notified: NotifiedSchema.optional(),
  history: z.array(TransitionSchema).default([]),
  claim: ClaimSchema.optional(),
});
export type RuleState = z.infer<typeof RuleStateSchema>;

export const MonitorStateSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  /** When the status last changed. */
  since: Instant.optional(),
  consecutiveFailures: z.number().int().min(0),
  /** First failure of the current streak. */
  firstFailureAt: Instant.optional(),
  /** Scheduled time of the last failure counted, so a retried run is not counted twice. */
  lastFailureAt: Instant.optional(),
  lastError: z.string().optional(),
  notified: z
    .discriminatedUnion('status', [
      z.object({ status: z.literal('ok'), at: Instant }),
      z.object({ status: z.literal('degraded'), since: Instant, at: Instant }),
    ])
    .optional(),
  claim: ClaimSchema.optional(),
});
export type MonitorState = z.infer<typeof MonitorStateSchema>;

/** A snooze set from the command line: held until `until`, then it expires by itself. */
export const SnoozeSchema = z.object({
  until: Instant,
  /** When it was set. */
  at: Instant,
  reason: z.string().max(500).optional(),
});
export type Snooze = z.infer<typeof SnoozeSchema>;

export const AlertStateSchema = z.object({
  version: z.literal(1),
  /** The scheduled instant of the last evaluation; a run at or before it is a no-op. */
  lastScheduledTime: Instant.optional(),
  rules: z.record(z.string(), RuleStateSchema),
  monitor: MonitorStateSchema,
  /** By rule id, or "all"; see domain/snooze.ts. */
  snoozes: z.record(z.string(), SnoozeSchema).optional(),
  /** Snoozes of the last days (ended or not), for the digest: newest last. */
  snoozeLog: z.array(SnoozeSchema.extend({ target: z.string() })).optional(),
});
export type AlertState = z.infer<typeof AlertStateSchema>;

/** How many transitions each rule keeps. */
export const HISTORY_LIMIT = 20;

/** The state before the first run. */
export const emptyAlertState = (): AlertState => ({
  version: 1,
  rules: {},
  monitor: { status: 'ok', consecutiveFailures: 0 },
});

export const statusLabel = (state: Pick<RuleState, 'status' | 'severity'>): StatusLabel =>
  state.status === 'firing' ? `firing:${state.severity ?? 'warn'}` : state.status;

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
