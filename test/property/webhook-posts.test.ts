import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleSet } from '../../lambda/domain/alerts/rules';
import { simulateDay } from './simulate-day';

/**
 * #24 Build 9, in the generated-day harness: the one-hour incident of three rules (transfers fail
 * outright and callers are angry, so satisfaction and first-call resolution drop too) that gave 7
 * posts (fired, a CRIT join, a WARN join, an easing, an easing with a resolution, two resolutions)
 * gives at most 4 in webhook mode.
 */
const RULES = parseRuleSet(
  readFileSync(join(__dirname, '..', '..', 'lambda', 'rules', 'default-rules.json'), 'utf8'),
  'default rules',
);

describe('webhook mode: a one-hour incident of three rules', () => {
  it('posts at most 4 messages, and every alert that fired is resolved in one of them', async () => {
    const window = { start: '2025-11-11 10:00:00', end: '2025-11-11 11:00:00', severity: 1 };
    const day = await simulateDay({
      seed: 13,
      timeZone: 'Asia/Jakarta',
      date: '2025-11-11',
      callsPerHourPeak: 400,
      checkEveryMinutes: 15,
      incidents: [
        { ...window, effect: 'transfer-failure' },
        { ...window, effect: 'unhappy-callers' },
      ],
      failedRuns: [],
      ruleSet: RULES,
    });
    const posts = day.runs.filter((run) => run.messages.length > 0);
    const summary = posts
      .map(
        (run) =>
          `${run.at.toISOString()} ${run.sent.map((n) => `${n.kind}:${'ruleId' in n ? n.ruleId : ''}`)}`,
      )
      .join('\n');
    const said = (kind: string) =>
      new Set(
        posts.flatMap((run) => run.sent.flatMap((n) => (n.kind === kind && 'ruleId' in n ? [n.ruleId] : []))),
      );
    expect([...said('resolved')].sort(), summary).toEqual([
      'one-call-problem-solve-rate',
      'robot-satisfied-rate',
      'transfer-success-rate',
    ]);
    expect(posts.length, summary).toBeLessThanOrEqual(4);
    expect(Object.values(day.state.rules).every((rule) => rule.status === 'ok')).toBe(true);
  });
});
