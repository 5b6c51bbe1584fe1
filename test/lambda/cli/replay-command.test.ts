import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { daySoFarWindow } from '../../../lambda/domain/statistics/query-window';
import { silentLogger } from '../../../lambda/shared/logger';
import { fetchAndArchive } from '../../../lambda/use-cases/fetch-and-archive';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn, TEST_ZONE, testClient } from '../../helpers/airudder';
import { MECHANICS_RULES_FILE } from '../../helpers/check-run';
import { runTestCli } from '../../helpers/cli';

const NOW = new Date('2025-11-12T12:00:00Z');
/** Transfers to agents fail on the afternoon of Tue 14 Oct (Jakarta). */
const INCIDENT = {
  start: '2025-10-14 12:00:00',
  end: '2025-10-14 17:00:00',
  effect: 'transfer-failure' as const,
  severity: 1,
};

describe('airudder-monitor replay, over a month archived by backfill', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let dir: string;

  async function job(argv: string[], env: Record<string, string> = {}) {
    const result = await runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: dir,
      // Backfill archives whole days: only a rule on 60-minute windows ending on the hour can be
      // replayed over them, as the mechanics rules' transfer rule is (the shipped one judges 15- and
      // 45-minute windows, which only live checks archive).
      env: { LOG_LEVEL: 'WARN', RULES_FILE: MECHANICS_RULES_FILE, ...env },
      now: () => NOW,
    });
    return { ...result, lines: result.stdout.split('\n') };
  }

  beforeAll(async () => {
    standIn = await startTestStandIn({ incidents: [INCIDENT] });
    slack = await startSlackReceiver();
    dir = await mkdtemp(join(tmpdir(), 'replay-'));
    const backfilled = await job([
      'backfill',
      '--from',
      '2025-10-01',
      '--to',
      '2025-10-31',
      '--concurrency',
      '8',
      '--rate',
      '500',
    ]);
    expect(backfilled.code).toBe(0);
    // Two checks on 20 Oct: 10:00 stands for the hour ending 10:00; 10:45 is evaluated at 10:45 and
    // is too early to stand for 11:00.
    const { client } = testClient(standIn.url);
    const store = createFolderObjectStore(dir);
    for (const at of ['2025-10-20T03:00:00Z', '2025-10-20T03:45:00Z'].map((iso) => new Date(iso))) {
      await fetchAndArchive(
        { source: client, store, logger: silentLogger },
        { kind: 'check', window: daySoFarWindow(at, TEST_ZONE), referenceTime: at },
      );
    }
  });
  afterAll(async () => {
    await standIn.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Replay lines of one kind: "<date> <HH:mm>  <icon> <first line of the alert> (<details>)". */
  const alertLines = (lines: string[], event: RegExp) =>
    lines.filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d/.test(line) && event.test(line));

  it('prints the transfer alert firing that afternoon and resolving, with no API call and nothing posted', async () => {
    // Prepare
    const requestsBefore = standIn.requests.length;
    // Act
    const result = await job(['replay', '--from', '2025-10-10', '--to', '2025-10-20'], {
      SLACK_WEBHOOK_URL: slack.url,
    });
    // Assess
    expect(result.code).toBe(0);
    const fired = alertLines(result.lines, / {2}[🔴🟠] Transfer success rate \d/u);
    const resolved = alertLines(result.lines, / {2}✅ Resolved: /);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatch(
      /^2025-10-14 1[2-7]:00 {2}[🔴🟠] Transfer success rate \d+(\.\d)?% < (60|75)% · last 60 min · \d+ of \d+ transfers/u,
    );
    // The incident ends that evening, and so does the alert: quiet evening hours count as healthy.
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatch(/^2025-10-14 \d\d:00 {2}✅ Resolved: Transfer success rate back to /);
    expect(result.stdout).toMatch(
      /^2025-10-14 digest \(24 evaluations: .*\): \[replay\] AIRUDDER stats monitor · Robot digest Tue 14 Oct: .*, 1 alert$/m,
    );
    expect(result.stdout).toMatch(/^2025-10-13 digest .*no alerts$/m);
    expect(result.stdout).toContain(
      "2025-10-20 digest (25 evaluations: 23 hourly from the day's response, 2 at archived checks)",
    );
    expect(result.stdout).toMatch(
      /Replayed 11 days: 265 evaluations \(263 hourly from the day's response, 2 at archived checks\); notifications: 1 fired, \d+ repeat, 1 resolved; 0 messages posted\./,
    );
    // The noise report: one episode, detected one hourly evaluation after its first breach.
    // messages, per day, alert-hours, 1 episode, messages per episode (mean and max), episodes per
    // 30 days (1 in 11 days), 0 at night, detection, resolution, no flaps
    expect(result.stdout).toMatch(
      /^transfer-success-rate +(\d+) +[\d.]+ +[\d.]+ +1 +\1 +\1 +2\.7 +0 +60 min \/ 60 min +\d+ min +0$/m,
    );
    expect(result.stdout).toMatch(/^agent-reception-rate +0 +0 +0 +0 +— +— +0 +0 +— \/ — +— +0$/m);
    expect(result.stdout).toContain(
      'Rolling windows: 0 from archived checks, 264 derived from hourly rows, 1 missing',
    );
    expect(standIn.requests.length).toBe(requestsBefore);
    expect(slack.attempts).toBe(0);
  });

  it('with --post, sends each hour’s alert message and each day’s digest to Slack', async () => {
    // Prepare
    const requestsBefore = standIn.requests.length;
    const receivedBefore = slack.received.length;
    // Act
    const result = await job(['replay', '--from', '2025-10-13', '--to', '2025-10-15', '--post'], {
      SLACK_WEBHOOK_URL: slack.url,
    });
    // Assess: one alert message per hour that owed something, one digest per day
    expect(result.code).toBe(0);
    const alertHours = new Set(alertLines(result.lines, / {2}[🔴🟠✅🛑] /u).map((line) => line.slice(0, 16)));
    const posted = slack.received.slice(receivedBefore);
    expect(posted).toHaveLength(alertHours.size + 3);
    // Replayed digests say so too, as replayed alerts do (#27).
    const digests = posted.filter((message) => message.text.includes('Robot digest'));
    expect(digests).toHaveLength(3);
    for (const message of digests) {
      expect(message.text.startsWith('[replay] AIRUDDER stats monitor · Robot digest')).toBe(true);
      expect(JSON.stringify(message.blocks[0])).toContain(
        'REPLAY · AIRUDDER stats monitor — 🤖 Robot digest',
      );
    }
    const alerts = posted.filter((message) => /Transfer success rate/.test(message.text));
    expect(alerts.length).toBeGreaterThan(0);
    // Replayed alerts say so, in the notification text and the header.
    for (const message of alerts) {
      expect(message.text.startsWith('[replay] AIRUDDER stats monitor: ')).toBe(true);
      expect(JSON.stringify(message.blocks[0])).toContain('REPLAY · AIRUDDER stats monitor');
    }
    expect(result.stdout).toMatch(
      /^2025-10-14 digest posted \(24 evaluations: .*\):\nREPLAY · AIRUDDER stats monitor — 🤖 Robot digest · Tue 14 Oct 2025/m,
    );
    expect(result.stdout).toContain(`${alertHours.size + 3} messages posted.`);
    expect(standIn.requests.length).toBe(requestsBefore);
  });

  it('evaluates the rules of --rules FILE instead of the configured ones', async () => {
    // Prepare: an hourly rule a threshold tuner might try
    const rules = join(dir, 'hourly-rules.json');
    await writeFile(
      rules,
      JSON.stringify({
        version: 1,
        rules: [
          {
            id: 'hourly-transfer-success',
            title: 'Hourly transfer success',
            metric: 'transfer_success_rate',
            scope: 'last-complete-hour',
            comparison: 'below',
            warn: 0.7,
            recovery: 0.8,
            minCalls: 40,
          },
        ],
      }),
    );
    // Act
    const result = await job(['replay', '--from', '2025-10-14', '--to', '2025-10-14', '--rules', rules]);
    // Assess: it fires once the first failing hour is complete and resolves after the last one
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`with 1 rule from ${rules}`);
    expect(alertLines(result.lines, / {2}🟠 Hourly transfer success \d/)).toEqual([
      expect.stringMatching(/^2025-10-14 13:00 {2}🟠 Hourly transfer success [\d.]+% < 70% · 12:00–13:00/),
    ]);
    expect(alertLines(result.lines, / {2}✅ Resolved: /)).toEqual([
      expect.stringMatching(
        /^2025-10-14 18:00 {2}✅ Resolved: Hourly transfer success .*\(was WARN, 13:00–18:00 \(5h\)\)$/,
      ),
    ]);
  });

  it('exits 2 on a misspelt metric, naming rule and field with the closest known name, for check and replay', async () => {
    // Prepare
    const rules = join(dir, 'misspelt-rules.json');
    const rule = {
      id: 'transfer',
      title: 'T',
      metric: 'transfer_sucess_rate',
      window: { minutes: 60 },
      comparison: 'below',
      warn: 0.7,
    };
    await writeFile(rules, JSON.stringify({ version: 1, rules: [rule] }));
    const expected =
      /rule "transfer" field metric: unknown metric "transfer_sucess_rate"; did you mean "transfer_success_rate"\?/;
    // Act
    const check = await job(['check', '--at', '2025-10-14T03:00:00Z'], { RULES_FILE: rules });
    const replayed = await job(['replay', '--from', '2025-10-14', '--to', '2025-10-14', '--rules', rules]);
    // Assess
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(expected);
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toMatch(expected);
  });

  it('exits 2 on a rules file with a mistake, naming the rule and the field', async () => {
    const rules = join(dir, 'broken-rules.json');
    await writeFile(
      rules,
      JSON.stringify({
        version: 1,
        rules: [
          {
            id: 'too-strict',
            title: 'T',
            metric: 'transfer_success_rate',
            scope: 'day-so-far',
            comparison: 'below',
            warn: 'high',
          },
        ],
      }),
    );
    const result = await job(['replay', '--from', '2025-10-14', '--to', '2025-10-14', '--rules', rules]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--rules: .*rule "too-strict" field warn: expected number/);
  });

  it.each([
    [
      ['replay', '--from', '2025-10-14', '--to', '2025-10-14', '--post'],
      /--post: no Slack webhook is configured/,
    ],
    [
      ['replay', '--from', '2025-10-14', '--to', '2025-10-14', '--rules', '/nonexistent/rules.json'],
      /--rules: \/nonexistent\/rules.json cannot be read \(ENOENT\)/,
    ],
    [['replay', '--from', '2025-10-14'], /--to is required/],
  ])('exits 2 on %j', async (argv, message) => {
    const result = await job(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('reports and skips a day the archive does not hold', async () => {
    const result = await job(['replay', '--from', '2025-10-31', '--to', '2025-11-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '2025-11-01 SKIPPED: no valid whole-day response archived under raw/day/2025-11-01/',
    );
    expect(result.stdout).toMatch(/Replayed 1 day \(1 missing: 2025-11-01\): 24 evaluations/);
  });
});
