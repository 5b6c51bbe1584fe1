import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '../../dev/stand-in/seeded-random';
import type { Notification } from '../../lambda/domain/alerts/notify';
import { parseRuleSet, type RuleSet } from '../../lambda/domain/alerts/rules';
import type { StoredObject } from '../../lambda/domain/archive/object-store';
import { fromWallClock, parseWallClock, toWallClock } from '../../lambda/domain/shared/local-time';
import { rollingWindow } from '../../lambda/domain/statistics/query-window';
import { parseStatistics } from '../../lambda/domain/statistics/schema';
import type { StatsSource } from '../../lambda/domain/statistics/stats-source';
import { silentLogger } from '../../lambda/shared/logger';
import { fetchAndArchive } from '../../lambda/use-cases/fetch-and-archive';
import { runCheck } from '../../lambda/use-cases/run-check';
import { MemoryStore } from './memory-store';
import { Traffic, type TrafficIncident, type TrafficShape } from './traffic-model';

/**
 * The detection benchmark: how fast and how rightly a rule set alerts. It generates call-centre days
 * (traffic-model.ts), injects transfer failures of several depths, lengths, start times and
 * volumes, and runs the real scheduled check (`runCheck`: fetch, archive, evaluate, owe, send) every
 * 15 minutes over an in-memory archive that holds the four weeks before each day, as a deployed
 * monitor's would. Per rule set it reports detection delay, missed incidents, false alerts on
 * normal days by hour, resolution delay and Slack messages per incident.
 */

const TIME_ZONE = 'Asia/Jakarta';
const CHECK_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** The incident rule the benchmark scores. */
const TRANSFER_RULE = 'transfer-success-rate';
/** Monday 2026-03-02: normal days run from here; incident days cycle Monday to Saturday of that week. */
const FIRST_DAY = '2026-03-02';
const HISTORY_WEEKS = 4;
/** How long after an incident's end an alert still counts as detecting it. */
const DETECTION_GRACE_MS = 15 * 60_000;

export const DEPTHS = [0.1, 0.2, 0.4, 0.7] as const;
export const LENGTHS_MIN = [30, 60, 180, 360] as const;
export const VOLUMES = [150, 400, 1000] as const;

export interface DetectionOptions {
  readonly seed: number;
  /** Start times drawn per (depth, length, volume). */
  readonly startsPerCell: number;
  readonly normalDays: number;
  readonly ruleSets: ReadonlyArray<{ readonly name: string; readonly rules: RuleSet }>;
}

export interface IncidentOutcome {
  readonly depth: number;
  readonly lengthMin: number;
  readonly volume: number;
  /** Expected successful-or-not transfers per hour when the incident starts. */
  readonly transfersPerHour: number;
  readonly startMinuteOfDay: number;
  /** Minutes from start to the first alert of the transfer rule; undefined: missed. */
  readonly detectionMin: number | undefined;
  /** Minutes from the incident's end to its resolution message; undefined: not resolved that day. */
  readonly resolutionMin: number | undefined;
  /** Resolution messages sent while the incident was still going on (an alert that flapped). */
  readonly resolvedEarly: number;
  /** Slack messages posted from the incident's start to its resolution (or the day's end). */
  readonly messages: number;
}

export interface RuleSetOutcome {
  readonly name: string;
  readonly incidents: IncidentOutcome[];
  /** Fired alerts on normal days, by local hour and by rule. */
  readonly falseAlerts: Array<{ readonly date: string; readonly hour: number; readonly ruleId: string }>;
  readonly normalDays: number;
  readonly checks: number;
}

export const loadRuleSet = (path: string): RuleSet => parseRuleSet(readFileSync(path, 'utf8'), path);

export const PREVIOUS_RULES = join(__dirname, 'previous-rules.json');
export const SHIPPED_RULES = join(__dirname, '..', '..', 'lambda', 'rules', 'default-rules.json');

