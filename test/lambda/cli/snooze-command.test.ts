import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../../dev/stand-in/slack-stand-in';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { ALERT_STATE_KEY, AlertStateSchema } from '../../../lambda/domain/alerts/state';
import { INCIDENT_ACTIONS } from '../../../lambda/domain/slack/incident-actions';
import { readDocument } from '../../../lambda/use-cases/json-document';
import { startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';

/**
 * A morning with transfers failing 00:00–12:00 (Jakarta; the shipped rules judge the last 60 minutes
 * and skip the quiet night hours, so the alert fires once the morning is busy), checked every hour: the same day is run
 * without a snooze (the baseline) and with one, and the Slack messages compared.
 */
const DAY = '2025-11-12';
const INCIDENT = {
  start: `${DAY} 00:00:00`,
  end: `${DAY} 12:00:00`,
  effect: 'transfer-failure' as const,
  severity: 1,
};
const STAND_IN_NOW = new Date('2025-11-12T16:00:00Z'); // 23:00 local: the whole day has data
const HOURS = Array.from({ length: 22 }, (_, index) => index + 1); // 01:00 … 22:00 local
/** HH:00 local on DAY as an instant (Jakarta is UTC+7 all year). */
const localHour = (hour: number) => new Date(Date.UTC(2025, 10, 12, hour - 7));

describe('snooze, over a day of hourly checks', () => {
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let dir: string;
  let baseline: Array<{ hour: number; text: string }>;
  let fired: number;
  let resolved: number;
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => STAND_IN_NOW, incidents: [INCIDENT] });
    dir = await mkdtemp(join(tmpdir(), 'snooze-'));
    baseline = await day('baseline');
    fired = baseline.find((message) => /Transfer success/.test(message.text))?.hour ?? -1;
    resolved = baseline.find((message) => /resolved/i.test(message.text))?.hour ?? -1;
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the day; `before(hour)` runs CLI commands just before the check of that hour. */
  async function day(
    name: string,
    before: (hour: number, job: Job) => Promise<void> = async () => {},
    outputs = new Map<number, string>(),
  ) {
    const slack = await startSlackReceiver();
    const messages: Array<{ hour: number; text: string }> = [];
    const job: Job = (argv, hour) =>
      runTestCli(argv, {
        baseUrl: standIn.url,
        archiveDir: join(dir, name),
        env: { LOG_LEVEL: 'WARN', SLACK_WEBHOOK_URL: slack.url },
        now: () => new Date(localHour(hour).getTime() - 60_000),
      });
    try {
      for (const hour of HOURS) {
        await before(hour, job);
        const seen = slack.received.length;
        const result = await job(['check', '--at', localHour(hour).toISOString()], hour);
        expect(result.code, result.stderr).toBe(0);
        outputs.set(hour, result.stdout);
        for (const message of slack.received.slice(seen)) messages.push({ hour, text: message.text });
      }
    } finally {
      await slack.close();
    }
    return messages;
  }

  it('the baseline fires, reminds and resolves (so the snoozed days have something to hold)', () => {
    expect(fired).toBeGreaterThan(0);
    expect(resolved).toBeGreaterThanOrEqual(fired + 3);
    expect(
      baseline.filter((message) => message.hour > fired && message.hour < resolved).length,
    ).toBeGreaterThan(0);
  });

  it('holds fired and reminder messages, then says once that the alert still fires when the snooze ends', async () => {
    const until = fired + 2;
    const messages = await day('held', async (hour, job) => {
      if (hour === 1) {
        const set = await job(
          [
            'snooze',
            'transfer-success-rate',
            '--until',
            `${DAY} ${String(until).padStart(2, '0')}:00`,
            '--reason',
            'carrier maintenance',
          ],
          hour,
        );
        expect(set.stdout).toMatch(
          /Rule transfer-success-rate snoozed until 2025-11-12 \d\d:00 Asia\/Jakarta/,
        );
      }
      if (hour === fired) {
        const listed = await job(['snoozes', '--json'], hour);
        expect(JSON.parse(listed.stdout)).toMatchObject({
          snoozes: [{ target: 'transfer-success-rate', reason: 'carrier maintenance' }],
        });
      }
    });
    const transfer = messages.filter((message) => /Transfer success|Snooze/.test(message.text));
    expect(transfer.filter((message) => message.hour < until)).toEqual([]);
    const ended = transfer.filter((message) => message.text.includes('⏰ Snooze'));
    expect(ended).toEqual([
      {
        hour: until,
        text: expect.stringMatching(
          /^[^:]+: ⏰ Snooze of Transfer success rate \(carrier maintenance\) ended at 2025-11-12 \d\d:00 · [🟠🔴] Transfer success rate \d/u,
        ),
      },
    ]);
    // The resolution comes when it would have anyway.
    expect(messages.find((message) => /resolved/i.test(message.text))?.hour).toBe(resolved);
  });

  it('still sends the resolved message of a snoozed alert, and `all` holds every reminder meanwhile', async () => {
    const messages = await day('resolved', async (hour, job) => {
      if (hour === fired + 1) {
        expect((await job(['snooze', 'all', '--for', '12h'], hour)).code).toBe(0);
      }
    });
    const during = messages.filter((message) => message.hour > fired && message.hour !== resolved);
    expect(during).toEqual([]);
    expect(messages.filter((message) => message.hour === resolved)).toEqual([
      { hour: resolved, text: expect.stringMatching(/resolved/i) },
    ]);
  });

  it('unsnooze ends it at once: the next check says what still fires, and its "Sent:" says so too', async () => {
    const outputs = new Map<number, string>();
    const messages = await day(
      'unsnoozed',
      async (hour, job) => {
        if (hour === 1) expect((await job(['snooze', 'all', '--for', '1d'], hour)).code).toBe(0);
        if (hour === fired + 1) {
          expect((await job(['unsnooze', 'all'], hour)).stdout).toMatch(
            /^Ended: all\. The next check announces/,
          );
        }
      },
      outputs,
    );
    expect(messages.filter((message) => message.hour <= fired)).toEqual([]);
    expect(messages.find((message) => message.hour === fired + 1)?.text).toMatch(
      /^[^:]+: ⏰ Snooze of all alerts ended/,
    );
    // What the console says is what Slack got (#27): the notice is among what the check sent.
    expect(outputs.get(fired + 1)).toMatch(/^Sent: .*⏰ Snooze of all alerts ended/m);
    for (const [hour, stdout] of outputs) {
      const posted = messages.some((message) => message.hour === hour);
      expect(/^Sent: nothing( owed)?\.$/m.test(stdout), `hour ${hour}`).toBe(!posted);
    }
  });
});

