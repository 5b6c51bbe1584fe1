import type { Distribution, HourCounts } from './hour-counts';

/*
 * The realtime figures AIRUDDER documents, derived from summed counts. Definitions chosen here
 * (the API documents none):
 *   attempted_transfer_rate     = attempted_transfer_calls / valid_calls
 *   transfer_success_rate       = transfer_success_calls / attempted_transfer_calls
 *   agent_reception_rate        = transfers an agent picked up / transfer_success_calls
 *   avg_agent_duration          = agent talk seconds / transfers an agent picked up
 *   avg_robot_duration          = robot talk seconds / total_calls
 *   avg_total_duration          = (robot + agent seconds) / total_calls
 *   average_robot_talk_round    = robot turns / valid_calls
 *   avg_robot_score             = mean rating (1..5) of the calls that were rated
 *   robot_evaluation_rate       = rated calls / valid_calls
 *   robot_satisfied_rate        = ratings of 4 or 5 / rated calls
 *   one_call_problem_solve_rate = valid calls resolved without a further call / valid_calls
 *   duplicate_call_rate         = (total_calls - call_users) / total_calls
 * Durations are whole seconds; rates are fractions rounded to 4 decimals, 0 when the divisor is 0.
 * Distributions add up: stories and intentions to valid_calls, hangups to total_calls, ratings
 * "1".."5" to the rated calls.
 */

/** The call metrics every realtime row carries, in the documented order. */
export interface CoreMetrics {
  readonly total_calls: number;
  readonly attempted_transfer_calls: number;
  readonly transfer_success_calls: number;
  readonly attempted_transfer_rate: number;
  readonly transfer_success_rate: number;
  readonly agent_reception_rate: number;
  readonly avg_agent_duration: number;
  readonly avg_robot_duration: number;
  readonly avg_total_duration: number;
  readonly valid_calls: number;
}

export interface HourlyRow extends CoreMetrics {
  readonly time: string;
}

export interface DailyRow extends CoreMetrics {
  readonly date: string;
  readonly hangup_type_distribution: Distribution;
  readonly story_distribution: Distribution;
  readonly intention_distribution: Distribution;
  readonly satisfied_distribution: Readonly<Record<string, number>>;
}

export interface RealtimeTotal extends CoreMetrics {
  readonly average_robot_talk_round: number;
  readonly avg_robot_score: number;
  readonly one_call_problem_solve_rate: number;
  readonly robot_evaluation_rate: number;
  readonly robot_satisfied_rate: number;
  readonly call_users: number;
  readonly valid_users: number;
  readonly duplicate_call_rate: number;
  readonly new_users: number;
  readonly old_users: number;
  readonly story_distribution: Distribution;
  readonly intention_distribution: Distribution;
}

/** part / whole rounded to 4 decimals; 0 when nothing was counted. */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

const seconds = (total: number, count: number): number => (count === 0 ? 0 : Math.round(total / count));

function coreMetrics(counts: HourCounts): CoreMetrics {
  return {
    total_calls: counts.totalCalls,
    attempted_transfer_calls: counts.attemptedTransfers,
    transfer_success_calls: counts.transferSuccesses,
    attempted_transfer_rate: ratio(counts.attemptedTransfers, counts.validCalls),
    transfer_success_rate: ratio(counts.transferSuccesses, counts.attemptedTransfers),
    agent_reception_rate: ratio(counts.agentAnswered, counts.transferSuccesses),
    avg_agent_duration: seconds(counts.agentSeconds, counts.agentAnswered),
    avg_robot_duration: seconds(counts.robotSeconds, counts.totalCalls),
    avg_total_duration: seconds(counts.robotSeconds + counts.agentSeconds, counts.totalCalls),
    valid_calls: counts.validCalls,
  };
}

const satisfiedCount = (counts: HourCounts): number => (counts.scores['4'] ?? 0) + (counts.scores['5'] ?? 0);

function averageScore(counts: HourCounts): number {
  const points = Object.entries(counts.scores).reduce(
    (sum, [score, count]) => sum + Number(score) * count,
    0,
  );
  return ratio(points, counts.evaluations);
}

/** A `realtime.hourly` row for the local hour starting at `time` ('YYYY-MM-DD HH:00:00'). */
export function buildHourlyRow(time: string, counts: HourCounts): HourlyRow {
  return { time, ...coreMetrics(counts) };
}

/** A `realtime.daily` row: the sum of the day's hours in the window. */
export function buildDailyRow(date: string, counts: HourCounts): DailyRow {
  return {
    date,
    ...coreMetrics(counts),
    hangup_type_distribution: counts.hangups,
    story_distribution: counts.stories,
    intention_distribution: counts.intentions,
    satisfied_distribution: {
      ...counts.scores,
      robot_evaluation_rate: ratio(counts.evaluations, counts.validCalls),
      robot_satisfied_rate: ratio(satisfiedCount(counts), counts.evaluations),
    },
  };
}

/** `realtime.total`: the sum of every hour in the window. */
export function buildRealtimeTotal(counts: HourCounts): RealtimeTotal {
  return {
    ...coreMetrics(counts),
    average_robot_talk_round: ratio(counts.robotTalkRounds, counts.validCalls),
    avg_robot_score: averageScore(counts),
    one_call_problem_solve_rate: ratio(counts.solvedCalls, counts.validCalls),
    robot_evaluation_rate: ratio(counts.evaluations, counts.validCalls),
    robot_satisfied_rate: ratio(satisfiedCount(counts), counts.evaluations),
    call_users: counts.callUsers,
    valid_users: counts.validUsers,
    duplicate_call_rate: ratio(counts.totalCalls - counts.callUsers, counts.totalCalls),
    new_users: counts.newUsers,
    old_users: counts.callUsers - counts.newUsers,
    story_distribution: counts.stories,
    intention_distribution: counts.intentions,
  };
}
