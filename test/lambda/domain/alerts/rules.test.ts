import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../dev/stand-in/incidents';
import { parseRuleSet, parseRules, type Rule, RulesFileError } from '../../../../lambda/domain/alerts/rules';
import { localDate, toWallClock } from '../../../../lambda/domain/shared/local-time';
import { rollingWindow } from '../../../../lambda/domain/statistics/query-window';
import { generated, JAKARTA, minutesAfter, simulate } from './alert-test-helpers';

const base = {
  id: 'transfer-success',
  title: 'Transfer success rate',
  metric: 'transfer_success_rate',
  scope: 'day-so-far',
  comparison: 'below',
  warn: 0.6,
};
const fileWith = (...rules: unknown[]) => JSON.stringify({ version: 1, rules });
const failure = (text: string): RulesFileError => {
  try {
    parseRules(text, 'rules.json');
  } catch (error) {
    if (error instanceof RulesFileError) return error;
    throw error;
  }
  throw new Error('parseRules accepted the file');
};

describe('parseRules: errors name the rule and the field', () => {
  it.each([
    {
      name: 'a threshold of the wrong type',
      rules: [{ ...base, warn: '60%' }],
      expected: 'rule "transfer-success" field warn: expected number',
    },
    {
      name: 'a missing id (named by index)',
      rules: [base, { ...base, id: undefined }],
      expected: 'rule #1 field id: expected string',
    },
    {
      name: 'an id with spaces',
      rules: [{ ...base, id: 'transfer success' }],
      expected: 'rule "transfer success" field id: expected 1–64 letters',
    },
    {
      name: 'a duplicate id',
      rules: [base, base],
      expected: 'rule "transfer-success" field id: duplicate id, already used by rule #0',
    },
    {
      name: 'neither warn nor crit',
      rules: [{ ...base, warn: undefined }],
      expected: 'rule "transfer-success" field warn: a rule needs warn, crit or both',
    },
    {
      name: 'crit above warn for "below"',
      rules: [{ ...base, crit: 0.7 }],
      expected: 'rule "transfer-success" field crit: must be below warn (0.6)',
    },
    {
      name: 'crit below warn for "above"',
      rules: [{ ...base, comparison: 'above', warn: 0.4, crit: 0.3 }],
      expected: 'field crit: must be above warn (0.4)',
    },
    {
      name: 'recovery below warn for "below"',
      rules: [{ ...base, recovery: 0.55 }],
      expected: 'rule "transfer-success" field recovery: must be at or above warn (0.6)',
    },
    {
      name: 'recovery above warn for "above"',
      rules: [{ ...base, comparison: 'above', recovery: 0.7 }],
      expected: 'field recovery: must be at or below warn (0.6)',
    },
    {
      name: 'recovery on the wrong side of a crit-only rule',
      rules: [{ ...base, warn: undefined, crit: 0.4, recovery: 0.3 }],
      expected: 'field recovery: must be at or above crit (0.4)',
    },
    {
      name: 'a misspelt field',
      rules: [{ ...base, pendingRun: 2 }],
      expected: 'rule "transfer-success" field pendingRun: unknown field',
    },
    {
      name: 'an unknown scope',
      rules: [{ ...base, scope: 'today' }],
      expected: 'rule "transfer-success" field scope: ',
    },
    {
      name: 'pendingRuns of 0',
      rules: [{ ...base, pendingRuns: 0 }],
      expected: 'rule "transfer-success" field pendingRuns: ',
    },
    {
      name: 'a share without its key',
      rules: [{ ...base, metric: { share: { of: 'hangup_type_distribution' } } }],
      expected: 'rule "transfer-success" field metric.share.key: expected string',
    },
    {
      name: 'a metric with two forms',
      rules: [{ ...base, metric: { weekOverWeek: 'total_calls', capacityUtilisation: true } }],
      expected: 'field metric: expected exactly one of share, ratio, weekOverWeek, capacityUtilisation',
    },
    {
      name: 'a metric of the wrong type',
      rules: [{ ...base, metric: 42 }],
      expected: 'field metric: expected a field name or an object with one of',
    },
    {
      name: 'weekOverWeek outside the hour scope',
      rules: [{ ...base, metric: { weekOverWeek: 'total_calls' } }],
      expected: 'field window: a weekOverWeek metric compares like periods',
    },
    {
      name: 'both a window and a scope',
      rules: [{ ...base, window: { minutes: 60 } }],
      expected: 'field window: a rule needs either a rolling "window" or a fixed "scope", not both',
    },
    {
      name: 'a window shorter than a check interval',
      rules: [{ ...base, scope: undefined, window: { minutes: 5 } }],
      expected: 'field window.minutes: ',
    },
    {
      name: 'a misspelt metric, with the closest known name',
      rules: [{ ...base, metric: 'transfer_sucess_rate' }],
      expected:
        'rule "transfer-success" field metric: unknown metric "transfer_sucess_rate"; did you mean "transfer_success_rate"?',
    },
    {
      name: 'a misspelt distribution in a dotted path',
      rules: [{ ...base, metric: 'user_distributon.call_users' }],
      expected:
        'field metric: unknown metric "user_distributon.call_users"; did you mean "user_distribution.call_users"?',
    },
    {
      name: 'a share of something that is no distribution',
      rules: [{ ...base, metric: { share: { of: 'hangup_distribution', key: 'by_user' } } }],
      expected:
        'field metric.share.of: unknown metric "hangup_distribution"; did you mean "hangup_type_distribution"?',
    },
    {
      name: 'a misspelt ratio denominator',
      rules: [{ ...base, metric: { ratio: { numerator: 'valid_calls', denominator: 'totl_calls' } } }],
      expected: 'field metric.ratio.denominator: unknown metric "totl_calls"; did you mean "total_calls"?',
    },
    {
      name: 'a per-rule repeat from an older file',
      rules: [{ ...base, repeat: { everyMinutes: 60 } }],
      expected: 'field repeat: unknown field (reminders are one cadence for all alerts now',
    },
    {
      name: 'capacity outside the offline scope',
      rules: [{ ...base, comparison: 'above', metric: { capacityUtilisation: true } }],
      expected: 'field scope: capacityUtilisation reads the offline daily peak',
    },
    {
      name: 'a mute time that is no time',
      rules: [{ ...base, mute: [{ from: '25:00', to: '06:00' }] }],
      expected: 'rule "transfer-success" field mute[0].from: expected a local time "HH:mm"',
    },
    {
      name: 'a mute period of no length',
      rules: [{ ...base, mute: [{ from: '06:00', to: '06:00' }] }],
      expected: 'field mute[0].to: from and to are equal',
    },
    {
      name: 'an unknown weekday',
      rules: [{ ...base, mute: [{ days: ['sunday'], from: '22:00', to: '06:00' }] }],
      expected: 'field mute[0].days[0]: ',
    },
    { name: 'an unknown noData policy', rules: [{ ...base, noData: 'page' }], expected: 'field noData: ' },
    {
      name: 'a confidence on a rate whose count the response lacks',
      rules: [{ ...base, metric: 'robot_satisfied_rate', confidence: 0.95 }],
      expected:
        'rule "transfer-success" field confidence: needs a rate whose count of calls is in the response',
    },
    {
      name: 'a confidence outside 0.5–0.999',
      rules: [{ ...base, confidence: 1 }],
      expected: 'field confidence: ',
    },
    {
      name: 'a short window no shorter than the long one',
      rules: [{ ...base, scope: undefined, window: { minutes: 60, short: 60 } }],
      expected: 'field window.short: must be shorter than minutes',
    },
    {
      name: 'weeks on a metric that is not weekOverWeek',
      rules: [
        { ...base, metric: { ratio: { numerator: 'valid_calls', denominator: 'total_calls' }, weeks: 4 } },
      ],
      expected: 'field metric.weeks: "weeks" belongs to a weekOverWeek metric',
    },
  ])('rejects $name', ({ rules, expected }) => {
    const error = failure(fileWith(...rules));
    expect(error.name).toBe('RulesFileError');
    expect(error.message).toContain(`rules.json: `);
    expect(error.message).toContain(expected);
  });

  it.each([
    { name: 'invalid JSON', text: '{"rules": [', expected: 'rules.json: not valid JSON' },
    { name: 'a file that is a list', text: '[]', expected: 'rules.json: file: expected object' },
    { name: 'a file without rules', text: '{}', expected: 'rules.json: field rules: expected array' },
    { name: 'a wrong version', text: '{"version": 2, "rules": []}', expected: 'rules.json: field version: ' },
  ])('rejects $name, naming the source', ({ text, expected }) => {
    expect(failure(text).message).toContain(expected);
  });

  it('lists every problem and keeps the cause', () => {
    const error = failure(fileWith({ ...base, warn: 'x' }, { ...base, id: 'b', crit: 0.9 }));
    expect(error.problems).toEqual([
      'rule "transfer-success" field warn: expected number, received string',
      'rule "b" field crit: must be below warn (0.6) for a "below" rule',
    ]);
    expect(error.cause).toBeDefined();
  });
});

