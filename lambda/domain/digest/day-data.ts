/**
 * Stage 1 of the digest, the day's data: what a digest is built from (DigestInput), and what it reads
 * from the day's rows (statistics/day-rows.ts): the headline figures and the breakdowns. Pure
 * reading: nothing here formats for Slack.
 */

import type { DaySnooze } from '../alerts/snooze';
import { foldedNames } from '../statistics/bounded-json';
import { type DayRows, dayRows } from '../statistics/day-rows';
import type { MetricUnit } from '../statistics/metric-format';
import { DERIVED_RATES, deriveRate } from '../statistics/metric-format';
import { firstNumber, numberOf } from '../statistics/numbers';
import { shiftDate } from '../statistics/query-window';
import type { Distribution, StatisticsResponse } from '../statistics/schema';

// ---- digest input

/** An alert that fired during the digest's day, as the alert store recorded it. */
export interface FiredAlert {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: 'warn' | 'crit';
  /** ISO instant its condition began (first breaching run), as the alert messages show it. */
  readonly at: string;
  /** ISO instant its condition ended (first healthy run); absent while it is still firing. */
  readonly resolvedAt?: string;
  /** The worst value any check judged during the episode, in the rule's unit. */
  readonly worst?: { readonly value: number; readonly unit: MetricUnit };
  /** Slack app mode: a link to the head message of the incident it belonged to. */
  readonly link?: string;
}

/** An incident that was open at some time on the digest's day. */
export interface DayIncident {
  /** ISO: the run whose message opened it. */
  readonly openedAt: string;
  /** ISO: the run whose message resolved its last alert; absent while open. */
  readonly closedAt?: string;
  readonly acknowledged?: { readonly by: string; readonly at: string };
  /** Its alerts' titles (the monitor itself: "monitor health"). */
  readonly titles: readonly string[];
}

/** Everything one digest is built from; the caller fetches and reads, the digest only formats. */
export interface DigestInput {
  /** 'YYYY-MM-DD', the account-local day the digest is about. */
  readonly date: string;
  /** IANA zone of the account: hours and alert times are shown in it. */
  readonly timeZone: string;
  /** The whole day: realtime daily (+ hourly) rows and the offline T+1 section. */
  readonly day: StatisticsResponse;
  /** The day before, when the archive or the API had it. */
  readonly previousDay?: StatisticsResponse;
  /** The same weekday a week earlier, when available. */
  readonly weekAgo?: StatisticsResponse;
  readonly alertsFired: ReadonlyArray<FiredAlert>;
  /** Snoozes that overlapped the day (the digest lists them, so a quiet channel is explained). */
  readonly snoozes?: ReadonlyArray<DaySnooze>;
  /** Slack app mode: the incidents open that day, with their times to acknowledge and to resolve. */
  readonly incidents?: ReadonlyArray<DayIncident>;
  /** Where the raw response of `day` sits, e.g. an s3:// URI. */
  readonly archiveLocation: string;
  /** Stories, intentions, reasons… shown before the rest is folded into "others". */
  readonly topN: number;
  /** MONITOR_NAME: heads the digest as it heads every alert, so centres sharing a channel are told apart. */
  readonly monitorName?: string;
  /** A replayed digest (`replay --post`): marked as replayed alerts are. */
  readonly replay?: boolean;
}

// ---- digest dates

/** The days a digest compares with. */
export const previousDate = (date: string): string => shiftDate(date, -1);
export const weekAgoDate = (date: string): string => shiftDate(date, -7);

// ---- day figures

/** The headline figures a digest reads from a day; `figures.ts` says how each is judged. */
export const FIGURE_KEYS = [
  'totalCalls',
  'validCalls',
  'users',
  'newUsers',
  'returningUsers',
  'duplicateCallRate',
  'peakConcurrentCalls',
  'transferAttemptedRate',
  'transferSuccessRate',
  'agentReceptionRate',
  'oneCallSolveRate',
  'evaluationRate',
  'satisfiedRate',
  'averageScore',
  'robotDuration',
  'agentDuration',
  'totalDuration',
] as const;

export type FigureKey = (typeof FIGURE_KEYS)[number];

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
      const value = numberOf(raw);
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

const firstCount = (rows: DayRows, field: string): number | undefined =>
  firstNumber(rows.realtimeDaily?.[field], rows.realtimeTotal?.[field]);

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
    const count = numberOf(distribution?.[String(score)]);
    if (count === undefined) continue;
    seen = true;
    total += count;
    points += score * count;
    if (score >= 4) satisfied += count;
  }
  return seen ? { total, points, satisfied } : undefined;
}

// ---- day breakdowns

/** A distribution or undefined, treating null like absent. */
export const distributionOf = (value: Distribution | null | undefined): Distribution | undefined =>
  value ?? undefined;

