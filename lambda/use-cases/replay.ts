import { evaluateRules } from '../domain/alerts/evaluate';
import { quantile } from '../domain/alerts/evidence';
import { isRuleNotification, markNotified, type Notification } from '../domain/alerts/notify';
import { outgoing } from '../domain/alerts/outgoing';
import { buildAlertMessage } from '../domain/alerts/render';
import { DEFAULT_REMINDERS, type RepeatPolicy, type Rule } from '../domain/alerts/rules';
import { emptyAlertState, recordRunSuccess } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import { buildDigest } from '../domain/digest/build-digest';
import { fromWallClock, parseWallClock, toWallClock } from '../domain/shared/local-time';
import type { Notifier, SlackMessage } from '../domain/slack/slack-message';
import { deriveDaySoFar } from '../domain/statistics/derive-day-so-far';
import { shiftDate, wholeDayWindow, windowEndInstant } from '../domain/statistics/query-window';
import type { StatisticsResponse } from '../domain/statistics/schema';
import { type ArchivedDay, readArchivedDay } from './archived-days';
import { datesBetween } from './date-range';
import {
  createArchiveReader,
  type EvaluationReading,
  readEvaluationInput,
  windowsAt,
} from './evaluation-input';
import { firedAlertsOn } from './fired-alerts';
import { windowLengths } from './run-check';
import { forEachConcurrently } from './run-concurrently';

/**
 * Replay: what the rules (the deployed ones or new ones being tuned) would have said over past days,
 * from the archive alone: no AIRUDDER call is made and no alert state is read or written. Starting
 * from an empty state it evaluates, in time order, every check archived for each day in the range at
 * its scheduled time, with the same archived inputs the live check read (`readEvaluationInput`), so it
 * measures what the live run measured; and the end of every local hour without an archived check,
 * from the day's whole-day response cut at that hour (`deriveDaySoFar`, an approximation). Each
 * evaluation's notifications are recorded as delivered, so reminders and resolutions follow as they
 * would have; each day ends with its digest. Nothing is sent unless `post` is given.
 */

export interface ReplayDeps {
  readonly store: ObjectStore;
  /** MONITOR_NAME, heading posted messages. */
  readonly monitorName?: string;
  readonly rules: readonly Rule[];
  /** The group's reminder cadence; default the rules file default. */
  readonly reminders?: RepeatPolicy;
  readonly timeZone: string;
  readonly lineCapacity: number | undefined;
  readonly topN: number;
  /** Only when asked to post: alert messages and digests go here, as the live runs would send them. */
  readonly post?: { readonly alertNotifier: Notifier; readonly digestNotifier: Notifier };
}

export interface ReplayRequest {
  /** 'YYYY-MM-DD', account-local, both included. */
  readonly from: string;
  readonly to: string;
  readonly onEvent?: (event: ReplayEvent) => void;
}

export type HourSource = 'check' | 'derived';

export type ReplayEvent =
  | { readonly kind: 'day-missing'; readonly date: string }
  | {
      readonly kind: 'alerts';
      readonly date: string;
      /** The end of the hour evaluated (the day's last second for its last hour). */
      readonly at: Date;
      readonly source: HourSource;
      readonly notifications: readonly Notification[];
      readonly posted: boolean;
    }
  | {
      readonly kind: 'digest';
      readonly date: string;
      readonly message: SlackMessage;
      readonly posted: boolean;
      readonly hours: Readonly<Record<HourSource, number>>;
    };

export interface ReplayResult {
  readonly days: number;
  readonly missingDays: readonly string[];
  readonly hours: Readonly<Record<HourSource, number>>;
  /** Notifications by kind ('fired', 'resolved', 'repeat'…). */
  readonly notifications: Readonly<Record<string, number>>;
  /** Messages sent (alert messages and digests); 0 without `post`. */
  readonly posted: number;
  /**
   * Rolling windows the rules judge, per evaluation: read from the archive (as the check fetched
   * them), derived from the day's hourly row (a 60-min window ending on the hour is that row), or
   * missing (the rules judged on it had no data).
   */
  readonly windows: Readonly<Record<'archived' | 'derived' | 'missing', number>>;
  /** Per rule, what the rules would have cost and caught: the tuning report. */
  readonly noise: readonly RuleNoise[];
}

