import * as z from '../shared/zod';
import { ClaimSchema } from '../slack/claim';
import { EpisodeSchema } from './episode';
import { SlackIncidentSchema } from './incident';
import { SeveritySchema } from './rules';

/**
 * The persisted alert state: one document per monitor, read at the start of a check run and written
 * back (compare-and-swap) at its end. Every field needed to explain a transition is here, so the
 * document alone answers "why did (or didn't) this alert fire?".
 */

/** The one alert-state document: every rule's state, the monitor's health, and who is delivering. */
export const ALERT_STATE_KEY = 'state/alerts.json';

const Instant = z.iso.datetime({ offset: true });

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
  value: z.nullable(z.number()),
  /** The threshold crossed (warn, crit, recovery or the crit release point); null for no-data. */
  threshold: z.nullable(z.number()),
  condition: z.optional(ConditionSchema),
  /** Start of the episode a resolution closes, so a late "resolved" message can find its duration. */
  firedAt: z.optional(Instant),
  /** A resolution: the first breaching run of the condition (before pendingRuns made it fire). */
  breachedAt: z.optional(Instant),
  /** A resolution: the first healthy run, where the condition ended. */
  endedAt: z.optional(Instant),
  note: z.optional(z.string()),
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

const BasisSchema = z.object({ part: z.number(), whole: z.number(), noun: z.string() });

/**
 * A run's reading as a message quotes it: the value, the run that measured it (its window ends
 * there), the window and the counts behind a rate.
 */
export const ReadingSchema = z.object({
  value: z.number(),
  at: Instant,
  window: z.optional(z.string()),
  basis: z.optional(BasisSchema),
});
export type Reading = z.infer<typeof ReadingSchema>;

/** What every rule state carries, whatever its status: the last run's reading and the bookkeeping. */
const RuleStateFields = {
  /** When the status last changed. */
  since: Instant,
  /** Consecutive breaching (or data-less, for noData "alert") runs; 0 unless pending. */
  pendingCount: z.number().check(z.int(), z.minimum(0)),
  lastValue: z.nullable(z.number()),
  /** The run that measured `lastValue` (its window ends there). */
  lastValueAt: z.optional(Instant),
  /** The counts behind `lastValue`, when the metric has them ("57 of 118 transfers"). */
  lastBasis: z.optional(BasisSchema),
  lastEvaluatedAt: Instant,
  lastOutcome: z.optional(z.enum(['value', 'no-data', 'not-judged', 'skipped'])),
  /** Why the last run had no value or did not judge it. */
  lastReason: z.optional(z.string()),
  /** The scope window of `lastValue`, e.g. "hour 13:00–14:00 Asia/Jakarta". */
  lastWindow: z.optional(z.string()),
  /** Consecutive healthy runs of a firing alert (resolves at the rule's recoveryRuns); 0 unless firing. */
  healthyCount: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  notified: z.optional(NotifiedSchema),
  history: z._default(z.array(TransitionSchema), []),
  claim: z.optional(ClaimSchema),
};

/** Nothing wrong as far as the last runs saw. */
export const OkRuleStateSchema = z.object({ status: z.literal('ok'), ...RuleStateFields });

const PendingFields = {
  status: z.literal('pending'),
  ...RuleStateFields,
  /** Why it is pending. */
  condition: ConditionSchema,
};
/** Breaching, but for fewer than the rule's pendingRuns runs: nothing is announced yet. */
export const PendingRuleStateSchema = z.object({
  ...PendingFields,
  /** First breaching run of the condition. */
  breachedAt: Instant,
});