/** Callers reporting a parcel marked delivered but never received. */
export interface FakeReceipts {
  readonly reports: number | undefined;
  /** Reports after removing the same caller's repeats within the day. */
  readonly deduplicated: number | undefined;
}

/** The day's distributions; undefined where the response does not give one. */
export interface DayBreakdowns {
  readonly stories: Distribution | undefined;
  readonly intentions: Distribution | undefined;
  readonly hangups: Distribution | undefined;
  /** Ratings "1".."5" only; the rates AIRUDDER mixes into the same object are left out. */
  readonly satisfactionScores: Distribution | undefined;
  readonly transferReasons: Distribution | undefined;
  readonly tickets: Distribution | undefined;
  readonly fakeReceipts: FakeReceipts | undefined;
  /** The offline (T+1) row for the day was there; without it the last three are "not in yet". */
  readonly offlineIn: boolean;
}

export const SCORE_KEYS = ['5', '4', '3', '2', '1'] as const;

/**
 * The breakdowns of `date`: stories and intentions from the realtime daily row (or the total when the
 * window is exactly the day), hangups and ratings from the daily row, and transfer reasons, tickets
 * and fake receipts only from the offline row of the date: `offline.total` is zero until the batch
 * has run, and a zero must not pass for a figure.
 */
export function digestBreakdowns(response: StatisticsResponse, date: string): DayBreakdowns {
  const rows = dayRows(response, date);
  const daily = rows.realtimeDaily;
  const offline = rows.offlineDaily;
  const scores = distributionOf(daily?.satisfied_distribution);
  const fake = distributionOf(offline?.fake_receipts_distribution);
  return {
    stories:
      distributionOf(daily?.story_distribution) ?? distributionOf(rows.realtimeTotal?.story_distribution),
    intentions:
      distributionOf(daily?.intention_distribution) ??
      distributionOf(rows.realtimeTotal?.intention_distribution),
    hangups: distributionOf(daily?.hangup_type_distribution),
    satisfactionScores:
      scores === undefined ? undefined : Object.fromEntries(SCORE_KEYS.map((key) => [key, scores[key]])),
    transferReasons: distributionOf(offline?.transfer_reason_distribution),
    tickets: distributionOf(offline?.ticket_distribution),
    fakeReceipts:
      fake === undefined
        ? undefined
        : {
            reports: numberOf(fake.fake_receipts_count),
            deduplicated: numberOf(fake.daily_deduplicated_fake_receipts_count),
          },
    offlineIn: offline !== undefined,
  };
}

// ---- fold top n

export interface ShareOfTotal {
  readonly count: number;
  /** count / total of the distribution, 0–1. */
  readonly share: number;
}

export interface RankedEntry extends ShareOfTotal {
  readonly name: string;
}

/** A distribution cut to its top entries, the rest summed into `others`. */
export interface FoldedDistribution {
  /** Sum of every counted entry: the base of the shares. */
  readonly total: number;
  readonly top: ReadonlyArray<RankedEntry>;
  /** What did not make the top, with how many names it holds; undefined when nothing was folded. */
  readonly others: (ShareOfTotal & { readonly names: number }) | undefined;
}

/**
 * The `n` largest entries of `distribution` and the rest folded into "others". Shares are of the
 * distribution's own sum, not of the calls: AIRUDDER's distributions do not always add up to the
 * call count. Entries of 0, null or garbage are left out (they carry no calls). Ties are broken by
 * name so the digest reads the same on every run; a tie across the cut still folds (N is a hard cap).
 * Throws a RangeError when `n` is not a whole number ≥ 0.
 */
export function foldTopN(distribution: Distribution | undefined, n: number): FoldedDistribution {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`foldTopN: n must be a whole number ≥ 0, got ${n}`);
  // Labels the parser folded (bounded-json.ts) join "others" with their number and their sum.
  let foldedCount = 0;
  let folded = 0;
  const entries = Object.entries(distribution ?? {})
    .flatMap(([name, raw]) => {
      const count = numberOf(raw) ?? 0;
      const names = foldedNames(name);
      if (names === undefined) return [{ name, count }];
      folded += names;
      foldedCount += count;
      return [];
    })
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const total = entries.reduce((sum, entry) => sum + entry.count, foldedCount);
  const shareOf = (count: number) => (total > 0 ? count / total : 0);
  const top = entries.slice(0, n).map((entry) => ({ ...entry, share: shareOf(entry.count) }));
  const rest = entries.slice(n);
  const restCount = rest.reduce((sum, entry) => sum + entry.count, foldedCount);
  const restNames = rest.length + folded;
  return {
    total,
    top,
    others: restNames > 0 ? { names: restNames, count: restCount, share: shareOf(restCount) } : undefined,
  };
}
