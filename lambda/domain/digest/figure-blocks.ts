import { escapeMrkdwn } from '../slack/mrkdwn';
import type { MrkdwnTextObject, SectionBlock } from '../slack/slack-message';
import type { DigestFigures } from './day-figures';
import { FIGURE_GROUPS, figureDefinition } from './figure-catalogue';
import { type Comparison, changesOf, missingValueText } from './figure-comparison';
import { formatToneChange, formatValue } from './format-figure';

/**
 * The headline figures as Slack fields, one section per group (Calls & users, Transfers…), each
 * field `*Label*\nvalue\n🔴 ▼ 7.9 pp d/d · ⚪ ▲ 0.4 pp w/w`. Groups hold at most 7 figures, inside
 * Slack's 10 fields per section.
 */
export function figureBlocks(current: DigestFigures, comparisons: ReadonlyArray<Comparison>): SectionBlock[] {
  return FIGURE_GROUPS.map((group) => ({
    type: 'section',
    // Our own titles hold '&' too, and Slack wants every '&' in mrkdwn escaped.
    text: { type: 'mrkdwn', text: `*${escapeMrkdwn(group.title)}*` },
    fields: group.keys.map((key) => figureField(key, current, comparisons)),
  }));
}

function figureField(
  key: Parameters<typeof figureDefinition>[0],
  current: DigestFigures,
  comparisons: ReadonlyArray<Comparison>,
): MrkdwnTextObject {
  const figure = figureDefinition(key);
  const value = current.values[key];
  const lines = [`*${figure.label}*`];
  if (value === undefined) {
    lines.push(missingValueText(figure, current));
  } else {
    lines.push(formatValue(value, figure.measure));
    const changes = changesOf(figure, current, comparisons).map(({ tag, change }) =>
      formatToneChange(change, figure.measure, tag),
    );
    if (changes.length > 0) lines.push(changes.join(' · '));
  }
  return { type: 'mrkdwn', text: lines.join('\n') };
}
