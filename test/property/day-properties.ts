import type { Notification, RuleNotification } from '../../lambda/domain/alerts/notify';
import type { Rule } from '../../lambda/domain/alerts/rules';
import type { SlackMessage } from '../../lambda/domain/slack/slack-message';
import { Oracle, printed, printedDuration, rateOf, wallClock } from './oracle';
import { MONITOR_NAME, type SimulatedDay } from './simulate-day';

/**
 * What must hold for every message of a simulated day, each as a list of violations (empty: holds).
 * Figures are compared with the oracle's to the precision a message prints.
 */

/** Runs land on a schedule; a minute's grace, as the product gives its reminder cadence. */
const GRACE_MS = 60_000;

const isRule = (notification: Notification): notification is RuleNotification => 'ruleId' in notification;

/** One reference per day, shared by the properties: it reads each archived response once. */
const oracles = new WeakMap<SimulatedDay, Oracle>();
function oracleOf(day: SimulatedDay): Oracle {
  const known = oracles.get(day);
  if (known !== undefined) return known;
  const oracle = new Oracle(day.archive, day.spec.timeZone);
  oracles.set(day, oracle);
  return oracle;
}

/**
 * The resolutions the day's last run held for the group's next message (webhook mode), keyed by
 * rule and episode: the day ended before the group spoke, less than one reminder interval after its
 * last post (the longest anything waits). They go out with the next day's first runs.
 */
function pendingResolutions(day: SimulatedDay): Map<string, RuleNotification> {
  const last = day.runs.at(-1);
  const pending = new Map<string, RuleNotification>();
  for (const { notification, reason } of last?.held ?? []) {
    if (reason.stage === 'waiting' && isRule(notification) && notification.kind === 'resolved')
      pending.set(`${notification.ruleId} ${notification.firedAt}`, notification);
  }
  return pending;
}

/** When the day's alert messages were last posted (epoch ms), if ever. */
const lastAlertPost = (day: SimulatedDay): number | undefined =>
  day.runs.findLast((run) => run.messages.length > 0 && run.sent.some(isRule))?.at.getTime();

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
  const oracle = oracleOf(day);
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
  const oracle = oracleOf(day);
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
      if (value === undefined) continue;
      if (n.recovering !== undefined && beyond(rule, value, thresholdOf(rule, n.severity))) {
        found.push(
          `${wallClock(run.at, spec.timeZone).hhmm} ${n.ruleId}: a breaching ${printed(value, n.unit)} is called recovering`,
        );
      }
      if (beyond(rule, value, thresholdOf(rule, n.severity))) continue;
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
    // A resolution of an alert never announced (webhook mode: it came and went while waiting for the
    // group's next message) opens and closes in one line.
    const opens = notifications
      .filter((n) => n.kind === 'fired' || (n.kind === 'resolved' && n.unannounced !== true))
      .map((n) => n.kind);
    opens.forEach((kind, index) => {
      const expected = index % 2 === 0 ? 'fired' : 'resolved';
      if (kind !== expected) found.push(`${ruleId}: ${kind} where ${expected} was due (${opens.join(', ')})`);
    });
    const stillFiring = opens.at(-1) === 'fired';
    const status = state.rules[ruleId]?.status;
    const pending = [...pendingResolutions(day).values()].some((n) => n.ruleId === ruleId);
    if (stillFiring && status !== 'firing' && !pending)
      found.push(`${ruleId}: fired, never resolved, yet the state says ${status}`);
  }
  // What waits for the group's next message waits at most one reminder interval after its last post
  // (an easing waits for its own alert's next message).
  const lastPost = lastAlertPost(day);
  const lastRun = day.runs.at(-1)?.at.getTime() ?? 0;
  const interval = spec.ruleSet.reminders.everyMinutes * 60_000 - GRACE_MS;
  for (const { notification, reason } of day.runs.at(-1)?.held ?? []) {
    if (
      reason.stage === 'waiting' &&
      notification.kind !== 'de-escalated' &&
      lastPost !== undefined &&
      lastRun - lastPost >= interval
    )
      found.push(
        `${notification.kind} ${isRule(notification) ? notification.ruleId : ''} still waits at the day's end, ${printedDuration(lastRun - lastPost)} after the group's last post`,
      );
  }
  // Every episode that began is resolved, or its rule is still in it (pending or firing).
  for (const episode of state.episodes) {
    const rule = state.rules[episode.ruleId];
    const closed = episode.ended !== undefined && episode.resolvedAt !== undefined;
    const current = rule !== undefined && rule.status !== 'ok' && rule.breachedAt === episode.began;
    if (!closed && !current)
      found.push(`${episode.ruleId}: the episode begun ${episode.began} is neither resolved nor current`);
    if (closed && episode.firedAt === undefined)
      found.push(`${episode.ruleId}: the episode begun ${episode.began} closed without firing`);
  }
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
  const oracle = oracleOf(day);
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
  const said = announcedEpisodes(day).length;
  const listed = /\*Alerts\* · (\d+)/.exec(text)?.[1];
  if (said !== Number(listed ?? 0))
    found.push(`${said} alerts were announced, the digest lists ${listed ?? 'none'}`);
  return found;
}

