import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { Block, SectionBlock } from '../slack/slack-message';
import { formatCount } from '../statistics/metric-format';
import type { FoldedDistribution, RankedEntry } from './day-data';
import type { DigestView } from './digest-view';
import {
  FIGURE_GROUPS,
  figureDefinition,
  formatToneChange,
  formatValue,
  isNoCallDay,
  missingValueText,
} from './figures';
import { BREAKDOWN_WORDS, type KeyKind, type KeyWords, keyWords } from './labels';

/**
 * The full table, after the first screen when asked for (`digest --detail`, the console output):
 * every headline figure on one line with its changes (coloured only when they are news) and, where
 * the label does not say it, what it means; then the breakdowns with words for AIRUDDER's keys.
 * Lines, not two-column fields: fields wrap mid-figure at phone width.
 */

const SECTION_TEXT_MAX = 3000;
/** Longest name shown, in escaped characters: a 200-character story name would drown the list. */
export const NAME_MAX = 80;
/** Room kept for the "others" line when lines are cut to fit; it is never longer than this. */
const OTHERS_RESERVE = 64;
const NOT_IN_YET = '_not in yet (T+1)_';
const NO_DATA = '_no data_';

/** A remark, or a list with the total it is a share of. */
type FieldBody = string | { readonly total: number; readonly lines: string };

export function detailBlocks(view: DigestView): Block[] {
  return [{ type: 'divider' }, ...figureSections(view), ...breakdownSections(view)];
}

/** '*Transfer success* 84.8% · 🔴 ▼ 7.9 pp d/d · 🔴 ▼ 9 pp w/w _(handovers that reached an agent)_'. */
function figureSections({ figures, changes: allChanges, earlier }: DigestView): SectionBlock[] {
  const noCalls = isNoCallDay(figures);
  return FIGURE_GROUPS.map((group) => {
    const lines = group.keys.map((key) => {
      const figure = figureDefinition(key);
      const value = figures.values[key];
      const explain = figure.explain === undefined ? '' : ` _(${figure.explain})_`;
      if (noCalls && figure.unit !== 'count') return `*${figure.label}* _no calls_`;
      if (value === undefined) return `*${figure.label}* ${missingValueText(figure, figures)}${explain}`;
      const changes = allChanges[key];
      const shown = earlier.map(({ tag }) => {
        const found = changes.find((candidate) => candidate.tag === tag);
        return found === undefined ? `${tag} no data` : formatToneChange(found.change, figure.unit, tag);
      });
      return [`*${figure.label}* ${formatValue(value, figure.unit)}`, ...shown].join(' · ') + explain;
    });
    // Our own titles hold '&' too, and Slack wants every '&' in mrkdwn escaped.
    return section([`*${escapeMrkdwn(group.title)}*`, ...lines].join('\n'));
  });
}

/** Stories and intentions as lists, then the smaller breakdowns together in one section. */
function breakdownSections({ breakdowns }: DigestView): SectionBlock[] {
  const offline = (text: () => FieldBody) => (breakdowns.offlineIn ? text() : NOT_IN_YET);
  const small = [
    titled(
      BREAKDOWN_WORDS.transferReasons,
      offline(() => listText(breakdowns.transferReasons, 'transfer-reason')),
    ),
    titled(BREAKDOWN_WORDS.hangups, listText(breakdowns.hangups, 'hangup')),
    titled(BREAKDOWN_WORDS.ratings, ratingsText(breakdowns.ratings)),
    titled(
      BREAKDOWN_WORDS.tickets,
      offline(() => listText(breakdowns.tickets, 'ticket')),
    ),
    titled(
      BREAKDOWN_WORDS.fakeReceipts,
      offline(() => fakeReceiptsText(breakdowns.fakeReceipts)),
    ),
  ];
  return [
    section(titled(BREAKDOWN_WORDS.stories, listText(breakdowns.stories, 'story'))),
    section(titled(BREAKDOWN_WORDS.intentions, listText(breakdowns.intentions, 'intention'))),
    section(truncate(small.join('\n\n'), SECTION_TEXT_MAX)),
  ];
}

