import { formatDate, toWallClock } from '../local-time';
import { formatElapsed, formatMetric } from '../metric-format';
import { BLOCK_KIT_LIMITS } from '../slack/block-kit-limits';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { Block, MrkdwnTextObject, SlackMessage } from '../slack/slack-message';
import type { RuleResult } from './evaluate';
import { formatLocalTime, metricUnit } from './format-value';
import {
  isRuleNotification,
  type MonitorNotification,
  type Notification,
  type RuleNotification,
} from './notify';
import type { Rule, Severity } from './rules';

/**
 * A notification in words, as PLAIN text: the Slack message escapes every part before adding markup,
 * the CLI prints them as they are. One wording for both, so the terminal shows what Slack would.
 */
export interface NotificationText {
  readonly icon: string;
  /** CRIT, WARN, RESOLVED or MONITOR. */
  readonly label: string;
  readonly title: string;
  /** What happened: "fired", "escalated WARN → CRIT", "resolved after 1 h 25 min"… */
  readonly event: string;
  /** The value against its threshold: "41.2% < 60%", "no data: …", "back to 72% (recovery ≥ 65%)". */
  readonly measure: string;
  /** Window, metric and timing facts, shown on one line. */
  readonly details: readonly string[];
  readonly runbook?: string;
}

export interface DescribeContext {
  /** The run's scheduled instant; times on the same local date are shown as HH:mm. */
  readonly at: Date;
  readonly timeZone: string;
}

const ICON: Readonly<Record<Severity, string>> = { crit: '🔴', warn: '🟠' };
const upper = (severity: Severity) => severity.toUpperCase();

export function describeNotification(notification: Notification, context: DescribeContext): NotificationText {
  return isRuleNotification(notification)
    ? describeRule(notification, context)
    : describeMonitor(notification, context);
}

function describeRule(n: RuleNotification, context: DescribeContext): NotificationText {
  const time = (iso: string) => formatLocalTime(iso, context.timeZone, context.at);
  const since = `since ${time(n.firedAt)} (${formatElapsed(context.at.getTime() - Date.parse(n.firedAt))})`;
  const details = [n.window, `metric ${n.metric}`].filter((part): part is string => part !== undefined);
  const runbook = n.runbook === undefined ? {} : { runbook: n.runbook };
  const common = { title: n.title, ...runbook };
  if (n.kind === 'resolved') {
    const lasted = n.durationMs === undefined ? '' : ` after ${formatElapsed(n.durationMs)}`;
    return {
      ...common,
      icon: '✅',
      label: 'RESOLVED',
      event: `resolved${lasted} (was ${upper(n.severity)}, fired ${time(n.firedAt)})`,
      measure: resolvedMeasure(n),
      details,
    };
  }
  const event = {
    fired: 'fired',
    escalated: `escalated ${upper(n.previousSeverity ?? 'warn')} → ${upper(n.severity)}`,
    'de-escalated': `eased ${upper(n.previousSeverity ?? 'crit')} → ${upper(n.severity)}`,
    repeat: `still firing (reminder ${n.repeatNumber ?? 1})`,
  }[n.kind];
  return {
    ...common,
    icon: ICON[n.severity],
    label: upper(n.severity),
    event,
    measure: firingMeasure(n),
    details: n.kind === 'fired' ? details : [...details, since],
  };
}

function firingMeasure(n: RuleNotification): string {
  if (n.condition === 'no-data') return `no data${n.reason === undefined ? '' : `: ${n.reason}`}`;
  const value = formatMetric(n.value, n.unit);
  const beyond =
    n.value !== null &&
    n.threshold !== null &&
    (n.comparison === 'below' ? n.value < n.threshold : n.value > n.threshold);
  // Inside the hysteresis band the value is no longer beyond the threshold: say what ends the alert.
  if (!beyond && n.clearsAt !== undefined) {
    return `${value} (${upper(n.severity)} until ${n.comparison === 'below' ? '≥' : '≤'} ${formatMetric(n.clearsAt, n.unit)})`;
  }
  return `${value} ${n.comparison === 'below' ? '<' : '>'} ${formatMetric(n.threshold, n.unit)}`;
}

function resolvedMeasure(n: RuleNotification): string {
  if (n.condition === 'no-data') return 'data is back';
  if (n.value === null) return 'no data, treated as OK';
  const comparator = n.comparison === 'below' ? '≥' : '≤';
  const recovery =
    n.threshold === null ? '' : ` (recovery ${comparator} ${formatMetric(n.threshold, n.unit)})`;
  return `back to ${formatMetric(n.value, n.unit)}${recovery}`;
}

