import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../dev/stand-in/incidents';
import {
  breachSeverity,
  critRelease,
  isBackPast,
  isBeyond,
  leastThreshold,
  nextFiringSeverity,
  parseRuleSet,
  parseRules,
  type Rule,
  RulesFileError,
  SeveritySchema,
  thresholdFor,
  WEEKDAYS,
} from '../../../../lambda/domain/alerts/rules';
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

describe('threshold arithmetic: a breach is strictly beyond, a recovery at or back past', () => {
  it.each([
    { comparison: 'below' as const, value: 0.59, beyond: true },
    { comparison: 'below' as const, value: 0.6, beyond: false },
    { comparison: 'above' as const, value: 0.61, beyond: true },
    { comparison: 'above' as const, value: 0.6, beyond: false },
  ])('reads $value as beyond 0.6 for a "$comparison" rule: $beyond', ({ comparison, value, beyond }) => {
    expect(isBeyond({ comparison }, value, 0.6)).toBe(beyond);
    expect(isBackPast({ comparison }, value, 0.6)).toBe(!beyond);
  });

  it.each([
    { thresholds: { warn: 10, crit: 20 }, value: 25, severity: 'crit' },
    { thresholds: { warn: 10, crit: 20 }, value: 20, severity: 'warn' },
    { thresholds: { warn: 10, crit: 20 }, value: 10, severity: undefined },
    { thresholds: { crit: 20 }, value: 15, severity: undefined },
    { thresholds: { crit: 20 }, value: 21, severity: 'crit' },
    { thresholds: { warn: 10 }, value: 21, severity: 'warn' },
  ])(
    'judges $value against $thresholds of an "above" rule as $severity',
    ({ thresholds, value, severity }) => {
      const rule = { comparison: 'above' as const, recovery: 10, ...thresholds };
      expect(breachSeverity(rule, value)).toBe(severity);
    },
  );

  it('judges each severity against its own threshold, and a missing one against the other', () => {
    const both = { comparison: 'below' as const, warn: 0.6, crit: 0.4, recovery: 0.7 };
    expect([thresholdFor(both, 'warn'), thresholdFor(both, 'crit'), leastThreshold(both)]).toEqual([
      0.6, 0.4, 0.6,
    ]);
    const critOnly = { comparison: 'below' as const, crit: 0.4, recovery: 0.5 };
    expect([
      thresholdFor(critOnly, 'warn'),
      thresholdFor(critOnly, 'crit'),
      leastThreshold(critOnly),
    ]).toEqual([0.4, 0.4, 0.4]);
    const warnOnly = { comparison: 'below' as const, warn: 0.6, recovery: 0.7 };
    expect(thresholdFor(warnOnly, 'crit')).toBe(0.6);
    expect(leastThreshold({ comparison: 'below', recovery: 0.7 })).toBe(0.7);
  });

  it('eases a crit alert only once the value is the recovery margin back from crit', () => {
    expect(critRelease({ comparison: 'below', warn: 0.6, crit: 0.4, recovery: 0.7 })).toBeCloseTo(0.5);
    expect(critRelease({ comparison: 'above', warn: 10, crit: 20, recovery: 8 })).toBe(18);
    expect(critRelease({ comparison: 'above', warn: 10, recovery: 8 })).toBe(8);
  });
});