/** '*What callers wanted* · 822 _(conversation flows the robot ran)_' and the list below. */
function titled(words: KeyWords, body: FieldBody): string {
  const explain = words.explain === undefined ? '' : ` _(${words.explain})_`;
  if (typeof body === 'string') return `*${words.label}*${explain}\n${body}`;
  return `*${words.label}* · ${formatCount(body.total)}${explain}\n${body.lines}`;
}

function listText(folded: FoldedDistribution | undefined, kind: KeyKind): FieldBody {
  if (folded === undefined) return NO_DATA;
  if (folded.total === 0) return '_none_';
  const lines = distributionLines(folded, SECTION_TEXT_MAX / 4, (name) => keyWords(kind, name).label);
  // One line saying what the less obvious labels shown mean.
  const explained = folded.top.flatMap((entry) => {
    const words = keyWords(kind, entry.name);
    return words.explain === undefined ? [] : [`${words.label}: ${words.explain}`];
  });
  if (explained.length > 0) lines.push(`_${explained.join(' · ')}_`);
  return { total: folded.total, lines: lines.join('\n') };
}

/** Ratings 5 to 1 in that order (the view keeps the scale's order, not a rank by count). */
function ratingsText(ratings: FoldedDistribution | undefined): FieldBody {
  if (ratings === undefined) return NO_DATA;
  if (ratings.total === 0) return '_no ratings_';
  const lines = distributionLines(ratings, SECTION_TEXT_MAX / 4, (name) => keyWords('rating', name).label);
  return { total: ratings.total, lines: lines.join('\n') };
}

function fakeReceiptsText(fake: DigestView['breakdowns']['fakeReceipts']): string {
  if (fake?.reports === undefined) return NO_DATA;
  const deduplicated =
    fake.deduplicated === undefined ? '' : `, ${formatCount(fake.deduplicated)} without same-day repeats`;
  return `${formatCount(fake.reports)} reports${deduplicated}`;
}

/** '35%', '<1%', '100%', padded to one width so the names line up in a code span. */
export function formatShare(share: number): string {
  const text = share > 0 && share < 0.005 ? '<1%' : `${Math.round(share * 100)}%`;
  return text.padStart(4, ' ');
}

/** An entry as one mrkdwn line: '`  35%` Order status (276)'; the name escaped and shortened. */
export function entryLine(entry: RankedEntry, label = entry.name): string {
  const name = label === '' ? '_(no name)_' : truncate(escapeMrkdwn(label), NAME_MAX);
  return `\`${formatShare(entry.share)}\` ${name} (${formatCount(entry.count)})`;
}

/**
 * The lines of a folded distribution, at most `maxChars` long in all. When the top entries do not
 * fit, the last of them join "others", so the figures still add up whatever the names' lengths.
 * `label` renames an entry for display (e.g. 'query_status' → 'Order status', '5' → '5 ★').
 */
export function distributionLines(
  folded: FoldedDistribution,
  maxChars: number,
  label: (name: string) => string = (name) => name,
): string[] {
  const lines: string[] = [];
  let used = 0;
  let shown = 0;
  for (const entry of folded.top) {
    const line = entryLine(entry, label(entry.name));
    const isLast = shown === folded.top.length - 1 && folded.others === undefined;
    const reserve = isLast ? 0 : OTHERS_RESERVE;
    if (used + line.length + 1 + reserve > maxChars) break;
    lines.push(line);
    used += line.length + 1;
    shown++;
  }
  const folding = folded.top.slice(shown);
  const names = folding.length + (folded.others?.names ?? 0);
  if (names > 0) {
    const count = folding.reduce((sum, entry) => sum + entry.count, folded.others?.count ?? 0);
    const share = folded.total > 0 ? count / folded.total : 0;
    const what = names === 1 ? '1 other' : `${formatCount(names)} others`;
    lines.push(`\`${formatShare(share)}\` _${what}_ (${formatCount(count)})`);
  }
  return lines;
}

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