/**
 * One rule's noise over the replayed range, in the detection benchmark's columns (median and 90th
 * percentile delays, messages per episode, alerts per 30 days and at night, flaps), so real history
 * reads like the bench.
 */
export interface RuleNoise {
  readonly ruleId: string;
  /** Alert messages that carried this rule (a message with several rules counts for each). */
  readonly messages: number;
  readonly messagesPerDay: number;
  /** Hours spent firing (announced to resolved, or to the end of the range). */
  readonly alertHours: number;
  readonly episodes: number;
  /** Messages per episode; undefined without an episode. */
  readonly messagesPerEpisode?: number;
  /** Minutes from the first breaching run to the fired message: median and 90th percentile. */
  readonly detectionMedianMinutes?: number;
  readonly detectionP90Minutes?: number;
  /** Median minutes from the first healthy run to the resolved message. */
  readonly resolutionMedianMinutes?: number;
  /** Episodes announced between 22:00 and 06:00 local: the alerts that wake someone. */
  readonly nightAlerts: number;
  /** Episodes per 30 replayed days: the benchmark's false-alert rate, where history had no incident. */
  readonly episodesPer30Days: number;
  /**
   * Episodes that fired within an hour of the same rule's resolution: the benchmark's flaps (an alert
   * resolved while its problem went on), as far as history without a known incident can tell.
   */
  readonly flaps: number;
  /** The most messages one episode cost; undefined without an episode. */
  readonly messagesPerEpisodeMax?: number;
}

/** A rule that fires again within this long of its resolution counts as a flap. */
export const FLAP_WITHIN_MS = 3_600_000;

/** An archived check stands for the hour ending at `at` when scheduled within this much before it. */
export const CHECK_TOLERANCE_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;
/** A day's archived checks and windows are read this many at a time (S3 answers each in ~20 ms). */
export const REPLAY_READ_CONCURRENCY = 8;

