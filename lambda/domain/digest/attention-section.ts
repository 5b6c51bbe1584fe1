import { truncate } from '../slack/mrkdwn';
import {
  changesOf,
  type DigestView,
  type FigureDefinition,
  formatChange,
  formatValue,
  HEADLINE_FIGURES,
  type TaggedChange,
  TONE_EMOJI,
  verdictOf,
} from './figures';

/**
 * The digest's attention section: what got worse, what is late, what got better, and one line for
 * everything within its normal range.
 */

const SECTION_TEXT_MAX = 3000;

/** Changes that exist, without colour: '▼ 7.9 pp d/d · ▼ 9 pp w/w'. */
const changeText = (changes: ReadonlyArray<TaggedChange>, figure: FigureDefinition): string =>
  changes
    .filter(({ change }) => change.kind !== 'no-data')
    .map(({ tag, change }) => `${formatChange(change, figure.measure)} ${tag}`)
    .join(' · ');

/**
 * What needs attention (figures worse than an earlier day beyond their noise and better than
 * neither), late T+1 figures, what got better, and one line for everything within its normal range.
 */
export function attention(view: DigestView): string {
  const { figures, comparisons, alerts } = view;
  const worse: string[] = [];
  const better: string[] = [];
  let normal = 0;
  for (const figure of HEADLINE_FIGURES) {
    const value = figures.values[figure.key];
    const changes = changesOf(figure, figures, comparisons);
    const verdict = verdictOf(changes);
    if (verdict === 'attention') {
      const shown = value === undefined ? '' : ` ${formatValue(value, figure.measure)}`;
      worse.push(`${TONE_EMOJI.bad} *${figure.label}*${shown} · ${changeText(changes, figure)}`);
    } else if (verdict === 'better') {
      better.push(`*${figure.label}* ${changeText(changes, figure)}`);
    } else if (verdict === 'normal') {
      normal++;
    }
  }
  const lines = worse.length > 0 ? ['*Needs attention*', ...worse] : [];
  const late = lateFigures(view);
  if (late.length > 0) lines.push(`⏳ Not in yet (T+1): ${late.join(', ')}.`);
  if (better.length > 0) lines.push(`${TONE_EMOJI.good} Better: ${better.join(' · ')}`);
  if (comparisons.length === 0) {
    lines.push('No earlier day to compare with, so nothing is judged better or worse.');
  } else if (worse.length === 0 && alerts.length === 0) {
    lines.push('✅ Nothing needs attention: no alerts, and every other figure is within its normal range.');
  } else if (normal > 0) {
    lines.push(`✅ ${normal === 1 ? '1 other figure' : `${normal} other figures`} within the normal range.`);
  }
  return truncate(lines.join('\n'), SECTION_TEXT_MAX);
}

/** The T+1 figures the day lacks because the offline row is not there yet. */
function lateFigures({ figures, breakdowns }: DigestView): string[] {
  if (figures.offlineIn && breakdowns.offlineIn) return [];
  const headlineFigures = HEADLINE_FIGURES.filter(
    (figure) => figure.fromOffline && figures.values[figure.key] === undefined,
  );
  return [
    ...headlineFigures.map((figure) => figure.label.toLowerCase()),
    'transfer reasons',
    'tickets',
    'fake receipts',
  ];
}