function describeMonitor(n: MonitorNotification, context: DescribeContext): NotificationText {
  const since = formatLocalTime(n.since, context.timeZone, context.at);
  if (n.kind === 'monitor-degraded') {
    return {
      icon: '🛑',
      label: 'MONITOR',
      title: 'Monitor degraded',
      event: `${n.consecutiveFailures} consecutive runs failed`,
      measure: n.lastError === undefined ? 'the check run keeps failing' : `last error: ${n.lastError}`,
      details: [`failing since ${since}`, 'alerts are not being evaluated'],
    };
  }
  return {
    icon: '✅',
    label: 'MONITOR',
    title: 'Monitor recovered',
    event: `recovered${n.durationMs === undefined ? '' : ` after ${formatElapsed(n.durationMs)}`}`,
    measure: 'check runs succeed again',
    details: [`failing since ${since}`],
  };
}

/** Most important first: the monitor's own failure, escalations, new crit, new warn, reminders, the rest. */
export function notificationRank(notification: Notification): number {
  switch (notification.kind) {
    case 'monitor-degraded':
      return 0;
    case 'escalated':
      return 1;
    case 'fired':
      return notification.severity === 'crit' ? 2 : 3;
    case 'repeat':
      return notification.severity === 'crit' ? 4 : 5;
    case 'de-escalated':
      return 6;
    case 'resolved':
      return 7;
    case 'monitor-recovered':
      return 8;
  }
}

/** A stable sort by rank (then by the order given). */
export const orderNotifications = (notifications: readonly Notification[]): Notification[] =>
  notifications
    .map((notification, index) => ({ notification, index }))
    .sort((a, b) => notificationRank(a.notification) - notificationRank(b.notification) || a.index - b.index)
    .map(({ notification }) => notification);

/** Closing news: resolutions and the monitor's recovery. */
export const isClosing = (notification: Notification): boolean =>
  notification.kind === 'resolved' || notification.kind === 'monitor-recovered';

export interface AlertMessageContext extends DescribeContext {
  /** Who speaks, shown in the footer; default "AIRUDDER stats monitor". */
  readonly source?: string;
}

/** Thrown by `buildAlertMessage` when there is nothing to say: a run owing nothing sends nothing. */
export class EmptyAlertMessageError extends Error {
  constructor(options?: ErrorOptions) {
    super('buildAlertMessage needs at least one notification', options);
    this.name = 'EmptyAlertMessageError';
  }
}

const L = BLOCK_KIT_LIMITS;
/** Header and footer take two blocks; the rest hold one notification each. */
const ITEM_BLOCKS = L.blocks - 2;
const TITLE_MAX = 200;
const RUNBOOK_MAX = 500;
const FALLBACK_MAX = 300;

const mrkdwn = (text: string): MrkdwnTextObject => ({ type: 'mrkdwn', text, verbatim: true });

/**
 * ONE message for everything a run owes, most important first. Every string that came from the API,
 * the rules or the config is escaped, so `<!channel>` in a title pings nobody; the only markup is
 * ours. Stays within Block Kit limits for any number of notifications and any text length: past 48
 * notifications the rest fold into a final "…and N more" section.
 */
export function buildAlertMessage(
  notifications: readonly Notification[],
  context: AlertMessageContext,
): SlackMessage {
  if (notifications.length === 0) throw new EmptyAlertMessageError();
  const ordered = orderNotifications(notifications);
  const texts = ordered.map((notification) => describeNotification(notification, context));
  const fits = texts.length <= ITEM_BLOCKS;
  const shown = fits ? texts : texts.slice(0, ITEM_BLOCKS - 1);
  const hidden = fits ? [] : texts.slice(ITEM_BLOCKS - 1);
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(headerText(ordered), L.headerText), emoji: true },
    },
    ...shown.map((text): Block => ({ type: 'section', text: mrkdwn(sectionText(text)) })),
  ];
  if (hidden.length > 0) blocks.push({ type: 'section', text: mrkdwn(overflowText(hidden)) });
  const footer = `${context.source ?? 'AIRUDDER stats monitor'} · run ${localRunTime(context)}`;
  blocks.push({ type: 'context', elements: [mrkdwn(truncate(escapeMrkdwn(footer), L.contextElementText))] });
  return { text: fallbackText(ordered, texts), blocks };
}

function sectionText(text: NotificationText): string {
  const title = truncate(escapeMrkdwn(text.title), TITLE_MAX);
  const lines = [
    `${text.icon} *${text.label}* · *${title}* — ${escapeMrkdwn(text.event)}`,
    escapeMrkdwn(text.measure),
    escapeMrkdwn(text.details.join(' · ')),
  ];
  if (text.runbook !== undefined) lines.push(`Runbook: ${renderRunbook(text.runbook)}`);
  return truncate(lines.filter((line) => line !== '').join('\n'), L.sectionText);
}