const localInstant = (date: string, time: string): number => {
  const clock = parseWallClock(`${date} ${time}`);
  if (clock === undefined) throw new Error(`bad local time ${date} ${time}`);
  return fromWallClock(clock, TIME_ZONE).getTime();
};
const shiftDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

function sourceOf(traffic: Traffic): StatsSource {
  return {
    async fetchStatistics(window) {
      const from = localInstant(...(window.startTime.split(' ') as [string, string]));
      const to = localInstant(...(window.endTime.split(' ') as [string, string]));
      const bytes = new TextEncoder().encode(
        JSON.stringify(traffic.envelope(from, to, window.startTime, window.endTime)),
      );
      return {
        bytes,
        httpStatus: 200,
        fetchedAt: new Date(to),
        latencyMs: 0,
        attempts: 1,
        parsed: parseStatistics(bytes),
      };
    },
  };
}

/** The 60-minute windows the four weeks before `date` archived at every check time (shared by scenarios). */
async function archivedHistory(
  shape: TrafficShape,
  date: string,
): Promise<ReadonlyMap<string, StoredObject>> {
  const store = new MemoryStore();
  const deps = { source: sourceOf(new Traffic({ ...shape, incidents: [] })), store, logger: silentLogger };
  const dayStart = localInstant(date, '00:00:00');
  for (let week = 1; week <= HISTORY_WEEKS; week++) {
    for (let at = dayStart - week * WEEK_MS; at < dayStart - week * WEEK_MS + DAY_MS; at += CHECK_MS) {
      const referenceTime = new Date(at);
      await fetchAndArchive(deps, {
        kind: 'window',
        window: rollingWindow(referenceTime, 60, TIME_ZONE),
        referenceTime,
      });
    }
  }
  return store.snapshot();
}

interface Post {
  readonly at: number;
  readonly sent: readonly Notification[];
}

/** Runs the real check every 15 minutes over [from, to) and returns what each run posted. */
async function runChecks(
  shape: TrafficShape,
  history: ReadonlyMap<string, StoredObject>,
  rules: RuleSet,
  from: number,
  to: number,
): Promise<Post[]> {
  const store = new MemoryStore(history);
  const traffic = new Traffic(shape);
  const posts: Post[] = [];
  for (let at = from; at < to; at += CHECK_MS) {
    const scheduledTime = new Date(at);
    const outcome = await runCheck(
      {
        source: sourceOf(traffic),
        store,
        logger: silentLogger,
        notifier: { send: async () => {} },
        rules: rules.rules,
        reminders: rules.reminders,
        timeZone: TIME_ZONE,
        monitorName: 'Detection bench',
        lineCapacity: undefined,
        failureThreshold: 3,
        runId: 'detection-bench',
        now: () => scheduledTime,
      },
      { scheduledTime },
    );
    if (outcome.outcome === 'evaluated' && outcome.sent.length > 0) posts.push({ at, sent: outcome.sent });
  }
  return posts;
}

const firstOf = (
  posts: readonly Post[],
  test: (n: Notification) => boolean,
  after: number,
): Post | undefined => posts.find((post) => post.at >= after && post.sent.some(test));

const isRule = (n: Notification, kinds: readonly string[]): boolean =>
  'ruleId' in n && n.ruleId === TRANSFER_RULE && kinds.includes(n.kind);

