/**
 * Stage 2 of the digest, figures and comparisons: which headline figures there are and how to judge
 * them, how a figure moved against the day before and the same weekday a week before, whether that
 * needs attention, and how a change reads ('▼ 7.9 pp d/d').
 */

import {
  formatMetric,
  formatNumber,
  formatPercentNumber,
  type MetricUnit,
} from '../statistics/metric-format';
import type { DigestFigures, FigureKey } from './day-data';

// ---- figure catalogue

/**
 * The headline figures of a digest and how to judge them. `better` encodes whether a rise is good
 * news; `noise` is the smallest change worth a colour, so the reader's eye goes to real moves only.
 * At about 1,000 calls a day a rate wobbles by ±1.5 pp from chance alone, hence 2 pp for rates;
 * durations drift by a few seconds, hence 10%.
 */

/** A figure's unit (of the product's metric units), which decides how it is shown and how a change is expressed. */
export type FigureUnit = Extract<MetricUnit, 'count' | 'rate' | 'seconds' | 'score'>;

/** 'up': a rise is good; 'down': a rise is bad; 'neither': the move is news, not a verdict. */
export type Better = 'up' | 'down' | 'neither';

/** What `compareFigure` needs to know about a figure. */
export interface FigureKind {
  readonly unit: FigureUnit;
  readonly better: Better;
  /** Smallest change that counts: % for counts and seconds, percentage points for rates, points for scores. */
  readonly noise: number;
}

export interface FigureDefinition extends FigureKind {
  readonly key: FigureKey;
  readonly label: string;
  /** True when the figure can come from the offline (T+1) section, so a late section explains its absence. */
  readonly fromOffline: boolean;
  /** One line for a reader who does not know what the figure means; absent where the label says it. */
  readonly explain?: string;
}

const count = { unit: 'count', noise: 5 } as const;
const rate = { unit: 'rate', noise: 2 } as const;
const seconds = { unit: 'seconds', noise: 10 } as const;

/*
 * Why each direction:
 * - volume (calls, users, peak concurrency) is demand, not performance: neutral;
 * - duplicate call rate up = callers had to call again: bad;
 * - transfer attempted rate up = the robot finished fewer calls itself and agents got more: bad;
 * - transfer success, agent pick-up, first-call resolution, satisfaction and rating up: good;
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
  {
    key: 'duplicateCallRate',
    label: 'Repeat callers',
    ...rate,
    better: 'down',
    fromOffline: false,
    explain: 'callers who called more than once',
  },
  {
    key: 'peakConcurrentCalls',
    label: 'Peak concurrent calls',
    ...count,
    better: 'neither',
    fromOffline: true,
    explain: 'most calls at the same time: how close the lines came to capacity',
  },
  {
    key: 'transferAttemptedRate',
    label: 'Sent to an agent',
    ...rate,
    better: 'down',
    fromOffline: false,
    explain: 'valid calls the robot tried to hand to a human agent',
  },
  {
    key: 'transferSuccessRate',
    label: 'Transfer success',
    ...rate,
    better: 'up',
    fromOffline: false,
    explain: 'handovers that reached an agent',
  },
  {
    key: 'agentReceptionRate',
    label: 'Agent pick-up',
    ...rate,
    better: 'up',
    fromOffline: false,
    explain: 'transferred calls a human agent answered',
  },
  {
    key: 'oneCallSolveRate',
    label: 'First-call resolution',
    ...rate,
    better: 'up',
    fromOffline: true,
    explain: 'problems solved without the caller calling again',
  },
  {
    key: 'evaluationRate',
    label: 'Callers who rated',
    ...rate,
    better: 'neither',
    fromOffline: false,
  },
  {
    key: 'satisfiedRate',
    label: 'Satisfied',
    ...rate,
    better: 'up',
    fromOffline: false,
    explain: 'ratings of 4 or 5 among the callers who rated',
  },
  {
    key: 'averageScore',
    label: 'Average rating',
    unit: 'score',
    noise: 0.1,
    better: 'up',
    fromOffline: false,
  },
  { key: 'robotDuration', label: 'With the robot', ...seconds, better: 'neither', fromOffline: false },
  { key: 'agentDuration', label: 'With an agent', ...seconds, better: 'down', fromOffline: false },
  { key: 'totalDuration', label: 'Whole call', ...seconds, better: 'neither', fromOffline: false },
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
  { title: 'Average call length', keys: ['robotDuration', 'agentDuration', 'totalDuration'] },
];

/** The definition of `key`. */
export function figureDefinition(key: FigureKey): FigureDefinition {
  const definition = HEADLINE_FIGURES.find((figure) => figure.key === key);
  if (definition === undefined) throw new RangeError(`no headline figure "${key}"`);
  return definition;
}

// ---- figure change

/** Good or bad news, or neither (a neutral figure, or a move smaller than its noise). */
export type Tone = 'good' | 'bad' | 'neutral';

/**
 * How a figure moved against an earlier day.
 * - `no-data`: either side is unknown; nothing to compare.
 * - `new`: the earlier value was 0 and a percentage (or a score difference) would mean nothing.
 * - `delta`: `delta` in % (counts, seconds), percentage points (rates) or points (scores).
 */
export type Change =
  | { readonly kind: 'no-data' }
  | { readonly kind: 'new'; readonly tone: Tone }
  | {
      readonly kind: 'delta';
      readonly delta: number;
      readonly unit: 'percent' | 'points';
      /** |delta| reached the figure's noise threshold. */
      readonly notable: boolean;
      readonly tone: Tone;
    };

