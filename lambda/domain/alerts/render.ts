import { formatDate, toWallClock } from '../shared/local-time';
import { BLOCK_KIT_LIMITS } from '../slack/block-kit-limits';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { Block, MrkdwnTextObject, SlackMessage } from '../slack/slack-message';
import { formatElapsed, formatMetric } from '../statistics/metric-format';
import type { RuleResult } from './evaluate';
import { formatLocalTime, metricUnit } from './format-value';
import {
  isRuleNotification,
  type MonitorNotification,
  type Notification,
  type RuleNotification,
} from './notify';
import type { Rule, Severity } from './rules';
import { statusLabel } from './state';

/**
 * A notification in words, as PLAIN text: the Slack message escapes every part before adding markup,
 * the CLI prints them as they are. One wording for both, so the terminal shows what Slack would.
 *
 * The first line is what a phone shows: the problem, the value, the threshold and the window
 * ("🔴 Transfer success rate 48% < 60% · last 60 min · 57 of 118 transfers"). No metric ids, no
 * zone names (the footer names the zone once); the runbook only when an alert fires or escalates.
 */
export interface NotificationText {
  readonly icon: string;
  /** The first line without its icon. */
  readonly headline: string;
  /** Severity and timing facts, shown on the second line. */
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

const PREFIX: Readonly<Record<RuleNotification['kind'], (n: RuleNotification) => string>> = {
  fired: () => '',
  escalated: (n) => `Escalated to ${upper(n.severity)}: `,
  'de-escalated': (n) => `Eased to ${upper(n.severity)}: `,
  repeat: () => 'Still firing: ',
  resolved: () => 'Resolved: ',
};

function describeRule(n: RuleNotification, context: DescribeContext): NotificationText {
  const time = (iso: string) => formatLocalTime(iso, context.timeZone, context.at);
  const began = n.breachedAt;
  const measure = n.kind === 'resolved' ? resolvedMeasure(n) : firingMeasure(n);
  const headline = [`${PREFIX[n.kind](n)}${n.title} ${measure}`, ...windowFacts(n, context)].join(' · ');
  const runbook =
    (n.kind === 'fired' || n.kind === 'escalated') && n.runbook !== undefined ? { runbook: n.runbook } : {};
  if (n.kind === 'resolved') {
    const ended = n.endedAt ?? n.resolvedAt ?? context.at.toISOString();
    const lasted = n.durationMs === undefined ? '' : ` (${formatElapsed(n.durationMs)})`;
    // Webhook mode: an alert that fired and ended while its message waited is said once, here.
    const untold = n.unannounced === true ? [`fired ${time(n.firedAt)}, not announced before`] : [];
    return {
      icon: '✅',
      headline,
      details: [wasSeverity(n, time), `${time(began)}–${time(ended)}${lasted}`, ...untold],
    };
  }
  const elapsed = context.at.getTime() - Date.parse(began);
  const since = `since ${time(began)}${elapsed >= 60_000 ? ` (${formatElapsed(elapsed)})` : ''}`;
  const severity = {
    fired: upper(n.severity),
    // Two severities: an escalation is always WARN → CRIT, an easing CRIT → WARN.
    escalated: 'WARN → CRIT',
    'de-escalated': 'CRIT → WARN',
    // An easing said in the reminder (webhook mode), not as its own message.
    repeat:
      n.eased === undefined
        ? upper(n.severity)
        : `${upper(n.eased.from)} → ${upper(n.severity)} at ${time(n.eased.at)}`,
  }[n.kind];
  const reminder = n.kind === 'repeat' ? [`reminder ${n.repeatNumber ?? 1}`] : [];
  return { icon: ICON[n.severity], headline, details: [severity, since, ...reminder], ...runbook };
}

/** The window the figure covers, dated when it was measured before this run; then its counts. */
function windowFacts(n: RuleNotification, context: DescribeContext): string[] {
  if (n.condition === 'no-data' || n.window === undefined) return [];
  const stale = n.valueAt !== undefined && Date.parse(n.valueAt) !== context.at.getTime();
  const window =
    stale && n.valueAt !== undefined
      ? `${n.window} to ${formatLocalTime(n.valueAt, context.timeZone, context.at)}`
      : n.window;
  const basis =
    n.basis === undefined || n.kind === 'resolved'
      ? []
      : [`${formatMetric(n.basis.part, 'count')} of ${formatMetric(n.basis.whole, 'count')} ${n.basis.noun}`];
  return [window, ...basis];
}

/** "was CRIT", or "was CRIT, eased to WARN at 14:30" when it ended below its peak. */
function wasSeverity(n: RuleNotification, time: (iso: string) => string): string {
  // A resolution from a document older than the episode record knows only the severity announced.
  if (n.peak === undefined || n.peak.severity === n.severity) return `was ${upper(n.severity)}`;
  const eased = n.easedAt === undefined ? '' : ` at ${time(n.easedAt)}`;
  return `was ${upper(n.peak.severity)}, eased to ${upper(n.severity)}${eased}`;
}

function firingMeasure(n: RuleNotification): string {
  if (n.condition === 'no-data') return `has no data${n.reason === undefined ? '' : `: ${n.reason}`}`;
  const value = formatMetric(n.value, n.unit);
  // Healthy again, waiting for recoveryRuns: the value is not called breaching, and the wait is named.
  if (n.recovering !== undefined) {
    return `${value}, recovering (${n.recovering.healthyRuns} of ${n.recovering.recoveryRuns} healthy runs)`;
  }
  const beyond =
    n.value !== null &&
    n.threshold !== null &&
    (n.comparison === 'below' ? n.value < n.threshold : n.value > n.threshold);
  // Back past the recovery level, yet a rule that weighs its evidence does not find it conclusive on
  // these calls (the bound is not back): recovering, not "firing" at a healthy figure.
  const pastClear =
    n.value !== null &&
    n.clearsAt !== undefined &&
    (n.comparison === 'below' ? n.value >= n.clearsAt : n.value <= n.clearsAt);
  if (!beyond && pastClear && n.clearsAt !== undefined) {
    return `${value}, recovering (${n.comparison === 'below' ? '≥' : '≤'} ${formatMetric(n.clearsAt, n.unit)}, not yet beyond doubt)`;
  }
  // Inside the hysteresis band the value is no longer beyond the threshold: say what ends the alert.
  if (!beyond && n.clearsAt !== undefined) {
    return `${value} (${upper(n.severity)} until ${n.comparison === 'below' ? '≥' : '≤'} ${formatMetric(n.clearsAt, n.unit)})`;
  }
  return `${value} ${n.comparison === 'below' ? '<' : '>'} ${formatMetric(n.threshold, n.unit)}`;
}

function resolvedMeasure(n: RuleNotification): string {
  if (n.ruleRemoved) return 'rule removed (no longer in the rules; not evaluated any more)';
  if (n.condition === 'no-data') return 'has data again';
  if (n.value === null) return 'has no data, treated as OK';
  const comparator = n.comparison === 'below' ? '≥' : '≤';
  const recovery = n.threshold === null ? '' : ` (${comparator} ${formatMetric(n.threshold, n.unit)})`;
  return `back to ${formatMetric(n.value, n.unit)}${recovery}`;
}

function describeMonitor(n: MonitorNotification, context: DescribeContext): NotificationText {
  const since = formatLocalTime(n.since, context.timeZone, context.at);
  if (n.kind === 'monitor-degraded') {
    return {
      icon: '🛑',
      headline: `Monitor degraded: ${n.consecutiveFailures} check runs failed in a row`,
      details: [
        `failing since ${since}`,
        ...(n.lastError === undefined ? [] : [`last error: ${n.lastError}`]),
        'alerts are not being evaluated',
      ],
    };
  }
  return {
    icon: '✅',
    headline: 'Monitor recovered: check runs succeed again',
    details: [
      `failing since ${since}${n.durationMs === undefined ? '' : ` (${formatElapsed(n.durationMs)})`}`,
    ],
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
  /** The monitored robot or account (MONITOR_NAME): heads every message, so centres can share a channel. */
  readonly monitorName?: string;
  /** A replayed message (`replay --post`): marked as such in its header and notification text. */
  readonly replay?: boolean;
}

export const DEFAULT_MONITOR_NAME = 'AIRUDDER stats monitor';

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
const HEADLINE_MAX = 400;
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
  const name = `${context.replay ? 'REPLAY · ' : ''}${context.monitorName ?? DEFAULT_MONITOR_NAME}`;
  const blocks: Block[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${name} — ${headerText(ordered)}`, L.headerText),
        emoji: true,
      },
    },
    ...shown.map((text): Block => ({ type: 'section', text: mrkdwn(sectionText(text)) })),
  ];
  if (hidden.length > 0) blocks.push({ type: 'section', text: mrkdwn(overflowText(hidden)) });
  const footer = `${context.replay ? 'replay of the ' : ''}run ${localRunTime(context)}`;
  blocks.push({ type: 'context', elements: [mrkdwn(truncate(escapeMrkdwn(footer), L.contextElementText))] });
  const text = `${context.replay ? '[replay] ' : ''}${context.monitorName ?? DEFAULT_MONITOR_NAME}: ${fallbackText(ordered, texts)}`;
  return { text: truncate(escapeMrkdwn(text), FALLBACK_MAX), blocks };
}

function sectionText(text: NotificationText): string {
  const lines = [
    `${text.icon} *${truncate(escapeMrkdwn(text.headline), HEADLINE_MAX)}*`,
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
  const names = hidden.map((text) => `${text.icon} ${truncate(text.headline, 100)}`).join(', ');
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
  const leadLine = `${lead.icon} ${truncate(lead.headline, 200)}`;
  const rest = ordered.slice(1);
  const closing = rest.filter(isClosing).length;
  const open = rest.length - closing;
  const tail = [open > 0 ? `+${open} more` : '', closing > 0 ? `${closing} resolved` : ''].filter(Boolean);
  return [leadLine, ...tail].join(' · ');
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

/** "🔴 Transfer success rate 48% < 60% · last 60 min · 57 of 118 transfers (CRIT, since 08:15 (15m))". */
export function renderAlertLine(notification: Notification, context: DescribeContext): string {
  const text = describeNotification(notification, context);
  const details = text.details.length > 0 ? ` (${text.details.join(', ')})` : '';
  return `${text.icon} ${text.headline}${details}`;
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
  const status = statusLabel(after);
  const pending = after.status === 'pending' ? ` ${after.pendingCount}/${rule.pendingRuns}` : '';
  // The count a rate rests on, as the Slack message quotes it: with few calls a rule that weighs its
  // evidence may hold back a severity the bare rate seems to cross.
  const basis =
    measurement.kind === 'value' && measurement.basis !== undefined
      ? ` · ${formatMetric(measurement.basis.part, 'count')} of ${formatMetric(measurement.basis.whole, 'count')} ${measurement.basis.noun}`
      : '';
  const observed =
    measurement.kind === 'value'
      ? `${formatMetric(measurement.value, unit)} (${limits.join(', ')})${basis}`
      : `${measurement.kind}: ${measurement.reason}`;
  const window = 'window' in measurement && measurement.window !== undefined ? `  ${measurement.window}` : '';
  const muted = result.muted ? '  [muted]' : '';
  return `${rule.id}  ${status}${pending}  ${observed}${window}${muted}`;
}
