/**
 * The additive counts behind every figure of an hour. Rows and totals are sums of these, and every
 * published rate is derived from summed counts, so hours, days and totals always agree.
 */

/** Conversation flows, in the order of the documented example. */
export const STORY_KEYS = [
  'complain',
  'entrance',
  'query_status',
  'request_transfer',
  'urge_delivery',
  'change_info',
  'story_ask_for_other_help',
  'story_busy_waiting',
  'story_evaluation',
  'story_transfer_to_agent',
] as const;
export const INTENTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'] as const;
export const TRANSFER_REASON_KEYS = [
  'entrance',
  'query_status',
  'urge_delivery',
  'ask_for_other_help',
  'change_info',
] as const;
export const TICKET_KEYS = ['ticket_type_1', 'ticket_type_2', 'ticket_type_3', 'ticket_type_4'] as const;
export const HANGUP_KEYS = ['by_agent', 'by_robot', 'by_user'] as const;
export const SCORE_KEYS = ['1', '2', '3', '4', '5'] as const;

/** Counts that add up across hours. */
export const SUMMED_KEYS = [
  'totalCalls',
  'validCalls',
  'attemptedTransfers',
  'transferSuccesses',
  /** Successful transfers a human agent picked up. */
  'agentAnswered',
  'agentSeconds',
  'robotSeconds',
  'robotTalkRounds',
  /** Valid calls whose caller rated the robot. */
  'evaluations',
  /** Valid calls resolved without a further call. */
  'solvedCalls',
  /** Distinct callers, counted per hour of their first call (so per day, not per window). */
  'callUsers',
  'newUsers',
  'validUsers',
  'fakeReceipts',
] as const;

export const DISTRIBUTION_KEYS = [
  'scores',
  'stories',
  'intentions',
  'transferReasons',
  'tickets',
  'hangups',
] as const;

export type SummedKey = (typeof SUMMED_KEYS)[number];
export type DistributionKey = (typeof DISTRIBUTION_KEYS)[number];
export type Distribution = Readonly<Record<string, number>>;

export type HourCounts = Readonly<Record<SummedKey, number>> &
  Readonly<Record<DistributionKey, Distribution>> & {
    /** Peak simultaneous calls: combined by maximum, not sum. */
    readonly peakConcurrent: number;
  };

const zeros = (keys: readonly string[]): Distribution => Object.fromEntries(keys.map((key) => [key, 0]));

export const EMPTY_COUNTS: HourCounts = {
  ...(Object.fromEntries(SUMMED_KEYS.map((key) => [key, 0])) as Record<SummedKey, number>),
  scores: zeros(SCORE_KEYS),
  stories: zeros(STORY_KEYS),
  intentions: zeros(INTENTION_KEYS),
  transferReasons: zeros(TRANSFER_REASON_KEYS),
  tickets: zeros(TICKET_KEYS),
  hangups: zeros(HANGUP_KEYS),
  peakConcurrent: 0,
};

function addInto(target: Record<string, number>, source: Distribution): void {
  for (const key in source) target[key] = (target[key] ?? 0) + (source[key] ?? 0);
}

/** The counts of many periods together (one pass, mutable accumulators: this is the hot loop). */
export function sumCounts(counts: Iterable<HourCounts>): HourCounts {
  const summed = Object.fromEntries(SUMMED_KEYS.map((key) => [key, 0])) as Record<SummedKey, number>;
  const distributions = Object.fromEntries(
    DISTRIBUTION_KEYS.map((key) => [key, { ...EMPTY_COUNTS[key] }]),
  ) as Record<DistributionKey, Record<string, number>>;
  let peakConcurrent = 0;
  for (const hour of counts) {
    for (const key of SUMMED_KEYS) summed[key] += hour[key];
    for (const key of DISTRIBUTION_KEYS) addInto(distributions[key], hour[key]);
    peakConcurrent = Math.max(peakConcurrent, hour.peakConcurrent);
  }
  return { ...summed, ...distributions, peakConcurrent };
}

/**
 * Calls of a key spread evenly over the hour: event i of n happens at (i + 0.5) / n of the hour, so
 * the events in [from, to) number ceil(to·n − ½) − ceil(from·n − ½). Monotone and additive: the
 * slices of a window always add up to the whole window.
 */
const spread = (n: number, from: number, to: number): number =>
  Math.ceil(to * n - 0.5) - Math.ceil(from * n - 0.5);

/** Counts that are a part of another (part ≤ whole), parents before their children. */
const NESTED: ReadonlyArray<readonly [SummedKey, SummedKey]> = [
  ['validCalls', 'totalCalls'],
  ['attemptedTransfers', 'validCalls'],
  ['transferSuccesses', 'attemptedTransfers'],
  ['agentAnswered', 'transferSuccesses'],
  ['evaluations', 'validCalls'],
  ['solvedCalls', 'validCalls'],
  ['callUsers', 'totalCalls'],
  ['newUsers', 'callUsers'],
  ['validUsers', 'callUsers'],
];

/** `total` split in proportion to `weights` by the largest-remainder rule (parts add up to `total`). */
function proportional(total: number, weights: Distribution): Distribution {
  const keys = Object.keys(weights);
  const weightSum = keys.reduce((sum, key) => sum + (weights[key] ?? 0), 0);
  if (weightSum === 0) return Object.fromEntries(keys.map((key) => [key, 0]));
  const exact = keys.map((key) => (total * (weights[key] ?? 0)) / weightSum);
  const parts = exact.map(Math.floor);
  let missing = total - parts.reduce((sum, part) => sum + part, 0);
  const byRemainder = exact.map((value, index) => ({ index, rest: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const { index } of byRemainder) {
    if (missing <= 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    missing -= 1;
  }
  return Object.fromEntries(keys.map((key, index) => [key, parts[index] ?? 0]));
}

const sumOf = (distribution: Distribution): number =>
  Object.values(distribution).reduce((sum, value) => sum + value, 0);

/**
 * The part of an hour's counts that falls in [from, to) (fractions of the hour, 0..1): partial
 * hours are pro-rated, so a window may start or end at any second. Each distribution is split in
 * proportion over its parent's slice, so it still adds up to it.
 */
export function sliceCounts(hour: HourCounts, from: number, to: number): HourCounts {
  if (from <= 0 && to >= 1) return hour;
  const summed = Object.fromEntries(SUMMED_KEYS.map((key) => [key, spread(hour[key], from, to)])) as Record<
    SummedKey,
    number
  >;
  // Nested counts are spread independently, so a short slice can round a part above its whole
  // (one new caller in a slice holding no caller): keep every part within its whole.
  for (const [part, whole] of NESTED) summed[part] = Math.min(summed[part], summed[whole]);
  return {
    ...summed,
    scores: proportional(summed.evaluations, hour.scores),
    stories: proportional(summed.validCalls, hour.stories),
    intentions: proportional(summed.validCalls, hour.intentions),
    transferReasons: proportional(summed.attemptedTransfers, hour.transferReasons),
    tickets: proportional(spread(sumOf(hour.tickets), from, to), hour.tickets),
    hangups: proportional(summed.totalCalls, hour.hangups),
    peakConcurrent: summed.totalCalls === 0 ? 0 : hour.peakConcurrent,
  };
}
