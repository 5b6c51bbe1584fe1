import { addDays, toWallClock, weekday } from '../shared/local-time';
import {
  type ClosedEpisode,
  type Episode,
  type FiredEpisode,
  isClosed,
  isFired,
  openEpisode,
  withMessage,
} from './episode';
import { metricUnit } from './format-value';
import { describeMetric, type Unit } from './metrics';
import {
  type Comparison,
  critRelease,
  DEFAULT_REMINDERS,
  type MutePeriod,
  type RepeatPolicy,
  type Rule,
  type Severity,
  thresholdFor,
  WEEKDAYS,
} from './rules';
import type {
  AlertState,
  Condition,
  FiringRuleState,
  MonitorState,
  Notified,
  ReminderClock,
  RuleState,
} from './state';

/**
 * A notification owed now. It carries everything the message needs and exactly what it announces,
 * so `markNotified` records what Slack accepted even if the state moved on in between.
 */
export type RuleNotificationKind = 'fired' | 'escalated' | 'de-escalated' | 'repeat' | 'resolved';

export interface RuleNotification {
  readonly kind: RuleNotificationKind;
  /** Stable per announcement (rule, kind, episode, severity/reminder): usable as a claim or dedup key. */
  readonly key: string;
  readonly ruleId: string;
  readonly title: string;
  readonly metric: string;
  readonly runbook?: string;
  /** The severity announced; for `resolved`, the episode's severity when it ended. */
  readonly severity: Severity;
  /** For escalated / de-escalated: the severity last announced. */
  readonly previousSeverity?: Severity;
  readonly condition: Condition;
  readonly comparison: Comparison;
  readonly unit: Unit;
  /** The value behind the announcement; null for no-data. */
  readonly value: number | null;
  /** The threshold it is compared with: the breached one, or `recovery` for `resolved`. */
  readonly threshold: number | null;
  /**
   * Where the announced severity ends (firing kinds): recovery for warn, the crit release point for a
   * crit that would ease to warn. Lets a reminder say "42.9% (WARN until ≥ 45%)" truthfully while the
   * value sits in the hysteresis band.
   */
  readonly clearsAt?: number;
  /** The window of the value, e.g. "last 60 min", "today so far (00:00–14:30)". */
  readonly window?: string;
  /** The run that measured the value: the window ends there (a figure from an earlier run is dated). */
  readonly valueAt?: string;
  /** The counts behind a rate: "57 of 118 transfers". */
  readonly basis?: { readonly part: number; readonly whole: number; readonly noun: string };
  /** Why there is no data (no-data condition). */
  readonly reason?: string;
  /** Start of the episode (ISO). */
  readonly firedAt: string;
  /** First breaching run of the condition (before pendingRuns made it fire). */
  readonly breachedAt: string;
  /** For resolved: the first healthy run, where the condition ended. */
  readonly endedAt?: string;
  /** For resolved (ISO); durationMs = endedAt − breachedAt, how long the condition lasted. */
  readonly resolvedAt?: string;
  readonly durationMs?: number;
  /** For repeat: 1 for the episode's first reminder, 2 for its second… (counted per episode). */
  readonly repeatNumber?: number;
  /** For repeat: the group clock's back-off step this reminder takes (1 after the last news). */
  readonly reminderStep?: number;
  /** For repeat: the alert is in its recovery runs, `healthyRuns` of the rule's `recoveryRuns`. */
  readonly recovering?: { readonly healthyRuns: number; readonly recoveryRuns: number };
  /** For resolved: the episode's highest severity and the run that reached it. */
  readonly peak?: { readonly severity: Severity; readonly at: string };
  /** For resolved: when it last eased below its peak (`severity` is then what it eased to). */
  readonly easedAt?: string;
  /**
   * For repeat: the alert eased since it was last announced (`previousSeverity` → `severity` at
   * `easedAt`). In webhook mode easing is said here, not as its own push.
   */
  readonly eased?: { readonly from: Severity; readonly at: string };
  /** For resolved: the episode fired but no message about it got out before it ended (webhook mode). */
  readonly unannounced?: boolean;
  /** For resolved: it ended because its rule was removed from the rules, not because it recovered. */
  readonly ruleRemoved?: true;
}