/** A link only for a plain https URL; anything else is shown as escaped text. */
export function renderRunbook(runbook: string): string {
  if (isSafeHttpsUrl(runbook)) return `<${escapeMrkdwn(runbook)}|runbook>`;
  return truncate(escapeMrkdwn(runbook), RUNBOOK_MAX);
}

function isSafeHttpsUrl(text: string): boolean {
  // `|` and `>` would end Slack's <url|label> early; whitespace or `<` means it is not one URL.
  if (text.length > RUNBOOK_MAX || /[\s|<>]/.test(text)) return false;
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

function overflowText(hidden: readonly NotificationText[]): string {
  const names = hidden.map((text) => `${text.label} ${truncate(text.title, 80)} (${text.event})`).join(', ');
  return truncate(`…and ${hidden.length} more: ${escapeMrkdwn(names)}`, L.sectionText);
}

function headerText(ordered: readonly Notification[]): string {
  const count = (test: (n: Notification) => boolean) => ordered.filter(test).length;
  const severity = (n: Notification) => (isClosing(n) || !('severity' in n) ? undefined : n.severity);
  const parts: Array<readonly [number, string]> = [
    [count((n) => n.kind === 'monitor-degraded'), '🛑 monitor degraded'],
    [count((n) => severity(n) === 'crit'), `🔴 ${count((n) => severity(n) === 'crit')} critical`],
    [count((n) => severity(n) === 'warn'), `🟠 ${count((n) => severity(n) === 'warn')} warning`],
    [count((n) => n.kind === 'resolved'), `✅ ${count((n) => n.kind === 'resolved')} resolved`],
    [count((n) => n.kind === 'monitor-recovered'), '✅ monitor recovered'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([, text]) => text)
    .join(' · ');
}

/** Reads well on a phone: the most important line, then how much else there is. */
function fallbackText(ordered: readonly Notification[], texts: readonly NotificationText[]): string {
  const [lead] = texts;
  if (lead === undefined) return 'No alerts';
  const leadLine = `${lead.icon} ${lead.label} ${truncate(lead.title, 100)} ${lead.measure}`;
  const rest = ordered.slice(1);
  const closing = rest.filter(isClosing).length;
  const open = rest.length - closing;
  const tail = [open > 0 ? `+${open} more` : '', closing > 0 ? `${closing} resolved` : ''].filter(Boolean);
  return truncate(escapeMrkdwn([leadLine, ...tail].join(' · ')), FALLBACK_MAX);
}

function localRunTime(context: DescribeContext): string {
  const clock = toWallClock(context.at, context.timeZone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${formatDate(clock)} ${pad(clock.hour)}:${pad(clock.minute)} ${context.timeZone}`;
}

/**
 * Plain one-line renderings for a terminal (the CLI's check summary, logs). Not escaped: nothing here
 * is ever sent to Slack.
 */

/** "🔴 CRIT Transfer success rate — fired: 41.2% < 60% (day so far 00:00–14:30 Asia/Jakarta)". */
export function renderAlertLine(notification: Notification, context: DescribeContext): string {
  const text = describeNotification(notification, context);
  const details = text.details.length > 0 ? ` (${text.details.join(', ')})` : '';
  return `${text.icon} ${text.label} ${text.title} — ${text.event}: ${text.measure}${details}`;
}

/** Every notification, most important first, one line each. */
export const renderAlertLines = (
  notifications: readonly Notification[],
  context: DescribeContext,
): string[] =>
  orderNotifications(notifications).map((notification) => renderAlertLine(notification, context));

/** "transfer-success-rate  firing:crit  41.2% (warn < 75%, crit < 60%)  day so far 00:00–14:30 Asia/Jakarta". */
export function renderResultLine(rule: Rule, result: RuleResult): string {
  const unit = metricUnit(rule);
  const comparator = rule.comparison === 'below' ? '<' : '>';
  const limits = [
    rule.warn === undefined ? '' : `warn ${comparator} ${formatMetric(rule.warn, unit)}`,
    rule.crit === undefined ? '' : `crit ${comparator} ${formatMetric(rule.crit, unit)}`,
  ].filter(Boolean);
  const { after, measurement } = result;
  const status = after.status === 'firing' ? `firing:${after.severity ?? 'warn'}` : after.status;
  const pending = after.status === 'pending' ? ` ${after.pendingCount}/${rule.pendingRuns}` : '';
  const observed =
    measurement.kind === 'value'
      ? `${formatMetric(measurement.value, unit)} (${limits.join(', ')})`
      : `${measurement.kind}: ${measurement.reason}`;
  const window = 'window' in measurement && measurement.window !== undefined ? `  ${measurement.window}` : '';
  const muted = result.muted ? '  [muted]' : '';
  return `${rule.id}  ${status}${pending}  ${observed}${window}${muted}`;
}