describe('nextFiringSeverity: where a firing alert goes next', () => {
  const rule = { comparison: 'below' as const, warn: 0.6, crit: 0.4, recovery: 0.7 };

  it.each([
    { value: 0.7, current: 'warn' as const, next: 'resolved' },
    { value: 0.69, current: 'warn' as const, next: 'warn' },
    { value: 0.4, current: 'warn' as const, next: 'warn' },
    { value: 0.39, current: 'warn' as const, next: 'crit' },
    { value: 0.49, current: 'crit' as const, next: 'crit' },
    { value: 0.5, current: 'crit' as const, next: 'warn' },
    { value: 0.7, current: 'crit' as const, next: 'resolved' },
  ])(
    'moves a $current alert at $value to $next (warn 0.6, crit 0.4, recovery 0.7)',
    ({ value, current, next }) => {
      expect(nextFiringSeverity({ ...rule }, value, current)).toBe(next);
    },
  );

  it.each([
    { judged: { breach: 0.35, recovery: 0.75 }, current: 'warn' as const, next: 'resolved' },
    { judged: { breach: 0.35, recovery: 0.65 }, current: 'warn' as const, next: 'crit' },
    { judged: { breach: 0.45, recovery: 0.3 }, current: 'warn' as const, next: 'warn' },
    { judged: { breach: 0.45, recovery: 0.55 }, current: 'crit' as const, next: 'warn' },
    { judged: { breach: 0.55, recovery: 0.48 }, current: 'crit' as const, next: 'crit' },
  ])(
    'escalates on the breach figure and eases on the recovery figure: $judged, $current → $next',
    ({ judged, current, next }) => {
      expect(nextFiringSeverity({ ...rule }, judged, current)).toBe(next);
    },
  );

  it('moves a warn alert of a rule whose warn was since removed to crit, the only severity left', () => {
    const critOnly = { comparison: 'above' as const, crit: 20, recovery: 15 };
    expect(nextFiringSeverity(critOnly, 17, 'warn')).toBe('crit');
  });

  it('keeps a crit-only alert crit until it resolves', () => {
    const critOnly = { comparison: 'above' as const, crit: 20, recovery: 15 };
    expect(nextFiringSeverity(critOnly, 17, 'crit')).toBe('crit');
    expect(nextFiringSeverity(critOnly, 15, 'crit')).toBe('resolved');
  });
});

