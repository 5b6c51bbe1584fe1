import { localDate, toWallClock } from '../shared/local-time';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import { formatElapsed, formatMetric } from '../statistics/metric-format';
import type { FiredAlert } from './day-data';
import { formatDayLabel } from './labels';

/**
 * The digest's alert section: the day's alert episodes, one line each, in the order they began.
 */

const SECTION_TEXT_MAX = 3000;
const TITLE_MAX = 120;
/** Room kept for the "…and N more" line. */
const MORE_RESERVE = 40;
const SEVERITY = { crit: '🚨 CRIT', warn: '⚠️ WARN' } as const;
/** Alerts listed before "…and N more": a day of many alerts stays within two phone screens. */
export const ALERTS_SHOWN = 8;

/**
 * The day's alerts in the order they fired, with severity, worst value and how long they lasted:
 * '🚨 CRIT *Transfer success below 88%* · worst 61% · 14:10–16:05 (1h 55m)'. A long list is cut at
 * ALERTS_SHOWN (and Slack's limit) with "…and N more".
 */
export function alertsText(alerts: ReadonlyArray<FiredAlert>, date: string, timeZone: string): string {
  const heading = `*Alerts* · ${alerts.length}`;
  const sorted = [...alerts].sort(
    (a, b) => instant(a.at) - instant(b.at) || a.ruleId.localeCompare(b.ruleId),
  );
  const lines: string[] = [];
  let used = heading.length;
  for (const [index, alert] of sorted.entries()) {
    const line = alertLine(alert, date, timeZone);
    const isLast = index === sorted.length - 1;
    const tooLong = used + 1 + line.length + (isLast ? 0 : MORE_RESERVE) > SECTION_TEXT_MAX;
    if (index >= ALERTS_SHOWN || tooLong) {
      lines.push(`_…and ${sorted.length - index} more_`);
      break;
    }
    lines.push(line);
    used += 1 + line.length;
  }
  return [heading, ...lines].join('\n');
}

function alertLine(alert: FiredAlert, date: string, timeZone: string): string {
  const title = truncate(escapeMrkdwn(alert.title), TITLE_MAX);
  const worst =
    alert.worst === undefined ? '' : ` · worst ${formatMetric(alert.worst.value, alert.worst.unit)}`;
  const from = localTime(alert.at, date, timeZone);
  const lasted = Date.parse(alert.resolvedAt ?? '') - Date.parse(alert.at);
  const when =
    alert.resolvedAt === undefined
      ? `${from}, still firing`
      : `${from}–${localTime(alert.resolvedAt, date, timeZone)}${Number.isFinite(lasted) ? ` (${formatElapsed(lasted)})` : ''}`;
  return `${SEVERITY[alert.severity]} *${title}*${worst} · ${when}`;
}

/** 'HH:mm' local, with the day in front when it is not the digest's day; the raw text if unreadable. */
export function localTime(iso: string, date: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return truncate(escapeMrkdwn(iso), 40);
  const clock = toWallClock(at, timeZone);
  const time = `${pad2(clock.hour)}:${pad2(clock.minute)}`;
  const day = localDate(at, timeZone);
  return day === date ? time : `${formatDayLabel(day)} ${time}`;
}

/** Sort key; unreadable times go last rather than break the digest. */
export const instant = (iso: string): number => {
  const time = new Date(iso).getTime();
  return Number.isNaN(time) ? Number.MAX_SAFE_INTEGER : time;
};

const pad2 = (value: number) => String(value).padStart(2, '0');
