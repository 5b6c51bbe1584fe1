import fc from 'fast-check';
import { describe, it } from 'vitest';
import { everyMessageTrue } from './generated-days';

/**
 * Days the generated runs once failed on, replayed exactly (fast-check's seed and path). Each names
 * what it caught. They are tied to the generator: when day-generator.ts changes, re-derive them.
 */
const REGRESSIONS = [
  {
    seed: 1,
    path: '45',
    caught:
      'a peak-concurrency alert fired at 08:30 on the spring-forward day, reading the day before archived at that same minute (the oracle compared whole key names, not their instants)',
  },
  {
    seed: 1,
    path: '0',
    caught:
      'a group reminder cadence restarted by another rule firing: reminders are bounded per group after each news, not per rule',
  },
  {
    seed: 27_027,
    path: '2',
    caught:
      'a 45-minute window asked for at 02:15 on the fall-back day started at 02:30 on the clock (before the change): a window AIRUDDER cannot be asked in local times is now not asked',
  },
] as const;

describe('generated days that once failed', () => {
  it.each(REGRESSIONS)(
    'holds again: $caught',
    async ({ seed, path }) => {
      await fc.assert(everyMessageTrue, { seed, path, numRuns: 1 });
    },
    60_000,
  );
});