const FiringFields = {
  status: z.literal('firing'),
  ...RuleStateFields,
  severity: SeveritySchema,
  condition: ConditionSchema,
  /** Start of the current firing episode: the run at which pendingRuns made it fire. */
  firedAt: Instant,
  /** The first of the current healthy runs (while healthyCount > 0). */
  healthySince: z.optional(Instant),
  /**
   * The latest run whose reading breached the severity it fires at (the run that fired or escalated
   * it, or a later one still beyond that threshold). An announcement said after its run (webhook
   * mode: a WARN joining the group waits for the group's next message) quotes this reading, dated,
   * when the last value is back inside the hysteresis band or healthy: an alert is never announced
   * with a value that does not breach. Absent for no-data alerts and documents written before it.
   */
  lastBreach: z.optional(ReadingSchema),
};
/** Announced (or owed): the condition held for pendingRuns runs. */
export const FiringRuleStateSchema = z.object({
  ...FiringFields,
  /** First breaching run of the condition (before pendingRuns made it fire). */
  breachedAt: Instant,
});

/**
 * Documents written before `breachedAt` existed (before 2026-12-01) lack it: on reading, a pending
 * condition began when it became pending and a firing one when it fired, as those versions counted.
 * This is the only upgrade on read; every document written since carries the field.
 */
const StoredRuleStateSchema = z.discriminatedUnion('status', [
  OkRuleStateSchema,
  z.object({ ...PendingFields, breachedAt: z.optional(Instant) }),
  z.object({ ...FiringFields, breachedAt: z.optional(Instant) }),
]);

/**
 * One rule's state, a union on `status`: only a pending or firing rule has a condition and the first
 * breaching run, only a firing one a severity and the start of its episode. Same JSON field names as
 * the flat object of earlier versions, so stored documents parse as they are.
 */
export const RuleStateSchema = z.pipe(
  StoredRuleStateSchema,
  z.transform((stored): RuleState => {
    if (stored.status === 'ok' || stored.breachedAt !== undefined) return stored as RuleState;
    return { ...stored, breachedAt: stored.status === 'firing' ? stored.firedAt : stored.since };
  }),
);
export type OkRuleState = z.infer<typeof OkRuleStateSchema>;
export type PendingRuleState = z.infer<typeof PendingRuleStateSchema>;
export type FiringRuleState = z.infer<typeof FiringRuleStateSchema>;
export type RuleState = OkRuleState | PendingRuleState | FiringRuleState;

export const MonitorStateSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  /** When the status last changed. */
  since: z.optional(Instant),
  consecutiveFailures: z.number().check(z.int(), z.minimum(0)),
  /** First failure of the current streak. */
  firstFailureAt: z.optional(Instant),
  /** Scheduled time of the last failure counted, so a retried run is not counted twice. */
  lastFailureAt: z.optional(Instant),
  lastError: z.optional(z.string()),
  notified: z.optional(
    z.discriminatedUnion('status', [
      z.object({ status: z.literal('ok'), at: Instant }),
      z.object({ status: z.literal('degraded'), since: Instant, at: Instant }),
    ]),
  ),
  claim: z.optional(ClaimSchema),
});
export type MonitorState = z.infer<typeof MonitorStateSchema>;

/** The group's reminder clock: one cadence for every firing alert (Alertmanager's repeat_interval). */
export const ReminderClockSchema = z.object({
  /** When Slack last accepted a message announcing a firing alert (fired, escalated, eased, reminder). */
  lastAt: Instant,
  /** Reminders sent since the last fired or escalated message: the back-off step. */
  count: z.number().check(z.int(), z.minimum(0)),
});
export type ReminderClock = z.infer<typeof ReminderClockSchema>;

/** The longest snooze reason kept: a line for `snoozes` and the digest, not a note. */
export const SNOOZE_REASON_MAX = 500;

/** A snooze set from the command line or a Slack button: held until `until`, then it expires by itself. */
export const SnoozeSchema = z.object({
  until: Instant,
  /** When it was set. */
  at: Instant,
  reason: z.optional(z.string().check(z.maxLength(SNOOZE_REASON_MAX))),
  /** Who set it: the Slack user id of a button click; absent for the command line. */
  by: z.optional(z.string().check(z.maxLength(64))),
});
export type Snooze = z.infer<typeof SnoozeSchema>;

/** How many monitor-health episodes the log keeps, for the digest and `snoozes`. */
export const MONITOR_LOG_LIMIT = 50;