describe('parseRules: the bounds of each field', () => {
  it.each<{ name: string; patch: Record<string, unknown> }>([
    { name: 'a one-character id', patch: { id: 'a' } },
    { name: 'a 64-character id', patch: { id: 'A'.repeat(64) } },
    { name: 'an id of digits, dots, underscores and dashes', patch: { id: '9a._-Z' } },
    { name: 'a 150-character title', patch: { title: 't'.repeat(150) } },
    { name: 'a 1000-character description', patch: { description: 'd'.repeat(1000) } },
    { name: 'the hour scope', patch: { scope: 'last-complete-hour' } },
    { name: 'the offline day scope', patch: { scope: 'latest-offline-day' } },
    { name: 'an "above" rule', patch: { comparison: 'above', warn: 0.6, crit: 0.8, recovery: 0.5 } },
    { name: 'recovery at warn', patch: { recovery: 0.6 } },
    { name: 'recovery at warn of an "above" rule', patch: { comparison: 'above', recovery: 0.6 } },
    { name: '96 pending runs', patch: { pendingRuns: 96 } },
    { name: '96 recovery runs', patch: { recoveryRuns: 96 } },
    { name: 'noData "alert"', patch: { noData: 'alert' } },
    { name: 'noData "resolve"', patch: { noData: 'resolve' } },
    { name: 'a 15-minute window', patch: { scope: undefined, window: { minutes: 15 } } },
    { name: 'a whole-day window', patch: { scope: undefined, window: { minutes: 1440 } } },
    {
      name: 'a short window one minute shorter',
      patch: { scope: undefined, window: { minutes: 60, short: 59 } },
    },
    { name: 'confidence 0.5', patch: { confidence: 0.5 } },
    { name: 'confidence 0.999', patch: { confidence: 0.999 } },
    {
      name: 'a confidence on a ratio',
      patch: {
        confidence: true,
        metric: { ratio: { numerator: 'valid_calls', denominator: 'total_calls' } },
      },
    },
    { name: 'a 1000-character runbook', patch: { runbook: 'r'.repeat(1000) } },
    { name: 'each unit', patch: { unit: 'change' } },
    {
      name: 'weekOverWeek over the last complete hour',
      patch: { metric: { weekOverWeek: 'total_calls' }, scope: 'last-complete-hour' },
    },
    {
      name: 'weekOverWeek over a window',
      patch: { metric: { weekOverWeek: 'total_calls' }, scope: undefined, window: { minutes: 60 } },
    },
    {
      name: 'capacity over the offline day',
      patch: { comparison: 'above', metric: { capacityUtilisation: true }, scope: 'latest-offline-day' },
    },
    {
      name: 'a mute period on every weekday for the whole day',
      patch: {
        mute: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '00:00', to: '24:00' }],
      },
    },
    { name: 'a mute period across midnight', patch: { mute: [{ from: '23:59', to: '19:30' }] } },
    { name: 'a mute period ending at 20:00', patch: { mute: [{ from: '10:09', to: '20:00' }] } },
  ])('accepts $name', ({ patch }) => {
    expect(parseRules(fileWith({ ...base, ...patch }), 'rules.json')).toHaveLength(1);
  });

  it.each<{ name: string; patch: Record<string, unknown>; problem: string }>([
    { name: 'an empty id', patch: { id: '' }, problem: 'rule #0 field id: expected 1–64 letters' },
    { name: 'a 65-character id', patch: { id: 'A'.repeat(65) }, problem: 'field id: expected 1–64 letters' },
    { name: 'an id starting with a dot', patch: { id: '.a' }, problem: 'field id: expected 1–64 letters' },
    { name: 'an id ending in a space', patch: { id: 'a ' }, problem: 'field id: expected 1–64 letters' },
    { name: 'a blank title', patch: { title: '   ' }, problem: 'field title: Too small' },
    { name: 'a 151-character title', patch: { title: 't'.repeat(151) }, problem: 'field title: Too big' },
    {
      name: 'a 1001-character description',
      patch: { description: 'd'.repeat(1001) },
      problem: 'field description: Too big',
    },
    { name: 'an unknown comparison', patch: { comparison: 'equal' }, problem: 'field comparison: ' },
    {
      name: 'crit equal to warn',
      patch: { crit: 0.6 },
      problem: 'field crit: must be below warn (0.6) for a "below" rule',
    },
    {
      name: 'crit equal to warn of an "above" rule',
      patch: { comparison: 'above', crit: 0.6 },
      problem: 'field crit: must be above warn (0.6) for a "above" rule',
    },
    { name: '97 pending runs', patch: { pendingRuns: 97 }, problem: 'field pendingRuns: Too big' },
    { name: 'half a pending run', patch: { pendingRuns: 1.5 }, problem: 'field pendingRuns: expected int' },
    { name: 'no recovery runs', patch: { recoveryRuns: 0 }, problem: 'field recoveryRuns: Too small' },
    { name: '97 recovery runs', patch: { recoveryRuns: 97 }, problem: 'field recoveryRuns: Too big' },
    {
      name: 'half a recovery run',
      patch: { recoveryRuns: 1.5 },
      problem: 'field recoveryRuns: expected int',
    },
    { name: 'negative minCalls', patch: { minCalls: -1 }, problem: 'field minCalls: Too small' },
    { name: 'half a call', patch: { minCalls: 0.5 }, problem: 'field minCalls: expected int' },
    {
      name: 'a window of 1441 minutes',
      patch: { scope: undefined, window: { minutes: 1441 } },
      problem: 'field window.minutes: Too big',
    },
    {
      name: 'a window of 60.5 minutes',
      patch: { scope: undefined, window: { minutes: 60.5 } },
      problem: 'field window.minutes: expected int',
    },
    {
      name: 'a short window of 14 minutes',
      patch: { scope: undefined, window: { minutes: 60, short: 14 } },
      problem: 'field window.short: Too small',
    },
    {
      name: 'a short window of 20.5 minutes',
      patch: { scope: undefined, window: { minutes: 60, short: 20.5 } },
      problem: 'field window.short: expected int',
    },
    {
      name: 'an unknown window field',
      patch: { scope: undefined, window: { minutes: 60, long: 120 } },
      problem: 'field window.long: unknown field',
    },
    {
      name: 'neither a window nor a scope',
      patch: { scope: undefined },
      problem: 'field window: a rule needs either a rolling "window" or a fixed "scope", not both',
    },
    {
      name: 'a short window on a weekOverWeek metric',
      patch: {
        metric: { weekOverWeek: 'total_calls' },
        scope: undefined,
        window: { minutes: 60, short: 15 },
      },
      problem: 'field window: a weekOverWeek metric compares one window with its baseline: drop "short"',
    },
    { name: 'confidence 0.49', patch: { confidence: 0.49 }, problem: 'field confidence: Too small' },
    {
      name: 'a confidence without its recovery level',
      patch: { confidence: { breach: 0.95 } },
      problem: 'field confidence.recovery: expected number',
    },
    {
      name: 'a confidence that is no number',
      patch: { confidence: 'high' },
      problem:
        'field confidence: expected true (95%), a confidence from 0.5 to 0.999, or { breach, recovery } confidences',
    },
    { name: 'a blank runbook', patch: { runbook: ' ' }, problem: 'field runbook: Too small' },
    {
      name: 'a 1001-character runbook',
      patch: { runbook: 'r'.repeat(1001) },
      problem: 'field runbook: Too big',
    },
    { name: 'an unknown unit', patch: { unit: 'percent' }, problem: 'field unit: ' },
    {
      name: 'an allowUnknownMetric that is no boolean',
      patch: { allowUnknownMetric: 'yes' },
      problem: 'field allowUnknownMetric: expected boolean',
    },
    {
      name: 'an empty list of mute days',
      patch: { mute: [{ days: [], from: '22:00', to: '06:00' }] },
      problem: 'field mute[0].days: Too small',
    },
    {
      name: 'a mute from 24:00',
      patch: { mute: [{ from: '24:00', to: '06:00' }] },
      problem: 'field mute[0].from: expected a local time "HH:mm" (00:00–23:59)',
    },
    {
      name: 'a mute from 7:00',
      patch: { mute: [{ from: '7:00', to: '09:00' }] },
      problem: 'field mute[0].from: expected a local time',
    },
    {
      name: 'a mute from 07:60',
      patch: { mute: [{ from: '07:60', to: '09:00' }] },
      problem: 'field mute[0].from: expected a local time',
    },
    {
      name: 'a mute from 07:5',
      patch: { mute: [{ from: '07:5', to: '09:00' }] },
      problem: 'field mute[0].from: expected a local time',
    },
    {
      name: 'a mute from x07:00',
      patch: { mute: [{ from: 'x07:00', to: '09:00' }] },
      problem: 'field mute[0].from: expected a local time',
    },
    {
      name: 'a mute from 07:00x',
      patch: { mute: [{ from: '07:00x', to: '09:00' }] },
      problem: 'field mute[0].from: expected a local time',
    },
    {
      name: 'a mute to 25:00',
      patch: { mute: [{ from: '07:00', to: '25:00' }] },
      problem: 'field mute[0].to: expected a local time "HH:mm" (00:00–24:00)',
    },
    {
      name: 'a mute to 24:01',
      patch: { mute: [{ from: '07:00', to: '24:01' }] },
      problem: 'field mute[0].to: expected a local time "HH:mm" (00:00–24:00)',
    },
    {
      name: 'a mute to a number',
      patch: { mute: [{ from: '07:00', to: 600 }] },
      problem: 'field mute[0].to: expected a local time "HH:mm" (00:00–24:00)',
    },
    {
      name: 'a mute with an unknown field',
      patch: { mute: [{ from: '07:00', to: '09:00', until: '10:00' }] },
      problem: 'field mute[0].until: unknown field',
    },
  ])('refuses $name', ({ patch, problem }) => {
    expect(failure(fileWith({ ...base, ...patch })).problems).toEqual([expect.stringContaining(problem)]);
  });

  it('refuses a short window over a day, and one no shorter than the long window', () => {
    expect(
      failure(fileWith({ ...base, scope: undefined, window: { minutes: 1440, short: 1441 } })).problems,
    ).toEqual([
      'rule "transfer-success" field window.short: Too big: expected number to be <=1440',
      'rule "transfer-success" field window.short: must be shorter than minutes',
    ]);
  });

  it('names an unknown field and nothing more, and where a moved one went', () => {
    expect(
      failure(fileWith({ ...base, window: undefined, scope: 'day-so-far', windows: 2 })).problems,
    ).toEqual(['rule "transfer-success" field windows: unknown field']);
    expect(failure(JSON.stringify({ rules: [], remiders: { everyMinutes: 60 } })).problems).toEqual([
      'field remiders: unknown field',
    ]);
    expect(failure(fileWith({ ...base, repeat: { everyMinutes: 60 } })).problems).toEqual([
      'rule "transfer-success" field repeat: unknown field (reminders are one cadence for all alerts now: set "reminders" at the top of the file)',
    ]);
  });

  it('names the problems of the form a mixed-up value was aiming at, an unknown key among them', () => {
    expect(
      failure(fileWith({ ...base, confidence: { breach: 'x', recovery: 0.5, level: 1 } })).problems,
    ).toEqual([
      'rule "transfer-success" field confidence.breach: expected number, received string',
      'rule "transfer-success" field confidence.level: unknown field',
    ]);
    expect(failure(fileWith({ ...base, confidence: 'high' })).problems).toEqual([
      'rule "transfer-success" field confidence: expected true (95%), a confidence from 0.5 to 0.999, or { breach, recovery } confidences',
    ]);
  });

  it('lists the rates a confidence can rest on', () => {
    expect(failure(fileWith({ ...base, metric: 'total_calls', confidence: true })).problems).toEqual([
      'rule "transfer-success" field confidence: needs a rate whose count of calls is in the response (transfer_success_rate, attempted_transfer_rate, agent_reception_rate, duplicate_call_rate, one_call_problem_solve_rate, or a ratio)',
    ]);
  });

  it('accepts crit beyond warn and recovery past warn for a "below" rule', () => {
    const [rule] = parseRules(fileWith({ ...base, warn: 0.6, crit: 0.4, recovery: 0.7 }), 'rules.json');
    expect(rule).toMatchObject({ warn: 0.6, crit: 0.4, recovery: 0.7 });
  });

  it('trims the title and the runbook', () => {
    const [rule] = parseRules(
      fileWith({ ...base, title: '  Transfer  ', runbook: ' see wiki ' }),
      'rules.json',
    );
    expect([rule?.title, rule?.runbook]).toEqual(['Transfer', 'see wiki']);
  });

  it('keeps what the file sets over the defaults', () => {
    const [rule] = parseRules(
      fileWith({
        ...base,
        pendingRuns: 3,
        recoveryRuns: 2,
        minCalls: 40,
        noData: 'alert',
        allowUnknownMetric: true,
      }),
      'rules.json',
    );
    expect(rule).toMatchObject({
      pendingRuns: 3,
      recoveryRuns: 2,
      minCalls: 40,
      noData: 'alert',
      allowUnknownMetric: true,
    });
  });
});

