import { BLOCK_KIT_LIMITS } from '../slack/block-kit-limits';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { Block, ContextBlock, SectionBlock, SlackMessage } from '../slack/slack-message';
import { formatCount } from '../statistics/metric-format';
import { ALERTS_SHOWN, alertsText, instant, localTime } from './alerts-section';
import { attention } from './attention-section';
import type { DigestInput } from './day-data';
import { detailBlocks } from './detail-blocks';
import { type DigestView, digestView } from './digest-view';
import { type FigureDefinition, figureDefinition, formatChange, formatValue, isNoCallDay } from './figures';
import { hourlyText } from './hourly-shape';
import { incidentsText } from './incidents-section';

/**
 * Stage 3 of the digest, the message. The first screen is the day, read in thirty seconds: the
 * headline figures, what needs attention, the day's alerts, the hourly shape and where the raw data
 * is; six blocks at most. Everything within its normal range collapses into one line. `detail` adds
 * the full figure table and the breakdowns (`digest --detail`, and the console output).
 */

const _SECTION_TEXT_MAX = 3000;
const CONTEXT_TEXT_MAX = 2000;
const TITLE_MAX = 120;
const FALLBACK_MAX = 300;

export interface DigestOptions {
  /** Add the full figure table and the breakdowns after the first screen. */
  readonly detail?: boolean;
}

/**
 * The daily digest of `input.date`. Pure: the caller fetches, archives and sends. Every outside
 * string is escaped and every list cut to Slack's limits. Throws a RangeError for a malformed date
 * or topN.
 */
export const buildDigest = (input: DigestInput, options: DigestOptions = {}): SlackMessage =>
  renderDigest(digestView(input), options);

/** The message of a digest's view: lays the view out, reads nothing else. */
export function renderDigest(view: DigestView, options: DigestOptions = {}): SlackMessage {
  const blocks: Block[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(
          `${digestName(view)} — 🤖 Robot digest · ${view.dayLabelWithYear}`,
          BLOCK_KIT_LIMITS.headerText,
        ),
        emoji: true,
      },
    },
    section(headline(view)),
    section(attention(view)),
    ...(view.alerts.length > 0 ? [section(alertsText(view.alerts, view.date, view.timeZone))] : []),
    ...(view.incidents?.length ? [section(incidentsText(view.incidents, view.date, view.timeZone))] : []),
    ...(view.snoozes.length > 0 ? [section(snoozesText(view))] : []),
    section(hourlyText(view.hours)),
    footer(view),
    ...(options.detail ? detailBlocks(view) : []),
  ];
  return {
    text: truncate(
      `${view.replay ? '[replay] ' : ''}${escapeMrkdwn(view.monitorName)} · ${notificationText(view)}`,
      FALLBACK_MAX,
    ),
    blocks,
  };
}

/** 'REPLAY · Jakarta inbound', as a replayed alert message is headed. */
const digestName = (view: DigestView): string => `${view.replay ? 'REPLAY · ' : ''}${view.monitorName}`;

const HEADLINE: ReadonlyArray<readonly [FigureDefinition['key'], string]> = [
  ['transferSuccessRate', 'transfer success'],
  ['oneCallSolveRate', 'first-call resolution'],
  ['satisfiedRate', 'satisfied'],
];

/** '*966 calls* · transfer success *84.8%* · first-call resolution *57.1%* · satisfied *79.1%*'. */
function headline({ dayLabel, figures, earlier }: DigestView): string {
  const v = figures.values;
  if (!figures.realtimeIn) return `⚠️ No realtime figures for ${dayLabel} in the response.`;
  if (isNoCallDay(figures)) {
    const before = earlier.flatMap((day) => {
      const calls = day.comparison?.figures.values.totalCalls;
      return calls === undefined ? [] : [`${formatCount(calls)} on ${day.dayLabel}`];
    });
    return `📭 *No calls* on ${dayLabel}${before.length > 0 ? ` (${before.join(', ')})` : ''}.`;
  }
  const parts = [v.totalCalls === undefined ? '_calls: no data_' : `*${formatCount(v.totalCalls)} calls*`];
  for (const [key, name] of HEADLINE) {
    const value = v[key];
    const figure = figureDefinition(key);
    if (value !== undefined) parts.push(`${name} *${formatValue(value, figure.unit)}*`);
    else if (figure.fromOffline && !figures.offlineIn) parts.push(`${name} _not in yet_`);
  }
  return parts.join(' · ');
}

