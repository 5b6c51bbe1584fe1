import { DEFAULT_MONITOR_NAME } from '../alerts/render';
import type { DaySnooze } from '../alerts/snooze';
import type { StatisticsResponse } from '../statistics/schema';
import {
  type DayIncident,
  type DigestFigures,
  type DigestInput,
  digestBreakdowns,
  digestFigures,
  type FakeReceipts,
  FIGURE_KEYS,
  type FigureKey,
  type FiredAlert,
  type FoldedDistribution,
  foldTopN,
  previousDate,
  SCORE_KEYS,
  weekAgoDate,
} from './day-data';
import { type Comparison, changesOf, figureDefinition, type TaggedChange } from './figures';
import { type HourSlot, hourlyVolume } from './hourly-shape';
import { formatDayLabel } from './labels';

/**
 * Stages 1 and 2 together, the digest's view: everything the message shows, read from the day's
 * responses and judged against the earlier days. The message (build-digest.ts and its sections)
 * lays the view out and never reads a response, folds a distribution or compares a figure itself.
 * Pure.
 */

/** The day's breakdowns as the message lists them: the top entries, the rest folded into "others". */
export interface FoldedBreakdowns {
  readonly stories: FoldedDistribution | undefined;
  readonly intentions: FoldedDistribution | undefined;
  readonly hangups: FoldedDistribution | undefined;
  /** Ratings 5 to 1 in that order, a missing one as 0 (a rank by count would scatter the scale). */
  readonly ratings: FoldedDistribution | undefined;
  readonly transferReasons: FoldedDistribution | undefined;
  readonly tickets: FoldedDistribution | undefined;
  readonly fakeReceipts: FakeReceipts | undefined;
  /** The offline (T+1) row for the day was there; without it the last three are "not in yet". */
  readonly offlineIn: boolean;
}

/** An earlier day the digest compares with; `comparison` is absent when its response lacks the day. */
export interface EarlierDay {
  readonly tag: Comparison['tag'];
  readonly date: string;
  /** 'Mon 10 Nov'. */
  readonly dayLabel: string;
  readonly comparison: Comparison | undefined;
}

export interface DigestView {
  readonly date: string;
  /** 'Tue 11 Nov'. */
  readonly dayLabel: string;
  /** 'Tue 11 Nov 2025', for the header. */
  readonly dayLabelWithYear: string;
  readonly timeZone: string;
  /** MONITOR_NAME, or the default name. */
  readonly monitorName: string;
  readonly replay: boolean;
  readonly figures: DigestFigures;
  /** Each figure's change against each comparison, in the comparisons' order. */
  readonly changes: Readonly<Record<FigureKey, ReadonlyArray<TaggedChange>>>;
  readonly breakdowns: FoldedBreakdowns;
  /** The day before and the same weekday a week before. */
  readonly earlier: ReadonlyArray<EarlierDay>;
  /** The earlier days that hold their day. */
  readonly comparisons: ReadonlyArray<Comparison>;
  readonly alerts: ReadonlyArray<FiredAlert>;
  readonly snoozes: ReadonlyArray<DaySnooze>;
  /** Slack app mode's incidents of the day (time to acknowledge, time to resolve). */
  readonly incidents?: ReadonlyArray<DayIncident>;
  /** Calls per local hour of the day. */
  readonly hours: ReadonlyArray<HourSlot>;
  readonly archiveLocation: string;
}

/**
 * The view of the digest of `input.date`. Throws a RangeError for a malformed date or topN.
 */
export function digestView(input: DigestInput): DigestView {
  const { date, timeZone, topN } = input;
  if (!Number.isInteger(topN) || topN < 0)
    throw new RangeError(`topN must be a whole number ≥ 0, got ${topN}`);
  const dayLabel = formatDayLabel(date);
  const figures = digestFigures(input.day, date);
  const earlier = [
    earlierDay('d/d', input.previousDay, previousDate(date)),
    earlierDay('w/w', input.weekAgo, weekAgoDate(date)),
  ];
  const comparisons = earlier.flatMap((day) => (day.comparison === undefined ? [] : [day.comparison]));
  const changes = Object.fromEntries(
    FIGURE_KEYS.map((key) => [key, changesOf(figureDefinition(key), figures, comparisons)]),
  ) as Record<FigureKey, TaggedChange[]>;
  return {
    date,
    dayLabel,
    dayLabelWithYear: formatDayLabel(date, true),
    timeZone,
    monitorName: input.monitorName ?? DEFAULT_MONITOR_NAME,
    replay: input.replay ?? false,
    figures,
    changes,
    breakdowns: foldBreakdowns(input.day, date, topN),
    earlier,
    comparisons,
    alerts: input.alertsFired,
    snoozes: input.snoozes ?? [],
    incidents: input.incidents ?? [],
    hours: hourlyVolume(input.day, date, timeZone),
    archiveLocation: input.archiveLocation,
  };
}

/** A comparison day counts only when its response actually holds that date. */
function earlierDay(
  tag: Comparison['tag'],
  response: StatisticsResponse | undefined,
  date: string,
): EarlierDay {
  const dayLabel = formatDayLabel(date);
  if (response === undefined) return { tag, date, dayLabel, comparison: undefined };
  const figures = digestFigures(response, date);
  const holdsDay = figures.realtimeIn || figures.offlineIn;
  return { tag, date, dayLabel, comparison: holdsDay ? { tag, figures } : undefined };
}

function foldBreakdowns(response: StatisticsResponse, date: string, topN: number): FoldedBreakdowns {
  const breakdowns = digestBreakdowns(response, date);
  const fold = (distribution: Parameters<typeof foldTopN>[0]) =>
    distribution === undefined ? undefined : foldTopN(distribution, topN);
  const scores = breakdowns.satisfactionScores;
  const ranked = scores === undefined ? undefined : foldTopN(scores, SCORE_KEYS.length);
  return {
    stories: fold(breakdowns.stories),
    intentions: fold(breakdowns.intentions),
    hangups: fold(breakdowns.hangups),
    ratings:
      ranked === undefined
        ? undefined
        : {
            ...ranked,
            top: SCORE_KEYS.map(
              (key) =>
                ranked.top.find((candidate) => candidate.name === key) ?? { name: key, count: 0, share: 0 },
            ),
          },
    transferReasons: fold(breakdowns.transferReasons),
    tickets: fold(breakdowns.tickets),
    fakeReceipts: breakdowns.fakeReceipts,
    offlineIn: breakdowns.offlineIn,
  };
}
