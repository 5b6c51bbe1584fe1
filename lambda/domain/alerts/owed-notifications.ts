import type { AlertState, MonitorState, Notified, RuleState } from './alert-state';
import { metricUnit } from './format-value';
import { describeMetric } from './metric-schema';
import { isMuted } from './mute-window';
import type { MonitorNotification, Notification, RuleNotification } from './notification';
import { isRepeatDue } from './repeat-schedule';
import type { Rule } from './rules-schema';
import { critRelease, thresholdFor } from './thresholds';

/**
 * What is owed now, derived from the state alone: each rule's status and severity against what Slack
 * last accepted (`notified`). Nothing is remembered as "to send", so a message Slack refused stays owed
 * until a later run gets it through, and a mute window only postpones: once it closes, the difference
 * is still there. An episode that fired and resolved while nothing got through owes nothing (its
 * history entry says "resolved before it was announced").
 */
export function owedNotifications(
  state: AlertState,
  rules: readonly Rule[],
  at: Date,
  timeZone: string,
): Notification[] {
  const owed: Notification[] = [];
  for (const rule of rules) {
    const ruleState = state.rules[rule.id];
    if (ruleState === undefined || isMuted(rule.mute, at, timeZone)) continue;
    owed.push(...owedForRule(rule, ruleState, at));
  }
  owed.push(...owedForMonitor(state.monitor));
  return owed;
}

type FiringNotified = Extract<Notified, { status: 'firing' }>;

function owedForRule(rule: Rule, state: RuleState, at: Date): RuleNotification[] {
  const announced = state.notified?.status === 'firing' ? state.notified : undefined;
  const firing = state.status === 'firing' && state.firedAt !== undefined ? state.firedAt : undefined;
  const sameEpisode = announced !== undefined && announced.firedAt === firing;
  const owed: RuleNotification[] = [];
  if (announced !== undefined && !sameEpisode) owed.push(resolved(rule, state, announced));
  if (firing === undefined) return owed;
  const severity = state.severity ?? 'warn';
  if (!sameEpisode) return [...owed, current(rule, state, 'fired', firing)];
  if (announced.severity !== severity) {
    const kind = severity === 'crit' ? 'escalated' : 'de-escalated';
    return [{ ...current(rule, state, kind, firing), previousSeverity: announced.severity }];
  }
  if (isRepeatDue(rule.repeat, state.repeatCount, announced.at, at)) {
    const repeatNumber = state.repeatCount + 1;
    return [{ ...current(rule, state, 'repeat', firing, `#${repeatNumber}`), repeatNumber }];
  }
  return [];
}

function common(rule: Rule) {
  return {
    ruleId: rule.id,
    title: rule.title,
    metric: describeMetric(rule.metric),
    ...(rule.runbook === undefined ? {} : { runbook: rule.runbook }),
    comparison: rule.comparison,
    unit: metricUnit(rule),
    scope: rule.scope,
  };
}

function current(
  rule: Rule,
  state: RuleState,
  kind: RuleNotification['kind'],
  firedAt: string,
  suffix = '',
): RuleNotification {
  const severity = state.severity ?? 'warn';
  const condition = state.condition ?? 'threshold';
  const noData = condition === 'no-data';
  return {
    kind,
    key: `${rule.id}:${kind}:${firedAt}:${severity}${suffix}`,
    ...common(rule),
    severity,
    condition,
    value: noData ? null : state.lastValue,
    threshold: noData ? null : thresholdFor(rule, severity),
    ...(noData
      ? {}
      : { clearsAt: severity === 'crit' && rule.warn !== undefined ? critRelease(rule) : rule.recovery }),
    ...(state.lastWindow === undefined ? {} : { window: state.lastWindow }),
    ...(noData && state.lastReason !== undefined ? { reason: state.lastReason } : {}),
    firedAt,
  };
}

/** Closes the episode Slack was told about, using the history entry of its resolution. */
function resolved(rule: Rule, state: RuleState, announced: FiringNotified): RuleNotification {
  const entry = state.history.findLast((transition) => transition.firedAt === announced.firedAt);
  // History keeps 20 entries; should the resolution have rolled off, the ok status's start stands in.
  const resolvedAt = entry?.at ?? (state.status === 'ok' ? state.since : state.lastEvaluatedAt);
  const durationMs = Date.parse(resolvedAt) - Date.parse(announced.firedAt);
  return {
    kind: 'resolved',
    key: `${rule.id}:resolved:${announced.firedAt}`,
    ...common(rule),
    severity: announced.severity,
    condition: announced.condition,
    value: entry?.value ?? null,
    threshold: announced.condition === 'no-data' ? null : (entry?.threshold ?? rule.recovery),
    ...(state.lastWindow === undefined ? {} : { window: state.lastWindow }),
    firedAt: announced.firedAt,
    resolvedAt,
    durationMs,
  };
}

function owedForMonitor(monitor: MonitorState): MonitorNotification[] {
  const told = monitor.notified;
  if (monitor.status === 'degraded' && told?.status !== 'degraded') {
    const since = monitor.firstFailureAt ?? monitor.since ?? '';
    return [
      {
        kind: 'monitor-degraded',
        key: `monitor:degraded:${since}`,
        consecutiveFailures: monitor.consecutiveFailures,
        since,
        ...(monitor.lastError === undefined ? {} : { lastError: monitor.lastError }),
      },
    ];
  }
  if (monitor.status === 'ok' && told?.status === 'degraded') {
    const recoveredAt = monitor.since ?? told.at;
    return [
      {
        kind: 'monitor-recovered',
        key: `monitor:recovered:${told.since}`,
        consecutiveFailures: 0,
        since: told.since,
        recoveredAt,
        durationMs: Date.parse(recoveredAt) - Date.parse(told.since),
      },
    ];
  }
  return [];
}