/** An alert episode as the day's alert messages tell it. */
interface ToldEpisode {
  readonly ruleId: string;
  readonly firedAt: string;
  readonly began: string;
  /** The first healthy run, from its resolution; absent while still firing. */
  readonly ended?: string;
  readonly resolvedAt?: string;
  /** The highest severity a message announced. */
  readonly peak: 'warn' | 'crit';
  /** Its resolution waited for the group's next message when the day ended: no message says it yet. */
  readonly pending?: true;
}

/** The episodes the alert messages announced: fired (then maybe resolved), or resolved unannounced. */
function announcedEpisodes(day: SimulatedDay): ToldEpisode[] {
  const episodes = new Map<string, ToldEpisode>();
  const rank = { warn: 1, crit: 2 } as const;
  for (const n of day.runs.flatMap((run) => run.sent).filter(isRule)) {
    const id = `${n.ruleId} ${n.firedAt}`;
    const known = episodes.get(id);
    const peakSaid = n.kind === 'resolved' ? (n.peak?.severity ?? n.severity) : n.severity;
    const peak = known === undefined || rank[peakSaid] > rank[known.peak] ? peakSaid : known.peak;
    episodes.set(id, {
      ruleId: n.ruleId,
      firedAt: n.firedAt,
      began: n.breachedAt,
      ...(n.kind === 'resolved' ? { ended: n.endedAt, resolvedAt: n.resolvedAt } : {}),
      ...(known?.ended === undefined ? {} : { ended: known.ended, resolvedAt: known.resolvedAt }),
      peak,
    });
  }
  // A resolution still waiting at the day's end closes its episode as the next message will say.
  for (const [id, n] of pendingResolutions(day)) {
    const known = episodes.get(id);
    if (known === undefined || known.ended !== undefined) continue;
    const peak = n.peak?.severity === 'crit' ? 'crit' : known.peak;
    episodes.set(id, { ...known, ended: n.endedAt, resolvedAt: n.resolvedAt, peak, pending: true });
  }
  return [...episodes.values()];
}

/** The text of every block of a message (sections, headers, context), in order. */
function blockTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => {
    const record = block as { text?: { text?: string }; elements?: Array<{ text?: string }> };
    return [record.text?.text ?? '', ...(record.elements ?? []).map((element) => element.text ?? '')];
  });
}

/**
 * The digest's alert list tells each episode as the alert messages did (#27): the same times (first
 * breaching run, first healthy run, how long), the same peak severity, and the worst value any check
 * measured during it, recomputed by the oracle from the archived windows. Each message printed the
 * times it carries.
 */
