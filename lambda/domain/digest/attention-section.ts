import { truncate } from '../slack/mrkdwn';
import type { DigestView } from './digest-view';
import {
  type FigureDefinition,
  figureDefinition,
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
    .map(({ tag, change }) => `${formatChange(change, figure.unit)} ${tag}`)
    .join(' · ');

/**
 * Calls at most this share of every earlier day's calls make the day a problem, whatever its rates
 * say: a robot answering a third of its usual callers is not a normal day.
 */
export const LOW_VOLUME_SHARE = 0.5;

/** The volume figures a low-volume line stands for: not counted again as within the normal range. */
const VOLUME_KEYS: ReadonlyArray<FigureDefinition['key']> = ['totalCalls', 'validCalls'];

/**
 * The problem line of a day without calls, or with calls far below every earlier day (at least one),
 * e.g. '🔴 *Calls* 312 · far below both earlier days · ▼ 68% d/d · ▼ 70% w/w'; undefined otherwise.
 */
export function volumeProblem({ figures, comparisons, changes: allChanges }: DigestView): string | undefined {
  const calls = figures.values.totalCalls;
  if (!figures.realtimeIn || calls === undefined) return undefined;
  const figure = figureDefinition('totalCalls');
  const changes = changeText(allChanges.totalCalls, figure);
  const moved = changes === '' ? '' : ` · ${changes}`;
  if (calls === 0) return `${TONE_EMOJI.bad} *No calls* all day${moved}`;
  const earlier = comparisons.flatMap(({ figures: day }) =>
    day.values.totalCalls === undefined ? [] : [day.values.totalCalls],
  );
  if (earlier.length === 0 || earlier.some((count) => calls > count * LOW_VOLUME_SHARE)) return undefined;
  const below = earlier.length === 1 ? 'far below the earlier day' : 'far below both earlier days';
  return `${TONE_EMOJI.bad} *Calls* ${formatValue(calls, figure.unit)} · ${below}${moved}`;
}

/**
 * What needs attention (a day without calls or far quieter than the earlier days; figures worse than
 * an earlier day beyond their noise and better than neither), mixed signals (worse against one day,
 * better against the other) on one line, late T+1 figures, what got better, and one line for the
 * figures that moved within their noise only. A figure bad against either day is never counted
 * within the normal range, and a day with a problem line never reads "Nothing needs attention".
 */
export function attention(view: DigestView): string {
  const { figures, comparisons, alerts } = view;
  const volume = volumeProblem(view);
  const worse: string[] = volume === undefined ? [] : [volume];
  const mixed: string[] = [];
  const better: string[] = [];
  let normal = 0;
  for (const figure of HEADLINE_FIGURES) {
    if (volume !== undefined && VOLUME_KEYS.includes(figure.key)) continue;
    const value = figures.values[figure.key];
    const shown = value === undefined ? '' : ` ${formatValue(value, figure.unit)}`;
    const changes = view.changes[figure.key];
    const verdict = verdictOf(changes);
    if (verdict === 'attention') {
      worse.push(`${TONE_EMOJI.bad} *${figure.label}*${shown} · ${changeText(changes, figure)}`);
    } else if (verdict === 'mixed') {
      mixed.push(`*${figure.label}*${shown} (${changeText(changes, figure)})`);
    } else if (verdict === 'better') {
      better.push(`*${figure.label}* ${changeText(changes, figure)}`);
    } else if (verdict === 'normal') {
      normal++;
    }
  }
  const lines = worse.length > 0 ? ['*Needs attention*', ...worse] : [];
  if (mixed.length > 0)
    lines.push(`🔀 Mixed, worse against one day and better against the other: ${mixed.join(' · ')}`);
  const late = lateFigures(view);
  if (late.length > 0) lines.push(`⏳ Not in yet (T+1): ${late.join(', ')}.`);
  if (better.length > 0) lines.push(`${TONE_EMOJI.good} Better: ${better.join(' · ')}`);
  if (comparisons.length === 0) {
    lines.push('No earlier day to compare with, so nothing is judged better or worse.');
  } else if (worse.length === 0 && mixed.length === 0 && alerts.length === 0) {
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