type Job = (argv: string[], hour: number) => ReturnType<typeof runTestCli>;

describe('snooze times, on the account-local clock', () => {
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => STAND_IN_NOW });
    dir = await mkdtemp(join(tmpdir(), 'snooze-times-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const job = (argv: string[], now: string, zone = 'Europe/Berlin') =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: join(dir, zone.replace('/', '-')),
      env: { LOG_LEVEL: 'WARN', AIRUDDER_TIMEZONE: zone },
      now: () => new Date(now),
    });
  const snoozes = async (now: string, zone?: string) =>
    (
      JSON.parse((await job(['snoozes', '--json'], now, zone)).stdout) as {
        snoozes: Array<{ until: string; target: string }>;
      }
    ).snoozes;

  it('runs across midnight and expires by itself', async () => {
    // 23:00 in Jakarta, until 01:30 the next day
    const set = await job(
      ['snooze', 'volume-drop', '--until', '2025-11-13 01:30'],
      '2025-11-12T16:00:00Z',
      'Asia/Jakarta',
    );
    expect(set.stdout).toMatch(/until 2025-11-13 01:30 Asia\/Jakarta \(2 h 30 min from now\)/);
    expect(await snoozes('2025-11-12T18:29:00Z', 'Asia/Jakarta')).toEqual([
      expect.objectContaining({ target: 'volume-drop', until: '2025-11-12T18:30:00.000Z' }),
    ]);
    expect(await snoozes('2025-11-12T18:30:00Z', 'Asia/Jakarta')).toEqual([]);
  });

  it("lists the day's snoozes, with their reason, in the next morning's digest", async () => {
    // Prepare: 10:00–12:00 in Bangkok on 12 Nov
    const zone = 'Asia/Bangkok';
    const set = await job(
      ['snooze', 'all', '--for', '2h', '--reason', 'carrier outage'],
      '2025-11-12T03:00:00Z',
      zone,
    );
    expect(set.code).toBe(0);

    // Act: the digest of 12 Nov, at 08:30 on the 13th
    const digest = await job(['digest'], '2025-11-13T01:30:00Z', zone);

    // Assess
    expect(digest.code).toBe(0);
    expect(digest.stdout + digest.stderr).toContain('🔕 *Snoozed* · 1');
    expect(digest.stdout + digest.stderr).toContain('• all rules 10:00–12:00 — carrier outage');
  });

  it('lists a "monitor degraded" that began and ended inside a snooze of all, in `snoozes` and in the digest', async () => {
    // Prepare: all snoozed 10:00–12:00 (UTC+7); AIRUDDER unreachable at 10:15 and 10:30, back at 10:45
    const zone = 'Asia/Ho_Chi_Minh';
    const at = (time: string) => new Date(`2025-11-12T${time}:00+07:00`).toISOString();
    const run = (argv: string[], now: string, baseUrl = standIn.url) =>
      runTestCli(argv, {
        baseUrl,
        archiveDir: join(dir, 'held-health'),
        env: {
          LOG_LEVEL: 'WARN',
          AIRUDDER_TIMEZONE: zone,
          AIRUDDER_MAX_ATTEMPTS: '1',
          MONITOR_FAILURE_THRESHOLD: '2',
        },
        now: () => new Date(now),
      });
    expect((await run(['snooze', 'all', '--for', '2h', '--reason', 'carrier work'], at('10:00'))).code).toBe(
      0,
    );
    const unreachable = 'http://127.0.0.1:9';
    const checks = [
      await run(['check', '--at', at('10:15')], at('10:15'), unreachable),
      await run(['check', '--at', at('10:30')], at('10:30'), unreachable),
      await run(['check', '--at', at('10:45')], at('10:45')),
    ];
    expect(checks.map((check) => check.code)).toEqual([1, 1, 0]);
    // Act
    const during = await run(['snoozes'], at('11:00'));
    const after = JSON.parse((await run(['snoozes', '--json'], at('13:00'))).stdout);
    const digest = await run(['digest'], new Date('2025-11-13T01:30:00Z').toISOString());
    // Assess: nothing was announced, yet every place an operator looks says it happened
    expect(checks.map((check) => check.stdout + check.stderr).join('\n')).not.toMatch(/monitor degraded/i);
    expect(during.stdout).toContain('Held by "snooze all" in the last 24 h:');
    expect(during.stdout).toMatch(
      /monitor degraded 2025-11-12 10:30 → 2025-11-12 10:45 \(snooze 2025-11-12 10:00 → 2025-11-12 12:00\): /,
    );
    expect(after.snoozes).toEqual([]);
    expect(after.heldMonitorHealth).toEqual([
      {
        since: at('10:30'),
        until: at('10:45'),
        error: expect.any(String),
        snooze: expect.objectContaining({ target: 'all', reason: 'carrier work' }),
      },
    ]);
    expect(digest.code).toBe(0);
    expect(digest.stdout).toContain('• all rules 10:00–12:00 — carrier work');
    expect(digest.stdout).toContain('⚠️ Monitor degraded 10:30–10:45 (held by this snooze)');
  });

  it('counts real time across a daylight-saving change, and refuses a local time that does not exist', async () => {
    // 01:30 CET on 30 March 2025; clocks jump from 02:00 to 03:00
    const until = await job(['snooze', 'all', '--until', '2025-03-30 03:30'], '2025-03-30T00:30:00Z');
    expect(until.stdout).toMatch(/until 2025-03-30 03:30 Europe\/Berlin \(1 h from now\)/);
    expect((await snoozes('2025-03-30T00:31:00Z'))[0]?.until).toBe('2025-03-30T01:30:00.000Z');
    const forTwo = await job(['snooze', 'all', '--for', '2h'], '2025-03-30T00:30:00Z');
    expect(forTwo.stdout).toMatch(/until 2025-03-30 04:30 Europe\/Berlin \(2 h from now\)/);
    const gap = await job(['snooze', 'all', '--until', '2025-03-30 02:30'], '2025-03-30T00:30:00Z');
    expect(gap.code).toBe(2);
    expect(gap.stderr).toMatch(/--until "2025-03-30 02:30": that time does not exist in Europe\/Berlin/);
  });

  it.each([
    [
      ['snooze', 'transfer-sucess-rate', '--for', '2h'],
      /no rule "transfer-sucess-rate" in the active rules; known: transfer-success-rate/,
    ],
    [['snooze', 'all'], /give either --for DURATION \(e\.g\. 2h\) or --until/],
    [['snooze', 'all', '--for', 'two hours'], /--for "two hours": expected a duration such as 30m, 2h/],
    [['snooze', 'all', '--until', '2025-03-29 10:00'], /is not in the future/],
    [['snooze', 'all', '--for', '8d'], /at most 7 days/],
  ])('refuses %j, naming what is wrong (exit 2)', async (argv, message) => {
    const result = await job(argv, '2025-03-30T00:30:00Z');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('refuses a reason the alert state cannot keep (exit 2, naming the limit), and every later command still works', async () => {
    // #22 finding 1: a 501-character reason was stored, and then nothing could read the state.
    const at = '2025-11-12T03:00:00Z';
    const run = (argv: string[]) =>
      runTestCli(argv, {
        baseUrl: standIn.url,
        archiveDir: join(dir, 'long-reason'),
        env: { LOG_LEVEL: 'WARN' },
        now: () => new Date(at),
      });
    const refused = await run(['snooze', 'all', '--for', '2h', '--reason', 'x'.repeat(501)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--reason is 501 characters; at most 500 are kept/);
    const kept = await run(['snooze', 'all', '--for', '2h', '--reason', 'y'.repeat(500)]);
    expect(kept.code, kept.stderr).toBe(0);
    const listed = await run(['snoozes', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      snoozes: [{ target: 'all', reason: 'y'.repeat(500) }],
    });
    expect((await run(['check', '--at', at])).code).toBe(0);
    expect((await run(['unsnooze', 'all'])).code).toBe(0);
  });

  it('refuses a --by name longer than the state keeps (exit 2, naming the limit) instead of cutting it', async () => {
    const run = (argv: string[]) =>
      runTestCli(argv, {
        baseUrl: standIn.url,
        archiveDir: join(dir, 'long-by'),
        env: { LOG_LEVEL: 'WARN' },
        now: () => new Date('2025-11-12T03:00:00Z'),
      });
    const snoozed = await run(['snooze', 'all', '--for', '2h', '--by', 'b'.repeat(51)]);
    const unsnoozed = await run(['unsnooze', 'all', '--by', 'b'.repeat(51)]);
    expect([snoozed.code, unsnoozed.code]).toEqual([2, 2]);
    expect(snoozed.stderr).toContain('--by is 51 characters; at most 50 are kept');
    expect(unsnoozed.stderr).toContain('--by is 51 characters; at most 50 are kept');
    expect(JSON.parse((await run(['snoozes', '--json'])).stdout)).toMatchObject({ snoozes: [] });
    const kept = await run(['snooze', 'all', '--for', '2h', '--by', 'b'.repeat(50), '--json']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse((await run(['snoozes', '--json'])).stdout)).toMatchObject({
      snoozes: [{ target: 'all', by: `${'b'.repeat(50)} (CLI)` }],
    });
  });

  it('keeps both a snooze and a check that run at the same time (compare-and-swap)', async () => {
    const run = (argv: string[]) =>
      runTestCli(argv, {
        baseUrl: standIn.url,
        archiveDir: join(dir, 'race'),
        env: { LOG_LEVEL: 'WARN' },
        now: () => new Date('2025-11-12T03:00:00Z'),
      });
    const [snoozed, checked] = await Promise.all([
      run(['snooze', 'all', '--for', '2h', '--reason', 'race']),
      run(['check', '--at', '2025-11-12T03:00:00Z']),
    ]);
    expect([snoozed.code, checked.code]).toEqual([0, 0]);
    const listed = JSON.parse((await run(['snoozes', '--json'])).stdout) as { snoozes: unknown[] };
    expect(listed.snoozes).toEqual([expect.objectContaining({ target: 'all', reason: 'race' })]);
    expect((await run(['check', '--at', '2025-11-12T03:00:00Z'])).stdout).toMatch(
      /Already evaluated for this time/,
    );
  });
});

describe('snooze and unsnooze from the command line in Slack app mode', () => {
  const CHANNEL = 'C0ALERTS00';
  const TOKEN = 'xoxb-snooze-cli-test';
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let slack: SlackStandIn;
  let dir: string;
  let clock = localHour(0);
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => STAND_IN_NOW, incidents: [INCIDENT] });
    slack = await startSlackStandIn({ token: TOKEN, now: () => clock });
    dir = await mkdtemp(join(tmpdir(), 'snooze-app-'));
  });
  afterAll(async () => {
    await standIn.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  });
  const job = (argv: string[]) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: join(dir, 'archive'),
      env: {
        LOG_LEVEL: 'WARN',
        SLACK_ALERT_CHANNEL: CHANNEL,
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: 'snooze-cli-signing-secret',
        SLACK_API_URL: slack.url,
        SLACK_MAX_ATTEMPTS: '1',
      },
      now: () => clock,
    });
  const check = async (hour: number) => {
    clock = localHour(hour);
    const result = await job(['check', '--at', clock.toISOString()]);
    expect(result.code, result.stderr).toBe(0);
  };
  const theHead = () => {
    const [head, ...others] = slack.heads(CHANNEL);
    if (head === undefined || others.length > 0)
      throw new Error(`expected one head, got ${slack.heads(CHANNEL).length}`);
    return head;
  };
  const owedNotes = async () =>
    (await readDocument(createFolderObjectStore(join(dir, 'archive')), ALERT_STATE_KEY, AlertStateSchema))
      ?.value.incident?.notes;

  it('edits the head and replies in its thread as a click does; a refused edit stays owed and the next check sends it', async () => {
    // Prepare: hourly checks until the incident's head is posted
    let hour = 1;
    while (slack.heads(CHANNEL).length === 0 && hour <= 12) await check(hour++);
    const edits = theHead().edits.length;
    const replies = theHead().replies.length;
    clock = new Date(localHour(hour - 1).getTime() + 5 * 60_000);
    const until = `${DAY} ${String(hour).padStart(2, '0')}:05`;

    // Act: snooze from the command line
    const snoozed = await job(['snooze', 'transfer-success-rate', '--for', '1h', '--by', 'amira']);

    // Assess: the head now shows it (status line, Unsnooze button), the thread says who did it
    expect(snoozed.code, snoozed.stderr).toBe(0);
    expect(snoozed.stdout).toContain("Slack: the incident's message now shows it, and its thread says so.");
    const head = theHead();
    expect(head.edits).toHaveLength(edits + 1);
    const blocks = JSON.stringify(head.blocks);
    expect(blocks).toContain(`🔕 Snoozed until ${until} by amira (CLI)`);
    expect(blocks).toContain(INCIDENT_ACTIONS.unsnooze);
    expect(blocks).not.toContain(INCIDENT_ACTIONS.snoozeHour);
    expect(head.replies.slice(replies).map((reply) => reply.text)).toEqual([
      `🔕 Snoozed 1 h by amira (CLI): transfer-success-rate, until ${until}. Resolutions still go out.`,
    ]);
    expect(await owedNotes()).toBeUndefined();

    // Act: Slack refuses the edit the unsnooze owes
    slack.fail('chat.update', { error: 'internal_error' }, 1);
    const unsnoozed = await job(['unsnooze', 'transfer-success-rate', '--by', 'amira']);

    // Assess: the unsnooze is applied, the note is owed, the next check delivers it once
    expect(unsnoozed.code, unsnoozed.stderr).toBe(0);
    expect(unsnoozed.stdout).toMatch(
      /Ended: transfer-success-rate\. .*\nSlack did not take the incident message's update \(.*internal_error.*\); the next check sends it\./,
    );
    expect(await owedNotes()).toEqual([
      {
        text: '🔔 Unsnoozed by amira (CLI): transfer-success-rate; reminders resume at the next check.',
        at: clock.toISOString(),
      },
    ]);
    await check(hour);
    await check(hour + 1);
    const unsnoozeReplies = theHead().replies.filter((reply) =>
      reply.text.startsWith('🔔 Unsnoozed by amira (CLI)'),
    );
    expect(unsnoozeReplies).toHaveLength(1);
    expect(JSON.stringify(theHead().blocks)).not.toContain('Snoozed until');
    expect(await owedNotes()).toBeUndefined();
  });

  it('tells Slack nothing for a snooze that touches no open incident', async () => {
    const before = slack.calls.length;
    const snoozed = await job(['snooze', 'volume-spike', '--for', '30m', '--by', 'amira']);
    expect(snoozed.code, snoozed.stderr).toBe(0);
    expect(snoozed.stdout).not.toContain('Slack');
    expect(slack.calls.slice(before)).toEqual([]);
  });
});
