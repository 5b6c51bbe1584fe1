import type { Notification, RuleNotification } from '../../lambda/domain/alerts/notify';
import type { Rule } from '../../lambda/domain/alerts/rules';
import type { SlackMessage } from '../../lambda/domain/slack/slack-message';
import { Oracle, printed, printedDuration, rateOf, wallClock } from './oracle';
import { MONITOR_NAME, type SimulatedDay } from './simulate-day';

/**
 * What must hold for every message of a simulated day, each as a list of violations (empty: holds).
 * Figures are compared with the oracle's to the precision a message prints.
 */

const isRule = (notification: Notification): notification is RuleNotification => 'ruleId' in notification;

const textOf = (messages: readonly SlackMessage[]) =>
  messages.map((message) => JSON.stringify(message)).join('\n');

const beyond = (rule: Rule, value: number, threshold: number) =>
  rule.comparison === 'below' ? value < threshold : value > threshold;
const backPast = (rule: Rule, value: number, threshold: number) =>
  rule.comparison === 'below' ? value >= threshold : value <= threshold;
const thresholdOf = (rule: Rule, severity: 'warn' | 'crit') =>
  (severity === 'crit' ? rule.crit : rule.warn) ?? rule.warn ?? rule.crit ?? rule.recovery;

/** Every figure a rule message quotes equals the oracle's, and sits on the side the message says. */
export function figureViolations(day: SimulatedDay): string[] {
  const { spec } = day;
  const oracle = new Oracle(day.archive, spec.timeZone);
  const rules = new Map(spec.ruleSet.rules.map((rule) => [rule.id, rule]));
  const found: string[] = [];
  for (const run of day.runs) {
    const text = textOf(run.messages);
    for (const n of run.sent.filter(isRule)) {
      const rule = rules.get(n.ruleId);
      if (rule === undefined || n.condition !== 'threshold' || n.value === null) continue;
      const where = `${wallClock(run.at, spec.timeZone).hhmm} ${n.kind} ${n.ruleId}`;
      const measuredAt = n.valueAt === undefined ? run.at : new Date(n.valueAt);
      const reference = oracle.measure(rule, measuredAt, spec.lineCapacity);
      if (reference === undefined) {
        found.push(`${where}: quotes ${n.value}, but the archive gives no such figure`);
        continue;
      }
      const shown = printed(reference.value, n.unit);
      if (printed(n.value, n.unit) !== shown)
        found.push(`${where}: quotes ${printed(n.value, n.unit)}, the archive says ${shown}`);
      if (!text.includes(shown)) found.push(`${where}: the message does not print ${shown}`);
      if (n.basis !== undefined) {
        const counts = `${n.basis.part} of ${n.basis.whole}`;
        const expected = reference.basis && `${reference.basis.part} of ${reference.basis.whole}`;
        if (counts !== expected)
          found.push(`${where}: quotes ${counts}, the archive says ${expected ?? 'no counts'}`);
      }
      const value = reference.value;
      if (n.kind === 'fired' || n.kind === 'escalated') {
        if (!beyond(rule, value, thresholdOf(rule, n.severity)))
          found.push(`${where}: ${shown} is not beyond the ${n.severity} threshold it announces`);
      }
      if (n.kind === 'resolved' && !backPast(rule, value, rule.recovery)) {
        found.push(`${where}: ${shown} is called resolved but is not back past ${rule.recovery}`);
      }
      if (n.kind === 'resolved' && n.durationMs !== undefined) {
        const began = Date.parse(n.breachedAt ?? n.firedAt);
        const ended = Date.parse(n.endedAt ?? n.resolvedAt ?? '');
        if (ended - began !== n.durationMs)
          found.push(`${where}: lasted ${n.durationMs} ms, its times say ${ended - began}`);
        if (!text.includes(`(${printedDuration(ended - began)})`))
          found.push(`${where}: does not print its duration ${printedDuration(ended - began)}`);
      }
    }
  }
  return found;
}

/**
 * A reminder never quotes a value on the healthy side as firing: during its recovery runs a rule
 * reads "recovering" (#27 Build 2). Before that wording, a reminder falling due in a recovery run
 * said "Still firing: … 90.9% (CRIT until ≥ 65%)", and this property found it ("a healthy -10.5% is
 * called still firing" for volume-drop).
 */
export function recoveringViolations(day: SimulatedDay): string[] {
  const { spec } = day;
  const oracle = new Oracle(day.archive, spec.timeZone);
  const rules = new Map(spec.ruleSet.rules.map((rule) => [rule.id, rule]));
  const found: string[] = [];
  for (const run of day.runs) {
    const text = textOf(run.messages);
    for (const n of run.sent.filter(isRule)) {
      const rule = rules.get(n.ruleId);
      if (rule === undefined || n.kind !== 'repeat' || n.value === null) continue;
      const value = oracle.measure(
        rule,
        n.valueAt === undefined ? run.at : new Date(n.valueAt),
        spec.lineCapacity,
      )?.value;
      if (value === undefined || beyond(rule, value, thresholdOf(rule, n.severity))) continue;
      const healthy = n.clearsAt === undefined || backPast(rule, value, n.clearsAt);
      if (healthy && !/recovering/i.test(text)) {
        found.push(
          `${wallClock(run.at, spec.timeZone).hhmm} ${n.ruleId}: a healthy ${printed(value, n.unit)} is called still firing`,
        );
      }
    }
  }
  return found;
}