export function digestEpisodeViolations(day: SimulatedDay): string[] {
  const { spec } = day;
  const oracle = oracleOf(day);
  const rules = new Map(spec.ruleSet.rules.map((rule) => [rule.id, rule]));
  const lines = blockTexts(day.digest)
    .flatMap((text) => text.split('\n'))
    .filter((line) => /^(🚨 CRIT|⚠️ WARN) \*/u.test(line));
  const cut = blockTexts(day.digest).some((text) => text.includes('…and '));
  const clock = (iso: string) => wallClock(new Date(iso), spec.timeZone).hhmm;
  const found: string[] = [];
  for (const episode of announcedEpisodes(day)) {
    const rule = rules.get(episode.ruleId);
    if (rule === undefined) continue;
    const from = clock(episode.began);
    const when =
      episode.ended === undefined
        ? `${from}, still firing`
        : `${from}–${clock(episode.ended)} (${printedDuration(Date.parse(episode.ended) - Date.parse(episode.began))})`;
    // The messages printed the same times: "since 10:15" when it fired, "10:15–11:30 (1h 15m)" at the end.
    const told = day.runs.flatMap((run) => run.messages).map((message) => blockTexts(message).join('\n'));
    if (
      !told.some((text) => text.includes(rule.title) && text.includes(`since ${from}`)) &&
      episode.ended === undefined
    )
      found.push(`${episode.ruleId}: no message says it fired "since ${from}"`);
    if (
      episode.ended !== undefined &&
      episode.pending !== true &&
      !told.some((text) => text.includes(when.replace(/^.*?–/, `${from}–`)))
    )
      found.push(`${episode.ruleId}: no message says ${when}`);
    const severity = episode.peak === 'crit' ? '🚨 CRIT' : '⚠️ WARN';
    const line = lines.find(
      (candidate) => candidate.startsWith(`${severity} *${rule.title}*`) && candidate.endsWith(` · ${when}`),
    );
    if (line === undefined) {
      if (!cut)
        found.push(`${episode.ruleId}: the digest has no line "${severity} *${rule.title}* … · ${when}"`);
      continue;
    }
    // The worst value a check judged from the first breaching run to the resolving one.
    const until = Date.parse(episode.resolvedAt ?? day.runs.at(-1)?.at.toISOString() ?? '');
    let worst: number | undefined;
    for (const run of day.runs) {
      const at = run.at.getTime();
      if (run.failed || at < Date.parse(episode.began) || at > until) continue;
      const measured = oracle.measure(rule, run.at, spec.lineCapacity);
      if (measured === undefined || (measured.calls !== undefined && measured.calls < rule.minCalls))
        continue;
      if (worst === undefined || beyond(rule, measured.value, worst)) worst = measured.value;
    }
    const unit = day.runs.flatMap((run) => run.sent).find((n) => isRule(n) && n.ruleId === rule.id);
    if (
      worst !== undefined &&
      unit !== undefined &&
      isRule(unit) &&
      ['rate', 'change', 'count'].includes(unit.unit)
    ) {
      const shown = ` · worst ${printed(worst, unit.unit)} · `;
      if (!line.includes(shown))
        found.push(`${episode.ruleId}: the digest says "${line}", the archive's worst is${shown}`);
    }
  }
  return found;
}

/**
 * Posts per incident stay within the bound docs/alerts-and-rules.md states for webhook mode: an
 * incident (from the post that first announces an alert while none is announced, to the post that
 * resolves the last one) posts its first message, one per CRIT push (an alert firing at CRIT, or
 * escalating), the reminders its cadence allows, one group update per reminder interval of silence,
 * and its last resolution; nothing else is a post of its own (easing, WARN joins, partial resolutions
 * wait for one of those, or for a group update once the group has been silent one reminder interval).
 * Posts about the monitor itself are not the incident's.
 */
