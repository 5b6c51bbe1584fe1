import { localDate, toWallClock } from '../shared/local-time';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import { formatElapsed, formatMetric } from '../statistics/metric-format';
import type { FiredAlert } from './day-data';
import { formatDayLabel } from './labels';

/**
 * The digest's alert section: the day's alert episodes, one line each, in the order they began.
 */

const TITLE_MAX = 120;
const SEVERITY = { crit: '🚨 CRIT', warn: '⚠️ WARN' } as const;
/**
 * Alerts listed before "…and N more": a day of many alerts stays within two phone screens. With
 * titles cut at TITLE_MAX and unreadable times at 40 characters, a line stays under 300 characters,
 * so the section stays within Slack's 3,000 (a test builds the longest lines there can be).
 */
export const ALERTS_SHOWN = 8;

/**
 * The day's alerts in the order they fired, with severity, worst value and how long they lasted:
 * '🚨 CRIT *Transfer success below 88%* · worst 61% · 14:10–16:05 (1h 55m)'. A long list is cut at
 * ALERTS_SHOWN with "…and N more".
 */
export function alertsText(alerts: ReadonlyArray<FiredAlert>, date: string, timeZone: string): string {
  const sorted = [...alerts].sort(
    (a, b) => instant(a.at) - instant(b.at) || a.ruleId.localeCompare(b.ruleId),
  );
  const lines = sorted.slice(0, ALERTS_SHOWN).map((alert) => alertLine(alert, date, timeZone));
  const hidden = sorted.length - lines.length;
  if (hidden > 0) lines.push(`_…and ${hidden} more_`);
  return [`*Alerts* · ${alerts.length}`, ...lines].join('\n');
}

function alertLine(alert: FiredAlert, date: string, timeZone: string): string {
  const title = truncate(escapeMrkdwn(alert.title), TITLE_MAX);
  const worst =
    alert.worst === undefined ? '' : ` · worst ${formatMetric(alert.worst.value, alert.worst.unit)}`;
  const from = localTime(alert.at, date, timeZone);
  const when =
    alert.resolvedAt === undefined
      ? `${from}, still firing`
      : `${from}–${localTime(alert.resolvedAt, date, timeZone)}${lasted(alert.at, alert.resolvedAt)}`;
  const named = alert.link !== undefined && isPlainLink(alert.link) ? `<${alert.link}|${title}>` : title;
  return `${SEVERITY[alert.severity]} *${named}*${worst} · ${when}`;
}

/** A link Slack shows as one: http(s), nothing that would end `<url|label>` early. */
const isPlainLink = (url: string): boolean => /^https?:\/\/[^\s|<>]+$/.test(url) && url.length <= 500;

/** ' (1h 55m)' from `from` to `to`; nothing when either time is unreadable. */
function lasted(from: string, to: string): string {
  const elapsed = Date.parse(to) - Date.parse(from);
  return Number.isFinite(elapsed) ? ` (${formatElapsed(elapsed)})` : '';
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
