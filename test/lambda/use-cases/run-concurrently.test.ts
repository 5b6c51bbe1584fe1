import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../../../lambda/use-cases/run-concurrently';

/** A job that stays in flight until the test lets it finish: no timers, no timing. */
function gatedJobs() {
  let inFlight = 0;
  let maxInFlight = 0;
  const gates: Array<() => void> = [];
  const started: number[] = [];
  const work = async (item: number) => {
    started.push(item);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise<void>((resolve) => gates.push(resolve));
    inFlight -= 1;
  };
  const releaseAll = async () => {
    while (gates.length > 0 || inFlight > 0) {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { work, releaseAll, started, stats: () => ({ inFlight, maxInFlight }) };
}

describe('forEachConcurrently', () => {
  it('keeps at most `concurrency` jobs in flight and runs every item once, in order of start', async () => {
    // Prepare
    const jobs = gatedJobs();
    const items = Array.from({ length: 20 }, (_, index) => index);
    // Act
    const run = forEachConcurrently(items, 3, jobs.work);
    await new Promise((resolve) => setImmediate(resolve));
    const whileBlocked = jobs.stats();
    await jobs.releaseAll();
    await run;
    // Assess
    expect(whileBlocked.inFlight).toBe(3);
    expect(jobs.stats().maxInFlight).toBe(3);
    expect(jobs.started).toEqual(items);
  });

  it('starts nothing new once the signal is aborted, and lets the running jobs finish', async () => {
    const jobs = gatedJobs();
    const stop = new AbortController();
    const run = forEachConcurrently(
      Array.from({ length: 10 }, (_, index) => index),
      2,
      jobs.work,
      stop.signal,
    );
    await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    await jobs.releaseAll();
    await run;
    expect(jobs.started).toEqual([0, 1]);
  });

  it('does nothing for no items', async () => {
    const jobs = gatedJobs();
    await forEachConcurrently([], 4, jobs.work);
    expect(jobs.started).toEqual([]);
  });
});
