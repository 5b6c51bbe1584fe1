import { evaluateRules } from '../domain/alerts/evaluate';
import type { Notification } from '../domain/alerts/notify';
import { markNotified } from '../domain/alerts/notify';
import { buildAlertMessage } from '../domain/alerts/render';
import type { Rule } from '../domain/alerts/rules';
import { emptyAlertState, recordRunSuccess } from '../domain/alerts/state';
import { deriveDaySoFar } from '../domain/derive-day-so-far';
import { buildDigest } from '../domain/digest/build-digest';
import { fromWallClock, parseWallClock } from '../domain/local-time';
import type { ObjectStore } from '../domain/object-store';
import { shiftDate, wholeDayWindow, windowEndInstant } from '../domain/query-window';
import { parseRawKey, RAW_PREFIX } from '../domain/raw-archive';
import type { Notifier, SlackMessage } from '../domain/slack/slack-message';
import { parseStatistics, type StatisticsResponse } from '../domain/statistics-schema';
import { type ArchivedDay, readArchivedDay } from './archived-days';
import { datesBetween } from './date-range';
import { firedAlertsOn } from './fired-alerts';

/**
 * Replay: what the rules (the deployed ones or new ones being tuned) would have said over past days,
 * from the archive alone: no AIRUDDER call is made and no alert state is read or written. Starting
 * from an empty state it evaluates every local hour of every day in the range, as a check at the end
 * of that hour would have: from a check response archived for (end − 15 min, end] when there is one,
 * otherwise from the day's whole-day response cut at that hour (`deriveDaySoFar`, an approximation).
 * Each hour's notifications are recorded as delivered, so reminders and resolutions follow as they
 * would have; each day ends with its digest. Nothing is sent unless `post` is given.
 */

export interface ReplayDeps {
  readonly store: ObjectStore;
  readonly rules: readonly Rule[];
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
}

/** An archived check stands for the hour ending at `at` when scheduled within this much before it. */
export const CHECK_TOLERANCE_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;

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
    const [previousDay, weekAgo, checks] = await Promise.all([
      readDay(shiftDate(date, -1)),
      readDay(shiftDate(date, -7)),
      archivedChecks(store, date),
    ]);
    const dayHours: Record<HourSource, number> = { check: 0, derived: 0 };
    for (const at of hourEnds(date, timeZone)) {
      const checked = await checkNear(store, checks, at);
      const source: HourSource = checked === undefined ? 'derived' : 'check';
      dayHours[source] += 1;
      const evaluation = evaluateRules({
        rules,
        state: recordRunSuccess(state, at),
        statistics: checked ?? deriveDaySoFar(day.statistics, date, at, timeZone),
        lastWeek: weekAgo?.statistics,
        latestOffline: previousDay?.statistics,
        at,
        timeZone,
        lineCapacity: deps.lineCapacity,
      });
      // `at` only moves forward, so every hour is evaluated; the guard keeps the types honest.
      if (evaluation.outcome !== 'evaluated') continue;
      const { notifications } = evaluation;
      if (notifications.length > 0 && deps.post) {
        await deps.post.alertNotifier.send(buildAlertMessage(notifications, { at, timeZone }));
        posted += 1;
      }
      // As if Slack accepted every message: repeats and resolutions then follow as they would have.
      state = markNotified(evaluation.state, notifications, at);
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
  return { days: replayed, missingDays, hours, notifications: notificationCounts, posted };
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

interface ArchivedCheck {
  readonly key: string;
  readonly referenceTime: number;
}

async function archivedChecks(store: ObjectStore, date: string): Promise<ArchivedCheck[]> {
  return (await store.list(`${RAW_PREFIX}check/${date}/`))
    .flatMap((key) => {
      const parts = parseRawKey(key);
      return parts === undefined ? [] : [{ key, referenceTime: parts.referenceTime.getTime() }];
    })
    .sort((a, b) => b.referenceTime - a.referenceTime);
}

/** The latest valid check response scheduled in (at − 15 min, at]. */
async function checkNear(
  store: ObjectStore,
  checks: readonly ArchivedCheck[],
  at: Date,
): Promise<StatisticsResponse | undefined> {
  const near = checks.filter(
    ({ referenceTime }) => referenceTime <= at.getTime() && referenceTime > at.getTime() - CHECK_TOLERANCE_MS,
  );
  for (const { key } of near) {
    const object = await store.get(key);
    const parsed = object && parseStatistics(object.bytes);
    if (parsed?.verdict === 'valid') return parsed.value;
  }
  return undefined;
}
