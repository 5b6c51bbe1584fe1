import {
  type Distribution,
  type HourCounts,
  INTENTION_KEYS,
  SCORE_KEYS,
  STORY_KEYS,
  TICKET_KEYS,
  TRANSFER_REASON_KEYS,
} from './hour-counts';
import type { HourEffects } from './incidents';
import type { LocalMoment } from './local-clock';
import { between, createRandom, type Random } from './seeded-random';

/** Everything one local hour's numbers depend on. */
export interface HourContext {
  readonly seed: number;
  /** Instant the local hour starts: the key of its random numbers. */
  readonly hourStart: number;
  /** Local wall clock at `hourStart`: shapes the daily and weekly curve. */
  readonly clock: LocalMoment;
  readonly effects: HourEffects;
  readonly callsPerHourPeak: number;
}

const HOUR_SALT = 0x5107_a11d;
/** Share of a weekday's volume, Sunday..Saturday. */
export const WEEKDAY_FACTOR = [0.45, 1, 1, 0.97, 0.95, 0.9, 0.6] as const;
const HAPPY_SCORES = [0.05, 0.05, 0.12, 0.33, 0.45];
const UNHAPPY_SCORES = [0.45, 0.25, 0.15, 0.1, 0.05];
const STORY_WEIGHTS = [0.08, 0.12, 0.35, 0.1, 0.12, 0.06, 0.05, 0.03, 0.06, 0.03];
const INTENTION_WEIGHTS = [0.3, 0.18, 0.14, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02];
const TRANSFER_REASON_WEIGHTS = [0.5, 0.28, 0.08, 0.05, 0.09];
const TICKET_WEIGHTS = [0.4, 0.3, 0.2, 0.1];

const lerp = (from: number, to: number, amount: number): number => from + (to - from) * amount;
const gauss = (x: number, centre: number, width: number): number =>
  Math.exp(-((x - centre) ** 2) / (2 * width ** 2));

/** Share of the peak volume at a local hour: quiet nights, a late-morning and an afternoon peak. */
function dailyCurve(hour: number): number {
  const middle = hour + 0.5;
  return 0.04 + 0.96 * Math.max(gauss(middle, 10.5, 1.7), 0.85 * gauss(middle, 15, 2));
}

/** Splits `total` by jittered weights with the largest-remainder rule, so the parts add up exactly. */
function apportion(
  total: number,
  keys: readonly string[],
  weights: readonly number[],
  random: Random,
): Distribution {
  const jittered = weights.map((weight) => weight * between(random, 0.85, 1.15));
  let weightSum = 0;
  for (const weight of jittered) weightSum += weight;
  const parts: number[] = [];
  const remainders: number[] = [];
  let missing = total;
  for (const weight of jittered) {
    const exact = (total * weight) / weightSum;
    const part = Math.floor(exact);
    parts.push(part);
    remainders.push(exact - part);
    missing -= part;
  }
  for (; missing > 0; missing--) {
    let largest = 0;
    for (let index = 1; index < remainders.length; index++) {
      if ((remainders[index] ?? 0) > (remainders[largest] ?? 0)) largest = index;
    }
    parts[largest] = (parts[largest] ?? 0) + 1;
    remainders[largest] = -1;
  }
  const distribution: Record<string, number> = {};
  keys.forEach((key, index) => {
    distribution[key] = parts[index] ?? 0;
  });
  return distribution;
}

/**
 * The counts of one local hour. Random draws happen in a fixed order and number whatever the
 * incidents, so an incident changes only the figures it is about.
 */