/** The condition began at a run the archive shows breaching, and ended at one it shows healthy. */
export function episodeViolations(day: SimulatedDay): string[] {
  const { spec, state } = day;
  const found: string[] = [];
  const byRule = new Map<string, RuleNotification[]>();
  for (const n of day.runs.flatMap((run) => run.sent).filter(isRule)) {
    byRule.set(n.ruleId, [...(byRule.get(n.ruleId) ?? []), n]);
  }
  for (const [ruleId, notifications] of byRule) {
    const opens = notifications.filter((n) => n.kind === 'fired' || n.kind === 'resolved').map((n) => n.kind);
    opens.forEach((kind, index) => {
      const expected = index % 2 === 0 ? 'fired' : 'resolved';
      if (kind !== expected) found.push(`${ruleId}: ${kind} where ${expected} was due (${opens.join(', ')})`);
    });
    const stillFiring = opens.at(-1) === 'fired';
    const status = state.rules[ruleId]?.status;
    if (stillFiring && status !== 'firing')
      found.push(`${ruleId}: fired, never resolved, yet the state says ${status}`);
  }
  void spec;
  return found;
}

/**
 * Reminders on the rules file's cadence, for the group (README, Alerts): after each message with
 * news (an alert fired, escalated or eased) at most as many reminder messages as the cadence has
 * come due by the next news, or by the end of the day.
 */
export function postViolations(day: SimulatedDay): string[] {
  const { reminders } = day.spec.ruleSet;
  const found: string[] = [];
  let since: number | undefined;
  let repeats = 0;
  const close = (until: number) => {
    if (since === undefined) return;
    const bound = remindersWithin(until - since, reminders);
    if (repeats > bound)
      found.push(
        `${repeats} reminder messages in ${printedDuration(until - since)} after news, at most ${bound} are due`,
      );
  };
  for (const run of day.runs) {
    const rules = run.sent.filter(isRule);
    if (rules.some((n) => n.kind === 'fired' || n.kind === 'escalated' || n.kind === 'de-escalated')) {
      close(run.at.getTime());
      since = run.at.getTime();
      repeats = 0;
    } else if (rules.some((n) => n.kind === 'repeat')) {
      repeats += 1;
    }
  }
  close(day.runs.at(-1)?.at.getTime() ?? 0);
  return found;
}

/** How many reminders the cadence allows within `ms`: the first after everyMinutes, then backed off. */
export function remindersWithin(
  ms: number,
  policy: { everyMinutes: number; backoff: number; maxEveryMinutes: number },
): number {
  let due = 0;
  let at = 0;
  for (let sent = 0; ; sent++) {
    at += Math.min(policy.everyMinutes * policy.backoff ** sent, policy.maxEveryMinutes) * 60_000;
    if (at > ms) return due;
    due += 1;
  }
}

/** Replay of the archive owes what the live run sent, marked as a replay; the digests agree. */
export function replayViolations(day: SimulatedDay): string[] {
  const found: string[] = [];
  const describe = (at: Date, n: Notification) =>
    `${at.toISOString()} ${n.kind} ${isRule(n) ? `${n.ruleId} ${n.severity} ${n.value}` : ''}`;
  const live = day.runs.flatMap((run) => run.sent.filter(isRule).map((n) => describe(run.at, n)));
  // After the day's last check, replay evaluates the end of the last hour, which the live run did not.
  const lastRun = day.runs.at(-1)?.at.getTime() ?? 0;
  const replayed = day.replayAlerts
    .filter(({ at }) => at.getTime() <= lastRun)
    .flatMap(({ at, notifications }) => notifications.filter(isRule).map((n) => describe(at, n)));
  if (!day.runs.some((run) => run.failed) && live.join('\n') !== replayed.join('\n')) {
    found.push(
      `replay differs from the live run:\nlive:\n${live.join('\n')}\nreplay:\n${replayed.join('\n')}`,
    );
  }
  for (const message of day.replayMessages) {
    if (!JSON.stringify(message.blocks[0]).includes(`REPLAY · ${MONITOR_NAME}`))
      found.push('a replayed alert is not marked REPLAY');
  }
  if (!JSON.stringify(day.replayDigest.blocks[0]).includes(`REPLAY · ${MONITOR_NAME}`))
    found.push('the replayed digest is not marked REPLAY');
  const liveHeader = JSON.stringify(day.digest.blocks[0]);
  if (!liveHeader.includes(MONITOR_NAME) || liveHeader.includes('REPLAY'))
    found.push(`the digest header is ${liveHeader}`);
  return found;
}

/** The digest's headline figures are the whole day's, and it lists the day's alerts. */
export function digestViolations(day: SimulatedDay): string[] {
  const { spec } = day;
  const found: string[] = [];
  const oracle = new Oracle(day.archive, spec.timeZone);
  const row = oracle.dailyRow(spec.date);
  const text = textOf([day.digest]);
  const calls = row?.total_calls;
  if (typeof calls === 'number' && calls > 0) {
    const shown = `*${printed(calls, 'count')} calls*`;
    if (!text.includes(shown)) found.push(`the digest does not say ${shown}`);
    const rate = rateOf(row, 'transfer_success_rate');
    if (rate !== undefined && !text.includes(`transfer success *${printed(rate, 'rate')}*`))
      found.push(`the digest does not say transfer success ${printed(rate, 'rate')}`);
  }
  if (calls === 0 && text.includes('Nothing needs attention'))
    found.push('a day without calls reads "Nothing needs attention"');
  const fired = day.runs.flatMap((run) => run.sent).filter((n) => n.kind === 'fired').length;
  const listed = /\*Alerts\* · (\d+)/.exec(text)?.[1];
  if (fired !== Number(listed ?? 0))
    found.push(`${fired} alerts fired, the digest lists ${listed ?? 'none'}`);
  return found;
}

export const ALL_PROPERTIES = [
  figureViolations,
  recoveringViolations,
  episodeViolations,
  postViolations,
  replayViolations,
  digestViolations,
] as const;