export interface MonitorNotification {
  readonly kind: 'monitor-degraded' | 'monitor-recovered';
  readonly key: string;
  readonly consecutiveFailures: number;
  /** When the failures began (ISO). */
  readonly since: string;
  /** The last failure's short reason, e.g. "API down: HTTP 503" (degraded only). */
  readonly lastError?: string;
  readonly recoveredAt?: string;
  readonly durationMs?: number;
}

export type Notification = RuleNotification | MonitorNotification;

export const isRuleNotification = (notification: Notification): notification is RuleNotification =>
  !notification.kind.startsWith('monitor-');

/**
 * How alerts reach Slack. `webhook` (incoming webhooks, today's only mode): every message is a new
 * post and a push notification, so what is not urgent waits for the group's next message (see
 * `isBatchable`). `app` (a Slack app editing one message per incident): every change is said at once.
 */
export type DeliveryMode = 'webhook' | 'app';

/**
 * Mute periods are judged on the account's local wall clock, never on a UTC offset, so "22:00–06:00"
 * means 22:00 to 06:00 as the call centre's clocks show it on every day, including the nights the
 * clocks change (the period is then 7 or 9 real hours long).
 */

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The first period open at `at` in `timeZone`, or undefined. */
export function openMutePeriod(
  periods: readonly MutePeriod[],
  at: Date,
  timeZone: string,
): MutePeriod | undefined {
  if (periods.length === 0) return undefined;
  const clock = toWallClock(at, timeZone);
  const minute = clock.hour * 60 + clock.minute;
  const today = WEEKDAYS[weekday(clock)];
  const yesterday = WEEKDAYS[weekday(addDays(clock, -1))];
  return periods.find((period) => {
    const from = minutesOf(period.from);
    const to = minutesOf(period.to);
    const startsOn = (day: string | undefined) =>
      period.days === undefined || period.days.some((name) => name === day);
    if (from < to) return startsOn(today) && minute >= from && minute < to;
    // Crosses midnight: the evening part belongs to today's period, the morning part to yesterday's.
    return (startsOn(today) && minute >= from) || (startsOn(yesterday) && minute < to);
  });
}

export const isMuted = (periods: readonly MutePeriod[], at: Date, timeZone: string): boolean =>
  openMutePeriod(periods, at, timeZone) !== undefined;

/** Runs are scheduled on a grid; a delivery a few seconds late must not push a reminder a whole run later. */
const GRACE_MS = 60_000;

/** Minutes to wait after reminder `sent` (0 = after the fired message): every × backoff^sent, capped. */
export function repeatIntervalMinutes(policy: RepeatPolicy, sent: number): number {
  return Math.min(policy.everyMinutes * policy.backoff ** sent, policy.maxEveryMinutes);
}

/** True when a reminder is due at `at`, `sent` reminders after the last message accepted at `lastAt`. */
export function isRepeatDue(policy: RepeatPolicy, sent: number, lastAt: string, at: Date): boolean {
  const elapsed = at.getTime() - Date.parse(lastAt);
  return elapsed >= repeatIntervalMinutes(policy, sent) * 60_000 - GRACE_MS;
}

/**
 * What is owed now, derived from the state alone: each rule's status and severity against what Slack
 * last accepted (`notified`). Nothing is remembered as "to send", so a message Slack refused stays owed
 * until a later run gets it through, and a mute period or a snooze only postpones: the suppression
 * stage (outgoing.ts) holds what they cover, and once they end the difference is still there. An episode that fired and resolved while nothing got through owes nothing (its
 * history entry says "resolved before it was announced").
 *
 * Fired, escalated, eased and resolved go out at the run that sees them. Reminders are for the GROUP
 * (`groupReminders`): one cadence, one message listing every alert still firing.
 */