/** Compares `current` with `previous` as `kind` says; never divides by zero. */
export function compareFigure(
  current: number | undefined,
  previous: number | undefined,
  kind: FigureKind,
): Change {
  if (current === undefined || previous === undefined) return { kind: 'no-data' };
  const relative = kind.unit === 'count' || kind.unit === 'seconds';
  if (previous === 0 && current !== 0 && kind.unit !== 'rate') {
    return { kind: 'new', tone: toneOf(current > 0 ? 1 : -1, kind) };
  }
  const delta = relative
    ? previous === 0
      ? 0
      : ((current - previous) / Math.abs(previous)) * 100
    : kind.unit === 'rate'
      ? (current - previous) * 100
      : current - previous;
  // Rates arrive with four decimals: compare what a reader sees, not binary-float residue.
  const rounded = Math.round(delta * 1e6) / 1e6;
  const notable = Math.abs(rounded) >= kind.noise && rounded !== 0;
  return {
    kind: 'delta',
    delta: rounded,
    unit: relative ? 'percent' : 'points',
    notable,
    tone: notable ? toneOf(Math.sign(rounded), kind) : 'neutral',
  };
}

function toneOf(direction: number, kind: FigureKind): Tone {
  if (kind.better === 'neither' || direction === 0) return 'neutral';
  return direction > 0 === (kind.better === 'up') ? 'good' : 'bad';
}

// ---- figure comparison

/** An earlier day the digest compares with: `tag` is how a change names it ('d/d', 'w/w'). */
export interface Comparison {
  readonly tag: 'd/d' | 'w/w';
  readonly figures: DigestFigures;
}

export interface TaggedChange {
  readonly tag: Comparison['tag'];
  readonly change: Change;
}

/**
 * A figure's change against each comparison, in the comparisons' order. On a day without calls
 * (either side) only counts compare: a rate of nothing is no figure, and must not read as a move.
 */
export function changesOf(
  figure: FigureDefinition,
  current: DigestFigures,
  comparisons: ReadonlyArray<Comparison>,
): TaggedChange[] {
  return comparisons.map((comparison) => {
    const anyNoCalls = isNoCallDay(current) || isNoCallDay(comparison.figures);
    if (anyNoCalls && figure.unit !== 'count') return { tag: comparison.tag, change: { kind: 'no-data' } };
    return {
      tag: comparison.tag,
      change: compareFigure(current.values[figure.key], comparison.figures.values[figure.key], figure),
    };
  });
}

/** The day had its realtime figures and they say no call came in. */
export const isNoCallDay = (figures: DigestFigures): boolean =>
  figures.realtimeIn && figures.values.totalCalls === 0;

/**
 * What a figure's changes say, by the attention rule: it needs attention when it got worse beyond
 * its noise against one earlier day and not better against the other (worse on both, or worse on
 * one and within noise or without data on the other). Worse on one and better on the other is
 * `mixed`: never counted within the normal range, since a bad move against either day is news.
 * Better and not worse is `better`; `normal` is no move beyond noise on any day.
 */
export type Verdict = 'attention' | 'mixed' | 'better' | 'normal' | 'not-compared';

export function verdictOf(changes: ReadonlyArray<TaggedChange>): Verdict {
  const tones = changes.flatMap(({ change }) => (change.kind === 'no-data' ? [] : [change.tone]));
  if (tones.length === 0) return 'not-compared';
  const worse = tones.includes('bad');
  const better = tones.includes('good');
  if (worse) return better ? 'mixed' : 'attention';
  return better ? 'better' : 'normal';
}

/** Why a figure has no value: the T+1 batch has not run yet, or the response lacks it. */
export function missingValueText(figure: FigureDefinition, current: DigestFigures): string {
  if (figure.fromOffline && !current.offlineIn) return '_not in yet (T+1)_';
  return '_no data_';
}

// ---- format figure

/** How changes read in the digest; values read as `../metric-format` says, like in the alerts. */

export const TONE_EMOJI: Readonly<Record<Tone, string>> = { good: '🟢', bad: '🔴', neutral: '⚪' };

/** A figure's value as it is shown: the product's one metric vocabulary. */
export const formatValue = (value: number, unit: FigureUnit): string => formatMetric(value, unit);

/**
 * A change with its arrow, no colour: '▲ 4%', '▼ 1.1 pp', '▲ 0.12', '= 0%', '▲ new', 'no data'.
 */
export function formatChange(change: Change, unit: FigureUnit): string {
  if (change.kind === 'no-data') return 'no data';
  if (change.kind === 'new') return '▲ new';
  const magnitude = Math.abs(change.delta);
  let shown: string;
  if (unit === 'rate') shown = `${formatPercentNumber(magnitude)} pp`;
  else if (unit === 'score') shown = formatNumber(magnitude);
  else shown = `${formatPercentNumber(magnitude)}%`;
  // A move that rounds to nothing reads as no move, whichever way it went.
  if (!/[1-9]/.test(shown)) return `= ${shown}`;
  return `${change.delta > 0 ? '▲' : '▼'} ${shown}`;
}

/**
 * A change and what it is against, coloured only when it is news: '🔴 ▼ 7.9 pp d/d', '▲ 0.4 pp w/w'
 * (within noise: no colour, so the few red and green marks stand out), 'w/w no data'.
 */
export function formatToneChange(change: Change, unit: FigureUnit, against: string): string {
  if (change.kind === 'no-data') return `${against} no data`;
  const text = `${formatChange(change, unit)} ${against}`;
  return change.tone === 'neutral' ? text : `${TONE_EMOJI[change.tone]} ${text}`;
}