export async function replay(deps: ReplayDeps, request: ReplayRequest): Promise<ReplayResult> {
  const { store, rules, timeZone } = deps;
  const emit = request.onEvent ?? (() => {});
  const days = new Map<string, Promise<ArchivedDay | undefined>>();
  const readDay = (date: string) => {
    let day = days.get(date);
    if (day === undefined) {
      day = readArchivedDay(store, date);
      days.set(date, day);
    }
    return day;
  };

  let state = emptyAlertState();
  const minutes = windowLengths(rules);
  const windowCounts = { archived: 0, derived: 0, missing: 0 };
  const noise = new NoiseCounter(timeZone);
  const missingDays: string[] = [];
  const hours: Record<HourSource, number> = { check: 0, derived: 0 };
  const notificationCounts: Record<string, number> = {};
  let replayed = 0;
  let posted = 0;

  for (const date of datesBetween(request.from, request.to)) {
    const day = await readDay(date);
    if (day === undefined) {
      missingDays.push(date);
      emit({ kind: 'day-missing', date });
      continue;
    }
    const [previousDay, weekAgo] = await Promise.all([
      readDay(shiftDate(date, -1)),
      readDay(shiftDate(date, -7)),
    ]);
    // One reader per day: the day's checks and the earlier days it compares with are read once.
    const reader = createArchiveReader(store, { listFoldersFirst: true });
    const checks = await reader.responses('check', date);
    const dayHours: Record<HourSource, number> = { check: 0, derived: 0 };
    // Every evaluation's archived responses are read first, several at a time; the evaluations are
    // then made one after another, as the live checks ran.
    const instants = evaluationInstants(date, timeZone, checks);
    const inputs: EvaluationReading[] = [];
    await forEachConcurrently(instants, REPLAY_READ_CONCURRENCY, async ({ at, checked }, index) => {
      const windows = await windowsAt(reader, at, minutes, timeZone, windowCounts);
      const statistics = checked ?? deriveDaySoFar(day.statistics, date, at, timeZone);
      inputs[index] = await readEvaluationInput(reader, deps, at, { statistics, windows });
    });
    for (const [index, { at, checked }] of instants.entries()) {
      const reading = inputs[index];
      if (reading === undefined) continue;
      const source: HourSource = checked === undefined ? 'derived' : 'check';
      dayHours[source] += 1;
      const evaluation = evaluateRules({
        ...reading,
        state: recordRunSuccess(state, at),
        reminders: deps.reminders ?? DEFAULT_REMINDERS,
      });
      // `at` only moves forward, so every instant is evaluated; the guard keeps the types honest.
      if (evaluation.outcome !== 'evaluated') continue;
      // What the check would have sent: mute periods hold (replay starts with no snooze or claim).
      const { send: notifications } = outgoing(evaluation.state, evaluation.notifications, at, {
        rules,
        timeZone,
        reminders: deps.reminders ?? DEFAULT_REMINDERS,
      });
      if (notifications.length > 0 && deps.post) {
        await deps.post.alertNotifier.send(
          buildAlertMessage(notifications, {
            at,
            timeZone,
            replay: true,
            ...(deps.monitorName === undefined ? {} : { monitorName: deps.monitorName }),
          }),
        );
        posted += 1;
      }
      // As if Slack accepted every message: repeats and resolutions then follow as they would have.
      state = markNotified(evaluation.state, notifications, at);
      noise.count(at, notifications);
      for (const notification of notifications) {
        notificationCounts[notification.kind] = (notificationCounts[notification.kind] ?? 0) + 1;
      }
      if (notifications.length > 0) {
        emit({ kind: 'alerts', date, at, source, notifications, posted: deps.post !== undefined });
      }
    }
    const message = buildDigest({
      date,
      timeZone,
      day: day.statistics,
      previousDay: previousDay?.statistics,
      weekAgo: weekAgo?.statistics,
      alertsFired: firedAlertsOn(state, rules, date, timeZone),
      archiveLocation: day.location,
      topN: deps.topN,
      ...(deps.monitorName === undefined ? {} : { monitorName: deps.monitorName }),
      replay: true,
    });
    if (deps.post) {
      await deps.post.digestNotifier.send(message);
      posted += 1;
    }
    emit({ kind: 'digest', date, message, posted: deps.post !== undefined, hours: dayHours });
    hours.check += dayHours.check;
    hours.derived += dayHours.derived;
    replayed += 1;
  }
  const end = hourEnds(request.to, timeZone).at(-1) ?? new Date();
  return {
    days: replayed,
    missingDays,
    hours,
    notifications: notificationCounts,
    posted,
    windows: windowCounts,
    noise: noise.report(rules, end, replayed),
  };
}

/** The end of every local hour of `date` (23, 24 or 25 of them); the last one is the day's last second. */
export function hourEnds(date: string, timeZone: string): Date[] {
  const window = wholeDayWindow(date, timeZone);
  const midnight = parseWallClock(window.startTime);
  if (midnight === undefined) throw new RangeError(`"${date}" is not a date`);
  const start = fromWallClock(midnight, timeZone);
  const last = windowEndInstant(window).getTime();
  const ends: Date[] = [];
  for (let end = start.getTime() + HOUR_MS; end - HOUR_MS <= last; end += HOUR_MS) {
    ends.push(new Date(Math.min(end, last)));
  }
  return ends;
}

/** An instant replay evaluates, with the check archived for it (absent: derived from the whole day). */
interface ReplayInstant {
  readonly at: Date;
  readonly checked?: StatisticsResponse;
}

/**
 * What replay evaluates on `date`: every check archived for it, at its scheduled time, as the live
 * run evaluated it; and the end of every local hour that has no archived check in the 15 minutes
 * before it, from the whole-day response. In time order.
 */
