import { localDate, toWallClock } from '../local-time';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { SectionBlock } from '../slack/slack-message';
import { formatDayLabel } from './digest-dates';
import type { FiredAlert } from './digest-input';

const SECTION_TEXT_MAX = 3000;
/** Room kept for the "…and N more" line. */
const MORE_RESERVE = 40;
const TITLE_MAX = 200;
const SEVERITY_EMOJI = { crit: '🚨', warn: '⚠️' } as const;

/**
 * The alerts that fired on the day, in the order they fired: severity, title, local times and the
 * rule id, one line each. A long list is cut to Slack's limit with "…and N more".
 */
export function alertsBlock(alerts: ReadonlyArray<FiredAlert>, date: string, timeZone: string): SectionBlock {
  if (alerts.length === 0) return section('*Alerts*\nNo alerts fired.');
  const heading = `*Alerts* · ${alerts.length}`;
  const sorted = [...alerts].sort((a, b) => compareInstants(instant(a.at), instant(b.at)));
  const lines: string[] = [];
  let used = heading.length;
  for (const [index, alert] of sorted.entries()) {
    const line = alertLine(alert, date, timeZone);
    const isLast = index === sorted.length - 1;
    if (used + 1 + line.length + (isLast ? 0 : MORE_RESERVE) > SECTION_TEXT_MAX) {
      lines.push(`_…and ${sorted.length - index} more_`);
      break;
    }
    lines.push(line);
    used += 1 + line.length;
  }
  return section([heading, ...lines].join('\n'));
}

function alertLine(alert: FiredAlert, date: string, timeZone: string): string {
  const title = truncate(escapeMrkdwn(alert.title), TITLE_MAX);
  const rule = truncate(escapeMrkdwn(alert.ruleId), TITLE_MAX);
  const from = localTime(alert.at, date, timeZone);
  const when =
    alert.resolvedAt === undefined
      ? `${from}, still firing`
      : `${from}–${localTime(alert.resolvedAt, date, timeZone)}`;
  return `${SEVERITY_EMOJI[alert.severity]} *${title}* · ${when} · \`${rule}\``;
}

/** 'HH:mm' local, with the day in front when it is not the digest's day; the raw text if unreadable. */
function localTime(iso: string, date: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return truncate(escapeMrkdwn(iso), 40);
  const clock = toWallClock(at, timeZone);
  const time = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
  const day = localDate(at, timeZone);
  return day === date ? time : `${formatDayLabel(day)} ${time}`;
}

/** Sort key; unreadable times go last rather than break the digest. */
const instant = (iso: string): number => {
  const time = new Date(iso).getTime();
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
};

const compareInstants = (a: number, b: number): number => (a === b ? 0 : a < b ? -1 : 1);

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
