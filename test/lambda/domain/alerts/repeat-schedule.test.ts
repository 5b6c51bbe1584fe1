import { describe, expect, it } from 'vitest';
import { repeatIntervalMinutes } from '../../../../lambda/domain/alerts/repeat-schedule';
import { RepeatPolicySchema } from '../../../../lambda/domain/alerts/rules-schema';
import { EXAMPLE_AT, rates, rule, simulate } from './alert-test-helpers';

describe('repeatIntervalMinutes', () => {
  it.each([
    { policy: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 240 }, expected: [60, 120, 240, 240, 240] },
    { policy: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 }, expected: [60, 120, 240, 480, 480] },
    { policy: { everyMinutes: 30 }, expected: [30, 30, 30, 30, 30] },
    { policy: { everyMinutes: 45, backoff: 1.5, maxEveryMinutes: 100 }, expected: [45, 67.5, 100, 100, 100] },
  ])('waits $expected minutes for $policy', ({ policy, expected }) => {
    const parsed = RepeatPolicySchema.parse(policy);
    expect([0, 1, 2, 3, 4].map((sent) => repeatIntervalMinutes(parsed, sent))).toEqual(expected);
  });

  it('caps at a day when no maximum is given', () => {
    expect(RepeatPolicySchema.parse({ everyMinutes: 60, backoff: 2 }).maxEveryMinutes).toBe(1440);
  });
});

describe('repeat while firing', () => {
  it('reminds after 60, 120, 240 and then every 240 minutes (capped), counting from each accepted message', () => {
    // Prepare: sustained breach for 16 hours of 15-minute runs
    const repeating = rule({ repeat: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 240 } });
    // Act
    const { runs } = simulate([repeating], rates(...Array.from({ length: 16 * 4 }, () => 0.5)));
    // Assess
    const sent = runs.filter((run) => run.kinds.length > 0);
    expect(sent.map((run) => run.kinds[0])).toEqual([
      'fired',
      'repeat',
      'repeat',
      'repeat',
      'repeat',
      'repeat',
    ]);
    const minutes = sent.map((run) => (run.at.getTime() - EXAMPLE_AT.getTime()) / 60_000);
    const gaps = minutes.slice(1).map((m, i) => m - (minutes[i] ?? 0));
    expect(gaps).toEqual([60, 120, 240, 240, 240]);
    expect(
      sent
        .slice(1)
        .map((run) => run.notifications[0])
        .map((n) => n && 'repeatNumber' in n && n.repeatNumber),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('restarts the schedule after an escalation', () => {
    const repeating = rule({ repeat: { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 } });
    // fired at 15, repeat at 75, escalated at 90, next reminder 60 minutes after the escalation
    const values = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3];
    const { runs } = simulate([repeating], rates(...values));
    expect(runs.map((run) => run.kinds.join())).toEqual([
      '',
      'fired',
      '',
      '',
      '',
      'repeat',
      'escalated',
      '',
      '',
      '',
      'repeat',
    ]);
  });

  it('keeps a refused reminder owed on the following runs', () => {
    const repeating = rule({ repeat: { everyMinutes: 60 } });
    const steps = rates(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5).map((step, i) => ({
      ...step,
      delivered: i !== 5,
    }));
    const { runs } = simulate([repeating], steps);
    expect(runs.map((run) => run.kinds.join())).toEqual(['', 'fired', '', '', '', 'repeat', 'repeat']);
  });

  it('never repeats without a repeat policy', () => {
    const { runs } = simulate([rule()], rates(...Array.from({ length: 40 }, () => 0.5)));
    expect(runs.flatMap((run) => run.kinds)).toEqual(['fired']);
  });
});
