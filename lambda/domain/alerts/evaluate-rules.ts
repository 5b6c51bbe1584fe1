import type { StatisticsResponse } from '../statistics-schema';
import type { AlertState, RuleState } from './alert-state';
import { type Measurement, measureRule } from './measure-rule';
import { isMuted } from './mute-window';
import type { Notification } from './notification';
import { owedNotifications } from './owed-notifications';
import { nextRuleState } from './rule-transition';
import type { Rule } from './rules-schema';

export interface EvaluationInput {
  readonly rules: readonly Rule[];
  /** The previous document, or `emptyAlertState()`. */
  readonly state: AlertState;
  /** The day-so-far response of this run. */
  readonly statistics: StatisticsResponse;
  /** The response archived for the same scheduled time 7 days earlier (weekOverWeek); absent ⇒ no data. */
  readonly lastWeek?: StatisticsResponse;
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
  const results = input.rules.map((rule): RuleResult => {
    const before = state.rules[rule.id];
    const measurement = measureRule(rule, input);
    const after = nextRuleState(rule, before, measurement, at);
    rules[rule.id] = after;
    return { ruleId: rule.id, measurement, before, after, muted: isMuted(rule.mute, at, timeZone) };
  });
  const droppedRuleIds = Object.keys(state.rules).filter((id) => !(id in rules));
  const next: AlertState = { ...state, lastScheduledTime: at.toISOString(), rules };
  return {
    outcome: 'evaluated',
    state: next,
    notifications: owedNotifications(next, input.rules, at, timeZone),
    results,
    droppedRuleIds,
  };
}
