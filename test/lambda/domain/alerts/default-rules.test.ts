import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../dev/stand-in/incidents';
import { parseRules } from '../../../../lambda/domain/alerts/parse-rules';
import type { Rule } from '../../../../lambda/domain/alerts/rules-schema';
import { localDate, toWallClock } from '../../../../lambda/domain/local-time';
import { generated, JAKARTA, minutesAfter, simulate } from './alert-test-helpers';

const RULES_FILE = join(__dirname, '..', '..', '..', '..', 'lambda', 'rules', 'default-rules.json');
const defaults = (): Rule[] => parseRules(readFileSync(RULES_FILE, 'utf8'), 'default-rules.json');

/**
 * What the check run sees every 15 minutes of a local day: the day so far, the archived response of
 * the same time a week earlier, and yesterday's offline row.
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
    return {
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

  it('give every rule a runbook and every rate a volume gate and two runs of patience', () => {
    for (const rule of defaults()) {
      expect(rule.runbook, rule.id).toBeDefined();
      if (rule.metric.kind === 'field' && rule.metric.field.endsWith('_rate')) {
        expect(rule, rule.id).toMatchObject({ pendingRuns: 2, noData: 'ignore' });
        expect(rule.minCalls, rule.id).toBeGreaterThanOrEqual(30);
      }
    }
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