/**
 * One spell of "monitor degraded": when it began and ended (absent while it lasts), and the error
 * that made it. Kept even when nothing was announced (a `snooze all` held it), so a silence leaves a trace.
 */
export const MonitorEpisodeSchema = z.object({
  since: Instant,
  until: z.optional(Instant),
  error: z.optional(z.string()),
});
export type MonitorEpisode = z.infer<typeof MonitorEpisodeSchema>;

export const AlertStateSchema = z.object({
  version: z.literal(1),
  /** The scheduled instant of the last evaluation; a run at or before it is a no-op. */
  lastScheduledTime: z.optional(Instant),
  /** Absent while nothing announced is firing. */
  reminders: z.optional(ReminderClockSchema),
  rules: z.record(z.string(), RuleStateSchema),
  monitor: MonitorStateSchema,
  /** By rule id, or "all"; see domain/alerts/snooze.ts. */
  snoozes: z.optional(z.record(z.string(), SnoozeSchema)),
  /** Snoozes of the last days (ended or not), for the digest: newest last. */
  snoozeLog: z.optional(z.array(z.extend(SnoozeSchema, { target: z.string() }))),
  /** The monitor's degraded spells of the last days, newest last (at most MONITOR_LOG_LIMIT). */
  monitorLog: z.optional(z.array(MonitorEpisodeSchema)),
  /**
   * The episode record (see episode.ts): each rule's open episode, and the closed episodes of the
   * last EPISODE_RETENTION_DAYS (at most EPISODE_LIMIT), oldest first. Absent in documents written
   * before it existed.
   */
  episodes: z._default(z.array(EpisodeSchema), []),
  /**
   * Slack app mode (see incident.ts): the open incident's head message, and the incidents closed in
   * the last INCIDENT_RETENTION_DAYS, oldest first. Absent in webhook mode.
   */
  incident: z.optional(SlackIncidentSchema),
  incidents: z.optional(z.array(SlackIncidentSchema)),
});
export type AlertState = z.infer<typeof AlertStateSchema>;

/** How many transitions each rule keeps. */
export const HISTORY_LIMIT = 20;

/** The state before the first run. */
export const emptyAlertState = (): AlertState => ({
  version: 1,
  rules: {},
  episodes: [],
  monitor: { status: 'ok', consecutiveFailures: 0 },
});

export const statusLabel = (state: RuleState): StatusLabel =>
  state.status === 'firing' ? `firing:${state.severity}` : state.status;

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
  const error = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
  const began = status === 'degraded' && monitor.status !== 'degraded';
  return {
    ...state,
    ...(began && {
      monitorLog: [...(state.monitorLog ?? []), { since: now, error }].slice(-MONITOR_LOG_LIMIT),
    }),
    monitor: {
      ...monitor,
      status,
      ...(since === undefined ? {} : { since }),
      consecutiveFailures: failures,
      firstFailureAt: failures === 1 ? now : (monitor.firstFailureAt ?? now),
      lastFailureAt: now,
      lastError: error,
    },
  };
}

/** Ends a failure streak; a degraded monitor becomes ok (and a "recovered" message is owed). */
export function recordRunSuccess(state: AlertState, at: Date): AlertState {
  const monitor = state.monitor;
  if (monitor.status === 'ok' && monitor.consecutiveFailures === 0) return state;
  const { firstFailureAt: _first, lastError: _error, ...rest } = monitor;
  const log = state.monitorLog ?? [];
  const open = log.at(-1);
  // Only a degraded monitor has a spell still open in the log: it ends here.
  const ended =
    open !== undefined && open.until === undefined
      ? { monitorLog: [...log.slice(0, -1), { ...open, until: at.toISOString() }] }
      : {};
  return {
    ...state,
    ...ended,
    monitor: {
      ...rest,
      status: 'ok',
      ...(monitor.status === 'degraded' ? { since: at.toISOString() } : {}),
      consecutiveFailures: 0,
    },
  };
}
