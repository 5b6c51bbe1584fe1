import { formatCount } from '../metric-format';
import type { MrkdwnTextObject, SectionBlock } from '../slack/slack-message';
import type { Distribution } from '../statistics-schema';
import { type DayBreakdowns, SCORE_KEYS } from './day-breakdowns';
import { distributionLines } from './distribution-lines';
import { type FoldedDistribution, foldTopN } from './fold-top-n';

const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;
const NOT_IN_YET = '_not in yet (T+1)_';
const NO_DATA = '_no data_';

/** A field's text below its label: a remark, or a list with the total it is a share of. */
type FieldBody = string | { readonly total: number; readonly lines: string };

/**
 * Stories and intentions as full-width lists (their names can be long), then transfer reasons,
 * hangups, ratings, tickets and fake receipts as two-column fields. Every list is cut to `topN`
 * and to Slack's text limits, the rest folded into "others".
 */
export function breakdownBlocks(breakdowns: DayBreakdowns, topN: number): SectionBlock[] {
  const offline = (lines: () => FieldBody) => (breakdowns.offlineIn ? lines() : NOT_IN_YET);
  return [
    listSection(
      'Top stories',
      breakdowns.stories === undefined ? undefined : foldTopN(breakdowns.stories, topN),
    ),
    listSection(
      'Top intentions',
      breakdowns.intentions === undefined ? undefined : foldTopN(breakdowns.intentions, topN),
    ),
    {
      type: 'section',
      fields: [
        field(
          'Transfer reasons',
          offline(() => listText(breakdowns.transferReasons, topN)),
        ),
        field('Hangups', listText(breakdowns.hangups, topN)),
        field('Ratings 1–5', ratingsText(breakdowns.satisfactionScores)),
        field(
          'Tickets',
          offline(() => listText(breakdowns.tickets, topN)),
        ),
        field(
          'Fake receipts',
          offline(() => fakeReceiptsText(breakdowns)),
        ),
      ],
    },
  ];
}

function listSection(title: string, folded: FoldedDistribution | undefined): SectionBlock {
  const heading =
    folded === undefined || folded.total === 0
      ? `*${title}*`
      : `*${title}* · of ${formatCount(folded.total)}`;
  const body =
    folded === undefined
      ? NO_DATA
      : folded.total === 0
        ? '_none_'
        : distributionLines(folded, SECTION_TEXT_MAX - heading.length - 1).join('\n');
  return { type: 'section', text: { type: 'mrkdwn', text: `${heading}\n${body}` } };
}

/** A field's label carries the total, so the list below it reads as shares of something known. */
function field(label: string, body: FieldBody): MrkdwnTextObject {
  const text =
    typeof body === 'string'
      ? `*${label}*\n${body}`
      : `*${label}* · ${formatCount(body.total)}\n${body.lines}`;
  return { type: 'mrkdwn', text };
}

function listText(distribution: Distribution | undefined, topN: number): FieldBody {
  if (distribution === undefined) return NO_DATA;
  const folded = foldTopN(distribution, topN);
  if (folded.total === 0) return '_none_';
  return { total: folded.total, lines: distributionLines(folded, FIELD_TEXT_MAX - 100).join('\n') };
}

/** Ratings 5 to 1 in that order (a rank by count would scatter the scale). */
function ratingsText(scores: Distribution | undefined): FieldBody {
  if (scores === undefined) return NO_DATA;
  const ordered = foldTopN(scores, SCORE_KEYS.length);
  if (ordered.total === 0) return '_no ratings_';
  const top = SCORE_KEYS.map((key) => {
    const entry = ordered.top.find((candidate) => candidate.name === key);
    return entry ?? { name: key, count: 0, share: 0 };
  });
  const lines = distributionLines({ ...ordered, top }, FIELD_TEXT_MAX - 100, (name) => `${name} ★`);
  return { total: ordered.total, lines: lines.join('\n') };
}

function fakeReceiptsText(breakdowns: DayBreakdowns): string {
  const fake = breakdowns.fakeReceipts;
  if (fake?.reports === undefined) return NO_DATA;
  const deduplicated =
    fake.deduplicated === undefined ? '' : `\n${formatCount(fake.deduplicated)} without same-day repeats`;
  return `${formatCount(fake.reports)} reports${deduplicated}`;
}