export function owedNotifications(
  state: AlertState,
  rules: readonly Rule[],
  at: Date,
  timeZone: string,
  reminders: RepeatPolicy = DEFAULT_REMINDERS,
  delivery: DeliveryMode = 'webhook',
): Notification[] {
  const owed: Notification[] = [];
  const episodes = episodesByRule(state.episodes);
  for (const rule of rules) {
    const ruleState = state.rules[rule.id];
    if (ruleState !== undefined) owed.push(...owedForRule(rule, ruleState, episodes.get(rule.id) ?? []));
  }
  if (delivery === 'webhook') owed.push(...unannouncedResolutions(state, rules));
  owed.push(...owedForRemovedRules(state, rules));
  owed.push(...owedForMonitor(state.monitor));
  // News resets the group's clock when it is delivered; the reminder waits for a run without news.
  // A muted rule's news is held (outgoing.ts), so it is no news yet; in webhook mode an alert joining
  // a group already firing without raising it waits for the group's next message, so it is no news
  // either.
  const muted = new Set(rules.filter((rule) => isMuted(rule.mute, at, timeZone)).map((rule) => rule.id));
  const news = owed.some(
    (n) =>
      (n.kind === 'fired' || n.kind === 'escalated') &&
      isRuleNotification(n) &&
      !muted.has(n.ruleId) &&
      !(delivery === 'webhook' && isJoining(state, n)),
  );
  if (news) return owed;
  const due = groupReminders(state, rules, at, reminders, delivery);
  // A reminder of an alert that eased says the easing: the separate "eased" notification goes.
  const reminded = new Set(due.filter((n) => n.eased !== undefined).map((n) => n.ruleId));
  return [
    ...owed.filter((n) => !(n.kind === 'de-escalated' && isRuleNotification(n) && reminded.has(n.ruleId))),
    ...due,
  ];
}

/**
 * Webhook mode: what waits for the group's next message instead of being its own push. Easing; an
 * alert joining the group without making it worse than Slack was told (`isJoining`); a resolution
 * while another announced alert still fires; the resolution of an alert that was never announced.
 * The group's next message is its next reminder, an alert making the group CRIT, or the resolution
 * of its last alert (outgoing.ts holds them until then).
 */
export function isBatchable(state: AlertState, notification: Notification): boolean {
  if (!isRuleNotification(notification)) return false;
  switch (notification.kind) {
    case 'de-escalated':
      return true;
    case 'fired':
    case 'escalated':
      return isJoining(state, notification);
    case 'resolved':
      return notification.unannounced === true || groupFiring(state, notification.ruleId);
    default:
      return false;
  }
}

/**
 * An alert joining a group Slack was told is firing, without raising it: a WARN alert firing while
 * another announced alert fires, or an alert firing at or escalating to CRIT while another announced
 * alert is CRIT already (the incident already pushed CRIT). What makes the group CRIT is pushed.
 */
const isJoining = (state: AlertState, n: RuleNotification): boolean => {
  if (n.kind !== 'fired' && n.kind !== 'escalated') return false;
  const others = Object.entries(state.rules).flatMap(([id, rule]) => {
    const announced = id === n.ruleId ? undefined : announcedEpisode(rule);
    return announced === undefined ? [] : [announced.severity];
  });
  return n.kind === 'fired' && n.severity === 'warn' ? others.length > 0 : others.includes('crit');
};

/** Another rule than `ruleId` is firing in the episode Slack was told about. */
const groupFiring = (state: AlertState, ruleId: string): boolean =>
  announcedRules(state).some((id) => id !== ruleId);

/**
 * Webhook mode: whether what waits for the group's next message has waited long enough. It waits at
 * most one reminder interval (`everyMinutes`, before any back-off) after the group's last post, as
 * Alertmanager's `group_interval`: a group whose voices will not speak soon (a reminder backed off
 * to hours, an alert too quiet at night to be judged) still says what changed within the interval,
 * and changes within one interval share one post.
 */
export function groupUpdateDue(state: AlertState, at: Date, policy: RepeatPolicy): boolean {
  const last = lastGroupPost(state);
  return last === undefined || at.getTime() - last >= policy.everyMinutes * 60_000 - GRACE_MS;
}

/** When Slack last accepted a message about any alert of the group (epoch ms), from the episode record. */
function lastGroupPost(state: AlertState): number | undefined {
  let last: number | undefined;
  for (const episode of state.episodes) {
    for (const message of episode.notified) {
      const at = Date.parse(message.at);
      if (last === undefined || at > last) last = at;
    }
  }
  return last;
}

