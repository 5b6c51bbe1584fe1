import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daySpec } from './day-generator';
import { ALL_PROPERTIES } from './day-properties';
import { simulateDay } from './simulate-day';

/**
 * Every message of generated days is true (#27). The days are split over SHARDS test files, so
 * vitest lives them on every core (`npm run test:property` asks for every core: vitest's default
 * is one worker fewer, a single worker on a 2-core machine). `npm test` lives 100 days from a fixed seed; `npm run
 * test:property` 2,000 (PROPERTY_DAYS and PROPERTY_SEED set both). A failure prints the seed and the
 * path fast-check shrank to: add them to generated-days-regressions.test.ts.
 */

export const SHARDS = 4;
const DAYS = Number(process.env.PROPERTY_DAYS ?? 100);
const SEED = Number(process.env.PROPERTY_SEED ?? 27_027);
/** Generous per-day budget for the timeout: a day takes 1–3 s on this loaded 2-core machine. */
const MS_PER_DAY = 6_000;

/** The property: every violation list of a simulated day is empty. */
export const everyMessageTrue = fc.asyncProperty(daySpec, async (spec) => {
  const day = await simulateDay(spec);
  const violations = ALL_PROPERTIES.flatMap((property) => property(day));
  expect(violations, JSON.stringify(spec)).toEqual([]);
});

/** Lives this shard's share of the days, from its own seed (SEED + shard). */
export function generatedDays(shard: number): void {
  const days = Math.ceil(DAYS / SHARDS);
  const seed = SEED + shard;
  describe(`${days} generated days of checks, digest and replay (seed ${seed}, shard ${shard + 1} of ${SHARDS})`, () => {
    it(
      'every figure equals the oracle, no side is misnamed, episodes close, posts stay bounded, replay agrees',
      async () => {
        await fc.assert(everyMessageTrue, { seed, numRuns: days, endOnFailure: true });
      },
      60_000 + days * MS_PER_DAY,
    );
  });
}
