import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStandIn } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';

/** 19:00 on 12 Nov in Jakarta: the 10th and 11th are whole days that are over. */
const NOW = new Date('2025-11-12T12:00:00Z');

describe('airudder-monitor <command> --json', () => {
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => NOW });
    dir = await mkdtemp(join(tmpdir(), 'cli-json-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the CLI; stdout must be exactly one JSON document, whatever else happened. */
  async function json(argv: string[], env: Record<string, string> = {}) {
    const result = await runTestCli([...argv, '--json'], {
      baseUrl: standIn.url,
      archiveDir: join(dir, 'archive'),
      env: { LOG_LEVEL: 'INFO', ...env },
      now: () => NOW,
      tty: true,
    });
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    return { ...result, document };
  }

  it('fetch: the window, calls and the archived object, with logs on stderr only', async () => {
    const { code, document, stderr, writes } = await json([
      'fetch',
      '--from',
      '2025-11-12 00:00:00',
      '--to',
      '2025-11-12 14:30:00',
    ]);
    expect(code).toBe(0);
    expect(document).toMatchObject({
      command: 'fetch',
      ok: true,
      window: { startTime: '2025-11-12 00:00:00', endTime: '2025-11-12 14:30:00', timeZone: 'Asia/Jakarta' },
      calls: expect.any(Number),
      archive: {
        key: 'raw/fetch/2025-11-12/20251112T073000Z_20251112T000000_20251112T143000.json',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        created: true,
      },
    });
    expect(stderr).toMatch(/"level":"INFO"/);
    expect(writes).toEqual([]);
  });

  it('check: the outcome, every rule with its status and measurement, and what was sent', async () => {
    const { code, document } = await json(['check', '--at', '2025-11-12T03:00:00Z']);
    expect(code).toBe(0);
    expect(document).toMatchObject({
      command: 'check',
      ok: true,
      outcome: 'evaluated',
      scheduledTime: '2025-11-12T03:00:00.000Z',
      archive: { key: expect.stringMatching(/^raw\/check\/2025-11-12\//) },
      sent: expect.any(Array),
    });
    const results = document.results as Array<Record<string, unknown>>;
    expect(results.map((result) => result.ruleId)).toContain('transfer-success-rate');
    expect(results.find((result) => result.ruleId === 'peak-concurrency')).toMatchObject({
      status: 'ok',
      measurement: { kind: 'skipped' },
    });
    const again = await json(['check', '--at', '2025-11-12T03:00:00Z']);
    expect(again.document).toMatchObject({ command: 'check', outcome: 'already-evaluated' });
  });

  it('backfill: every day with its outcome, and no progress line drawn on stdout even on a terminal', async () => {
    const { code, document, stderr, writes } = await json([
      'backfill',
      '--from',
      '2025-11-10',
      '--to',
      '2025-11-11',
    ]);
    expect(code).toBe(0);
    expect(writes).toEqual([]);
    expect(stderr).toMatch(/^2025-11-10 fetched/m);
    expect(document).toMatchObject({
      command: 'backfill',
      ok: true,
      fetched: 2,
      skipped: 0,
      failed: 0,
      days: [
        { date: '2025-11-10', status: 'fetched' },
        { date: '2025-11-11', status: 'fetched' },
      ],
    });
  });

  it('replay: the summary and every event, messages as text', async () => {
    const { code, document } = await json(['replay', '--from', '2025-11-10', '--to', '2025-11-11']);
    expect(code).toBe(0);
    expect(document).toMatchObject({ command: 'replay', ok: true, days: 2, missingDays: [] });
    const events = document.events as Array<Record<string, unknown>>;
    expect(events.filter((event) => event.kind === 'digest')).toEqual([
      expect.objectContaining({ date: '2025-11-10', text: expect.stringMatching(/digest/i) }),
      expect.objectContaining({ date: '2025-11-11', text: expect.stringMatching(/digest/i) }),
    ]);
  });

  it('verify: ok with the counts, and with a problem still one document, exit 1', async () => {
    const clean = await json(['verify']);
    expect(clean.code).toBe(0);
    expect(clean.document).toMatchObject({ command: 'verify', ok: true, problems: [], objects: 7 }); // the check archives its rules' windows too (15, 45 and 60 min)
    const gap = await json(['verify', '--from', '2025-11-09', '--to', '2025-11-12']);
    expect(gap.code).toBe(1);
    expect(gap.document).toMatchObject({ command: 'verify', ok: false, missingDays: ['2025-11-09'] });
    expect(gap.stderr).toMatch(/verify failed: 1 problem/);
  });

  it('a usage error is one document too, exit 2', async () => {
    const { code, document } = await json(['backfill', '--from', '2025-11-10']);
    expect(code).toBe(2);
    expect(document).toEqual({
      command: 'backfill',
      ok: false,
      error: { name: 'UsageError', message: '--to is required (YYYY-MM-DD)' },
    });
  });

  it('curate: the counts and every day, the target named', async () => {
    const { code, document } = await json(['curate', '--from', '2025-11-10', '--to', '2025-11-12']);
    expect(code).toBe(0);
    expect(document).toMatchObject({
      command: 'curate',
      ok: true,
      from: '2025-11-10',
      to: '2025-11-12',
      target: join(dir, 'archive', 'curated'),
      // backfill curated each day it archived: the same bytes again.
      counts: { written: 0, unchanged: 2, 'no-response': 1, failed: 0 },
      days: [
        { date: '2025-11-10', status: 'unchanged', records: { daily: 1, hourly: 24 } },
        { date: '2025-11-11', status: 'unchanged' },
        { date: '2025-11-12', status: 'no-response' },
      ],
      notStarted: [],
    });
  });

  it('digest: the outcome with the message as text, then already-posted', async () => {
    const first = await json(['digest', '--date', '2025-11-11']);
    const again = await json(['digest', '--date', '2025-11-11']);
    expect(first.code).toBe(0);
    expect(first.document).toMatchObject({
      command: 'digest',
      date: '2025-11-11',
      outcome: 'posted',
      rawKey: expect.stringMatching(/^raw\/day\/2025-11-11\//),
      text: expect.stringMatching(/2025-11-11|11 Nov/),
      caughtUp: expect.any(Array),
    });
    // The digest went to the console (no webhook): on stderr, never into the JSON document's stream.
    expect(first.stderr).toMatch(/digest/i);
    expect(again.document).toMatchObject({ command: 'digest', outcome: 'already-posted' });
  });

  it('rules: validate, show and push each give one document', async () => {
    const file = join(dir, 'rules.json');
    const shown = await json(['rules', 'show']);
    await writeFile(file, JSON.stringify(shown.document.rules));
    const validated = await json(['rules', 'validate', file]);
    const pushed = await json(['rules', 'push', file, '--yes']);
    expect(shown.document).toMatchObject({ command: 'rules', action: 'show', origin: 'bundled' });
    expect(validated.document).toMatchObject({
      command: 'rules',
      ok: true,
      action: 'validate',
      rules: expect.arrayContaining(['transfer-success-rate']),
      history: { responses: expect.any(Number), unseen: [] },
    });
    expect(pushed.code).toBe(0);
    expect(pushed.document).toMatchObject({ command: 'rules', action: 'push', pushed: expect.any(Boolean) });
  });

  it('watermark: the instant last evaluated, and whether it is ahead of the clock', async () => {
    const { code, document } = await json(['watermark']);
    expect(code).toBe(0);
    expect(document).toEqual({
      command: 'watermark',
      ok: true,
      action: 'show',
      watermark: expect.stringMatching(/^2025-11-12T03:00:00(\.000)?Z$/),
      ahead: false,
      now: NOW.toISOString(),
    });
  });

  it('snooze and unsnooze: what was snoozed until when, and what ended', async () => {
    const snoozed = await json([
      'snooze',
      'transfer-success-rate',
      '--for',
      '2h',
      '--reason',
      'maintenance',
      '--by',
      'amira',
    ]);
    const ended = await json(['unsnooze', 'transfer-success-rate', '--by', 'amira']);
    expect(snoozed.document).toEqual({
      command: 'snooze',
      ok: true,
      target: 'transfer-success-rate',
      until: '2025-11-12T14:00:00.000Z',
      untilLocal: '2025-11-12 21:00',
      timeZone: 'Asia/Jakarta',
      reason: 'maintenance',
      by: 'amira (CLI)',
      // Webhook mode: there is no incident head to edit
      slack: 'none',
    });
    expect(ended.document).toEqual({
      command: 'unsnooze',
      ok: true,
      target: 'transfer-success-rate',
      ended: ['transfer-success-rate'],
      slack: 'none',
    });
  });
});

describe('the backfill progress line', () => {
  it('falls back to plain lines when TERM is dumb, even on a terminal', async () => {
    const standIn = await startTestStandIn({ now: () => NOW });
    const dir = await mkdtemp(join(tmpdir(), 'cli-dumb-'));
    try {
      const result = await runTestCli(['backfill', '--from', '2025-11-10', '--to', '2025-11-11'], {
        baseUrl: standIn.url,
        archiveDir: dir,
        env: { TERM: 'dumb', LOG_LEVEL: 'WARN' },
        now: () => NOW,
        tty: true,
      });
      expect(result.code).toBe(0);
      expect(result.writes).toEqual([]);
      expect(result.stdout).toMatch(/^2025-11-10 fetched \(\d+ KB\)$/m);
    } finally {
      await standIn.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