/** The rules firing in the episode Slack was told about: the group's voices. */
export const announcedRules = (state: AlertState): string[] =>
  Object.entries(state.rules).flatMap(([id, rule]) => (announcedEpisode(rule) === undefined ? [] : [id]));

/**
 * Webhook mode: an alert that fired and ended while its fired message waited for the group's next
 * message (or while Slack refused it) is said in that message, as a resolution. Only episodes that
 * ended since the group's last message: once a message went out, or the group closed, it is history
 * (the digest lists it).
 */
function unannouncedResolutions(state: AlertState, rules: readonly Rule[]): RuleNotification[] {
  const since = state.reminders?.lastAt;
  if (since === undefined) return [];
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  return state.episodes.flatMap((episode) => {
    const rule = byId.get(episode.ruleId);
    const ruleState = state.rules[episode.ruleId];
    if (rule === undefined || ruleState === undefined || !isClosed(episode)) return [];
    if (episode.notified.length > 0 || Date.parse(episode.resolvedAt) <= Date.parse(since)) return [];
    return [{ ...resolvedFromEpisode(rule, ruleState, episode), unannounced: true }];
  });
}

type FiringNotified = Extract<Notified, { status: 'firing' }>;

/**
 * The announced episode a rule is still firing in, at whatever severity was last announced (an
 * easing may be waiting for the group's next message).
 */
function announcedEpisode(state: RuleState): FiringNotified | undefined {
  if (state.status !== 'firing' || state.notified?.status !== 'firing') return undefined;
  return state.notified.firedAt === state.firedAt ? state.notified : undefined;
}

/**
 * One reminder per alert still firing, when the group's cadence says one is due. Only alerts judged
 * in THIS run are listed: a rule that had no data or too few calls holds its reminder rather than
 * quote figures from an earlier run. Nothing judged, nothing sent: the reminder stays due.
 */
function groupReminders(
  state: AlertState,
  rules: readonly Rule[],
  at: Date,
  policy: RepeatPolicy,
  delivery: DeliveryMode,
): RuleNotification[] {
  const clock = state.reminders ?? clockFromNotified(state);
  if (clock === undefined || !isRepeatDue(policy, clock.count, clock.lastAt, at)) return [];
  const now = at.toISOString();
  const episodes = episodesByRule(state.episodes);
  return rules.flatMap((rule) => {
    const ruleState = state.rules[rule.id];
    if (ruleState?.status !== 'firing') return [];
    const announced = announcedEpisode(ruleState);
    // Same severity, or (webhook mode) eased since: the reminder says the easing. An escalation is
    // news and is said first; in app mode the easing was said at once.
    const eased =
      delivery === 'webhook' &&
      announced !== undefined &&
      announced.severity === 'crit' &&
      ruleState.severity === 'warn';
    if (announced === undefined || (announced.severity !== ruleState.severity && !eased)) return [];
    const noData = ruleState.condition === 'no-data';
    const judgedNow =
      ruleState.lastEvaluatedAt === now &&
      (noData ? ruleState.lastOutcome === 'no-data' : ruleState.lastValueAt === now);
    if (!judgedNow) return [];
    const episode = episodeOf(episodes.get(rule.id) ?? [], rule.id, ruleState);
    const repeatNumber = episode.reminders + 1;
    const reminder = current(rule, ruleState, 'repeat', `#${repeatNumber}`);
    const recovering =
      ruleState.healthyCount > 0
        ? { recovering: { healthyRuns: ruleState.healthyCount, recoveryRuns: rule.recoveryRuns } }
        : {};
    const easing = eased
      ? {
          previousSeverity: announced.severity,
          eased: { from: announced.severity, at: episode.easedAt ?? ruleState.since },
        }
      : {};
    return [
      {
        ...reminder,
        repeatNumber,
        reminderStep: clock.count + 1,
        ...recovering,
        ...easing,
      },
    ];
  });
}

/** A document written before the group clock existed: the latest announcement starts it. */
function clockFromNotified(state: AlertState): ReminderClock | undefined {
  const times = Object.values(state.rules).flatMap((rule) => {
    const announced = announcedEpisode(rule);
    return announced === undefined ? [] : [announced.at];
  });
  const latest = times.sort().at(-1);
  return latest === undefined ? undefined : { lastAt: latest, count: 0 };
}

