import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { startTestStandIn } from '../../helpers/airudder';
import { checkInstants, EPISODE_INCIDENTS } from '../../helpers/alert-episodes';
import { runTestCli } from '../../helpers/cli';

describe('airudder-monitor check / digest', () => {
  let standIn: StandIn;
  let dir: string;
  const clock = new Date('2025-11-12T01:30:00Z');
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => clock });
    dir = await mkdtemp(join(tmpdir(), 'cli-check-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (argv: string[], env: Record<string, string> = {}, archive = 'archive') =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: join(dir, archive),
      env: { LOG_LEVEL: 'WARN', ...env },
      now: () => clock,
    });
  const checkFiles = (archive: string) =>
    readdir(join(dir, archive, 'raw', 'check'), { recursive: true }).catch(() => [] as string[]);

  it('check evaluates every rule for the given instant and prints one line per rule', async () => {
    const result = await run(['check', '--at', '2025-11-11T03:00:00Z']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2025-11-11 00:00:00 → 2025-11-11 10:00:00 \(Asia\/Jakarta\)/);
    expect(result.stdout).toMatch(/^ {2}transfer-success-rate +ok/m);
    expect(result.stdout).toMatch(/^ {2}peak-concurrency +ok +skipped: lineCapacity is not configured/m);
    const again = await run(['check', '--at', '2025-11-11T03:00:00Z']);
    expect(again.stdout).toMatch(/Already evaluated for this time: nothing changed, nothing sent\./);
  });

  it('refuses an --at in the future with exit 2, and the monitor keeps checking afterwards', async () => {
    // Prepare: the clock says 2025-11-12T01:30Z; a typo puts --at two years ahead
    const typo = await run(['check', '--at', '2027-12-01T05:00:00Z'], {}, 'future');
    // Assess: refused before any fetch, no state moved into the future
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /--at 2027-12-01T05:00:00.000Z is in the future \(now 2025-11-12T01:30:00.000Z\)/,
    );
    expect(await checkFiles('future')).toEqual([]);
    const next = await run(['check'], {}, 'future');
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/Archive: raw\/check\/2025-11-12\//);
  });

  it('accepts an --at up to a minute ahead of the clock (skew), and no more', async () => {
    expect((await run(['check', '--at', '2025-11-12T01:31:00Z'], {}, 'skew')).code).toBe(0);
    expect((await run(['check', '--at', '2025-11-12T01:31:01Z'], {}, 'skew')).code).toBe(2);
  });

  it('refuses an --at without a UTC offset instead of reading it in the host zone', async () => {
    const result = await run(['check', '--at', '2025-11-10T12:00'], {}, 'no-offset');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /--at "2025-11-10T12:00" has no UTC offset.*add Z or an offset such as \+07:00/,
    );
    expect(await checkFiles('no-offset')).toEqual([]);
    expect((await run(['check', '--at', '2025-11-10T12:00+07:00'], {}, 'no-offset')).code).toBe(0);
  });

  it('refuses an --at earlier than the last evaluated instant and points to replay', async () => {
    expect((await run(['check', '--at', '2025-11-11T05:00:00Z'], {}, 'earlier')).code).toBe(0);
    const filesBefore = await checkFiles('earlier');
    const earlier = await run(['check', '--at', '2025-11-11T04:00:00Z'], {}, 'earlier');
    expect(earlier.code).toBe(2);
    expect(earlier.stderr).toMatch(
      /--at 2025-11-11T04:00:00.000Z is earlier than the last evaluated instant 2025-11-11T05:00:00.000Z/,
    );
    expect(earlier.stderr).toMatch(/use "replay --from YYYY-MM-DD --to YYYY-MM-DD"/);
    expect(await checkFiles('earlier')).toEqual(filesBefore);
    // The same instant again is a harmless repeat, not a refusal
    const same = await run(['check', '--at', '2025-11-11T05:00:00Z'], {}, 'earlier');
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/Already evaluated for this time/);
  });

  it('archives the response before reading a corrupt alert state, sets it aside, says "degraded" and starts afresh', async () => {
    // #22 finding 3: a corrupt alert state failed every check without a word to Slack.
    // Prepare
    await mkdir(join(dir, 'corrupt', 'state'), { recursive: true });
    await writeFile(join(dir, 'corrupt', 'state', 'alerts.json'), '{"rules": {');
    // Act
    const result = await run(['check', '--at', '2025-11-11T06:00:00Z'], {}, 'corrupt');
    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /check failed: .*state\/alerts\.json is not JSON\. It was set aside as .*state\/alerts\.corrupt-20251111T060000000Z\.json/,
    );
    expect(result.stdout).toMatch(/degraded/i);
    expect(result.stdout).toMatch(/alert state unreadable/);
    expect(
      await readFile(join(dir, 'corrupt', 'state', 'alerts.corrupt-20251111T060000000Z.json'), 'utf8'),
    ).toBe('{"rules": {');
    expect(await checkFiles('corrupt')).toEqual(
      expect.arrayContaining(['2025-11-11/20251111T060000Z_20251111T000000_20251111T130000.json']),
    );
    const next = await run(['check', '--at', '2025-11-11T06:15:00Z'], {}, 'corrupt');
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/recovered/i);
  });

  it.each([
    ['state/rules.json is garbage', 'rules-garbage', /state\/rules\.json is not JSON/],
    ['config/rules.json is a folder', 'rules-folder', /config\/rules\.json/],
  ])(
    'archives first when the rules cannot be read (%s), and counts each run towards "monitor degraded"',
    async (_case, archive, reason) => {
      // #22 finding 3: an unreadable rules object or rules state failed the check before it archived.
      if (archive === 'rules-garbage') {
        await mkdir(join(dir, archive, 'state'), { recursive: true });
        await writeFile(join(dir, archive, 'state', 'rules.json'), 'garbage');
      } else {
        await mkdir(join(dir, archive, 'config', 'rules.json'), { recursive: true });
      }
      const env = { MONITOR_FAILURE_THRESHOLD: '2' };
      const first = await run(['check', '--at', '2025-11-11T03:00:00Z'], env, archive);
      const second = await run(['check', '--at', '2025-11-11T03:15:00Z'], env, archive);
      for (const result of [first, second]) {
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/check failed: alert rules unavailable: /);
        expect(result.stderr).toMatch(reason);
        expect(result.stderr).toMatch(/the response was archived at .*raw\/check\/2025-11-11\//);
      }
      const responses = (await checkFiles(archive)).filter((file) => /\d\.json$/.test(file));
      expect(responses).toHaveLength(2);
      expect(first.stdout).not.toMatch(/degraded/i);
      expect(second.stdout).toMatch(/degraded/i);
      expect(second.stdout).toMatch(/rules unreadable/);
      // The failed run still says what it posted, as a successful one's "Sent:" does
      expect(first.stdout).not.toMatch(/^Sent/m);
      expect(second.stdout).toMatch(/^Sent before the run failed: .*degraded/im);
    },
  );

  it('fails on implausible figures instead of reporting good news, keeps the response, and counts towards degraded', async () => {
    // Prepare: AIRUDDER answers with a negative call count (as observed: "-3,611 calls")
    const implausible: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/statistics')) return response;
      const body = (await response.json()) as { data: { realtime: { total: { total_calls: number } } } };
      body.data.realtime.total.total_calls = -3611;
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
    const runImplausible = (at: string) =>
      runTestCli(['check', '--at', at], {
        baseUrl: standIn.url,
        archiveDir: join(dir, 'implausible'),
        env: { LOG_LEVEL: 'WARN', MONITOR_FAILURE_THRESHOLD: '2' },
        now: () => clock,
        fetch: implausible,
      });
    // Act
    const first = await runImplausible('2025-11-11T03:00:00Z');
    const second = await runImplausible('2025-11-11T03:15:00Z');
    // Assess: each run fails naming the path, nothing says all is well, the response is archived as invalid
    for (const result of [first, second]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /data\.realtime\.total\.total_calls: -3611 is negative: a count cannot be/,
      );
      expect(result.stderr).toMatch(/raw response archived at .*raw\/check\/2025-11-11\//);
      expect(result.stdout).not.toMatch(/Nothing needs attention|nothing owed/);
    }
    const sidecars = (await checkFiles('implausible')).filter((file) => file.endsWith('.meta.json'));
    expect(sidecars).toHaveLength(2);
    const sidecar = JSON.parse(
      await readFile(join(dir, 'implausible', 'raw', 'check', sidecars[0]!), 'utf8'),
    );
    expect(sidecar.metadata['schema-verdict']).toBe('invalid');
    expect(second.stdout).toMatch(/degraded/i);
  });

  it('digest inside the claim of a run that died fails (exit 1) naming the holder, instead of exiting 0', async () => {
    // #22 finding 10: the retry found the date claimed, said "another run is posting" and exited 0.
    await mkdir(join(dir, 'dead-claim', 'digest'), { recursive: true });
    const until = new Date(clock.getTime() + 10 * 60_000).toISOString();
    await writeFile(
      join(dir, 'dead-claim', 'digest', '2025-11-11.json'),
      JSON.stringify({
        date: '2025-11-11',
        status: 'claimed',
        posts: 0,
        claim: { runId: 'dead-run', at: clock.toISOString(), until },
      }),
    );
    const result = await run(['digest'], { RUN_DEADLINE_MS: '2000' }, 'dead-claim');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /digest failed: the digest for 2025-11-11 is claimed by run dead-run until 2025-11-12T01:40:00\.000Z; not posted by this run/,
    );
  });

  it('digest without a webhook prints the message as text with a Block Kit Builder link, once per date', async () => {
    const first = await run(['digest', '--date', '2025-11-10']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Robot digest · Mon 10 Nov 2025/);
    expect(first.stdout).toMatch(
      /Preview in Block Kit Builder: https:\/\/app\.slack\.com\/block-kit-builder#/,
    );
    expect(first.stdout).toMatch(/Digest for 2025-11-10 posted/);
    const second = await run(['digest', '--date', '2025-11-10']);
    expect(second.stdout).toMatch(/already posted; nothing sent \(use --force/);
    const forced = await run(['digest', '--date', '2025-11-10', '--force']);
    expect(forced.stdout).toMatch(/Digest for 2025-11-10 posted/);
  });

  it('digest on the console shows the full figure table after the first screen', async () => {
    const result = await run(['digest', '--date', '2025-11-09']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\*Transfer success\* \d+(\.\d)?% · /m);
    expect(result.stdout).toMatch(/^\*What callers wanted\* · \d+/m);
  });

  it.each([
    ['2025-11-12', 'today'],
    ['2025-11-13', 'a future date'],
  ])('digest --date %s (%s) exits 2 like backfill, archiving and recording nothing', async (date) => {
    const result = await run(['digest', '--date', date]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--date: ${date} is not over yet in Asia/Jakarta (today is 2025-11-12); a digest covers a whole day that has ended`,
    );
    const files = await readdir(join(dir, 'archive'), { recursive: true }).catch(() => []);
    expect(files.filter((file) => file.includes(date))).toEqual([]);
  });

  it.each([
    [['check', '--at', 'noon'], /--at "noon" is not an ISO-8601 instant/],
    [['digest', '--date', '2025-02-30'], /--date: "2025-02-30" is not a date/],
    [['digest', '--yesterday'], /Unknown option '--yesterday'/],
  ])('exits 2 on %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 on a malformed rules file, naming the rule id and the field', async () => {
    const rulesFile = join(dir, 'rules.json');
    await writeFile(
      rulesFile,
      JSON.stringify({
        version: 1,
        rules: [
          {
            id: 'transfer-ok',
            title: 'T',
            metric: 'transfer_success_rate',
            scope: 'day-so-far',
            comparison: 'below',
            warn: 0.7,
          },
          {
            id: 'agents-gone',
            title: 'A',
            metric: 'agent_reception_rate',
            scope: 'day-so-far',
            comparison: 'below',
            warn: 'low',
          },
        ],
      }),
    );
    const result = await run(['check', '--at', '2025-11-11T04:00:00Z'], { RULES_FILE: rulesFile });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rule "agents-gone" field warn/);
    expect(
      standIn.requests.filter((request) => request.query.end_time === '2025-11-11 11:00:00'),
    ).toHaveLength(0);
  });

  it('exits 2 when RULES_FILE does not exist', async () => {
    const result = await run(['check'], { RULES_FILE: join(dir, 'missing.json') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/RULES_FILE .*missing\.json cannot be read \(ENOENT\)/);
  });
});

describe('airudder-monitor check --explain', () => {
  // Transfers fail all morning on 2025-11-12 (Jakarta, UTC+7); the stand-in has the whole day.
  const incident = {
    start: '2025-11-12 00:00:00',
    end: '2025-11-12 12:00:00',
    effect: 'transfer-failure' as const,
    severity: 1,
  };
  const localHour = (hour: number) => new Date(Date.UTC(2025, 10, 12, hour - 7));
  let standIn: StandIn;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => new Date('2025-11-12T16:00:00Z'), incidents: [incident] });
    dir = await mkdtemp(join(tmpdir(), 'cli-explain-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const job = (argv: string[], hour: number) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: join(dir, 'archive'),
      env: { LOG_LEVEL: 'WARN' },
      now: () => new Date(localHour(hour).getTime() - 60_000),
    });

  it('says per rule what was held and why: the alert a snooze holds, named with the snooze', async () => {
    // Prepare: every rule snoozed for the day
    expect((await job(['snooze', 'all', '--for', '1d', '--reason', 'carrier maintenance'], 1)).code).toBe(0);
    // Act: hourly checks until the transfer alert would have fired
    let explained: Awaited<ReturnType<typeof job>> | undefined;
    for (let hour = 1; hour <= 12 && explained === undefined; hour++) {
      const result = await job(['check', '--at', localHour(hour).toISOString(), '--explain'], hour);
      expect(result.code, result.stderr).toBe(0);
      if (/held fired/.test(result.stdout)) explained = result;
    }
    // Assess: nothing sent; the transfer rule held by the snooze, the others owed nothing
    expect(explained?.stdout).toMatch(/^Sent: nothing\.$/m);
    expect(explained?.stdout).toMatch(
      /^ {2}transfer-success-rate +held fired: snoozed \(all\) until 2025-11-1\dT\S+: carrier maintenance$/m,
    );
    expect(explained?.stdout).toMatch(/^ {2}monitor +nothing owed$/m);
  });

  it('gives the same answer in --json, per rule and for the monitor', async () => {
    const result = await job(['check', '--at', localHour(13).toISOString(), '--explain', '--json'], 13);
    const document = JSON.parse(result.stdout) as {
      explain: Array<{ target: string; sent: string[]; held: Array<{ kind: string; why: string }> }>;
    };
    expect(document.explain.map((entry) => entry.target)).toContain('monitor');
    expect(document.explain.find((entry) => entry.target === 'monitor')).toEqual({
      target: 'monitor',
      sent: [],
      held: [],
    });
    const transfer = document.explain.find((entry) => entry.target === 'transfer-success-rate');
    expect(transfer?.sent).toEqual([]);
  });
});

describe('the daily digest keeps the curated alert episodes up to date', () => {
  let standIn: StandIn;
  let dir: string;
  const incident = EPISODE_INCIDENTS[1];
  beforeAll(async () => {
    standIn = await startTestStandIn({ incidents: incident ? [incident] : [] });
    dir = await mkdtemp(join(tmpdir(), 'cli-episodes-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (argv: string[]) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: dir,
      env: { LOG_LEVEL: 'WARN' },
      now: () => new Date('2025-11-12T12:00:00Z'),
    });

  it('writes the episode the checks recorded to alert_episodes, with no curate run', async () => {
    // Prepare: checks every 15 minutes through the 10 Nov transfer incident
    for (const at of checkInstants(incident ? [incident] : [])) {
      expect((await run(['check', '--at', at])).code).toBe(0);
    }
    const state = JSON.parse(await readFile(join(dir, 'state', 'alerts.json'), 'utf8')) as {
      episodes: Array<{ ruleId: string; began: string; firedAt?: string; resolvedAt?: string }>;
    };
    const transfer = state.episodes.find((episode) => episode.ruleId === 'transfer-success-rate');
    // Act
    const digest = await run(['digest', '--date', '2025-11-10']);
    // Assess
    expect(digest.code, digest.stderr).toBe(0);
    const lines = (
      await readFile(
        join(dir, 'curated', 'alert_episodes', 'date=2025-11-10', 'alert_episodes.ndjson'),
        'utf8',
      )
    )
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(transfer?.resolvedAt).toEqual(expect.any(String));
    expect(lines).toContainEqual(
      expect.objectContaining({
        rule_id: 'transfer-success-rate',
        began: transfer?.began,
        fired_at: transfer?.firedAt,
        resolved_at: transfer?.resolvedAt,
      }),
    );
  });
});