/** Degraded spells of the monitor named under one snooze; the rest are counted. */
const SPELLS_SHOWN = 3;

/** '🔕 *Snoozed* · Transfer success 14:00–16:00 — known carrier outage', one line per snooze. */
function snoozesText({ snoozes, date, timeZone }: DigestView): string {
  const lines = [...snoozes]
    .sort((a, b) => instant(a.at) - instant(b.at))
    .slice(0, ALERTS_SHOWN)
    .map((snooze) => {
      const reason = snooze.reason ? ` — ${truncate(escapeMrkdwn(snooze.reason), 120)}` : '';
      const when = `${localTime(snooze.at, date, timeZone)}–${localTime(snooze.until, date, timeZone)}`;
      // What a snooze of all rules held of the monitor's own health: its only trace if it began and ended inside.
      const degraded = snooze.monitorDegraded ?? [];
      const spells = degraded
        .slice(0, SPELLS_SHOWN)
        .map((spell) =>
          spell.until === undefined
            ? `degraded since ${localTime(spell.since, date, timeZone)}`
            : `degraded ${localTime(spell.since, date, timeZone)}–${localTime(spell.until, date, timeZone)}`,
        );
      if (degraded.length > SPELLS_SHOWN) spells.push(`${degraded.length - SPELLS_SHOWN} more`);
      const held = spells.length > 0 ? `\n    ⚠️ Monitor ${spells.join(', ')} (held by this snooze)` : '';
      return `• ${truncate(escapeMrkdwn(snooze.title), TITLE_MAX)} ${when}${reason}${held}`;
    });
  const more = snoozes.length > ALERTS_SHOWN ? [`_…and ${snoozes.length - ALERTS_SHOWN} more_`] : [];
  return [`🔕 *Snoozed* · ${snoozes.length} (messages held; resolutions still sent)`, ...lines, ...more].join(
    '\n',
  );
}

/** What d/d and w/w compare with (or that a day had no data), where the raw data is, the zone. */
function footer({ earlier, archiveLocation, timeZone }: DigestView): ContextBlock {
  const against = earlier.map((day) =>
    day.comparison === undefined
      ? `${day.tag}: no data for ${day.dayLabel}`
      : `${day.tag} = vs ${day.dayLabel}`,
  );
  const location = truncate(escapeMrkdwn(archiveLocation), CONTEXT_TEXT_MAX - 40);
  return {
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: `${against.join(' · ')} · times in ${escapeMrkdwn(timeZone)}` },
      { type: 'mrkdwn', text: `📦 Raw data: \`${location}\`` },
    ],
  };
}

/**
 * The notification fallback, for a phone's lock screen: the day, calls and transfer success with
 * their change against the nearest earlier day, and the alert count. Only our own words and
 * numbers, so there is nothing to escape.
 * e.g. 'Robot digest Tue 11 Nov: 966 calls (▼ 1.6% d/d), transfer success 84.8% (▼ 7.9 pp d/d), 2 alerts'
 */
function notificationText(view: DigestView): string {
  const { dayLabel, figures, alerts } = view;
  const parts = isNoCallDay(figures)
    ? ['no calls']
    : [
        notificationFigure('totalCalls', 'calls', view, true),
        notificationFigure('transferSuccessRate', 'transfer success', view, false),
      ].filter((part) => part !== undefined);
  if (parts.length === 0) parts.push('no call figures');
  parts.push(alerts.length === 0 ? 'no alerts' : alerts.length === 1 ? '1 alert' : `${alerts.length} alerts`);
  if (!figures.offlineIn) parts.push('T+1 figures not in yet');
  return `Robot digest ${dayLabel}: ${parts.join(', ')}`;
}

function notificationFigure(
  key: 'totalCalls' | 'transferSuccessRate',
  name: string,
  { figures, changes }: DigestView,
  nameAfter: boolean,
): string | undefined {
  const value = figures.values[key];
  if (value === undefined) return undefined;
  const figure = figureDefinition(key);
  const shown = formatValue(value, figure.unit);
  const text = nameAfter ? `${shown} ${name}` : `${name} ${shown}`;
  const nearest = changes[key].find(({ change }) => change.kind !== 'no-data');
  return nearest === undefined
    ? text
    : `${text} (${formatChange(nearest.change, figure.unit)} ${nearest.tag})`;
}

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