/**
 * The episode record by rule: each rule then searches its own few episodes, not every rule's (with
 * 2,048 alerts at once, a search of the whole record per rule was 2,048 × 2,048 steps).
 */
function episodesByRule(episodes: readonly Episode[]): Map<string, Episode[]> {
  const byRule = new Map<string, Episode[]>();
  for (const episode of episodes) {
    const own = byRule.get(episode.ruleId);
    if (own === undefined) byRule.set(episode.ruleId, [episode]);
    else own.push(episode);
  }
  return byRule;
}

/**
 * The open episode of a firing rule. Every evaluated state has one; a document written before
 * episodes existed and not evaluated since (a failed run owing a reminder) gets one read off the rule.
 */
function episodeOf(episodes: readonly Episode[], ruleId: string, state: FiringRuleState): Episode {
  const open = episodes.find((episode) => episode.ruleId === ruleId && episode.firedAt === state.firedAt);
  return open ?? { ...openEpisode(ruleId, state.condition, state.breachedAt, null), firedAt: state.firedAt };
}

/**
 * How an incident's head message (Slack app mode, incident.ts) shows one episode of a rule now: as
 * it fires at this run (kind `fired`: its severity, value and start), or how it ended (`resolved`,
 * from the episode record). Undefined when neither is known (the rule is gone from the rules file).
 */
export function episodePicture(
  rule: Rule,
  state: RuleState | undefined,
  episodes: readonly Episode[],
  firedAt: string,
): RuleNotification | undefined {
  if (state === undefined) return undefined;
  if (state.status === 'firing' && state.firedAt === firedAt) {
    const recovering =
      state.healthyCount > 0
        ? { recovering: { healthyRuns: state.healthyCount, recoveryRuns: rule.recoveryRuns } }
        : {};
    return { ...current(rule, state, 'fired'), ...recovering };
  }
  const episode = episodes.find(
    (candidate): candidate is ClosedEpisode =>
      candidate.ruleId === rule.id && candidate.firedAt === firedAt && isClosed(candidate),
  );
  if (episode === undefined) return undefined;
  const announced = {
    status: 'firing' as const,
    severity: episode.severity,
    condition: episode.condition,
    firedAt,
    at: episode.resolvedAt,
  };
  return resolved(rule, state, announced, episodes);
}

function owedForRule(rule: Rule, state: RuleState, episodes: readonly Episode[]): RuleNotification[] {
  const announced = state.notified?.status === 'firing' ? state.notified : undefined;
  const firing = state.status === 'firing' ? state : undefined;
  const sameEpisode = announced !== undefined && announced.firedAt === firing?.firedAt;
  const owed: RuleNotification[] = [];
  if (announced !== undefined && !sameEpisode) owed.push(resolved(rule, state, announced, episodes));
  if (firing === undefined) return owed;
  if (!sameEpisode) return [...owed, announcement(rule, firing, 'fired')];
  if (announced.severity !== firing.severity) {
    const kind = firing.severity === 'crit' ? 'escalated' : 'de-escalated';
    const said = kind === 'escalated' ? announcement(rule, firing, kind) : current(rule, firing, kind);
    return [{ ...said, previousSeverity: announced.severity }];
  }
  return [];
}

/**
 * A fired or escalated message quotes the reading that breached the severity it announces. Said at
 * the run that saw the breach, that is the last value; said later (a WARN joining the group waits
 * for its next message, a muted or refused message goes out afterwards) while the last value is back
 * inside the hysteresis band or healthy, it is the latest breaching reading, dated: never a value
 * the evaluation did not see breaching.
 */
function announcement(rule: Rule, state: FiringRuleState, kind: 'fired' | 'escalated'): RuleNotification {
  const said = current(rule, state, kind);
  const breach = state.lastBreach;
  if (breach === undefined || said.value === null || breach.at === state.lastValueAt) return said;
  const { window: _window, basis: _basis, ...rest } = said;
  return {
    ...rest,
    value: breach.value,
    valueAt: breach.at,
    ...(breach.window === undefined ? {} : { window: breach.window }),
    ...(breach.basis === undefined ? {} : { basis: breach.basis }),
  };
}

