import { formatWallClock, localDate, toWallClock } from '../shared/local-time';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { SlackMessage } from '../slack/slack-message';
import { formatMetric } from '../statistics/metric-format';
import { formatLocalTime, metricUnit } from './format-value';
import { critRelease, type Rule, thresholdFor } from './rules';
import type { AlertState, FiringRuleState, MonitorEpisode, Snooze } from './state';

/**
 * Snoozes silence a noisy alert for a while, from the command line, without a deploy. A snoozed
 * rule is still evaluated; its fired, escalated, eased and reminder messages are held (they stay
 * owed, so they go out once the snooze ends if still true); its resolved message is still sent —
 * a silence must never hide a recovery. `all` snoozes every rule and the monitor's own health.
 * When a snooze ends while the alert still fires, the next message says so.
 *
 * Kept apart from the alert state machine on purpose: the suppression stage (alerts/outgoing.ts)
 * applies snoozes to what that machine says is owed, so the machine can change without this file.
 */

/** A snooze that held a rule's (or every rule's) messages for part of the digest's day. */
export interface DaySnooze {
  /** The rule's title, or 'all rules'. */
  readonly title: string;
  /** ISO instants: when it was set and when it ended (or will end). */
  readonly at: string;
  readonly until: string;
  readonly reason?: string;
  /** For a snooze of all rules: the monitor's degraded spells it held (ISO; `until` absent while it lasts). */
  readonly monitorDegraded?: ReadonlyArray<{ readonly since: string; readonly until?: string }>;
}

export const SNOOZE_ALL = 'all';
/** How many snoozes the log keeps, for the digest. */
export const SNOOZE_LOG_LIMIT = 50;

/** The snooze that covers `target` at `at`: its own or `all`, whichever lasts longer. */
export function activeSnooze(state: AlertState, target: string, at: Date): Snooze | undefined {
  const candidates = [state.snoozes?.[target], state.snoozes?.[SNOOZE_ALL]].filter(
    (snooze): snooze is Snooze => snooze !== undefined && Date.parse(snooze.until) > at.getTime(),
  );
  return candidates.sort((a, b) => Date.parse(b.until) - Date.parse(a.until))[0];
}

export interface SnoozeEnd {
  readonly target: string;
  readonly snooze: Snooze;
  /** Rules still firing that the snooze covered: the message names them, with their current value. */
  readonly firing: ReadonlyArray<{
    readonly ruleId: string;
    readonly title: string;
    readonly severity: string;
    /** The last value judged, formatted in the rule's unit; "no data" for a no-data alert. */
    readonly value: string;
    /** When that value was measured, if before the run that says it (ISO). */
    readonly valueAt?: string;
    /**
     * How the value stands against the severity, when it no longer breaches it: inside the
     * hysteresis band ("until ≥ 65%": the level that ends it) or back past it, recovering.
     */
    readonly standing?: { readonly clearsAt: string } | { readonly recovering: true };
  }>;
}

/** Snoozes over at `at` (still in the state until a message says so, or nothing needs saying). */
export function endedSnoozes(state: AlertState, rules: readonly Rule[], at: Date): SnoozeEnd[] {
  return Object.entries(state.snoozes ?? {}).flatMap(([target, snooze]) => {
    if (Date.parse(snooze.until) > at.getTime()) return [];
    const firing = rules.flatMap((rule) => {
      const ruleState = state.rules[rule.id];
      const covered = target === SNOOZE_ALL || target === rule.id;
      // Still held by another snooze: that one's end will say so.
      if (!covered || ruleState?.status !== 'firing' || activeSnooze(state, rule.id, at)) return [];
      const noData = ruleState.condition === 'no-data';
      const value = noData ? 'no data' : formatMetric(ruleState.lastValue, metricUnit(rule));
      const stale =
        !noData && ruleState.lastValueAt !== undefined && ruleState.lastValueAt !== at.toISOString();
      const standing = noData ? undefined : standingOf(rule, ruleState);
      return [
        {
          ruleId: rule.id,
          title: rule.title,
          severity: ruleState.severity,
          value,
          ...(stale ? { valueAt: ruleState.lastValueAt } : {}),
          ...(standing === undefined ? {} : { standing }),
        },
      ];
    });
    return [{ target, snooze, firing }];
  });
}

/**
 * A firing value that no longer breaches its severity: recovering (healthy runs counting towards
 * recoveryRuns), or inside the hysteresis band, where it stays firing until the level that ends it.
 * Undefined while it still breaches.
 */
