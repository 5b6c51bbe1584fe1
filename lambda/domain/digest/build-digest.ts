import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { Block, ContextBlock, SlackMessage } from '../slack/slack-message';
import type { StatisticsResponse } from '../statistics-schema';
import { alertsBlock } from './alerts-block';
import { breakdownBlocks } from './breakdown-blocks';
import { digestBreakdowns } from './day-breakdowns';
import { digestFigures } from './day-figures';
import { formatDayLabel, previousDate, weekAgoDate } from './digest-dates';
import type { DigestInput } from './digest-input';
import { figureBlocks } from './figure-blocks';
import type { Comparison } from './figure-comparison';
import { TONE_EMOJI } from './format-figure';
import { hourlyVolume } from './hourly-volume';
import { notificationText } from './notification-text';
import { summaryBlock } from './summary-block';
import { volumeBlock } from './volume-block';

const CONTEXT_TEXT_MAX = 2000;

/**
 * The daily digest: one Slack message saying how the robot did on `input.date`, what changed against
 * the day before and the same weekday a week earlier, and what needs attention. Pure: the caller
 * fetches, archives and sends. About 16 blocks whatever the data, every outside string escaped and
 * every list cut to Slack's limits. Throws a RangeError for a malformed date or topN.
 */
export function buildDigest(input: DigestInput): SlackMessage {
  const { date, timeZone, topN } = input;
  if (!Number.isInteger(topN) || topN < 0)
    throw new RangeError(`topN must be a whole number ≥ 0, got ${topN}`);
  const dayLabel = formatDayLabel(date);
  const figures = digestFigures(input.day, date);
  const breakdowns = digestBreakdowns(input.day, date);
  const earlier = [
    earlierDay('d/d', input.previousDay, previousDate(date)),
    earlierDay('w/w', input.weekAgo, weekAgoDate(date)),
  ];
  const comparisons = earlier.flatMap((day) => (day.comparison === undefined ? [] : [day.comparison]));

  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `🤖 Robot digest · ${formatDayLabel(date, true)}`, emoji: true },
    },
    summaryBlock({ dayLabel, figures, breakdowns, comparisons, alerts: input.alertsFired }),
    legendBlock(earlier),
    { type: 'divider' },
    ...figureBlocks(figures, comparisons),
    { type: 'divider' },
    volumeBlock(hourlyVolume(input.day, date, timeZone)),
    ...breakdownBlocks(breakdowns, topN),
    { type: 'divider' },
    alertsBlock(input.alertsFired, date, timeZone),
    footerBlock(input.archiveLocation, timeZone),
  ];
  return { text: notificationText(dayLabel, figures, comparisons, input.alertsFired), blocks };
}

interface EarlierDay {
  readonly tag: Comparison['tag'];
  readonly date: string;
  readonly comparison: Comparison | undefined;
}

/** A comparison day counts only when its response actually holds that date. */
function earlierDay(
  tag: Comparison['tag'],
  response: StatisticsResponse | undefined,
  date: string,
): EarlierDay {
  if (response === undefined) return { tag, date, comparison: undefined };
  const figures = digestFigures(response, date);
  const holdsDay = figures.realtimeIn || figures.offlineIn;
  return { tag, date, comparison: holdsDay ? { tag, figures } : undefined };
}

/** What d/d and w/w compare with, which of them had no data, and what the colours mean. */
function legendBlock(earlier: ReadonlyArray<EarlierDay>): ContextBlock {
  const parts = earlier.map((day) =>
    day.comparison === undefined
      ? `${day.tag}: no data for ${formatDayLabel(day.date)}`
      : `${day.tag} = vs ${formatDayLabel(day.date)}`,
  );
  const colours = `${TONE_EMOJI.good} better · ${TONE_EMOJI.bad} worse · ${TONE_EMOJI.neutral} neutral or within noise`;
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `${parts.join(' · ')} · ${colours}` }] };
}

function footerBlock(archiveLocation: string, timeZone: string): ContextBlock {
  const location = truncate(escapeMrkdwn(archiveLocation), CONTEXT_TEXT_MAX - 40);
  return {
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: `📦 Raw data: \`${location}\`` },
      { type: 'mrkdwn', text: `Times in ${escapeMrkdwn(timeZone)}` },
    ],
  };
}