function common(rule: Rule) {
  return {
    ruleId: rule.id,
    title: rule.title,
    metric: describeMetric(rule.metric),
    ...(rule.runbook === undefined ? {} : { runbook: rule.runbook }),
    comparison: rule.comparison,
    unit: metricUnit(rule),
  };
}

function current(
  rule: Rule,
  state: FiringRuleState,
  kind: RuleNotification['kind'],
  suffix = '',
): RuleNotification {
  const { severity, condition, firedAt } = state;
  const noData = condition === 'no-data';
  // An episode may escalate, ease and escalate again: each change is its own message, keyed by the
  // run that reached the severity, so the episode record keeps every one (withMessage drops a key
  // it has seen).
  const change = kind === 'escalated' || kind === 'de-escalated' ? `:${reachedAt(state)}` : '';
  return {
    kind,
    key: `${rule.id}:${kind}:${firedAt}:${severity}${change}${suffix}`,
    ...common(rule),
    severity,
    condition,
    value: noData ? null : state.lastValue,
    threshold: noData ? null : thresholdFor(rule, severity),
    ...(noData
      ? {}
      : { clearsAt: severity === 'crit' && rule.warn !== undefined ? critRelease(rule) : rule.recovery }),
    ...(state.lastWindow === undefined || noData ? {} : { window: state.lastWindow }),
    ...(state.lastValueAt === undefined || noData ? {} : { valueAt: state.lastValueAt }),
    ...(state.lastBasis === undefined || noData ? {} : { basis: state.lastBasis }),
    ...(noData && state.lastReason !== undefined ? { reason: state.lastReason } : {}),
    firedAt,
    breachedAt: state.breachedAt,
  };
}

/** The run at which a firing rule reached its severity: its latest change to it (history keeps it). */
const reachedAt = (state: FiringRuleState): string =>
  state.history.findLast((transition) => transition.to === `firing:${state.severity}`)?.at ?? state.firedAt;

/**
 * Alerts Slack was told are firing whose rule is no longer in the rules (evaluate.ts keeps their
 * state and ends their episode): each is owed a resolution saying "rule removed", so a rule set that
 * drops a firing rule never leaves an alert open in the channel.
 */
function owedForRemovedRules(state: AlertState, rules: readonly Rule[]): RuleNotification[] {
  const known = new Set(rules.map((rule) => rule.id));
  return Object.entries(state.rules).flatMap(([ruleId, ruleState]) => {
    const announced = ruleState.notified;
    if (known.has(ruleId) || announced?.status !== 'firing') return [];
    return [removalResolution(ruleId, announced, state.episodes, ruleState.lastEvaluatedAt)];
  });
}

/**
 * How an incident's head (Slack app mode) shows a member whose rule is gone from the rules: ended,
 * "rule removed", from its episode record (the check that dropped the rule closed it), so an
 * incident whose rules were all removed closes with that resolution. `at` stands in for the end
 * when neither the record nor the rule's state knows it.
 */
export function removedRulePicture(
  state: AlertState,
  ruleId: string,
  firedAt: string,
  at: string,
): RuleNotification {
  const ruleState = state.rules[ruleId];
  const episode = state.episodes.find(
    (candidate): candidate is FiredEpisode =>
      candidate.ruleId === ruleId && candidate.firedAt === firedAt && isFired(candidate),
  );
  // What Slack was told, else the episode's record; neither known (both long gone): the least.
  const told: { readonly severity: Severity; readonly condition: Condition } =
    ruleState?.notified?.status === 'firing'
      ? ruleState.notified
      : episode !== undefined
        ? episode
        : { severity: 'warn', condition: 'threshold' };
  const lastAt = ruleState === undefined ? at : ruleState.lastEvaluatedAt;
  return removalResolution(ruleId, { ...told, firedAt }, state.episodes, lastAt);
}

