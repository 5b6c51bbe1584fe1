import type { StatisticsResponse } from '../statistics/schema';
import { type ClosedEpisode, type Episode, isClosed, isFired, retainEpisodes, stepEpisode } from './episode';
import type { Judged } from './evidence';
import { type Measurement, measureRule } from './measure';
import { type DeliveryMode, isMuted, type Notification, owedNotifications } from './notify';
import {
  breachSeverity,
  critRelease,
  leastThreshold,
  nextFiringSeverity,
  type RepeatPolicy,
  type Rule,
  type Severity,
  thresholdFor,
} from './rules';
import {
  type AlertState,
  type Condition,
  type FiringRuleState,
  HISTORY_LIMIT,
  type OkRuleState,
  type PendingRuleState,
  type RuleState,
  statusLabel,
  type Transition,
} from './state';

/**
 * One rule's state machine: ok → pending (fewer than pendingRuns breaching runs) → firing → ok.
 * It knows nothing of Slack; what is owed is derived later by comparing the result with `notified`.
 */
export function nextRuleState(
  rule: Rule,
  previous: RuleState | undefined,
  measurement: Measurement,
  at: Date,
): RuleState {
  const now = at.toISOString();
  const seen = bookkept(previous ?? initialRuleState(now), measurement, now);
  switch (measurement.kind) {
    // Not judged or not runnable: the state stays exactly as it was, only the bookkeeping moves.
    case 'not-judged':
      // Too few calls to raise anything, but enough quiet healthy runs may end a firing alert.
      if (seen.status === 'firing' && measurement.value !== undefined && seen.condition === 'threshold') {
        if (
          nextFiringSeverity(rule, measurement.recovery ?? measurement.value, seen.severity) === 'resolved'
        ) {
          return healthyRun(rule, seen, now, measurement.value);
        }
        // A quiet run that still looks bad breaks a healthy streak, without judging severity.
        return unhealthy(seen);
      }
      return seen;
    case 'skipped':
      return seen;
    case 'no-data':
      if (rule.noData === 'ignore') return seen;
      if (rule.noData === 'resolve') return settle(rule, seen, now, null, 'no data, treated as OK');
      return noDataAlert(rule, seen, now);
    case 'value': {
      // The window travels with the value it describes: reminders show both from the same run.
      const { lastBasis: _oldBasis, ...unbased } = seen;
      let state: RuleState = {
        ...unbased,
        lastValue: measurement.value,
        lastValueAt: now,
        lastWindow: measurement.window,
        ...(measurement.basis === undefined ? {} : { lastBasis: measurement.basis }),
      };
      // A no-data alert or count ends when data returns; the value is then judged from a clean start.
      if (state.status !== 'ok' && state.condition === 'no-data') {
        state = settle(rule, state, now, measurement.value, 'data returned');
      }
      return judgeValue(rule, state, now, measurement.value, measurement.judged);
    }
  }
}

export const initialRuleState = (now: string): RuleState => ({
  status: 'ok',
  since: now,
  pendingCount: 0,
  lastValue: null,
  lastEvaluatedAt: now,
  healthyCount: 0,
  history: [],
});

/** The run's bookkeeping, whatever the status does: when it ran, its outcome, why it had no value. */
function bookkept<S extends RuleState>(state: S, measurement: Measurement, now: string): S {
  const { lastReason: _dropped, ...kept } = state;
  const reason = measurement.kind === 'value' ? {} : { lastReason: measurement.reason };
  return { ...kept, ...reason, lastEvaluatedAt: now, lastOutcome: measurement.kind } as S;
}