function standingOf(rule: Rule, state: FiringRuleState): SnoozeEnd['firing'][number]['standing'] {
  if (state.healthyCount > 0) return { recovering: true };
  const value = state.lastValue;
  if (value === null) return undefined;
  const threshold = thresholdFor(rule, state.severity);
  const beyond = rule.comparison === 'below' ? value < threshold : value > threshold;
  if (beyond) return undefined;
  const clears = state.severity === 'crit' && rule.warn !== undefined ? critRelease(rule) : rule.recovery;
  const comparator = rule.comparison === 'below' ? '≥' : '≤';
  return { clearsAt: `${comparator} ${formatMetric(clears, metricUnit(rule))}` };
}

/** "35.2% (CRIT)", "62% (WARN until ≥ 65%)", "70% (WARN, recovering)", "35.2% at 14:00 (CRIT)". */
function firingValue(rule: SnoozeEnd['firing'][number], timeZone: string, at: string): string {
  const when =
    rule.valueAt === undefined ? '' : ` at ${formatLocalTime(rule.valueAt, timeZone, new Date(at))}`;
  const severity = rule.severity.toUpperCase();
  const standing =
    rule.standing === undefined
      ? severity
      : 'recovering' in rule.standing
        ? `${severity}, recovering`
        : `${severity} until ${rule.standing.clearsAt}`;
  return `${rule.value}${when} (${standing})`;
}

/** Removes the snoozes that ended (after their message, if any, was accepted). */
export function clearEndedSnoozes(state: AlertState, ended: readonly SnoozeEnd[]): AlertState {
  if (ended.length === 0 || state.snoozes === undefined) return state;
  const snoozes = { ...state.snoozes };
  for (const end of ended) if (snoozes[end.target]?.until === end.snooze.until) delete snoozes[end.target];
  return { ...state, snoozes };
}

/** Sets (or replaces) the snooze of `target`, and logs it for the digest. */
export function setSnooze(state: AlertState, target: string, snooze: Snooze): AlertState {
  const log = [...(state.snoozeLog ?? []), { target, ...snooze }].slice(-SNOOZE_LOG_LIMIT);
  return { ...state, snoozes: { ...state.snoozes, [target]: snooze }, snoozeLog: log };
}

/**
 * Ends the snooze of `target` now (`all`: every snooze). It is ended rather than deleted, so the
 * next check announces what is still firing, as when it expires by itself.
 */
export function endSnooze(
  state: AlertState,
  target: string,
  at: Date,
): { state: AlertState; ended: string[] } {
  const ended = Object.entries(state.snoozes ?? {}).filter(
    ([key, snooze]) => (target === SNOOZE_ALL || key === target) && Date.parse(snooze.until) > at.getTime(),
  );
  if (ended.length === 0) return { state, ended: [] };
  const snoozes = { ...state.snoozes };
  for (const [key, snooze] of ended) snoozes[key] = { ...snooze, until: at.toISOString() };
  const log = (state.snoozeLog ?? []).map((entry) =>
    ended.some(([key, snooze]) => key === entry.target && snooze.until === entry.until)
      ? { ...entry, until: at.toISOString() }
      : entry,
  );
  return { state: { ...state, snoozes, snoozeLog: log }, ended: ended.map(([key]) => key) };
}

/** Every snooze still running at `at`, soonest end first. */
export const activeSnoozes = (state: AlertState, at: Date) =>
  Object.entries(state.snoozes ?? {})
    .filter(([, snooze]) => Date.parse(snooze.until) > at.getTime())
    .map(([target, snooze]) => ({ target, ...snooze }))
    .sort((a, b) => a.until.localeCompare(b.until));

/** The snoozes that overlapped the local `date` (set on or before it, ending after it began), for the digest. */
export function snoozesOn(
  state: AlertState,
  rules: readonly Rule[],
  date: string,
  timeZone: string,
): DaySnooze[] {
  const titles = new Map(rules.map((rule) => [rule.id, rule.title]));
  return (state.snoozeLog ?? []).flatMap((entry) => {
    const from = localDate(new Date(entry.at), timeZone);
    // The last instant it held; a snooze ending exactly at midnight does not touch the next day.
    const to = localDate(new Date(Date.parse(entry.until) - 1), timeZone);
    if (from > date || to < date) return [];
    const title = entry.target === SNOOZE_ALL ? 'all rules' : (titles.get(entry.target) ?? entry.target);
    const held = entry.target === SNOOZE_ALL ? monitorSpellsUnder(state, entry) : [];
    return [
      {
        title,
        at: entry.at,
        until: entry.until,
        ...(entry.reason ? { reason: entry.reason } : {}),
        ...(held.length > 0 ? { monitorDegraded: held } : {}),
      },
    ];
  });
}

/**
 * The monitor's degraded spells that overlapped a `snooze all` from `at` to `until`: what that
 * snooze held (its "degraded" message, and so its "recovered" one). A spell that began and ended
 * inside it sent nothing, so this is its only trace (#22 finding 12).
 */