/** The "rule removed" resolution of the episode `announced` names, from its record when it has one. */
function removalResolution(
  ruleId: string,
  announced: { readonly severity: Severity; readonly condition: Condition; readonly firedAt: string },
  episodes: readonly Episode[],
  lastAt: string,
): RuleNotification {
  const episode = episodes.find(
    (candidate): candidate is ClosedEpisode =>
      candidate.ruleId === ruleId && candidate.firedAt === announced.firedAt && isClosed(candidate),
  );
  const resolvedAt = episode?.resolvedAt ?? lastAt;
  const breachedAt = episode?.began ?? announced.firedAt;
  const endedAt = episode?.ended ?? resolvedAt;
  return {
    kind: 'resolved' as const,
    key: `${ruleId}:resolved:${announced.firedAt}`,
    ruleId,
    title: ruleId,
    metric: '',
    comparison: 'below' as const,
    unit: 'count' as const,
    severity: announced.severity,
    condition: announced.condition,
    value: null,
    threshold: null,
    firedAt: announced.firedAt,
    breachedAt,
    endedAt,
    resolvedAt,
    durationMs: Date.parse(endedAt) - Date.parse(breachedAt),
    ...(episode === undefined ? {} : { peak: episode.peak }),
    ruleRemoved: true as const,
  };
}

/** Closes the episode Slack was told about, from its record: span, peak, easing, the value that ended it. */
function resolved(
  rule: Rule,
  state: RuleState,
  announced: FiringNotified,
  episodes: readonly Episode[],
): RuleNotification {
  const episode = episodes.find(
    (candidate): candidate is ClosedEpisode =>
      candidate.ruleId === rule.id && candidate.firedAt === announced.firedAt && isClosed(candidate),
  );
  if (episode === undefined) return resolvedFromHistory(rule, state, announced);
  return resolvedFromEpisode(rule, state, episode);
}

/** The resolution of a closed episode, from its record. */
function resolvedFromEpisode(rule: Rule, state: RuleState, episode: ClosedEpisode): RuleNotification {
  const noData = episode.condition === 'no-data';
  return {
    kind: 'resolved',
    key: `${rule.id}:resolved:${episode.firedAt}`,
    ...common(rule),
    severity: episode.severity,
    condition: episode.condition,
    value: episode.resolvedValue,
    threshold: noData || episode.resolvedValue === null ? null : rule.recovery,
    ...(state.lastWindow === undefined ? {} : { window: state.lastWindow }),
    valueAt: episode.resolvedAt,
    firedAt: episode.firedAt,
    breachedAt: episode.began,
    endedAt: episode.ended,
    resolvedAt: episode.resolvedAt,
    durationMs: Date.parse(episode.ended) - Date.parse(episode.began),
    peak: episode.peak,
    ...(episode.easedAt === undefined ? {} : { easedAt: episode.easedAt }),
  };
}

/**
 * A resolution owed since before the episode record existed (the document was written by an earlier
 * version): the history entry of the resolution stands in for the record.
 */
