import { DERIVED_RATES, deriveRate } from '../metric-format';
import type { StatisticsResponse } from '../statistics-schema';
import { type DayRows, dayRows, numberOrUndefined } from './day-rows';
import type { FigureKey } from './figure-catalogue';

/** Where a figure came from, so a reader (or the replay command) can tell published from derived. */
export type FigureSource = 'realtime-daily' | 'realtime-total' | 'offline-daily' | 'derived';

/** The headline figures of one local day; a figure the response does not give is undefined. */
export interface DigestFigures {
  readonly date: string;
  readonly values: Readonly<Record<FigureKey, number | undefined>>;
  readonly sources: Readonly<Partial<Record<FigureKey, FigureSource>>>;
  /** The realtime section had the day (a daily row, or a total over exactly the day). */
  readonly realtimeIn: boolean;
  /** The offline (T+1) daily row for the day was there. */
  readonly offlineIn: boolean;
}

type Candidate = readonly [FigureSource, unknown];

/**
 * The headline figures of `date` in `response`. Preference, per figure: the realtime daily row, then
 * `realtime.total` when the window is exactly the day, then the offline daily row, then a rate
 * derived from its counts. Daily rows are read for every field (the schema keeps unknown keys), so a
 * figure AIRUDDER adds to daily rows later wins over the total without a code change.
 */
export function digestFigures(response: StatisticsResponse, date: string): DigestFigures {
  const rows = dayRows(response, date);
  const values: Partial<Record<FigureKey, number>> = {};
  const sources: Partial<Record<FigureKey, FigureSource>> = {};
  const take = (key: FigureKey, ...candidates: Candidate[]): number | undefined => {
    for (const [source, raw] of candidates) {
      const value = numberOrUndefined(raw);
      if (value === undefined) continue;
      values[key] = value;
      sources[key] = source;
      return value;
    }
    return undefined;
  };
  const realtime = (field: string): Candidate[] => [
    ['realtime-daily', rows.realtimeDaily?.[field]],
    ['realtime-total', rows.realtimeTotal?.[field]],
  ];
  const offlineUsers = (field: string): Candidate => [
    'offline-daily',
    rows.offlineDaily?.user_distribution?.[field],
  ];
  const satisfied = rows.realtimeDaily?.satisfied_distribution ?? undefined;

  take('totalCalls', ...realtime('total_calls'));
  const validCalls = take('validCalls', ...realtime('valid_calls'));
  take('users', ...realtime('call_users'), offlineUsers('call_users'));
  take('newUsers', ...realtime('new_users'), offlineUsers('new_users'));
  take('returningUsers', ...realtime('old_users'), offlineUsers('old_users'));
  take('duplicateCallRate', ...realtime('duplicate_call_rate'));
  take('peakConcurrentCalls', ['offline-daily', rows.offlineDaily?.max_concurrent_call_count]);

  take(
    'transferAttemptedRate',
    ...realtime('attempted_transfer_rate'),
    derivedRate(rows, 'attempted_transfer_rate'),
  );
  take(
    'transferSuccessRate',
    ...realtime('transfer_success_rate'),
    derivedRate(rows, 'transfer_success_rate'),
  );
  take('agentReceptionRate', ...realtime('agent_reception_rate'));
  take('oneCallSolveRate', ...realtime('one_call_problem_solve_rate'), [
    'offline-daily',
    rows.offlineDaily?.one_call_problem_solve_rate,
  ]);
  // Daily rows carry the satisfaction rates inside satisfied_distribution, mixed with the 1–5 counts.
  // Derived as the stand-in defines them (AIRUDDER documents neither): ratings / valid calls, and
  // ratings of 4 or 5 / ratings.
  const ratings = ratingCounts(satisfied);
  take(
    'evaluationRate',
    ['realtime-daily', satisfied?.robot_evaluation_rate],
    ...realtime('robot_evaluation_rate'),
    derived(ratings?.total, validCalls),
  );
  take(
    'satisfiedRate',
    ['realtime-daily', satisfied?.robot_satisfied_rate],
    ...realtime('robot_satisfied_rate'),
    derived(ratings?.satisfied, ratings?.total),
  );
  take('averageScore', ...realtime('avg_robot_score'), derived(ratings?.points, ratings?.total));
  take('robotDuration', ...realtime('avg_robot_duration'));
  take('agentDuration', ...realtime('avg_agent_duration'));
  take('totalDuration', ...realtime('avg_total_duration'));

  return {
    date,
    values: values as Record<FigureKey, number | undefined>,
    sources,
    realtimeIn: rows.realtimeDaily !== undefined || rows.realtimeTotal !== undefined,
    offlineIn: rows.offlineDaily !== undefined,
  };
}

function firstCount(rows: DayRows, field: string): number | undefined {
  return numberOrUndefined(rows.realtimeDaily?.[field]) ?? numberOrUndefined(rows.realtimeTotal?.[field]);
}

/** A rate from its counts, rounded like AIRUDDER's (4 decimals); none when the divisor is 0 or unknown. */
const derived = (part: number | undefined, whole: number | undefined): Candidate => [
  'derived',
  deriveRate(part, whole),
];

/** A rate of the shared derived-rate table, from the counts of the day's rows. */
function derivedRate(rows: DayRows, rate: keyof typeof DERIVED_RATES): Candidate {
  const [numerator, denominator] = DERIVED_RATES[rate] ?? [];
  if (numerator === undefined || denominator === undefined) return ['derived', undefined];
  return derived(firstCount(rows, numerator), firstCount(rows, denominator));
}

/** Totals of the ratings under "1".."5"; undefined when the row has no ratings at all. */
function ratingCounts(distribution: Readonly<Record<string, unknown>> | undefined) {
  let total = 0;
  let points = 0;
  let satisfied = 0;
  let seen = false;
  for (const score of [1, 2, 3, 4, 5]) {
    const count = numberOrUndefined(distribution?.[String(score)]);
    if (count === undefined) continue;
    seen = true;
    total += count;
    points += score * count;
    if (score >= 4) satisfied += count;
  }
  return seen ? { total, points, satisfied } : undefined;
}