function judgeValue(rule: Rule, state: RuleState, now: string, value: number, judged?: Judged): RuleState {
  if (state.status === 'firing') {
    const next = nextFiringSeverity(rule, judged ?? value, state.severity);
    if (next === 'resolved') return healthyRun(rule, state, now, value);
    const breaching = unhealthy(state);
    if (next === state.severity) return withBreach(rule, breaching, now, value, judged);
    const threshold = next === 'crit' ? thresholdFor(rule, 'crit') : critRelease(rule);
    const changed = record({ ...breaching, severity: next }, breaching, now, { value, threshold });
    return withBreach(rule, changed, now, value, judged);
  }
  const severity = breachSeverity(rule, judged?.breach ?? value);
  if (severity === undefined) return settle(rule, state, now, value);
  const count = state.status === 'pending' ? state.pendingCount + 1 : 1;
  const threshold = thresholdFor(rule, severity);
  const breachedAt = state.status === 'pending' ? state.breachedAt : now;
  if (count >= rule.pendingRuns) {
    const fired = fire(state, breachedAt, now, severity, 'threshold', { value, threshold });
    return withBreach(rule, fired, now, value, judged);
  }
  const pending: PendingRuleState = {
    ...state,
    status: 'pending',
    condition: 'threshold',
    pendingCount: count,
    breachedAt,
    since: state.status === 'pending' ? state.since : now,
  };
  return record(pending, state, now, { value, threshold });
}

/**
 * A firing run whose reading breaches the severity the rule fires at (as the evaluation judges it:
 * the confidence bound or the healthier window where the rule weighs its evidence) keeps that
 * reading as the alert's latest breach; a reading inside the hysteresis band does not.
 */
function withBreach(
  rule: Rule,
  state: FiringRuleState,
  now: string,
  value: number,
  judged?: Judged,
): FiringRuleState {
  const breach = breachSeverity(rule, judged?.breach ?? value);
  if (breach === undefined || (state.severity === 'crit' && breach !== 'crit')) return state;
  const { lastWindow: window, lastBasis: basis } = state;
  const lastBreach = {
    value,
    at: now,
    ...(window === undefined ? {} : { window }),
    ...(basis === undefined ? {} : { basis }),
  };
  return { ...state, lastBreach };
}

/** A firing run that is not healthy: any healthy streak is broken. */
function unhealthy(state: FiringRuleState): FiringRuleState {
  const { healthySince: _broken, ...rest } = state;
  return { ...rest, healthyCount: 0 };
}

/** Hysteresis in time as well as in value: recoveryRuns healthy runs in a row resolve a firing alert. */
function healthyRun(rule: Rule, state: FiringRuleState, now: string, value: number): RuleState {
  const healthy = { ...state, healthyCount: state.healthyCount + 1, healthySince: state.healthySince ?? now };
  return healthy.healthyCount >= rule.recoveryRuns ? settle(rule, healthy, now, value) : healthy;
}

function noDataAlert(rule: Rule, state: RuleState, now: string): RuleState {
  // A firing threshold alert stays as it is: its last value is the best knowledge we have.
  if (state.status === 'firing') return state;
  const count = state.status === 'pending' && state.condition === 'no-data' ? state.pendingCount + 1 : 1;
  const facts = { value: null, threshold: null, condition: 'no-data' as const };
  const since = state.status === 'pending' ? state.since : now;
  if (count >= rule.pendingRuns) return fire(state, since, now, 'warn', 'no-data', facts);
  const pending: PendingRuleState = {
    ...state,
    status: 'pending',
    condition: 'no-data',
    pendingCount: count,
    since,
    breachedAt: since,
  };
  return record(pending, state, now, facts);
}

type Facts = Pick<Transition, 'value' | 'threshold'> &
  Partial<Pick<Transition, 'condition' | 'note' | 'breachedAt' | 'endedAt'>>;

function fire(
  state: OkRuleState | PendingRuleState,
  breachedAt: string,
  now: string,
  severity: Severity,
  condition: Condition,
  facts: Facts,
): FiringRuleState {
  const firing: FiringRuleState = {
    ...state,
    status: 'firing',
    severity,
    condition,
    since: now,
    firedAt: now,
    breachedAt,
    pendingCount: 0,
    healthyCount: 0,
  };
  return record(firing, state, now, facts);
}