export function evaluationInstants(
  date: string,
  timeZone: string,
  checks: ReadonlyArray<{ readonly referenceTime: number; readonly statistics: StatisticsResponse }>,
): ReplayInstant[] {
  const byTime = new Map(checks.map((check) => [check.referenceTime, check.statistics]));
  const derived = hourEnds(date, timeZone).filter(
    (end) =>
      !checks.some(
        ({ referenceTime }) =>
          referenceTime <= end.getTime() && referenceTime > end.getTime() - CHECK_TOLERANCE_MS,
      ),
  );
  return [
    ...[...byTime].map(([time, checked]) => ({ at: new Date(time), checked })),
    ...derived.map((at) => ({ at })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Tallies each rule's messages, firing time and delays from the replayed notifications. */
export class NoiseCounter {
  private readonly messages = new Map<string, number>();
  private readonly firingMs = new Map<string, number>();
  private readonly openSince = new Map<string, number>();
  private readonly detection = new Map<string, number[]>();
  private readonly resolution = new Map<string, number[]>();
  private readonly night = new Map<string, number>();
  private readonly lastResolved = new Map<string, number>();
  private readonly flaps = new Map<string, number>();
  private readonly episodeMessages = new Map<string, number>();
  private readonly mostMessages = new Map<string, number>();

  constructor(private readonly timeZone: string) {}

  count(at: Date, notifications: readonly Notification[]): void {
    for (const n of notifications) {
      if (!isRuleNotification(n)) continue;
      this.messages.set(n.ruleId, (this.messages.get(n.ruleId) ?? 0) + 1);
      if (n.kind === 'fired') {
        const resolved = this.lastResolved.get(n.ruleId);
        if (resolved !== undefined && at.getTime() - resolved <= FLAP_WITHIN_MS)
          this.flaps.set(n.ruleId, (this.flaps.get(n.ruleId) ?? 0) + 1);
        this.episodeMessages.set(n.ruleId, 0);
        this.openSince.set(n.ruleId, at.getTime());
        const began = Date.parse(n.breachedAt);
        push(this.detection, n.ruleId, (at.getTime() - began) / 60_000);
        const hour = toWallClock(at, this.timeZone).hour;
        if (hour >= 22 || hour < 6) this.night.set(n.ruleId, (this.night.get(n.ruleId) ?? 0) + 1);
      }
      const episode = this.episodeMessages.get(n.ruleId);
      if (episode !== undefined) {
        this.episodeMessages.set(n.ruleId, episode + 1);
        this.mostMessages.set(n.ruleId, Math.max(episode + 1, this.mostMessages.get(n.ruleId) ?? 0));
      }
      if (n.kind === 'resolved') {
        this.lastResolved.set(n.ruleId, at.getTime());
        this.episodeMessages.delete(n.ruleId);
        this.close(n.ruleId, at.getTime());
        const healthy = Date.parse(n.endedAt ?? n.resolvedAt ?? at.toISOString());
        push(this.resolution, n.ruleId, (at.getTime() - healthy) / 60_000);
      }
    }
  }

  private close(ruleId: string, at: number): void {
    const since = this.openSince.get(ruleId);
    if (since === undefined) return;
    this.firingMs.set(ruleId, (this.firingMs.get(ruleId) ?? 0) + (at - since));
    this.openSince.delete(ruleId);
  }

  report(rules: readonly Rule[], end: Date, days: number): RuleNoise[] {
    for (const ruleId of [...this.openSince.keys()]) this.close(ruleId, end.getTime());
    return rules.map((rule) => {
      const messages = this.messages.get(rule.id) ?? 0;
      const detection = this.detection.get(rule.id) ?? [];
      const resolution = this.resolution.get(rule.id) ?? [];
      const minutes = (values: readonly number[], q: number) => {
        const value = quantile(values, q);
        return value === undefined ? undefined : Math.round(value);
      };
      return withoutUndefined({
        ruleId: rule.id,
        messages,
        messagesPerDay: days === 0 ? 0 : Math.round((messages / days) * 10) / 10,
        alertHours: Math.round(((this.firingMs.get(rule.id) ?? 0) / 3_600_000) * 10) / 10,
        episodes: detection.length,
        messagesPerEpisode:
          detection.length === 0 ? undefined : Math.round((messages / detection.length) * 10) / 10,
        detectionMedianMinutes: minutes(detection, 0.5),
        detectionP90Minutes: minutes(detection, 0.9),
        resolutionMedianMinutes: minutes(resolution, 0.5),
        nightAlerts: this.night.get(rule.id) ?? 0,
        episodesPer30Days: days === 0 ? 0 : Math.round(((detection.length * 30) / days) * 10) / 10,
        flaps: this.flaps.get(rule.id) ?? 0,
        messagesPerEpisodeMax: this.mostMessages.get(rule.id),
      });
    });
  }
}

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

const push = (map: Map<string, number[]>, key: string, value: number) => {
  map.set(key, [...(map.get(key) ?? []), value]);
};