export function generateHourCounts(context: HourContext): HourCounts {
  const { effects } = context;
  const random = createRandom(context.seed, context.hourStart / 60_000, HOUR_SALT);
  const unhappy = effects['unhappy-callers'];

  const volumeFactor = (1 + 2.5 * effects['volume-spike']) * (1 - effects['volume-drop']);
  const expected =
    context.callsPerHourPeak *
    dailyCurve(context.clock.hour) *
    (WEEKDAY_FACTOR[context.clock.weekday] ?? 1) *
    between(random, 0.85, 1.15);
  const totalCalls = Math.round(expected * volumeFactor);
  const validCalls = Math.round(totalCalls * between(random, 0.8, 0.9));
  const attemptedTransfers = Math.round(validCalls * between(random, 0.2, 0.32));
  const successShare = lerp(between(random, 0.88, 0.96), 0.3, effects['transfer-failure']);
  const transferSuccesses = Math.round(attemptedTransfers * successShare);
  const answeredShare = lerp(between(random, 0.82, 0.95), 0.2, effects['agent-no-answer']);
  const agentAnswered = Math.round(transferSuccesses * answeredShare);
  const agentSeconds = Math.round(agentAnswered * between(random, 60, 110));
  const robotSeconds = Math.round(
    validCalls * between(random, 28, 42) + (totalCalls - validCalls) * between(random, 3, 9),
  );
  const robotTalkRounds = Math.round(validCalls * between(random, 4, 6));
  const evaluations = Math.round(validCalls * between(random, 0.4, 0.6));
  const scoreWeights = HAPPY_SCORES.map((weight, index) => lerp(weight, UNHAPPY_SCORES[index] ?? 0, unhappy));
  const scores = apportion(evaluations, SCORE_KEYS, scoreWeights, random);
  const solvedShare = lerp(
    between(random, 0.5, 0.65),
    0.25,
    Math.max(unhappy, effects['transfer-failure'] / 2),
  );
  const solvedCalls = Math.round(validCalls * solvedShare);
  const callUsers = Math.round(totalCalls * between(random, 0.7, 0.82));
  const newUsers = Math.round(callUsers * between(random, 0.55, 0.7));
  const validUsers = Math.min(Math.round(callUsers * between(random, 0.85, 0.93)), validCalls);
  const fakeReceipts = Math.round(validCalls * between(random, 0.01, 0.04));
  const ticketCount = Math.round(attemptedTransfers * between(random, 0.1, 0.2));
  const storyWeights = STORY_WEIGHTS.map((weight, index) =>
    index === 0 ? weight * (1 + 4 * unhappy) : weight,
  );
  const stories = apportion(validCalls, STORY_KEYS, storyWeights, random);
  const intentions = apportion(validCalls, INTENTION_KEYS, INTENTION_WEIGHTS, random);
  const transferReasons = apportion(
    attemptedTransfers,
    TRANSFER_REASON_KEYS,
    TRANSFER_REASON_WEIGHTS,
    random,
  );
  const tickets = apportion(ticketCount, TICKET_KEYS, TICKET_WEIGHTS, random);
  const byAgent = Math.round(agentAnswered * between(random, 0.35, 0.55));
  const byRobot = Math.round((totalCalls - byAgent) * between(random, 0.1, 0.2));
  const hangups = { by_agent: byAgent, by_robot: byRobot, by_user: totalCalls - byAgent - byRobot };
  // Mean simultaneous calls times a burst factor; capacity incidents push the peak up.
  const meanConcurrent = (robotSeconds + agentSeconds) / 3600;
  const burst = meanConcurrent * between(random, 1.8, 2.6) + 2 * Math.sqrt(meanConcurrent);
  const peakConcurrent = totalCalls === 0 ? 0 : Math.ceil(burst * (1 + 2.5 * effects.capacity));

  return {
    totalCalls,
    validCalls,
    attemptedTransfers,
    transferSuccesses,
    agentAnswered,
    agentSeconds,
    robotSeconds,
    robotTalkRounds,
    evaluations,
    solvedCalls,
    callUsers,
    newUsers,
    validUsers,
    fakeReceipts,
    scores,
    stories,
    intentions,
    transferReasons,
    tickets,
    hangups,
    peakConcurrent,
  };
}