/** The fields only a pending or firing rule has, taken off: what an ok rule keeps. */
function okFrom(state: PendingRuleState | FiringRuleState, now: string): OkRuleState {
  const {
    status: _status,
    condition: _condition,
    breachedAt: _breachedAt,
    ...kept
  } = state.status === 'firing' ? withoutFiringFields(state) : state;
  return { ...kept, status: 'ok', since: now, pendingCount: 0, healthyCount: 0 };
}

const withoutFiringFields = ({
  severity: _s,
  firedAt: _f,
  healthySince: _h,
  lastBreach: _b,
  ...rest
}: FiringRuleState) => rest;

/** Back to ok from wherever the rule was; a resolution notes whether it was ever announced. */
function settle(rule: Rule, state: RuleState, now: string, value: number | null, note?: string): RuleState {
  if (state.status === 'ok') return state;
  const ok = okFrom(state, now);
  const condition = state.condition;
  if (state.status === 'pending') {
    return record(ok, state, now, {
      value,
      threshold: value === null || condition === 'no-data' ? null : leastThreshold(rule),
      note,
      condition,
    });
  }
  const announced = state.notified?.status === 'firing' && state.notified.firedAt === state.firedAt;
  const notes = [note, announced ? undefined : 'resolved before it was announced'].filter(Boolean).join('; ');
  const threshold = value === null || condition === 'no-data' ? null : rule.recovery;
  return record(ok, state, now, {
    value,
    threshold,
    condition,
    firedAt: state.firedAt,
    breachedAt: state.breachedAt,
    endedAt: state.healthySince ?? now,
    ...(notes === '' ? {} : { note: notes }),
  });
}

const conditionOf = (state: RuleState): Condition | undefined =>
  state.status === 'ok' ? undefined : state.condition;

function record<S extends RuleState>(
  next: S,
  previous: RuleState,
  now: string,
  facts: Facts & { firedAt?: string },
): S {
  const from = statusLabel(previous);
  const to = statusLabel(next);
  if (from === to && conditionOf(previous) === conditionOf(next)) return next;
  const entry: Transition = { at: now, from, to, ...withoutUndefined(facts) };
  return { ...next, history: [...next.history, entry].slice(-HISTORY_LIMIT) };
}

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export interface EvaluationInput {
  readonly rules: readonly Rule[];
  /** The previous document, or `emptyAlertState()`. */
  readonly state: AlertState;
  /** The day-so-far response of this run. */
  readonly statistics: StatisticsResponse;
  /** The response archived for the same scheduled time 7 days earlier (weekOverWeek); absent ⇒ no data. */
  readonly lastWeek?: StatisticsResponse;
  /** This run's rolling-window responses, by window length in minutes. */
  readonly windows?: ReadonlyMap<number, StatisticsResponse>;
  /** The rolling-window responses of the same scheduled time 7 days earlier, by minutes. */
  readonly lastWeekWindows?: ReadonlyMap<number, StatisticsResponse>;
  /** The same 2, 3… weeks earlier (index 0 = two weeks), for seasonal baselines. */
  readonly olderWeekWindows?: ReadonlyArray<ReadonlyMap<number, StatisticsResponse>>;
  /** The group's reminder cadence (the rules file's `reminders`). */
  readonly reminders?: RepeatPolicy;
  /** How messages reach Slack (default webhook): decides which news is worth a push (notify.ts). */
  readonly delivery?: DeliveryMode;
  /**
   * A response holding the latest finished day's offline row (a day-so-far window holds none), e.g.
   * the digest's archived response for yesterday. Rows from `statistics` count too; the newest wins.
   */
  readonly latestOffline?: StatisticsResponse;
  /** The run's scheduled instant, not the wall clock: equal inputs give equal outputs. */
  readonly at: Date;
  readonly timeZone: string;
  readonly lineCapacity?: number;
}

