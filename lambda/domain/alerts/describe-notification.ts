import { formatElapsed, formatMetric } from '../metric-format';
import { formatLocalTime } from './format-value';
import {
  isRuleNotification,
  type MonitorNotification,
  type Notification,
  type RuleNotification,
} from './notification';
import type { Severity } from './rules-schema';

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