/** One rule set over every scenario. `history` caches archived weeks per (volume, date). */
async function benchRuleSet(
  name: string,
  rules: RuleSet,
  options: DetectionOptions,
  history: Map<string, Promise<ReadonlyMap<string, StoredObject>>>,
): Promise<RuleSetOutcome> {
  const shapeFor = (volume: number, incidents: TrafficIncident[] = []): TrafficShape => ({
    seed: options.seed,
    timeZone: TIME_ZONE,
    callsPerHourPeak: volume,
    // A public holiday in the history: the Wednesday a week before the third normal day, so that
    // day's week-over-week baseline is a holiday.
    holidays: [shiftDate(FIRST_DAY, 2 - 7)],
    incidents,
  });
  const historyOf = (volume: number, date: string) => {
    const key = `${volume} ${date}`;
    let cached = history.get(key);
    if (cached === undefined) {
      cached = archivedHistory(shapeFor(volume), date);
      history.set(key, cached);
    }
    return cached;
  };
  let checks = 0;

  const incidents: IncidentOutcome[] = [];
  const random = createRandom(options.seed, 0x1dc);
  let cell = 0;
  for (const volume of VOLUMES)
    for (const depth of DEPTHS)
      for (const lengthMin of LENGTHS_MIN)
        for (let draw = 0; draw < options.startsPerCell; draw++) {
          // Monday to Saturday in turn; starts between 07:00 and 15:00 on any minute.
          const date = shiftDate(FIRST_DAY, cell++ % 6);
          const startMinuteOfDay = 7 * 60 + Math.floor(random() * 8 * 60);
          const start = localInstant(date, '00:00:00') + startMinuteOfDay * 60_000;
          const end = start + lengthMin * 60_000;
          const shape = shapeFor(volume, [{ kind: 'transfer-failure', start, end, depth }]);
          const from = localInstant(date, '05:00:00');
          const to = localInstant(shiftDate(date, 1), '00:00:00');
          const posts = await runChecks(shape, await historyOf(volume, date), rules, from, to);
          checks += (to - from) / CHECK_MS;
          const detected = firstOf(posts, (n) => isRule(n, ['fired', 'escalated']), start);
          const detectionMs =
            detected === undefined || detected.at > end + DETECTION_GRACE_MS
              ? undefined
              : detected.at - start;
          // The resolution that ends the incident is the first at or after its end; one before it
          // is an alert that flapped while transfers were still failing.
          const resolved = firstOf(posts, (n) => isRule(n, ['resolved']), end);
          const resolvedEarly = posts.filter(
            (post) => post.at >= start && post.at < end && post.sent.some((n) => isRule(n, ['resolved'])),
          ).length;
          const lastAt = resolved?.at ?? to;
          const transfersPerHour = new Traffic(shape).expectedCallsPerHour(start) * 0.85 * 0.27;
          incidents.push({
            depth,
            lengthMin,
            volume,
            transfersPerHour,
            startMinuteOfDay,
            detectionMin: detectionMs === undefined ? undefined : detectionMs / 60_000,
            resolutionMin: resolved === undefined ? undefined : (resolved.at - end) / 60_000,
            resolvedEarly,
            messages: posts.filter((post) => post.at >= start && post.at <= lastAt).length,
          });
        }

  const falseAlerts: RuleSetOutcome['falseAlerts'][number][] = [];
  for (let day = 0; day < options.normalDays; day++) {
    const date = shiftDate(FIRST_DAY, day);
    const volume = VOLUMES[day % VOLUMES.length] ?? 400;
    const from = localInstant(date, '00:00:00');
    const posts = await runChecks(
      shapeFor(volume),
      await historyOf(volume, date),
      rules,
      from,
      from + DAY_MS,
    );
    checks += DAY_MS / CHECK_MS;
    for (const post of posts)
      for (const n of post.sent)
        if ('ruleId' in n && n.kind === 'fired')
          falseAlerts.push({ date, hour: toWallClock(new Date(post.at), TIME_ZONE).hour, ruleId: n.ruleId });
  }
  return { name, incidents, falseAlerts, normalDays: options.normalDays, checks };
}

export async function runDetectionBench(options: DetectionOptions): Promise<RuleSetOutcome[]> {
  const history = new Map<string, Promise<ReadonlyMap<string, StoredObject>>>();
  const outcomes: RuleSetOutcome[] = [];
  for (const { name, rules } of options.ruleSets)
    outcomes.push(await benchRuleSet(name, rules, options, history));
  return outcomes;
}