export interface RuleResult {
  readonly ruleId: string;
  readonly measurement: Measurement;
  readonly before: RuleState | undefined;
  readonly after: RuleState;
  /** Muted now: its notifications wait until the window closes. */
  readonly muted: boolean;
}

export type Evaluation =
  | {
      readonly outcome: 'evaluated';
      readonly state: AlertState;
      /** Owed now (rules and monitor), deduplicated by construction: one per rule at most, plus a resolution. */
      readonly notifications: Notification[];
      readonly results: RuleResult[];
      /** Rules in the stored state that the rules file no longer has; their state is dropped. */
      readonly droppedRuleIds: string[];
    }
  | {
      /** `at` is not after `state.lastScheduledTime`: nothing was evaluated, the state is returned as is. */
      readonly outcome: 'already-evaluated';
      readonly state: AlertState;
      readonly notifications: [];
      readonly results: [];
      readonly reason: string;
    };

/**
 * Evaluates every rule once for the scheduled instant `at` and derives what is owed. Pure: the same
 * input gives the same output, and evaluating an instant at or before the last one is refused (as
 * 'already-evaluated'), so a retried run can never count a pending breach twice.
 */
export function evaluateRules(input: EvaluationInput): Evaluation {
  const { state, at, timeZone } = input;
  if (Number.isNaN(at.getTime())) throw new RangeError('evaluateRules: at is not a valid date');
  const last = state.lastScheduledTime;
  if (last !== undefined && at.getTime() <= Date.parse(last)) {
    const reason = `scheduled time ${at.toISOString()} is not after the last evaluated ${last}`;
    return { outcome: 'already-evaluated', state, notifications: [], results: [], reason };
  }
  const rules: Record<string, RuleState> = {};
  const open = new Map(state.episodes.filter((episode) => !isClosed(episode)).map((e) => [e.ruleId, e]));
  const closed = state.episodes.filter(isClosed);
  const opened: Episode[] = [];
  const now = at.toISOString();
  const results = input.rules.map((rule): RuleResult => {
    const before = state.rules[rule.id];
    const measurement = measureRule(rule, input);
    const after = nextRuleState(rule, before, measurement, at);
    rules[rule.id] = after;
    const step = stepEpisode(rule.comparison, rule.id, open.get(rule.id), before, after, measurement, now);
    if (step.closed !== undefined) closed.push(step.closed);
    if (step.open !== undefined) opened.push(step.open);
    return { ruleId: rule.id, measurement, before, after, muted: isMuted(rule.mute, at, timeZone) };
  });
  const droppedRuleIds = Object.keys(state.rules).filter((id) => !(id in rules));
  for (const id of droppedRuleIds) {
    // A rule removed from the rules ends its episode here; one Slack was told is firing keeps its
    // state until its "rule removed" resolution is accepted (notify.ts), then it is dropped.
    const episode = open.get(id);
    if (episode !== undefined && isFired(episode))
      closed.push({ ...episode, ended: now, resolvedAt: now, resolvedValue: null });
    const before = state.rules[id];
    if (before?.notified?.status === 'firing') rules[id] = before;
  }
  // A closed episode whose resolution Slack has not accepted yet is kept, whatever its age.
  const owed = (episode: ClosedEpisode) => {
    const notified = rules[episode.ruleId]?.notified;
    return notified?.status === 'firing' && notified.firedAt === episode.firedAt;
  };
  const episodes = [...retainEpisodes(closed, at, owed), ...opened];
  const next: AlertState = { ...state, lastScheduledTime: now, rules, episodes };
  return {
    outcome: 'evaluated',
    state: next,
    notifications: owedNotifications(next, input.rules, at, timeZone, input.reminders, input.delivery),
    results,
    droppedRuleIds,
  };
}
