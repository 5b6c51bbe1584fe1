import { expect } from 'vitest';
import type * as z from 'zod';
import { generateStatisticsBody, type StatisticsQuery } from '../../../../dev/stand-in/statistics-generator';
import { type Evaluation, evaluateRules } from '../../../../lambda/domain/alerts/evaluate';
import type { DeliveryMode, Notification } from '../../../../lambda/domain/alerts/notify';
import { markNotified } from '../../../../lambda/domain/alerts/notify';
import { outgoing } from '../../../../lambda/domain/alerts/outgoing';
import { buildAlertMessage } from '../../../../lambda/domain/alerts/render';
import { RepeatPolicySchema, type Rule, RuleSchema } from '../../../../lambda/domain/alerts/rules';
import { type AlertState, emptyAlertState, type RuleState } from '../../../../lambda/domain/alerts/state';
import { checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';
import type { SlackMessage } from '../../../../lambda/domain/slack/slack-message';
import {
  type StatisticsResponse,
  StatisticsResponseSchema,
} from '../../../../lambda/domain/statistics/schema';
import { fixtureJson } from '../../../helpers/fixtures';

/** The documented example response; its realtime daily rows cover 2025-11-11 and 2025-11-12. */
export const exampleStatistics = (): StatisticsResponse =>
  StatisticsResponseSchema.parse(fixtureJson('statistics-example.json'));

/** 2025-11-12 14:30 in Asia/Jakarta (UTC+7, no DST): the example's "today". */
export const JAKARTA = 'Asia/Jakarta';
export const EXAMPLE_AT = new Date('2025-11-12T07:30:00Z');

/** The example with realtime.total fields replaced (null removes a value). */
export function withTotal(fields: Record<string, number | null>): StatisticsResponse {
  const response = exampleStatistics();
  const total = response.data.realtime?.total;
  if (total == null) throw new Error('the example has no realtime total');
  Object.assign(total, fields);
  return response;
}

/** A response that carries no realtime section at all: every day-so-far rule has no data. */
export function withoutRealtime(): StatisticsResponse {
  const response = exampleStatistics();
  response.data.realtime = null;
  return response;
}

/** A generated, schema-parsed response from the stand-in's deterministic generator. */
export const generated = (query: Omit<StatisticsQuery, 'seed'> & { seed?: number }): StatisticsResponse =>
  StatisticsResponseSchema.parse(generateStatisticsBody({ seed: 7, ...query }));

export type RuleInput = z.input<typeof RuleSchema>;

/** A transfer-success rule: below warn 60%, crit 40%, recovery 65%, 2 runs pending, 30 calls minimum. */
export function rule(overrides: Partial<RuleInput> = {}): Rule {
  return RuleSchema.parse({
    id: 'transfer-success',
    title: 'Transfer success rate',
    metric: 'transfer_success_rate',
    scope: 'day-so-far',
    comparison: 'below',
    warn: 0.6,
    crit: 0.4,
    recovery: 0.65,
    pendingRuns: 2,
    minCalls: 30,
    runbook: 'https://wiki.example.com/runbooks/transfer-success',
    ...overrides,
  });
}

/** Asserts that Slack would accept the message; every test that builds a message calls it. */
export function expectWithinBlockKitLimits(message: SlackMessage): void {
  expect(checkBlockKitLimits(message)).toEqual([]);
}

export const minutesAfter = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

/** One scheduled run of a simulation: what the response says, and whether Slack accepts. */
export interface Step {
  readonly statistics: StatisticsResponse;
  readonly lastWeek?: StatisticsResponse;
  readonly latestOffline?: StatisticsResponse;
  /** Rolling-window responses by minutes (this run, and the same time a week earlier). */
  readonly windows?: ReadonlyMap<number, StatisticsResponse>;
  readonly lastWeekWindows?: ReadonlyMap<number, StatisticsResponse>;
  /** The same, two, three… weeks earlier (seasonal baselines). */
  readonly olderWeekWindows?: ReadonlyArray<ReadonlyMap<number, StatisticsResponse>>;
  /** Default true: Slack accepted the message (markNotified is applied). */
  readonly delivered?: boolean;
}

export interface SimulatedRun {
  readonly at: Date;
  readonly evaluation: Extract<Evaluation, { outcome: 'evaluated' }>;
  readonly notifications: Notification[];
  readonly kinds: string[];
}

/**
 * Runs the check every 15 minutes from `start`, as the lead's check run does: evaluate, build the one
 * message (asserting Block Kit limits), and mark it notified when "Slack" accepts it.
 */
export function simulate(
  rules: readonly Rule[],
  steps: readonly Step[],
  options: {
    start?: Date;
    timeZone?: string;
    state?: AlertState;
    everyMinutes?: number;
    lineCapacity?: number;
    /** The group's reminder cadence; default the file default (hourly, back-off 2, at most 8 h). */
    reminders?: z.input<typeof RepeatPolicySchema>;
    /** How messages reach Slack; default webhook, as deployed today. */
    delivery?: DeliveryMode;
  } = {},
): { runs: SimulatedRun[]; state: AlertState } {
  const start = options.start ?? EXAMPLE_AT;
  const timeZone = options.timeZone ?? JAKARTA;
  let state = options.state ?? emptyAlertState();
  const reminders = options.reminders === undefined ? undefined : RepeatPolicySchema.parse(options.reminders);
  const cadence = reminders === undefined ? {} : { reminders };
  const delivery = options.delivery === undefined ? {} : { delivery: options.delivery };
  const runs = steps.map((step, index): SimulatedRun => {
    const at = minutesAfter(start, index * (options.everyMinutes ?? 15));
    const evaluation = evaluateRules({
      ...step,
      ...(options.lineCapacity === undefined ? {} : { lineCapacity: options.lineCapacity }),
      rules,
      state,
      at,
      timeZone,
      ...cadence,
      ...delivery,
    });
    if (evaluation.outcome !== 'evaluated') throw new Error(`run ${index} was not evaluated`);
    state = evaluation.state;
    // What a check sends: the owed notifications the suppression stage lets through (mute periods).
    const { send: notifications } = outgoing(state, evaluation.notifications, at, {
      rules,
      timeZone,
      ...delivery,
    });
    if (notifications.length > 0) {
      expectWithinBlockKitLimits(buildAlertMessage(notifications, { at, timeZone }));
      if (step.delivered ?? true) state = markNotified(state, notifications, at);
    }
    return { at, evaluation, notifications, kinds: notifications.map((n) => n.kind) };
  });
  return { runs, state };
}

/** Steps with the given transfer success rates (null = the rate and its counts are missing). */
export const rates = (...values: ReadonlyArray<number | 'no-data'>): Step[] =>
  values.map((value) => ({
    statistics: value === 'no-data' ? withoutRealtime() : withTotal({ transfer_success_rate: value }),
  }));

/** A rule firing since 2025-11-11T02:00Z, as the state keeps it (for claim and suppression tests). */
export const firingRuleState = (severity: 'warn' | 'crit' = 'warn'): RuleState => ({
  status: 'firing',
  severity,
  condition: 'threshold',
  since: '2025-11-11T02:00:00Z',
  pendingCount: 0,
  lastValue: 0.5,
  lastEvaluatedAt: '2025-11-11T02:00:00Z',
  firedAt: '2025-11-11T02:00:00Z',
  breachedAt: '2025-11-11T02:00:00Z',
  healthyCount: 0,
  history: [],
});
