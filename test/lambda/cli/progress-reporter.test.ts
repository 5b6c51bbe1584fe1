import { describe, expect, it } from 'vitest';
import {
  createProgressReporter,
  describeDay,
  fitLine,
  formatBytes,
  formatDuration,
} from '../../../lambda/cli/progress-reporter';
import type { BackfillProgress, DayOutcome } from '../../../lambda/use-cases/backfill';

const fetched = (date: string): DayOutcome => ({
  date,
  status: 'fetched',
  key: `raw/day/${date}/x.json`,
  sizeBytes: 12_800,
});
const day = (outcome: DayOutcome, done: number): BackfillProgress => ({
  kind: 'day',
  outcome,
  done,
  total: 4,
});

function capture(tty: boolean) {
  const lines: string[] = [];
  const writes: string[] = [];
  let clock = 0;
  const reporter = createProgressReporter(
    { stdout: (text) => lines.push(text), stderr: () => {}, isTTY: tty, write: (text) => writes.push(text) },
    { now: () => clock, redact: (text) => text.replaceAll('s3cr3t', '[REDACTED]'), barWidth: 8 },
  );
  return { reporter, lines, writes, advance: (ms: number) => (clock += ms) };
}

describe('createProgressReporter', () => {
  it('prints one plain line per day when stdout is not a terminal', () => {
    const { reporter, lines, writes } = capture(false);
    reporter.report({ kind: 'planned', total: 3, toFetch: 2 });
    reporter.report(day({ date: '2025-08-01', status: 'skipped', key: 'k' }, 1));
    reporter.report(day(fetched('2025-08-02'), 2));
    reporter.report(day({ date: '2025-08-03', status: 'failed', reason: 'HTTP 503 for token s3cr3t' }, 3));
    reporter.finish();
    expect(lines).toEqual([
      '2025-08-01 skipped (already archived)',
      '2025-08-02 fetched (13 KB)',
      '2025-08-03 FAILED: HTTP 503 for token [REDACTED]',
    ]);
    expect(writes).toEqual([]);
  });

  it('redraws one line with a bar and an ETA from the pace of the days fetched so far', () => {
    // Prepare: 4 days, 1 already archived; each fetch takes 2 s of the fake clock
    const { reporter, writes, advance } = capture(true);
    // Act
    reporter.report({ kind: 'planned', total: 4, toFetch: 3 });
    reporter.report(day({ date: '2025-08-01', status: 'skipped', key: 'k' }, 1));
    advance(2000);
    reporter.report(day(fetched('2025-08-02'), 2));
    // Assess
    expect(writes).toEqual([
      '\r\u001b[K[░░░░░░░░] 0/4 days   0% · fetched 0 · skipped 0 · failed 0 · ETA --:--',
      '\r\u001b[K[██░░░░░░] 1/4 days  25% · fetched 0 · skipped 1 · failed 0 · ETA --:--',
      '\r\u001b[K[████░░░░] 2/4 days  50% · fetched 1 · skipped 1 · failed 0 · ETA 0:04',
    ]);
  });

  it('prints a failure above the bar, then draws the bar again, and ends the line when finished', () => {
    const { reporter, lines, writes } = capture(true);
    reporter.report({ kind: 'planned', total: 1, toFetch: 1 });
    reporter.report({
      kind: 'day',
      outcome: { date: '2025-08-01', status: 'failed', reason: 'HTTP 503' },
      done: 1,
      total: 1,
    });
    reporter.finish();
    expect(lines).toEqual(['2025-08-01 FAILED: HTTP 503']);
    expect(writes.slice(1)).toEqual([
      '\r\u001b[K',
      '\r\u001b[K[████████] 1/1 days 100% · fetched 0 · skipped 0 · failed 1 · ETA 0:00',
      '\n',
    ]);
  });
});

describe('formatting', () => {
  it.each([
    [812, '812 B'],
    [12_800, '13 KB'],
    [3_565_158, '3.4 MB'],
  ])('shows %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [7_000, '0:07'],
    [750_000, '12:30'],
    [3_723_000, '1:02:03'],
  ])('shows %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('describes a skipped day the same way whatever the key', () => {
    expect(describeDay({ date: '2025-08-01', status: 'skipped', key: 'raw/day/2025-08-01/a.json' })).toBe(
      '2025-08-01 skipped (already archived)',
    );
  });
});

describe('the progress line on a terminal', () => {
  const parts = ['45/90 days  50%', 'fetched 40', 'skipped 5', 'failed 0', 'ETA 0:09'];
  const bar = (width: number) => '#'.repeat(width);

  it.each([120, 80, 60, 40, 30, 20, 12, 1])('never reaches the last of %i columns', (columns) => {
    expect(fitLine(parts, bar, 24, columns).length).toBeLessThanOrEqual(Math.max(1, columns - 1));
  });

  it('keeps the preferred bar when there is room, shrinks it, then drops it before any count', () => {
    expect(fitLine(parts, bar, 24, 120)).toBe(
      `[${'#'.repeat(24)}] 45/90 days  50% · fetched 40 · skipped 5 · failed 0 · ETA 0:09`,
    );
    expect(fitLine(parts, bar, 24, 75)).toBe(
      `[${'#'.repeat(9)}] 45/90 days  50% · fetched 40 · skipped 5 · failed 0 · ETA 0:09`,
    );
    expect(fitLine(parts, bar, 24, 66)).toBe(
      '45/90 days  50% · fetched 40 · skipped 5 · failed 0 · ETA 0:09',
    );
    expect(fitLine(parts, bar, 24, 40)).toBe('45/90 days  50% · failed 0 · ETA 0:09');
    expect(fitLine(parts, bar, 24, 30)).toBe('45/90 days  50% · ETA 0:09');
  });

  it('redraws within the width the terminal reports, read at each redraw', () => {
    const writes: string[] = [];
    let columns = 100;
    const reporter = createProgressReporter(
      {
        stdout: () => {},
        stderr: () => {},
        isTTY: true,
        write: (text) => writes.push(text),
        columns: () => columns,
      },
      { now: () => 0, redact: (text) => text },
    );
    reporter.report({ kind: 'planned', total: 90, toFetch: 90 });
    columns = 40;
    reporter.report(day(fetched('2025-08-01'), 1));
    const visible = writes.map((text) => text.replace('\r\u001b[K', ''));
    expect(visible[0]).toMatch(/^\[░{24}\] 0\/90 days/);
    expect(visible[1]?.length).toBeLessThanOrEqual(39);
    expect(visible[1]).toMatch(/^1\/90 days {3}1%/);
  });
});