describe('parseRules: defaults and metric forms', () => {
  it('applies the documented defaults', () => {
    const [rule] = parseRules(fileWith(base), 'rules.json');
    expect(rule).toMatchObject({ pendingRuns: 1, minCalls: 0, noData: 'ignore', mute: [], recovery: 0.6 });
    expect(rule).toMatchObject({ recoveryRuns: 1, allowUnknownMetric: false });
    expect(rule?.confidence).toBeUndefined();
  });

  it.each([
    { confidence: true, parsed: { breach: 0.95, recovery: 0.95 } },
    { confidence: 0.8, parsed: { breach: 0.8, recovery: 0.8 } },
    { confidence: { breach: 0.95, recovery: 0.5 }, parsed: { breach: 0.95, recovery: 0.5 } },
  ])('reads confidence $confidence as $parsed', ({ confidence, parsed }) => {
    expect(parseRules(fileWith({ ...base, confidence }), 'rules.json')[0]?.confidence).toEqual(parsed);
  });

  it.each([
    { thresholds: { warn: 0.6 }, recovery: 0.6 },
    { thresholds: { warn: undefined, crit: 0.4 }, recovery: 0.4 },
    { thresholds: { warn: 0.6, crit: 0.4, recovery: 0.7 }, recovery: 0.7 },
  ])('resolves recovery to $recovery for $thresholds', ({ thresholds, recovery }) => {
    expect(parseRules(fileWith({ ...base, ...thresholds }), 'rules.json')[0]?.recovery).toBe(recovery);
  });

  it.each([
    {
      metric: 'transfer_success_rate',
      scope: 'day-so-far',
      parsed: { kind: 'field', field: 'transfer_success_rate' },
    },
    {
      metric: 'user_distribution.call_users',
      scope: 'latest-offline-day',
      parsed: { kind: 'field', field: 'user_distribution.call_users' },
    },
    {
      metric: { share: { of: 'hangup_type_distribution', key: 'by_user' } },
      scope: 'day-so-far',
      parsed: { kind: 'share', of: 'hangup_type_distribution', key: 'by_user' },
    },
    {
      metric: { ratio: { numerator: 'valid_calls', denominator: 'total_calls' } },
      scope: 'day-so-far',
      parsed: { kind: 'ratio', numerator: 'valid_calls', denominator: 'total_calls' },
    },
    {
      metric: { weekOverWeek: 'total_calls' },
      scope: 'last-complete-hour',
      parsed: { kind: 'weekOverWeek', field: 'total_calls', weeks: 1 },
    },
    {
      metric: { weekOverWeek: 'total_calls', weeks: 4 },
      scope: 'last-complete-hour',
      parsed: { kind: 'weekOverWeek', field: 'total_calls', weeks: 4 },
    },
    {
      metric: { capacityUtilisation: true },
      scope: 'latest-offline-day',
      parsed: { kind: 'capacityUtilisation' },
    },
  ])('parses the metric $metric', ({ metric, scope, parsed }) => {
    expect(parseRules(fileWith({ ...base, metric, scope }), 'rules.json')[0]?.metric).toEqual(parsed);
  });
});