function resolvedFromHistory(rule: Rule, state: RuleState, announced: FiringNotified): RuleNotification {
  const entry = state.history.findLast((transition) => transition.firedAt === announced.firedAt);
  // History keeps 20 entries; should the resolution have rolled off, the ok status's start stands in.
  const resolvedAt = entry?.at ?? (state.status === 'ok' ? state.since : state.lastEvaluatedAt);
  // The condition's own span: first breaching run to first healthy run, not fired to resolved.
  const breachedAt = entry?.breachedAt === undefined ? announced.firedAt : entry.breachedAt;
  const endedAt = entry?.endedAt ?? resolvedAt;
  const durationMs = Date.parse(endedAt) - Date.parse(breachedAt);
  return {
    kind: 'resolved',
    key: `${rule.id}:resolved:${announced.firedAt}`,
    ...common(rule),
    severity: announced.severity,
    condition: announced.condition,
    value: entry?.value ?? null,
    threshold: announced.condition === 'no-data' ? null : (entry?.threshold ?? rule.recovery),
    ...(state.lastWindow === undefined ? {} : { window: state.lastWindow }),
    ...(entry === undefined ? {} : { valueAt: entry.at }),
    firedAt: announced.firedAt,
    breachedAt,
    endedAt,
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

/**
 * Records that Slack ACCEPTED `notifications` at `at` (call it only then). It records exactly what was
 * announced, taken from the notifications, so a state that moved on since evaluation stays owed the
 * difference. Resolutions are applied first: a message may close one episode and open the next.
 */
export function markNotified(
  state: AlertState,
  notifications: readonly Notification[],
  at: Date,
): AlertState {
  const now = at.toISOString();
  const ordered = [...notifications].sort((a, b) => closesFirst(a) - closesFirst(b));
  // One copy of the rules map for the whole message: a copy per notification made 2,048 alerts
  // firing at once cost eleven times 512.
  const rules: Record<string, RuleState> = { ...state.rules };
  let monitor = state.monitor;
  for (const notification of ordered) {
    if (isRuleNotification(notification)) {
      const ruleState = rules[notification.ruleId];
      if (ruleState !== undefined) rules[notification.ruleId] = marked(ruleState, notification, now);
    } else if (notification.kind === 'monitor-degraded') {
      monitor = { ...monitor, notified: { status: 'degraded', since: notification.since, at: now } };
    } else {
      monitor = { ...monitor, notified: { status: 'ok', at: now } };
    }
  }
  const { reminders: _old, ...rest } = state;
  const reminders = nextReminderClock(state.reminders, notifications, now);
  const stillFiring = Object.values(rules).some((rule) => announcedEpisode(rule) !== undefined);
  // Each episode meets only its own notifications: looked up, not searched (2,048 alerts at once
  // made the search 2,048 × 2,048 steps).
  const byEpisode = new Map<string, RuleNotification[]>();
  for (const notification of notifications) {
    if (!isRuleNotification(notification)) continue;
    const key = episodeKey(notification.ruleId, notification.firedAt);
    const own = byEpisode.get(key);
    if (own === undefined) byEpisode.set(key, [notification]);
    else own.push(notification);
  }
  const episodes = state.episodes.map((episode) => {
    const own = byEpisode.get(episodeKey(episode.ruleId, episode.firedAt));
    return own === undefined ? episode : withMessages(episode, own, now);
  });
  return { ...rest, rules, monitor, episodes, ...(stillFiring && reminders ? { reminders } : {}) };
}

/** An episode's identity: its rule and the run it fired at (none while only pending). */
const episodeKey = (ruleId: string, firedAt: string | undefined) => `${ruleId}\u0000${String(firedAt)}`;

/** The episode record keeps every message Slack accepted about it, with the value it quoted. */
function withMessages(episode: Episode, own: readonly RuleNotification[], now: string): Episode {
  return own.reduce((recorded, notification) => {
    const { kind, key, severity, value } = notification;
    return withMessage(recorded, { kind, key, at: now, severity, value }, notification.repeatNumber);
  }, episode);
}

/**
 * The group's clock after a delivered message: news (fired, escalated) restarts the back-off,
 * a reminder takes the next step, an eased alert restarts the wait at the same step.
 */
function nextReminderClock(
  clock: ReminderClock | undefined,
  notifications: readonly Notification[],
  now: string,
): ReminderClock | undefined {
  const kinds = new Set(notifications.map((n) => n.kind));
  const reminder = notifications.find((n): n is RuleNotification => n.kind === 'repeat');
  // A reminder's step is absolute, so marking the same reminder twice cannot skip a step. A WARN
  // joining the group rides on a reminder (webhook mode) without restarting the back-off.
  if (reminder !== undefined) return { lastAt: now, count: reminder.reminderStep ?? (clock?.count ?? 0) + 1 };
  if (kinds.has('fired') || kinds.has('escalated')) return { lastAt: now, count: 0 };
  if (kinds.has('de-escalated')) return { lastAt: now, count: clock?.count ?? 0 };
  return clock;
}

const closesFirst = (notification: Notification): number =>
  notification.kind === 'resolved' || notification.kind === 'monitor-recovered' ? 0 : 1;

function marked(state: RuleState, notification: RuleNotification, now: string): RuleState {
  if (notification.kind === 'resolved') return { ...state, notified: { status: 'ok', at: now } };
  const notified = {
    status: 'firing' as const,
    severity: notification.severity,
    condition: notification.condition,
    firedAt: notification.firedAt,
    at: now,
  };
  return { ...state, notified };
}