describe('parseRuleSet: the file around the rules', () => {
  it('accepts a $schema for editors and version 1', () => {
    const text = JSON.stringify({ $schema: './rules.schema.json', version: 1, rules: [base] });
    expect(parseRuleSet(text, 'rules.json').rules).toHaveLength(1);
  });

  it.each([
    { reminders: { everyMinutes: 60 }, parsed: { everyMinutes: 60, backoff: 1, maxEveryMinutes: 1440 } },
    { reminders: { everyMinutes: 2000 }, parsed: { everyMinutes: 2000, backoff: 1, maxEveryMinutes: 2000 } },
    {
      reminders: { everyMinutes: 30, backoff: 1.5, maxEveryMinutes: 30 },
      parsed: { everyMinutes: 30, backoff: 1.5, maxEveryMinutes: 30 },
    },
  ])('reads reminders $reminders as $parsed', ({ reminders, parsed }) => {
    expect(parseRuleSet(JSON.stringify({ reminders, rules: [] }), 'rules.json').reminders).toEqual(parsed);
  });

  it.each([
    { reminders: { everyMinutes: 0 }, problem: 'field reminders.everyMinutes: Too small' },
    { reminders: { everyMinutes: 1.5 }, problem: 'field reminders.everyMinutes: expected int' },
    {
      reminders: { everyMinutes: 60, maxEveryMinutes: 0 },
      problem: 'field reminders.maxEveryMinutes: Too small',
    },
    {
      reminders: { everyMinutes: 60, maxEveryMinutes: 90.5 },
      problem: 'field reminders.maxEveryMinutes: expected int',
    },
    { reminders: { everyMinutes: 60, every: 30 }, problem: 'field reminders.every: unknown field' },
  ])('refuses reminders $reminders', ({ reminders, problem }) => {
    expect(() => parseRuleSet(JSON.stringify({ reminders, rules: [] }), 'rules.json')).toThrow(problem);
  });

  it('refuses a file larger than the limit before parsing it', () => {
    const error = failure(JSON.stringify({ rules: [], padding: 'x'.repeat(300 * 1024) }));
    expect(error.message).toMatch(/^rules\.json: file: larger than 262144 bytes/);
    expect(error.problems).toHaveLength(1);
  });

  it('refuses more rules than the limit, naming the count', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ ...base, id: `rule-${i}` }));
    const error = failure(fileWith(...many));
    expect(error.message).toBe('rules.json: field rules: 101 rules; at most 100 are allowed');
    expect(error.problems).toEqual(['field rules: 101 rules; at most 100 are allowed']);
  });

  it('refuses a file over two limits, naming both', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({
      ...base,
      id: `rule-${i}`,
      scope: undefined,
      window: { minutes: 15 + (i % 5) },
    }));
    expect(failure(fileWith(...many)).message).toBe(
      'rules.json: field rules: 101 rules; at most 100 are allowed; field rules: 5 distinct window lengths (each is one more AIRUDDER call and archived object per check); at most 4 are allowed',
    );
  });

  it('shows the first five problems and counts the rest', () => {
    const bad = Array.from({ length: 7 }, (_, i) => ({ ...base, id: `r${i}`, warn: 'x' }));
    const error = failure(fileWith(...bad));
    expect(error.problems).toHaveLength(7);
    expect(error.message).toBe(`rules.json: ${error.problems.slice(0, 5).join('; ')} (and 2 more)`);
    const five = failure(fileWith(...bad.slice(0, 5)));
    expect(five.message).toBe(`rules.json: ${five.problems.join('; ')}`);
  });

  it('names the JSON error and keeps it as the cause', () => {
    const error = failure('{"rules": [}');
    expect(error.message).toMatch(/^rules\.json: not valid JSON: \S/);
    expect(error.problems).toEqual([(error.cause as Error).message]);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('names a rule by its index when its id is blank or no string', () => {
    expect(failure(fileWith({ ...base, id: ' ', warn: 'x' })).problems).toContain(
      'rule #0 field warn: expected number, received string',
    );
    expect(failure(fileWith({ ...base, id: 7 })).problems).toEqual([
      'rule #0 field id: expected string, received number',
    ]);
  });

  it('names a rule that is no object by its index, and the whole file by "file"', () => {
    expect(failure(fileWith('not a rule')).problems).toEqual(['rule #0: expected object, received string']);
    expect(failure(fileWith(null)).problems).toEqual(['rule #0: expected object, received null']);
    expect(failure('null').problems).toEqual(['file: expected object, received null']);
    expect(failure('{"rules": {}}').problems).toEqual(['field rules: expected array, received object']);
  });
});

describe('the rule vocabulary', () => {
  it('numbers the weekdays as Date#getUTCDay does, Sunday first', () => {
    expect(WEEKDAYS.map((day, index) => [day, index])).toEqual([
      ['sun', 0],
      ['mon', 1],
      ['tue', 2],
      ['wed', 3],
      ['thu', 4],
      ['fri', 5],
      ['sat', 6],
    ]);
  });

  it.each(['warn', 'crit'])('reads the severity %s', (severity) => {
    expect(SeveritySchema.parse(severity)).toBe(severity);
  });
});