const RULES_FILE = join(__dirname, '..', '..', '..', '..', 'lambda', 'rules', 'default-rules.json');
const defaults = (): Rule[] => parseRules(readFileSync(RULES_FILE, 'utf8'), 'default-rules.json');

/** Every rolling-window length the shipped rules judge. */
const WINDOW_LENGTHS = [15, 30, 45, 60];

/**
 * What the check run sees every 15 minutes of a local day: the day so far, the rolling windows, the
 * archived 60 minutes of the same time one to four weeks earlier, and yesterday's offline row.
 */
function dayOfRuns(date: string, lastWeekDate: string, incidents: Incident[] = []) {
  const start = new Date(`${date}T00:15:00+07:00`);
  const yesterday = new Date(`${date}T00:00:00+07:00`);
  const latestOffline = generated({
    timeZone: JAKARTA,
    startTime: `${lastWeekDate} 00:00:00`,
    endTime: `${lastWeekDate} 23:59:59`,
    now: yesterday,
  });
  return Array.from({ length: 95 }, (_, i) => {
    const at = minutesAfter(start, i * 15);
    const clock = toWallClock(at, JAKARTA);
    const time = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}:00`;
    const weekEarlier = minutesAfter(at, -7 * 24 * 60);
    const windowsAt = (end: Date, withIncidents: Incident[], lengths: readonly number[]) =>
      new Map(
        lengths.map((minutes) => {
          const window = rollingWindow(end, minutes, JAKARTA);
          return [minutes, generated({ ...window, now: end, incidents: withIncidents })] as const;
        }),
      );
    const weeksBefore = (weeks: number) => minutesAfter(at, -7 * weeks * 24 * 60);
    return {
      windows: windowsAt(at, incidents, WINDOW_LENGTHS),
      lastWeekWindows: windowsAt(weekEarlier, [], [60]),
      olderWeekWindows: [2, 3, 4].map((weeks) => windowsAt(weeksBefore(weeks), [], [60])),
      statistics: generated({
        timeZone: JAKARTA,
        startTime: `${date} 00:00:00`,
        endTime: `${localDate(at, JAKARTA)} ${time}`,
        now: at,
        incidents,
      }),
      lastWeek: generated({
        timeZone: JAKARTA,
        startTime: `${lastWeekDate} 00:00:00`,
        endTime: `${localDate(weekEarlier, JAKARTA)} ${time}`,
        now: weekEarlier,
      }),
      latestOffline,
    };
  });
}

const firedRuleIds = (runs: ReturnType<typeof simulate>['runs']) =>
  runs.flatMap((run) =>
    run.notifications.filter((n) => n.kind === 'fired').map((n) => ('ruleId' in n ? n.ruleId : n.kind)),
  );
const START = new Date('2026-03-10T00:15:00+07:00');

describe('the shipped default rules', () => {
  it('parse against the schema', () => {
    expect(defaults().map((rule) => rule.id)).toEqual([
      'transfer-success-rate',
      'agent-reception-rate',
      'robot-satisfied-rate',
      'one-call-problem-solve-rate',
      'duplicate-call-rate',
      'volume-spike',
      'volume-drop',
      'peak-concurrency',
    ]);
  });

  it('give every rule a runbook, and every rate a volume gate and either weighed evidence or two runs of patience', () => {
    for (const rule of defaults()) {
      expect(rule.runbook, rule.id).toBeDefined();
      if (rule.metric.kind === 'field' && rule.metric.field.endsWith('_rate')) {
        expect(rule.noData, rule.id).toBe('ignore');
        expect(rule.minCalls, rule.id).toBeGreaterThanOrEqual(30);
        const weighed = rule.confidence !== undefined || rule.window?.short !== undefined;
        expect(weighed || rule.pendingRuns >= 2, rule.id).toBe(true);
      }
    }
  });

  it('judge only windows the simulated day provides', () => {
    const lengths = defaults().flatMap((rule) => [rule.window?.minutes, rule.window?.short]);
    for (const length of lengths) if (length !== undefined) expect(WINDOW_LENGTHS).toContain(length);
  });

  it('stay quiet through a calm generated day', () => {
    const { runs } = simulate(defaults(), dayOfRuns('2026-03-10', '2026-03-03'), {
      start: START,
      lineCapacity: 40,
    });
    expect(runs.flatMap((run) => run.kinds)).toEqual([]);
    // Every rule was judged at some point: the quiet is not for lack of data.
    const judged = new Set(
      runs.flatMap((run) =>
        run.evaluation.results.filter((r) => r.measurement.kind === 'value').map((r) => r.ruleId),
      ),
    );
    expect(judged.size).toBe(defaults().length);
  });

  it.each([
    { effect: 'transfer-failure' as const, ruleId: 'transfer-success-rate' },
    { effect: 'agent-no-answer' as const, ruleId: 'agent-reception-rate' },
    { effect: 'volume-spike' as const, ruleId: 'volume-spike' },
    { effect: 'volume-drop' as const, ruleId: 'volume-drop' },
  ])('fire $ruleId, and only it, for a $effect from 08:00 to 12:00', ({ effect, ruleId }) => {
    // Prepare
    const incidents: Incident[] = [
      { start: '2026-03-10 08:00:00', end: '2026-03-10 12:00:00', effect, severity: 0.9 },
    ];
    // Act
    const { runs } = simulate(defaults(), dayOfRuns('2026-03-10', '2026-03-03', incidents), {
      start: START,
      lineCapacity: 40,
    });
    // Assess
    expect(firedRuleIds(runs)).toEqual([ruleId]);
  });

  it('fire peak-concurrency when yesterday peaked near the line capacity', () => {
    const { runs } = simulate(defaults(), dayOfRuns('2026-03-10', '2026-03-03').slice(0, 2), {
      start: START,
      lineCapacity: 5,
    });
    expect(runs[0]?.notifications).toMatchObject([
      { kind: 'fired', ruleId: 'peak-concurrency', severity: 'crit' },
    ]);
  });
});

describe('parseRuleSet: the group reminder cadence', () => {
  const file = (reminders?: unknown) =>
    JSON.stringify({ version: 1, ...(reminders === undefined ? {} : { reminders }), rules: [] });

  it('defaults to hourly with back-off 2, capped at 8 hours', () => {
    expect(parseRuleSet(file(), 'rules.json').reminders).toEqual({
      everyMinutes: 60,
      backoff: 2,
      maxEveryMinutes: 480,
    });
  });

  it.each([
    {
      reminders: { everyMinutes: 60, maxEveryMinutes: 30 },
      expected: 'field reminders.maxEveryMinutes: must be at least everyMinutes',
    },
    { reminders: { everyMinutes: 60, backoff: 0.5 }, expected: 'field reminders.backoff: ' },
  ])('rejects $reminders', ({ reminders, expected }) => {
    expect(() => parseRuleSet(file(reminders), 'rules.json')).toThrow(expected);
  });
});

describe('parseRules: metric names', () => {
  it('admits a field AIRUDDER may add later when the rule says allowUnknownMetric', () => {
    const [rule] = parseRules(
      fileWith({ ...base, metric: 'queue_wait_seconds', allowUnknownMetric: true }),
      'rules.json',
    );
    expect(rule?.metric).toEqual({ kind: 'field', field: 'queue_wait_seconds' });
  });

  it('accepts any key of a known distribution, and names no suggestion when nothing is close', () => {
    expect(() =>
      parseRules(fileWith({ ...base, metric: 'story_distribution.complain' }), 'rules.json'),
    ).not.toThrow();
    expect(() => parseRules(fileWith({ ...base, metric: 'zzzz' }), 'rules.json')).toThrow(
      /field metric: unknown metric "zzzz" \(for a field AIRUDDER added later/,
    );
  });
});
