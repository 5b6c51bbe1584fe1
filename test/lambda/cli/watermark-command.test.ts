import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStandIn } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';

/**
 * #22 finding 4: a CLI host whose clock ran a year fast checked "now", and the alert state's
 * watermark moved a year ahead: every later check archived but evaluated nothing, and no command
 * could move it back.
 */
const REAL_NOW = new Date('2025-11-12T06:00:00Z');
const FAST_NOW = new Date('2026-11-12T06:00:00Z');

describe('watermark: a state evaluated from the wrong future is said, and reset', () => {
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => REAL_NOW });
    dir = await mkdtemp(join(tmpdir(), 'watermark-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const job = (argv: string[], now: Date) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: dir,
      env: { LOG_LEVEL: 'WARN' },
      now: () => now,
    });

  it('names the future watermark, resets it with "watermark reset", and the next check evaluates again', async () => {
    // Prepare: a check on the fast host
    expect((await job(['check'], FAST_NOW)).code).toBe(0);
    expect((await job(['snooze', 'all', '--for', '2h', '--reason', 'kept'], REAL_NOW)).code).toBe(0);

    // Act + Assess: back on a right clock, the check says what is wrong and how to fix it
    const stuck = await job(['check'], REAL_NOW);
    expect(stuck.code).toBe(2);
    expect(stuck.stderr).toMatch(
      /evaluated up to 2026-11-12T06:00:00\.000Z, which is in the future .*"watermark reset"/,
    );
    expect((await job(['watermark'], REAL_NOW)).stdout).toMatch(
      /^Evaluated up to 2026-11-12T06:00:00\.000Z: \d+ h AHEAD of this clock/,
    );
    const refused = await job(['watermark', 'reset', '--to', '2026-01-01T00:00:00Z'], REAL_NOW);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--to 2026-01-01T00:00:00\.000Z is in the future/);
    expect((await job(['watermark', 'reset'], REAL_NOW)).stderr).toMatch(/add --yes/);

    const reset = await job(['watermark', 'reset', '--yes'], REAL_NOW);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(
      /^Watermark moved back from 2026-11-12T06:00:00\.000Z to 2025-11-12T06:00:00\.000Z \(\d+ evaluation times? moved\)/,
    );
    const checked = await job(
      ['check', '--at', '2025-11-12T06:15:00Z', '--json'],
      new Date('2025-11-12T06:15:00Z'),
    );
    expect(checked.code, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ outcome: 'evaluated' });
    // The snooze set meanwhile is kept.
    const snoozes = await job(['snoozes', '--json'], new Date('2025-11-12T06:15:00Z'));
    expect(JSON.parse(snoozes.stdout)).toMatchObject({ snoozes: [{ target: 'all', reason: 'kept' }] });
    const again = await job(['watermark', 'reset', '--yes'], new Date('2025-11-12T06:15:00Z'));
    expect(again.stdout).toMatch(/^Nothing to reset: evaluated up to 2025-11-12T06:15:00\.000Z/);
  });
});
