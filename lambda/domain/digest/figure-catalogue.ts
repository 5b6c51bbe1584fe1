import type { MetricUnit } from '../metric-format';
/**
 * The headline figures of a digest and how to judge them. `better` encodes whether a rise is good
 * news; `noise` is the smallest change worth a colour, so the reader's eye goes to real moves only.
 * At about 1,000 calls a day a rate wobbles by ±1.5 pp from chance alone, hence 2 pp for rates;
 * durations drift by a few seconds, hence 10%.
 */

/** How a figure is measured, which decides how it is shown and how a change is expressed. */
export type Measure = Extract<MetricUnit, 'count' | 'rate' | 'seconds' | 'score'>;

/** 'up': a rise is good; 'down': a rise is bad; 'neither': the move is news, not a verdict. */
export type Better = 'up' | 'down' | 'neither';

/** What `compareFigure` needs to know about a figure. */
export interface FigureKind {
  readonly measure: Measure;
  readonly better: Better;
  /** Smallest change that counts: % for counts and seconds, percentage points for rates, points for scores. */
  readonly noise: number;
}

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

export interface FigureDefinition extends FigureKind {
  readonly key: FigureKey;
  readonly label: string;
  /** True when the figure can come from the offline (T+1) section, so a late section explains its absence. */
  readonly fromOffline: boolean;
}

const count = { measure: 'count', noise: 5 } as const;
const rate = { measure: 'rate', noise: 2 } as const;
const seconds = { measure: 'seconds', noise: 10 } as const;

/*
 * Why each direction:
 * - volume (calls, users, peak concurrency) is demand, not performance: neutral;
 * - duplicate call rate up = callers had to call again: bad;
 * - transfer attempted rate up = the robot finished fewer calls itself and agents got more: bad;
 * - transfer success, agent reception, one-call solve, satisfaction and score up: good;
 * - evaluation rate measures how many callers bothered to rate, not how well the robot did: neutral;
 * - agent duration up = more paid agent time per transfer: bad; robot and total durations are
 *   ambiguous (a longer robot call may be the robot solving more, or callers stuck in a loop;
 *   the solve and satisfaction rates say which): neutral.
 */
export const HEADLINE_FIGURES: ReadonlyArray<FigureDefinition> = [
  { key: 'totalCalls', label: 'Calls', ...count, better: 'neither', fromOffline: false },
  { key: 'validCalls', label: 'Valid calls', ...count, better: 'neither', fromOffline: false },
  { key: 'users', label: 'Users', ...count, better: 'neither', fromOffline: true },
  { key: 'newUsers', label: 'New users', ...count, better: 'neither', fromOffline: true },
  { key: 'returningUsers', label: 'Returning users', ...count, better: 'neither', fromOffline: true },
  { key: 'duplicateCallRate', label: 'Duplicate call rate', ...rate, better: 'down', fromOffline: false },
  {
    key: 'peakConcurrentCalls',
    label: 'Peak concurrent calls',
    ...count,
    better: 'neither',
    fromOffline: true,
  },
  { key: 'transferAttemptedRate', label: 'Transfer attempted', ...rate, better: 'down', fromOffline: false },
  { key: 'transferSuccessRate', label: 'Transfer success', ...rate, better: 'up', fromOffline: false },
  { key: 'agentReceptionRate', label: 'Agent reception', ...rate, better: 'up', fromOffline: false },
  { key: 'oneCallSolveRate', label: 'One-call solve', ...rate, better: 'up', fromOffline: true },
  { key: 'evaluationRate', label: 'Evaluation rate', ...rate, better: 'neither', fromOffline: false },
  { key: 'satisfiedRate', label: 'Satisfied', ...rate, better: 'up', fromOffline: false },
  {
    key: 'averageScore',
    label: 'Average score',
    measure: 'score',
    noise: 0.1,
    better: 'up',
    fromOffline: false,
  },
  { key: 'robotDuration', label: 'Robot duration', ...seconds, better: 'neither', fromOffline: false },
  { key: 'agentDuration', label: 'Agent duration', ...seconds, better: 'down', fromOffline: false },
  { key: 'totalDuration', label: 'Total duration', ...seconds, better: 'neither', fromOffline: false },
];

/** The figure sections of the message, in reading order. */
export const FIGURE_GROUPS: ReadonlyArray<{
  readonly title: string;
  readonly keys: ReadonlyArray<FigureKey>;
}> = [
  {
    title: 'Calls & users',
    keys: [
      'totalCalls',
      'validCalls',
      'users',
      'newUsers',
      'returningUsers',
      'duplicateCallRate',
      'peakConcurrentCalls',
    ],
  },
  { title: 'Transfers', keys: ['transferAttemptedRate', 'transferSuccessRate', 'agentReceptionRate'] },
  {
    title: 'Resolution & satisfaction',
    keys: ['oneCallSolveRate', 'evaluationRate', 'satisfiedRate', 'averageScore'],
  },
  { title: 'Average durations', keys: ['robotDuration', 'agentDuration', 'totalDuration'] },
];

/** The definition of `key`. */
export function figureDefinition(key: FigureKey): FigureDefinition {
  const definition = HEADLINE_FIGURES.find((figure) => figure.key === key);
  if (definition === undefined) throw new RangeError(`no headline figure "${key}"`);
  return definition;
}