export function incidentPostViolations(day: SimulatedDay): string[] {
  const { reminders } = day.spec.ruleSet;
  const found: string[] = [];
  // The alerts the posts announced, with the severity they last said.
  const announced = new Map<string, 'warn' | 'crit'>();
  const interval = reminders.everyMinutes * 60_000 - GRACE_MS;
  let incident:
    | { start: number; news: number[]; pushes: number; updates: number; posts: number; lastPost: number }
    | undefined;
  const close = (until: number, closing: boolean) => {
    if (incident === undefined) return;
    // The cadence restarts at each post with news (a CRIT push, or a group update saying an alert fired).
    const news = [incident.start, ...incident.news, until];
    const allowed = news
      .slice(1)
      .reduce((sum, at, index) => sum + remindersWithin(at - (news[index] ?? at), reminders), 0);
    const bound = 1 + incident.pushes + allowed + incident.updates + (closing ? 1 : 0);
    if (incident.posts > bound)
      found.push(
        `an incident from ${wallClock(new Date(incident.start), day.spec.timeZone).hhmm} posted ${incident.posts} messages, the bound is ${bound} (1 + ${incident.pushes} CRIT pushes + ${allowed} reminders + ${incident.updates} group updates${closing ? ' + its resolution' : ''})`,
      );
  };
  for (const run of day.runs) {
    const rules = run.sent.filter(isRule);
    if (run.messages.length === 0 || rules.length === 0) continue;
    const at = run.at.getTime();
    const opening = announced.size === 0;
    // A post that resolves the incident's last announced alert while announcing one that waited to
    // join closes the incident and opens the next (the product applies resolutions first, and its
    // reminder cadence restarts there): it is the one's resolution and the other's first post.
    const resolving = new Set(
      rules.filter((n) => n.kind === 'resolved' && n.unannounced !== true).map((n) => n.ruleId),
    );
    const handover =
      incident !== undefined &&
      !opening &&
      resolving.size > 0 &&
      [...announced.keys()].every((id) => resolving.has(id)) &&
      rules.some((n) => n.kind === 'fired');
    if (handover && incident !== undefined) {
      incident.posts += 1;
      close(at, true);
      incident = undefined;
      announced.clear();
    }
    // A push makes the incident CRIT: an alert firing at or escalating to CRIT while no other
    // announced alert is CRIT already.
    const push = rules.some(
      (n) =>
        (n.kind === 'escalated' || (n.kind === 'fired' && n.severity === 'crit')) &&
        ![...announced].some(([id, severity]) => id !== n.ruleId && severity === 'crit'),
    );
    for (const n of rules) {
      if (n.kind === 'resolved') {
        if (n.unannounced !== true) announced.delete(n.ruleId);
      } else announced.set(n.ruleId, n.severity);
    }
    if (opening || handover) {
      if (announced.size === 0) continue; // only alerts that came and went unannounced
      incident = { start: at, news: [], pushes: 0, updates: 0, posts: 1, lastPost: at };
      continue;
    }
    if (incident === undefined) continue;
    incident.posts += 1;
    const reminder = rules.some((n) => n.kind === 'repeat');
    const closing = announced.size === 0;
    // What waited for the group's next message goes out alone once the group has been silent for one
    // reminder interval: a group update, at most one an interval, never only an easing.
    const update = at - incident.lastPost >= interval && rules.some((n) => n.kind !== 'de-escalated');
    incident.lastPost = at;
    if (push) {
      incident.pushes += 1;
      incident.news.push(at);
    } else if (!reminder && !closing) {
      if (update) {
        incident.updates += 1;
        if (rules.some((n) => n.kind === 'fired' || n.kind === 'escalated')) incident.news.push(at);
      } else
        found.push(
          `${wallClock(run.at, day.spec.timeZone).hhmm}: a post of its own for ${rules.map((n) => `${n.kind} ${n.ruleId}`).join(', ')}, within one reminder interval of the group's last post`,
        );
    }
    if (closing) {
      close(at, true);
      incident = undefined;
    }
  }
  close(day.runs.at(-1)?.at.getTime() ?? 0, false);
  return found;
}

export const ALL_PROPERTIES = [
  figureViolations,
  recoveringViolations,
  episodeViolations,
  postViolations,
  replayViolations,
  digestViolations,
  digestEpisodeViolations,
  incidentPostViolations,
] as const;
