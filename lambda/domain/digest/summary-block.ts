import { formatCount, formatRate } from '../metric-format';
import { truncate } from '../slack/mrkdwn';
import type { SectionBlock } from '../slack/slack-message';
import type { DayBreakdowns } from './day-breakdowns';
import type { DigestFigures } from './day-figures';
import type { FiredAlert } from './digest-input';
import { HEADLINE_FIGURES } from './figure-catalogue';
import type { Change } from './figure-change';
import { type Comparison, changesOf } from './figure-comparison';
import { formatChange, formatValue, TONE_EMOJI } from './format-figure';

const SECTION_TEXT_MAX = 3000;

export interface SummaryInput {
  readonly dayLabel: string;
  readonly figures: DigestFigures;
  readonly breakdowns: DayBreakdowns;
  readonly comparisons: ReadonlyArray<Comparison>;
  readonly alerts: ReadonlyArray<FiredAlert>;
}

/**
 * The thirty-second read at the top: how the robot did in one line, then what needs attention
 * (figures that moved the wrong way beyond their noise, alerts, late data), then what got better.
 */
export function summaryBlock(input: SummaryInput): SectionBlock {
  const lines = [overviewLine(input)];
  const attention = attentionLines(input);
  if (attention.length > 0) lines.push('*Needs attention*', ...attention.map((line) => `• ${line}`));
  else lines.push('✅ Nothing needs attention: no alerts, and no figure moved the wrong way.');
  const better = betterLine(input);
  if (better !== undefined) lines.push(better);
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), SECTION_TEXT_MAX) } };
}

function overviewLine({ dayLabel, figures }: SummaryInput): string {
  const v = figures.values;
  if (!figures.realtimeIn) return `⚠️ No realtime figures for ${dayLabel} in the response.`;
  const parts = [
    v.totalCalls === undefined ? undefined : `*${formatCount(v.totalCalls)} calls*`,
    v.validCalls === undefined ? undefined : `${formatCount(v.validCalls)} valid`,
    v.transferSuccessRate === undefined
      ? undefined
      : `transfer success *${formatRate(v.transferSuccessRate)}*`,
    v.oneCallSolveRate === undefined ? undefined : `one-call solve *${formatRate(v.oneCallSolveRate)}*`,
    v.satisfiedRate === undefined ? undefined : `satisfied *${formatRate(v.satisfiedRate)}*`,
  ];
  return parts.filter((part) => part !== undefined).join(' · ');
}

const changeList = (
  changes: ReadonlyArray<{ tag: string; change: Change }>,
  measure: Parameters<typeof formatChange>[1],
) =>
  changes
    .filter(({ change }) => change.kind !== 'no-data')
    .map(({ tag, change }) => `${formatChange(change, measure)} ${tag}`)
    .join(', ');

function attentionLines(input: SummaryInput): string[] {
  const { figures, comparisons, alerts, breakdowns } = input;
  const lines: string[] = [];
  for (const figure of HEADLINE_FIGURES) {
    const changes = changesOf(figure, figures, comparisons);
    if (!changes.some(({ change }) => change.kind !== 'no-data' && change.tone === 'bad')) continue;
    const value = figures.values[figure.key];
    const shown = value === undefined ? '' : ` ${formatValue(value, figure.measure)}:`;
    lines.push(`${TONE_EMOJI.bad} *${figure.label}*${shown} ${changeList(changes, figure.measure)}`);
  }
  if (alerts.length > 0) lines.push(alertsLine(alerts));
  const late = lateFigures(figures, breakdowns);
  if (late.length > 0) lines.push(`⏳ Offline (T+1) figures are not in yet: ${late.join(', ')}.`);
  return lines;
}

function alertsLine(alerts: ReadonlyArray<FiredAlert>): string {
  const critical = alerts.filter((alert) => alert.severity === 'crit').length;
  const firing = alerts.filter((alert) => alert.resolvedAt === undefined).length;
  const details = [
    critical > 0 ? `${critical} critical` : undefined,
    firing > 0 ? `${firing} still firing` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const count = alerts.length === 1 ? '1 alert fired' : `${alerts.length} alerts fired`;
  return `🚨 ${count}${details === '' ? '' : ` (${details})`}: see *Alerts* below.`;
}

/** The T+1 figures the day lacks because the offline row is not there yet. */
function lateFigures(figures: DigestFigures, breakdowns: DayBreakdowns): string[] {
  if (figures.offlineIn && breakdowns.offlineIn) return [];
  const headline = HEADLINE_FIGURES.filter(
    (figure) => figure.fromOffline && figures.values[figure.key] === undefined,
  );
  return [
    ...headline.map((figure) => figure.label.toLowerCase()),
    'transfer reasons',
    'tickets',
    'fake receipts',
  ];
}

function betterLine({ figures, comparisons }: SummaryInput): string | undefined {
  const better = HEADLINE_FIGURES.flatMap((figure) => {
    const changes = changesOf(figure, figures, comparisons);
    const tones = changes.map(({ change }) => (change.kind === 'no-data' ? 'neutral' : change.tone));
    if (!tones.includes('good') || tones.includes('bad')) return [];
    return [`*${figure.label}* ${changeList(changes, figure.measure)}`];
  });
  return better.length === 0 ? undefined : `${TONE_EMOJI.good} Better: ${better.join(' · ')}`;
}
