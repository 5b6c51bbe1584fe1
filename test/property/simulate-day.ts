import type { Incident } from '../../dev/stand-in/incidents';
import { createFinishedHourCache, generateStatisticsBody } from '../../dev/stand-in/statistics-generator';
import type { Notification } from '../../lambda/domain/alerts/notify';
import type { Held } from '../../lambda/domain/alerts/outgoing';
import type { RuleSet } from '../../lambda/domain/alerts/rules';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema } from '../../lambda/domain/alerts/state';
import {
  type ObjectStore,
  PreconditionFailedError,
  type StoredObject,
} from '../../lambda/domain/archive/object-store';
import type { Notifier, SlackMessage } from '../../lambda/domain/slack/slack-message';
import { wholeDayWindow } from '../../lambda/domain/statistics/query-window';
import { parseStatistics } from '../../lambda/domain/statistics/schema';
import { type StatsSource, StatsSourceError } from '../../lambda/domain/statistics/stats-source';
import { silentLogger } from '../../lambda/shared/logger';
import { fetchAndArchive } from '../../lambda/use-cases/fetch-and-archive';
import { readDayAlerts } from '../../lambda/use-cases/fired-alerts';
import { readDocument } from '../../lambda/use-cases/json-document';
import { type ReplayEvent, replay } from '../../lambda/use-cases/replay';
import { type CheckOutcome, runCheck } from '../../lambda/use-cases/run-check';
import { runDigest } from '../../lambda/use-cases/run-digest';
import type { ArchiveBytes } from './oracle';
import { shiftDate, wallClock } from './oracle';

/**
 * One generated day lived as the deployed monitor lives it, in memory and without a network: the
 * week before and the day before archived as the digest archives them, a check every 15 (or 30,
 * or 60) minutes from local midnight to midnight (the AIRUDDER stand-in's generator answering in-process), the
 * digest the next morning, then a replay of the archive with the same rules.
 */

export interface DaySpec {
  readonly seed: number;
  readonly timeZone: string;
  readonly date: string;
  readonly callsPerHourPeak: number;
  /** The check schedule: every 15 minutes as deployed, or every 30 or 60. */
  readonly checkEveryMinutes: 15 | 30 | 60;
  readonly incidents: readonly Incident[];
  /** Quarter hours (0 = 00:00) whose check run gets HTTP 503 from AIRUDDER: no data for that run. */
  readonly failedRuns: readonly number[];
  readonly ruleSet: RuleSet;
  readonly lineCapacity?: number;
}

export interface LiveRun {
  readonly at: Date;
  readonly failed: boolean;
  readonly sent: readonly Notification[];
  /** What the run held (muted, snoozed, waiting for the group's next message…), still owed. */
  readonly held: readonly Held[];
  readonly messages: readonly SlackMessage[];
}

export interface SimulatedDay {
  readonly spec: DaySpec;
  readonly archive: ArchiveBytes;
  readonly runs: readonly LiveRun[];
  readonly state: AlertState;
  readonly digest: SlackMessage;
  readonly replayAlerts: ReadonlyArray<{
    readonly at: Date;
    readonly notifications: readonly Notification[];
  }>;
  readonly replayMessages: readonly SlackMessage[];
  readonly replayDigest: SlackMessage;
}

export const MONITOR_NAME = 'Generated centre';

/** An ObjectStore in memory, with the versions and conditional writes the S3 store has. */
export function createMemoryStore(): ObjectStore & ArchiveBytes {
  const objects = new Map<string, StoredObject>();
  let versions = 0;
  const put = (
    key: string,
    bytes: Uint8Array,
    options: { contentType: string; metadata: Readonly<Record<string, string>> },
  ) => {
    const version = String(++versions);
    objects.set(key, {
      bytes: Uint8Array.from(bytes),
      metadata: { ...options.metadata },
      contentType: options.contentType,
      version,
    });
    return version;
  };
  return {
    describe: (key) => `memory://${key}`,
    async createIfAbsent(key, bytes, options) {
      if (objects.has(key)) return false;
      put(key, bytes, options);
      return true;
    },
    get: async (key) => objects.get(key),
    async getIfChanged(key, knownVersion) {
      const object = objects.get(key);
      if (object === undefined) return undefined;
      return object.version === knownVersion ? 'unchanged' : object;
    },
    async replace(key, bytes, options) {
      const current = objects.get(key)?.version;
      if (current !== options.expectedVersion) {
        throw new PreconditionFailedError(`${key}: version ${current} is not ${options.expectedVersion}`);
      }
      return put(key, bytes, options);
    },
    list: async (prefix) => [...objects.keys()].filter((key) => key.startsWith(prefix)).sort(),
    keys: (prefix) => [...objects.keys()].filter((key) => key.startsWith(prefix)).sort(),
    bytes: (key) => objects.get(key)?.bytes,
  };
}