export function monitorSpellsUnder(
  state: AlertState,
  snooze: { readonly at: string; readonly until: string },
): MonitorEpisode[] {
  const [from, to] = [Date.parse(snooze.at), Date.parse(snooze.until)];
  return (state.monitorLog ?? []).filter(
    (spell) => Date.parse(spell.since) < to && (spell.until === undefined || Date.parse(spell.until) > from),
  );
}

/** A `snooze all` that held the monitor's health, with the degraded spells it held. */
export interface HeldMonitorHealth {
  readonly snooze: Snooze;
  readonly spells: readonly MonitorEpisode[];
}

/** The `snooze all` entries of the log overlapping `from`–`to` that held a degraded spell, oldest first. */
export function heldMonitorHealth(state: AlertState, from: Date, to: Date): HeldMonitorHealth[] {
  return (state.snoozeLog ?? []).flatMap((entry) => {
    if (entry.target !== SNOOZE_ALL) return [];
    if (Date.parse(entry.at) >= to.getTime() || Date.parse(entry.until) <= from.getTime()) return [];
    const spells = monitorSpellsUnder(state, entry);
    const { target: _all, ...snooze } = entry;
    return spells.length === 0 ? [] : [{ snooze, spells }];
  });
}

/** "2025-11-12 14:00" in the account's zone. */
export const localMinute = (instant: string | Date, timeZone: string) =>
  formatWallClock(toWallClock(new Date(instant), timeZone)).slice(0, 16);

/** "1 h 30 min", "2 h", "45 min". */
export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * One line per ended snooze that left something firing; none when nothing needs saying. A rule is
 * named by its title, with its severity and current value, once: a rule that has its own line in
 * the same message (`announced`, e.g. the fired message the snooze held) is not described again.
 */
export function snoozeEndLines(
  ended: readonly SnoozeEnd[],
  timeZone: string,
  announced: ReadonlySet<string> = new Set(),
): string[] {
  const titles = new Map(
    ended.flatMap((end) => end.firing.map((rule) => [rule.ruleId, rule.title] as const)),
  );
  return ended
    .filter((end) => end.firing.length > 0)
    .map((end) => {
      const what = end.target === SNOOZE_ALL ? 'all alerts' : (titles.get(end.target) ?? end.target);
      const reason = end.snooze.reason ? ` (${end.snooze.reason})` : '';
      const head = `⏰ Snooze of ${what}${reason} ended at ${localMinute(end.snooze.until, timeZone)}`;
      const unsaid = end.firing.filter((rule) => !announced.has(rule.ruleId));
      if (unsaid.length === 0) return head;
      const firing = unsaid.map((rule) => {
        const value = firingValue(rule, timeZone, end.snooze.until);
        return end.target === SNOOZE_ALL ? `${rule.title} ${value}` : value;
      });
      return `${head}; still firing: ${firing.join(', ')}`;
    });
}

/**
 * The alert message with the snooze-end lines on top; or a message of its own when nothing else is
 * owed, headed by the monitor's name like every alert message.
 */
export function withSnoozeEnds(
  message: SlackMessage | undefined,
  lines: readonly string[],
  monitorName: string,
): SlackMessage | undefined {
  if (lines.length === 0) return message;
  const text = lines.map(escapeMrkdwn).join('\n');
  const section = { type: 'section' as const, text: { type: 'mrkdwn' as const, text } };
  const name = `${escapeMrkdwn(monitorName)}: `;
  if (message !== undefined) {
    // The alert message's header (the monitor's name) stays its head; the lines come right under it.
    const [head, ...rest] = message.blocks;
    const blocks = head?.type === 'header' ? [head, section, ...rest] : [section, ...message.blocks];
    const said = message.text.startsWith(name) ? message.text.slice(name.length) : message.text;
    return { text: `${name}${escapeMrkdwn(lines[0] ?? '')} · ${said}`, blocks };
  }
  const header = {
    type: 'header' as const,
    text: {
      type: 'plain_text' as const,
      text: truncate(`${monitorName} — ⏰ snooze ended`, 150),
      emoji: true,
    },
  };
  return {
    text: `${name}${lines.map(escapeMrkdwn).join(' · ')}`,
    blocks: [header, section],
  };
}

/** "2h", "90m", "1h30m", "1d" → milliseconds; undefined when it is not a duration. */
export function parseSnoozeDuration(text: string): number | undefined {
  // An empty text matches too, and reads as 0 ms: refused below with every other zero duration.
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(text.trim());
  if (!match) return undefined;
  const [, days, hours, minutes] = match;
  const ms = (Number(days ?? 0) * 24 * 60 + Number(hours ?? 0) * 60 + Number(minutes ?? 0)) * 60_000;
  return ms > 0 ? ms : undefined;
}
