import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Incident, IncidentEffect } from '../../dev/stand-in/incidents';
import { parseRuleSet, type RuleSet } from '../../lambda/domain/alerts/rules';
import { shiftDate } from './oracle';
import type { DaySpec } from './simulate-day';

/**
 * Generated days: traffic of any size (a few calls an hour to a busy centre), one to three
 * incidents of any kind, start, length and depth, quiet nights, runs without data (AIRUDDER down),
 * ordinary days and DST days in a zone that has them, and rule sets within the schema (the shipped
 * rules with thresholds, pending and recovery runs moved).
 */

const DEFAULT_RULES_TEXT = readFileSync(
  join(__dirname, '..', '..', 'lambda', 'rules', 'default-rules.json'),
  'utf8',
);

const EFFECTS: readonly IncidentEffect[] = [
  'transfer-failure',
  'agent-no-answer',
  'unhappy-callers',
  'volume-spike',
  'volume-drop',
];

const zoneAndDate = fc.oneof(
  fc.record({
    timeZone: fc.constant('Asia/Jakarta'),
    date: fc.integer({ min: 0, max: 330 }).map((days) => shiftDate('2025-01-13', days)),
  }),
  fc.record({
    timeZone: fc.constant('Europe/Berlin'),
    // The spring-forward and fall-back days, and ordinary summer and winter days.
    date: fc.constantFrom('2025-03-30', '2025-10-26', '2025-06-17', '2025-12-02'),
  }),
);

const pad = (value: number) => String(value).padStart(2, '0');
/** 'HH:mm' of quarter `q` (0 = 00:00); incidents start from 04:00, clear of any DST jump. */
const quarterTime = (q: number) => `${pad(Math.floor(q / 4))}:${pad((q % 4) * 15)}:00`;

const incident = (date: string) =>
  fc
    .record({
      effect: fc.constantFrom(...EFFECTS),
      start: fc.integer({ min: 16, max: 90 }),
      quarters: fc.integer({ min: 1, max: 40 }),
      severity: fc.integer({ min: 30, max: 100 }).map((percent) => percent / 100),
    })
    .map(
      ({ effect, start, quarters, severity }): Incident => ({
        effect,
        severity,
        start: `${date} ${quarterTime(start)}`,
        end: `${date} ${quarterTime(Math.min(start + quarters, 95))}`,
      }),
    );

/** The shipped rules with each rule's thresholds shifted together and its run counts changed. */
const ruleSet: fc.Arbitrary<RuleSet> = fc
  .array(
    fc.record({
      shift: fc.integer({ min: -5, max: 5 }).map((step) => step / 100),
      pendingRuns: fc.integer({ min: 1, max: 3 }),
      recoveryRuns: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 8, maxLength: 8 },
  )
  .map((tweaks) => {
    const file = JSON.parse(DEFAULT_RULES_TEXT) as { rules: Array<Record<string, unknown>> };
    file.rules.forEach((rule, index) => {
      const tweak = tweaks[index];
      if (tweak === undefined) return;
      for (const key of ['warn', 'crit', 'recovery'] as const) {
        if (typeof rule[key] === 'number')
          rule[key] = Math.round(((rule[key] as number) + tweak.shift) * 1000) / 1000;
      }
      rule.pendingRuns = tweak.pendingRuns;
      rule.recoveryRuns = tweak.recoveryRuns;
    });
    return parseRuleSet(JSON.stringify(file), 'generated rules');
  });

export const daySpec: fc.Arbitrary<DaySpec> = zoneAndDate.chain(({ timeZone, date }) =>
  fc.record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    timeZone: fc.constant(timeZone),
    date: fc.constant(date),
    callsPerHourPeak: fc.constantFrom(8, 40, 120, 400),
    checkEveryMinutes: fc.constantFrom(15, 30, 60),
    incidents: fc.array(incident(date), { minLength: 1, maxLength: 3 }),
    failedRuns: fc.option(
      fc
        .record({ from: fc.integer({ min: 0, max: 90 }), runs: fc.integer({ min: 1, max: 20 }) })
        .map(({ from, runs }) => Array.from({ length: runs }, (_, index) => from + index)),
      { nil: [], freq: 4 },
    ),
    ruleSet,
    lineCapacity: fc.option(fc.integer({ min: 5, max: 80 }), { nil: undefined }),
  }),
);