/** The stand-in's generator behind the StatsSource port, answering at the simulated clock. */
function generatedSource(spec: DaySpec, clock: () => Date, failing: () => boolean): StatsSource {
  const finishedHours = createFinishedHourCache();
  const encoder = new TextEncoder();
  return {
    async fetchStatistics(window) {
      if (failing()) throw new StatsSourceError('AIRUDDER answered HTTP 503', 'api-error');
      const body = generateStatisticsBody({
        seed: spec.seed,
        timeZone: spec.timeZone,
        startTime: window.startTime,
        endTime: window.endTime,
        now: clock(),
        incidents: spec.incidents,
        callsPerHourPeak: spec.callsPerHourPeak,
        finishedHours,
      });
      const bytes = encoder.encode(JSON.stringify(body));
      return {
        bytes,
        httpStatus: 200,
        fetchedAt: clock(),
        latencyMs: 1,
        attempts: 1,
        parsed: parseStatistics(bytes),
      };
    },
  };
}

/** The instant of local `hh:mm` on `date` (the first, on a day that repeats it). */
export function localInstant(date: string, hhmm: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T${hhmm}:00Z`);
  for (let offset = -14 * 60; offset <= 14 * 60; offset += 15) {
    const candidate = new Date(guess - offset * 60_000);
    const clock = wallClock(candidate, timeZone);
    if (clock.date === date && clock.hhmm === hhmm) return candidate;
  }
  throw new Error(`${date} ${hhmm} does not exist in ${timeZone}`);
}

const capturing = (into: SlackMessage[]): Notifier => ({
  async send(message) {
    into.push(message);
  },
});

export async function simulateDay(spec: DaySpec): Promise<SimulatedDay> {
  const { timeZone, date } = spec;
  const store = createMemoryStore();
  let clock = new Date(0);
  let failing = false;
  const source = generatedSource(
    spec,
    () => clock,
    () => failing,
  );
  const fetchDeps = { source, store, logger: silentLogger };

  // The days the live checks and the digest compare with, archived as a digest archives them.
  for (const earlier of [shiftDate(date, -7), shiftDate(date, -1)]) {
    clock = localInstant(shiftDate(earlier, 1), '08:30', timeZone);
    await fetchAndArchive(fetchDeps, {
      kind: 'day',
      window: wholeDayWindow(earlier, timeZone),
      referenceTime: clock,
    });
  }

  const slack: SlackMessage[] = [];
  const midnight = localInstant(date, '00:00', timeZone);
  const end = localInstant(shiftDate(date, 1), '00:00', timeZone);
  const runs: LiveRun[] = [];
  for (
    let at = midnight.getTime(), index = 0;
    at < end.getTime();
    at += spec.checkEveryMinutes * 60_000, index++
  ) {
    clock = new Date(at);
    failing = spec.failedRuns.includes(Math.round((at - midnight.getTime()) / 900_000));
    const before = slack.length;
    // A failed run still delivers what is owed (the group's waiting alerts, "monitor degraded"):
    // what Slack accepted is told here, since the run's error carries no outcome.
    const delivered: Notification[] = [];
    const deps = {
      ...fetchDeps,
      notifier: capturing(slack),
      rules: spec.ruleSet.rules,
      reminders: spec.ruleSet.reminders,
      monitorName: MONITOR_NAME,
      timeZone,
      lineCapacity: spec.lineCapacity,
      failureThreshold: 3,
      runId: `run-${index}`,
      now: () => clock,
      onDelivered: (notifications: readonly Notification[]) => {
        delivered.push(...notifications);
      },
    };
    const outcome: CheckOutcome | Error = await runCheck(deps, { scheduledTime: clock }).catch(
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    const failed = outcome instanceof Error;
    if (failed && !(outcome.cause instanceof StatsSourceError) && !(outcome instanceof StatsSourceError))
      throw outcome;
    const evaluated = !failed && outcome.outcome === 'evaluated';
    const sent = evaluated ? outcome.sent : failed ? delivered : [];
    const held = evaluated ? outcome.held : [];
    runs.push({ at: clock, failed, sent, held, messages: slack.slice(before) });
  }
  failing = false;
  const state = (await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value;
  if (state === undefined) throw new Error('no alert state after a day of checks');

  clock = localInstant(shiftDate(date, 1), '08:30', timeZone);
  const digests: SlackMessage[] = [];
  await runDigest(
    {
      ...fetchDeps,
      notifier: capturing(digests),
      timeZone,
      topN: 5,
      monitorName: MONITOR_NAME,
      runId: 'digest',
      now: () => clock,
      dayAlerts: (day) => readDayAlerts(store, spec.ruleSet.rules, day, timeZone),
    },
    { scheduledTime: clock, date },
  );

  const replayAlerts: Array<{ at: Date; notifications: readonly Notification[] }> = [];
  const replayMessages: SlackMessage[] = [];
  const replayDigests: SlackMessage[] = [];
  await replay(
    {
      store,
      monitorName: MONITOR_NAME,
      rules: spec.ruleSet.rules,
      reminders: spec.ruleSet.reminders,
      timeZone,
      lineCapacity: spec.lineCapacity,
      topN: 5,
      post: { alertNotifier: capturing(replayMessages), digestNotifier: capturing(replayDigests) },
    },
    {
      from: date,
      to: date,
      onEvent: (event: ReplayEvent) => {
        if (event.kind === 'alerts') replayAlerts.push({ at: event.at, notifications: event.notifications });
      },
    },
  );
  const [digest] = digests;
  const [replayDigest] = replayDigests;
  if (digest === undefined || replayDigest === undefined) throw new Error('a digest was not posted');
  return { spec, archive: store, runs, state, digest, replayAlerts, replayMessages, replayDigest };
}
