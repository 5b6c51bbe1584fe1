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
/** The metric the injected incidents break: every rule on it is scored (a rule set may judge it twice). */
const TRANSFER_METRIC = 'transfer_success_rate';
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

/**
 * AIRUDDER's answers for one traffic shape. Every rule set's check of a scenario asks the same
 * windows at the same times, so each answer is made and parsed once per scenario and shared: the
 * checks downstream of the source (archive, evaluate, owe, send) still run in full for every rule set.
 */
function sourceOf(traffic: Traffic): StatsSource {
  const answers = new Map<string, Awaited<ReturnType<StatsSource['fetchStatistics']>>>();
  return {
    async fetchStatistics(window) {
      const key = `${window.startTime}|${window.endTime}`;
      const known = answers.get(key);
      if (known !== undefined) return known;
      const from = localInstant(...(window.startTime.split(' ') as [string, string]));
      const to = localInstant(...(window.endTime.split(' ') as [string, string]));
      const bytes = new TextEncoder().encode(
        JSON.stringify(traffic.envelope(from, to, window.startTime, window.endTime)),
      );
      const answer = {
        bytes,
        httpStatus: 200,
        fetchedAt: new Date(to),
        latencyMs: 0,
        attempts: 1,
        parsed: parseStatistics(bytes),
      };
      answers.set(key, answer);
      return answer;
    },
  };
}

/** The 60-minute windows one normal day archived at every check time (the history of later days). */
async function archivedDay(shape: TrafficShape, date: string): Promise<ReadonlyMap<string, StoredObject>> {
  const store = new MemoryStore();
  const deps = { source: sourceOf(new Traffic({ ...shape, incidents: [] })), store, logger: silentLogger };
  const dayStart = localInstant(date, '00:00:00');
  for (let at = dayStart; at < dayStart + DAY_MS; at += CHECK_MS) {
    const referenceTime = new Date(at);
    await fetchAndArchive(deps, {
      kind: 'window',
      window: rollingWindow(referenceTime, 60, TIME_ZONE),
      referenceTime,
    });
  }
  return store.snapshot();
}

/** The ids of a rule set's rules on the transfer success rate: the alerts that can detect an incident. */
const transferRules = (rules: RuleSet): ReadonlySet<string> =>
  new Set(
    rules.rules.flatMap((rule) =>
      rule.metric.kind === 'field' && rule.metric.field === TRANSFER_METRIC ? [rule.id] : [],
    ),
  );

const isRule = (ids: ReadonlySet<string>, n: Notification, kinds: readonly string[]): boolean =>
  'ruleId' in n && ids.has(n.ruleId) && kinds.includes(n.kind);

interface Post {
  readonly at: number;
  readonly sent: readonly Notification[];
}

/**
 * Runs the real check every 15 minutes over [from, to), or until `done` says the rest of the day can
 * change nothing measured, and returns what each run posted and when the last one ran.
 */
async function runChecks(
  source: StatsSource,
  history: ReadonlyMap<string, StoredObject>,
  rules: RuleSet,
  from: number,
  to: number,
  done: (at: number, posts: readonly Post[]) => boolean = () => false,
): Promise<{ posts: Post[]; lastCheck: number; checks: number }> {
  const store = new MemoryStore(history);
  const posts: Post[] = [];
  for (let at = from; at < to; at += CHECK_MS) {
    const scheduledTime = new Date(at);
    const outcome = await runCheck(
      {
        source,
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
    if (done(at, posts)) return { posts, lastCheck: at, checks: (at - from) / CHECK_MS + 1 };
  }
  return { posts, lastCheck: to, checks: (to - from) / CHECK_MS };
}

const firstOf = (
  posts: readonly Post[],
  test: (n: Notification) => boolean,
  after: number,
): Post | undefined => posts.find((post) => post.at >= after && post.sent.some(test));

/** The transfer rules' alerts firing after each post (the day starts with none). */
function firingAfter(posts: readonly Post[], ids: ReadonlySet<string>): number[] {
  const firing = new Set<string>();
  return posts.map((post) => {
    for (const n of post.sent)
      if ('ruleId' in n && isRule(ids, n, ['fired', 'escalated', 'eased', 'resolved'])) {
        if (n.kind === 'resolved') firing.delete(n.ruleId);
        else firing.add(n.ruleId);
      }
    return firing.size;
  });
}

/**
 * One day the benchmark runs every rule set over: an injected transfer failure (checks from 05:00
 * to midnight) or a normal day (checks all day, every alert a false one). Scenarios are drawn from
 * the seed alone, so any process can run any of them and the results do not depend on `--jobs`.
 */
export type Scenario =
  | {
      readonly kind: 'incident';
      readonly index: number;
      readonly volume: number;
      readonly date: string;
      readonly depth: number;
      readonly lengthMin: number;
      readonly startMinuteOfDay: number;
    }
  | { readonly kind: 'normal'; readonly index: number; readonly volume: number; readonly date: string };

export function scenariosOf(
  options: Pick<DetectionOptions, 'seed' | 'startsPerCell' | 'normalDays'>,
): Scenario[] {
  const scenarios: Scenario[] = [];
  const random = createRandom(options.seed, 0x1dc);
  for (const volume of VOLUMES)
    for (const depth of DEPTHS)
      for (const lengthMin of LENGTHS_MIN)
        for (let draw = 0; draw < options.startsPerCell; draw++) {
          const index = scenarios.length;
          // Monday to Saturday in turn; starts between 07:00 and 15:00 on any minute.
          const date = shiftDate(FIRST_DAY, index % 6);
          const startMinuteOfDay = 7 * 60 + Math.floor(random() * 8 * 60);
          scenarios.push({ kind: 'incident', index, volume, date, depth, lengthMin, startMinuteOfDay });
        }
  for (let day = 0; day < options.normalDays; day++)
    scenarios.push({
      kind: 'normal',
      index: scenarios.length,
      volume: VOLUMES[day % VOLUMES.length] ?? 400,
      date: shiftDate(FIRST_DAY, day),
    });
  return scenarios;
}

/** Scenarios sharing a volume and a date share their archived weeks: they belong in one process. */
const historyKeyOf = (scenario: Scenario): string => `${scenario.volume} ${scenario.date}`;

/**
 * `scenarios` split into `shards` lists of about equal work (checks), each keeping the scenarios
 * that share an archived history together (longest first onto the least loaded shard).
 */
export function shardScenarios(scenarios: readonly Scenario[], shards: number): Scenario[][] {
  const groups = new Map<string, Scenario[]>();
  for (const scenario of scenarios) {
    const key = historyKeyOf(scenario);
    groups.set(key, [...(groups.get(key) ?? []), scenario]);
  }
  const work = (group: readonly Scenario[]) =>
    HISTORY_WEEKS + group.reduce((sum, s) => sum + (s.kind === 'incident' ? 0.8 : 1), 0);
  const lists = Array.from({ length: Math.max(1, shards) }, () => ({ load: 0, scenarios: [] as Scenario[] }));
  for (const group of [...groups.values()].sort((a, b) => work(b) - work(a))) {
    const lightest = lists.reduce((best, list) => (list.load < best.load ? list : best));
    lightest.load += work(group);
    lightest.scenarios.push(...group);
  }
  return lists.map((list) => list.scenarios.sort((a, b) => a.index - b.index));
}

/** What one scenario gave each rule set, in the order of the rule sets. */
export type ScenarioOutcome =
  | {
      readonly kind: 'incident';
      readonly index: number;
      readonly checks: readonly number[];
      readonly outcomes: IncidentOutcome[];
    }
  | {
      readonly kind: 'normal';
      readonly index: number;
      readonly checks: readonly number[];
      readonly outcomes: Array<RuleSetOutcome['falseAlerts']>;
    };

const shapeFor = (seed: number, volume: number, incidents: TrafficIncident[] = []): TrafficShape => ({
  seed,
  timeZone: TIME_ZONE,
  callsPerHourPeak: volume,
  // A public holiday in the history: the Wednesday a week before the third normal day, so that
  // day's week-over-week baseline is a holiday.
  holidays: [shiftDate(FIRST_DAY, 2 - 7)],
  incidents,
});

/** Runs every rule set over `scenarios` (any subset of `scenariosOf`), one history group at a time. */
export async function runScenarios(
  seed: number,
  scenarios: readonly Scenario[],
  ruleSets: readonly RuleSet[],
): Promise<ScenarioOutcome[]> {
  const days = new Map<string, Promise<ReadonlyMap<string, StoredObject>>>();
  const dayOf = (volume: number, date: string) => {
    const key = `${volume} ${date}`;
    let cached = days.get(key);
    if (cached === undefined) {
      cached = archivedDay(shapeFor(seed, volume), date);
      days.set(key, cached);
    }
    return cached;
  };
  const histories = new Map<string, ReadonlyMap<string, StoredObject>>();
  const historyOf = async (volume: number, date: string) => {
    const key = `${volume} ${date}`;
    const known = histories.get(key);
    if (known !== undefined) return known;
    const weeks: Array<ReadonlyMap<string, StoredObject>> = [];
    for (let week = 1; week <= HISTORY_WEEKS; week++)
      weeks.push(await dayOf(volume, shiftDate(date, -7 * week)));
    const history = new Map(weeks.flatMap((week) => [...week]));
    histories.clear(); // scenarios come grouped by history: keep one at a time
    histories.set(key, history);
    return history;
  };
  const ordered = [...scenarios].sort(
    (a, b) => historyKeyOf(a).localeCompare(historyKeyOf(b)) || a.index - b.index,
  );
  const results: ScenarioOutcome[] = [];
  for (const scenario of ordered) {
    const history = await historyOf(scenario.volume, scenario.date);
    if (scenario.kind === 'normal') {
      const from = localInstant(scenario.date, '00:00:00');
      const source = sourceOf(new Traffic(shapeFor(seed, scenario.volume)));
      const outcomes: Array<RuleSetOutcome['falseAlerts']> = [];
      for (const rules of ruleSets) {
        const { posts } = await runChecks(source, history, rules, from, from + DAY_MS);
        outcomes.push(
          posts.flatMap((post) =>
            post.sent.flatMap((n) =>
              'ruleId' in n && n.kind === 'fired'
                ? [
                    {
                      date: scenario.date,
                      hour: toWallClock(new Date(post.at), TIME_ZONE).hour,
                      ruleId: n.ruleId,
                    },
                  ]
                : [],
            ),
          ),
        );
      }
      results.push({
        kind: 'normal',
        index: scenario.index,
        checks: ruleSets.map(() => DAY_MS / CHECK_MS),
        outcomes,
      });
      continue;
    }
    const { volume, depth, lengthMin, startMinuteOfDay, date } = scenario;
    const start = localInstant(date, '00:00:00') + startMinuteOfDay * 60_000;
    const end = start + lengthMin * 60_000;
    const shape = shapeFor(seed, volume, [{ kind: 'transfer-failure', start, end, depth }]);
    const from = localInstant(date, '05:00:00');
    const to = localInstant(shiftDate(date, 1), '00:00:00');
    const traffic = new Traffic(shape);
    const source = sourceOf(traffic);
    const transfersPerHour = traffic.expectedCallsPerHour(start) * 0.85 * 0.27;
    const outcomes: IncidentOutcome[] = [];
    const checks: number[] = [];
    for (const rules of ruleSets) {
      const ids = transferRules(rules);
      // Once detection is over (the end and its grace) and the alert is not firing, nothing later that
      // day belongs to this incident: a later alert would be a new one.
      const run = await runChecks(
        source,
        history,
        rules,
        from,
        to,
        (at, posts) => at >= end + DETECTION_GRACE_MS && (firingAfter(posts, ids).at(-1) ?? 0) === 0,
      );
      const { posts } = run;
      checks.push(run.checks);
      const detected = firstOf(posts, (n) => isRule(ids, n, ['fired', 'escalated']), start);
      const detectionMs =
        detected === undefined || detected.at > end + DETECTION_GRACE_MS ? undefined : detected.at - start;
      // The resolution that ends the incident is the first at or after its end that leaves no
      // transfer alert firing; one before the end is an alert that flapped while transfers were
      // still failing.
      const firing = firingAfter(posts, ids);
      const resolved = posts.find(
        (post, at) =>
          post.at >= end && firing[at] === 0 && post.sent.some((n) => isRule(ids, n, ['resolved'])),
      );
      const resolvedEarly = posts.filter(
        (post) => post.at >= start && post.at < end && post.sent.some((n) => isRule(ids, n, ['resolved'])),
      ).length;
      const lastAt = resolved?.at ?? run.lastCheck;
      outcomes.push({
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
    results.push({ kind: 'incident', index: scenario.index, checks, outcomes });
  }
  return results.sort((a, b) => a.index - b.index);
}

/** The per-rule-set outcomes of every scenario's results (from any number of processes), in scenario order. */
export function assembleOutcomes(
  names: readonly string[],
  normalDays: number,
  results: readonly ScenarioOutcome[],
): RuleSetOutcome[] {
  const ordered = [...results].sort((a, b) => a.index - b.index);
  return names.map((name, at) => ({
    name,
    incidents: ordered.flatMap((result) =>
      result.kind === 'incident' ? [result.outcomes[at] as IncidentOutcome] : [],
    ),
    falseAlerts: ordered.flatMap((result) => (result.kind === 'normal' ? (result.outcomes[at] ?? []) : [])),
    normalDays,
    checks: ordered.reduce((sum, result) => sum + (result.checks[at] ?? 0), 0),
  }));
}

export async function runDetectionBench(options: DetectionOptions): Promise<RuleSetOutcome[]> {
  const results = await runScenarios(
    options.seed,
    scenariosOf(options),
    options.ruleSets.map((set) => set.rules),
  );
  return assembleOutcomes(
    options.ruleSets.map((set) => set.name),
    options.normalDays,
    results,
  );
}
