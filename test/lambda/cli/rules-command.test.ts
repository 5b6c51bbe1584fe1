import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandIn } from '../../../dev/stand-in/slack-stand-in';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import { bundledRules } from '../../../lambda/adapters/rules/load-rules';
import type { RulesCache } from '../../../lambda/domain/alerts/rules-source';
import { RULES_KEY } from '../../../lambda/domain/alerts/rules-status';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import defaultRules from '../../../lambda/rules/default-rules.json';
import { loadActiveRules } from '../../../lambda/use-cases/active-rules';
import { createConditionalS3 } from '../../fakes/conditional-s3';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';
import { startS3Emulator } from '../../helpers/s3-emulator';

const NOW = new Date('2025-11-12T12:00:00Z');
const at = (hour: number) => `2025-11-12T${String(hour).padStart(2, '0')}:00:00Z`;

/** The shipped rules with a stricter transfer threshold and the volume-drop rule gone. */
function candidateRules() {
  const rules = structuredClone(defaultRules);
  const transfer = rules.rules.find((rule) => rule.id === 'transfer-success-rate');
  if (transfer) transfer.warn = 0.7;
  rules.rules = rules.rules.filter((rule) => rule.id !== 'volume-drop');
  return rules;
}

interface Archive {
  readonly name: string;
  readonly env: Record<string, string | undefined>;
  readonly s3Client?: S3Client;
  readonly store: ObjectStore;
  close(): Promise<void>;
}

async function folderArchive(): Promise<Archive> {
  const dir = await mkdtemp(join(tmpdir(), 'rules-folder-'));
  return {
    name: 'folder',
    env: { ARCHIVE_DIR: join(dir, 'archive') },
    store: createFolderObjectStore(join(dir, 'archive')),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function emulatedS3(): Promise<Archive> {
  const s3 = await startS3Emulator('rules-bucket');
  return {
    name: 'S3 emulator',
    env: { ARCHIVE_DIR: undefined, ARCHIVE_BUCKET: s3.bucket, ARCHIVE_PREFIX: 'centre-1' },
    s3Client: s3.client,
    store: createS3ObjectStore(s3.client, s3.bucket, 'centre-1'),
    close: () => s3.close(),
  };
}

describe.each([
  ['folder', folderArchive],
  ['S3 emulator (fauxqs)', emulatedS3],
])('rules in the archive store (%s)', (_name, openArchive) => {
  let archive: Archive;
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let slack: SlackReceiver;
  let files: string;
  beforeAll(async () => {
    archive = await openArchive();
    standIn = await startTestStandIn({ now: () => NOW });
    slack = await startSlackReceiver();
    files = await mkdtemp(join(tmpdir(), 'rules-files-'));
  });
  afterAll(async () => {
    await archive.close();
    await standIn.close();
    await slack.close();
    await rm(files, { recursive: true, force: true });
  });

  const job = (argv: string[]) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      env: { LOG_LEVEL: 'WARN', SLACK_WEBHOOK_URL: slack.url, ...archive.env },
      s3Client: archive.s3Client,
      now: () => NOW,
    });
  const check = async (hour: number) => {
    const result = await job(['check', '--at', at(hour), '--json']);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as {
      rulesInUse: { version: string; origin: string; rules: number; invalid?: { error: string } };
      notices: string[];
    };
  };
  const rulesNotices = () =>
    slack.received.filter((message) => message.text.includes('Alert rules')).map((message) => message.text);

  it('uses the bundled defaults while there is no rules object', async () => {
    const result = await check(1);
    expect(result.rulesInUse).toMatchObject({ origin: 'bundled', rules: defaultRules.rules.length });
    expect((await job(['rules', 'show'])).stdout).toMatch(
      /^Active rules: bundled defaults \(sha256:[0-9a-f]{12}\)/,
    );
  });

  it('push shows the diff, writes the rules, and the next check uses them and reports their version', async () => {
    const file = join(files, 'candidate.json');
    await writeFile(file, JSON.stringify(candidateRules(), null, 2));
    const pushed = await job(['rules', 'push', file, '--yes']);
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(/Changes against the active rules, bundled defaults \(sha256:/);
    const shippedWarn = defaultRules.rules.find((rule) => rule.id === 'transfer-success-rate')?.warn;
    expect(pushed.stdout).toContain(`  ~ transfer-success-rate\n      warn: ${shippedWarn} → 0.7\n`);
    expect(pushed.stdout).toMatch(/^ {2}- volume-drop \(.+\)$/m);
    const version = /Pushed (sha256:[0-9a-f]{12})/.exec(pushed.stdout)?.[1];
    expect(version).toBeDefined();
    expect(pushed.stdout).toContain(`to ${archive.store.describe(RULES_KEY)}. The next check uses it.`);

    const result = await check(2);
    expect(result.rulesInUse).toMatchObject({
      version,
      origin: 'archive',
      rules: defaultRules.rules.length - 1,
    });
    const text = await job(['check', '--at', at(3)]);
    expect(text.stdout).toContain(`Rules in use: ${version} from ${archive.store.describe(RULES_KEY)}`);
    expect((await job(['rules', 'show'])).stdout).toMatch(
      new RegExp(`^Active rules: .*config/rules\\.json \\(${version}`),
    );
    const again = await job(['rules', 'push', file, '--yes']);
    expect(again.stdout).toMatch(/No change: the active rules, .* already say this\. Nothing written\./);
  });

  it('an invalid object keeps the last good rules, raises one "rules invalid" alert, and says when it is fixed', async () => {
    const good = await check(4);
    // Someone edits the object by hand and breaks it
    const broken = candidateRules() as { rules: Array<Record<string, unknown>> };
    if (broken.rules[0]) broken.rules[0].warn = 'seventy';
    await archive.store.replace(RULES_KEY, Buffer.from(JSON.stringify(broken)), {
      contentType: 'application/json',
      metadata: {},
      expectedVersion: (await archive.store.get(RULES_KEY))?.version,
    });
    const first = await check(5);
    const second = await check(6);
    expect(first.rulesInUse).toMatchObject({ version: good.rulesInUse.version, origin: 'last-good' });
    expect(first.rulesInUse.invalid?.error).toMatch(
      /rule "transfer-success-rate" field warn: expected number/,
    );
    expect(second.rulesInUse.version).toBe(good.rulesInUse.version);
    expect(rulesNotices()).toEqual([
      expect.stringMatching(/^[^:]+: ⚠️ Alert rules invalid: .*config\/rules\.json/),
    ]);
    // What the run says it sent is what Slack got (#27): the notice on the run that posted it only.
    expect(first.notices).toEqual([
      expect.stringMatching(/^[^:]+: ⚠️ Alert rules invalid: .*config\/rules\.json/),
    ]);
    expect(second.notices).toEqual([]);

    // Fixed by a push of valid rules
    const file = join(files, 'fixed.json');
    await writeFile(file, JSON.stringify(defaultRules, null, 2));
    expect((await job(['rules', 'push', file, '--yes'])).code).toBe(0);
    const fixed = await check(7);
    await check(8);
    expect(fixed.rulesInUse.origin).toBe('archive');
    expect(rulesNotices()).toHaveLength(2);
    expect(rulesNotices()[1]).toMatch(/^[^:]+: ✅ Alert rules valid again/);
  });
});

/** Where a run's messages go: a webhook, or Slack app mode's alert channel; what reached Slack. */
interface SlackSide {
  readonly env: Record<string, string>;
  /** The texts of the top-level messages Slack holds, in order. */
  posted(): readonly string[];
  close(): Promise<void>;
}

async function webhookSide(): Promise<SlackSide> {
  const receiver = await startSlackReceiver();
  return {
    env: { SLACK_WEBHOOK_URL: receiver.url },
    posted: () => receiver.received.map((message) => message.text),
    close: () => receiver.close(),
  };
}

async function appModeSide(): Promise<SlackSide> {
  const standIn = await startSlackStandIn({ token: 'xoxb-rules-test', now: () => NOW });
  return {
    env: {
      SLACK_ALERT_CHANNEL: 'C0ALERTS00',
      SLACK_BOT_TOKEN: 'xoxb-rules-test',
      SLACK_SIGNING_SECRET: 'rules-test-signing-secret',
      SLACK_API_URL: standIn.url,
    },
    posted: () => standIn.heads('C0ALERTS00').map((message) => message.text),
    close: () => standIn.close(),
  };
}

describe.each([
  ['a webhook', webhookSide],
  ['Slack app mode (a top-level message in the alert channel)', appModeSide],
])('a change of the set of rule ids is told to Slack once, through %s', (_name, openSlack) => {
  let slack: SlackSide;
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let dir: string;
  beforeAll(async () => {
    slack = await openSlack();
    standIn = await startTestStandIn({ now: () => NOW });
    dir = await mkdtemp(join(tmpdir(), 'rules-change-'));
  });
  afterAll(async () => {
    await slack.close();
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const job = (argv: string[]) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: join(dir, 'archive'),
      env: { LOG_LEVEL: 'WARN', MONITOR_NAME: 'Centre Jakarta', ...slack.env },
      now: () => NOW,
    });
  const pushed = async (name: string, rules: unknown, ...flags: string[]) => {
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify(rules));
    const result = await job(['rules', 'push', file, '--yes', ...flags]);
    expect(result.code, result.stderr).toBe(0);
  };
  const check = async (hour: number) => {
    const result = await job(['check', '--at', at(hour)]);
    expect(result.code, result.stderr).toBe(0);
    return /^Sent: (.*)$/m.exec(result.stdout)?.[1];
  };
  const changes = () => slack.posted().filter((text) => /Rules changed|rules in use can/.test(text));
  const title = (id: string) => defaultRules.rules.find((rule) => rule.id === id)?.title ?? '';

  it('says nothing on the first check, posts one notice after a push that adds and removes rules, then nothing', async () => {
    // Prepare: the first check records the bundled set (nothing was added or removed)
    expect(await check(1)).toBe('nothing owed.');
    const rules = structuredClone(defaultRules);
    rules.rules = rules.rules.filter((rule) => rule.id !== 'volume-drop');
    rules.rules.push({
      ...structuredClone(defaultRules.rules[0]),
      id: 'transfer-rate-night',
      title: 'Transfer rate at night',
    } as (typeof rules.rules)[number]);
    await pushed('changed', rules);
    // Act
    const sent = await check(2);
    const unchanged = await check(3);
    // Assess: Slack holds exactly one notice, and the check that posted it says so
    const expected =
      `Centre Jakarta · 📋 Rules changed: added transfer-rate-night (Transfer rate at night), ` +
      `removed volume-drop (${title('volume-drop')}).`;
    expect(changes()).toEqual([expect.stringContaining(expected)]);
    expect(sent).toContain(expected);
    expect(unchanged).toBe('nothing owed.');
  });

  it('tells a set pushed with --allow-silent that it can never fire, and when one that can is back', async () => {
    await pushed('shipped', defaultRules);
    expect(await check(4)).toMatch(/Rules changed: added volume-drop .*removed transfer-rate-night/);
    const before = changes().length;
    const allMuted = structuredClone(defaultRules);
    for (const rule of allMuted.rules) Object.assign(rule, { mute: [{ from: '00:00', to: '24:00' }] });
    await pushed('muted', allMuted, '--allow-silent');
    const muted = await check(5);
    await pushed('back', defaultRules);
    const back = await check(6);
    expect(muted).toMatch(
      /^Centre Jakarta · ⚠️ The rules in use can never fire\. Now 8 rules in use .* ⚠️ This set can never fire \(accepted with --allow-silent\): rule "transfer-success-rate" can never fire: muted at every hour of every day; /,
    );
    expect(back).toMatch(
      /^Centre Jakarta · ✅ The rules in use can fire again\. .* ✅ The set can fire again\.$/,
    );
    expect(changes().slice(before)).toHaveLength(2);
  });
});

describe.each([
  ['an S3 that enforces conditional writes (in-memory fake)', 's3'],
  ['the folder archive', 'folder'],
] as const)('rules push against %s', (_name, kind) => {
  it('of two operators confirming at the same time, one wins and the other loses clearly, writing nothing', async () => {
    // Prepare: two candidate files, and a terminal on which both operators answer "yes" only once
    // both have seen their diff, so both diffs are made against the same (absent) rules object
    const s3 = kind === 's3' ? createConditionalS3() : undefined;
    const standIn = await startTestStandIn({ now: () => NOW });
    const files = await mkdtemp(join(tmpdir(), 'rules-race-'));
    const a = join(files, 'a.json');
    const b = join(files, 'b.json');
    const other = candidateRules();
    other.rules = other.rules.slice(0, 2);
    await writeFile(a, JSON.stringify(candidateRules()));
    await writeFile(b, JSON.stringify(other));
    let waiting = 0;
    let release: () => void = () => {};
    const bothAsked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const confirm = async () => {
      waiting += 1;
      if (waiting === 2) release();
      await bothAsked;
      return true;
    };
    const env =
      kind === 's3'
        ? { ARCHIVE_DIR: undefined, ARCHIVE_BUCKET: 'race', LOG_LEVEL: 'WARN' }
        : { ARCHIVE_DIR: join(files, 'archive'), LOG_LEVEL: 'WARN' };
    const push = (file: string) =>
      runTestCli(['rules', 'push', file], {
        baseUrl: standIn.url,
        env,
        s3Client: s3?.client,
        now: () => NOW,
        confirm,
      });
    try {
      // Act
      const results = await Promise.all([push(a), push(b)]);
      // Assess
      expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
      const loser = results.find((result) => result.code === 1);
      expect(loser?.stderr).toMatch(
        /rules failed: .*config\/rules\.json changed while you were pushing \(there was none, now (sha256:[0-9a-f]{12}|being written by the other push)\): someone else pushed first\. Nothing was written/,
      );
      const winner = results.find((result) => result.code === 0);
      expect(winner?.stdout).toMatch(/Pushed sha256:[0-9a-f]{12}/);
      const store = s3
        ? createS3ObjectStore(s3.client, 'race')
        : createFolderObjectStore(join(files, 'archive'));
      const stored = new TextDecoder().decode((await store.get(RULES_KEY))?.bytes);
      const winnerText = winner === results[0] ? JSON.stringify(candidateRules()) : JSON.stringify(other);
      expect(stored).toBe(winnerText);
    } finally {
      s3?.restore();
      await standIn.close();
      await rm(files, { recursive: true, force: true });
    }
  });
});

describe('airudder-monitor rules validate', () => {
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => NOW });
    dir = await mkdtemp(join(tmpdir(), 'rules-validate-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const job = (argv: string[]) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: join(dir, 'archive'),
      env: { LOG_LEVEL: 'WARN' },
      now: () => NOW,
    });

  it('lists every schema problem with rule, field and reason, exit 2', async () => {
    const file = join(dir, 'broken.json');
    const rules = structuredClone(defaultRules) as { rules: Array<Record<string, unknown>> };
    if (rules.rules[0]) rules.rules[0].warn = 'high';
    if (rules.rules[1]) rules.rules[1].pendingRun = 2;
    await writeFile(file, JSON.stringify(rules));
    const result = await job(['rules', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.json is not a valid rules file \(2 problems\):/);
    expect(result.stderr).toMatch(/^ {2}rule "transfer-success-rate" field warn: expected number/m);
    expect(result.stderr).toMatch(/^ {2}rule "agent-reception-rate" field pendingRun: unknown field/m);
  });

  it('reports a metric that never appeared in the responses archived in the last 7 days', async () => {
    // Prepare: a week of history (the check archives its day so far and its 60-min window), and a
    // rule on a field AIRUDDER never sends (admitted as a later field)
    expect((await job(['check', '--at', '2025-11-12T03:00:00Z'])).code).toBe(0);
    expect((await job(['backfill', '--from', '2025-11-11', '--to', '2025-11-11'])).code).toBe(0);
    const rules = structuredClone(defaultRules) as { rules: Array<Record<string, unknown>> };
    rules.rules.push({
      ...rules.rules[0],
      // an unknown field has no count of trials to weigh: judged on its raw value
      confidence: undefined,
      id: 'misspelt',
      metric: 'transfer_sucess_rate',
      allowUnknownMetric: true,
    });
    const file = join(dir, 'candidate.json');
    await writeFile(file, JSON.stringify(rules));
    // Act
    const result = await job(['rules', 'validate', file]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/candidate\.json: valid, \d+ rules \(sha256:[0-9a-f]{12}\)\./);
    expect(result.stdout).toMatch(
      /History 2025-11-06 → 2025-11-12 \(3 archived responses\): WARNING, 1 rule measure something that never appeared:\n {2}rule "misspelt": transfer_sucess_rate never appeared/,
    );
    expect(result.stdout).not.toMatch(/rule "transfer-success-rate"/);
  });
});

describe('rules validate and push refuse what would silence the monitor, or cost it too much', () => {
  let standIn: Awaited<ReturnType<typeof startTestStandIn>>;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => NOW });
    dir = await mkdtemp(join(tmpdir(), 'rules-silent-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const job = (argv: string[]) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: join(dir, 'archive'),
      env: { LOG_LEVEL: 'WARN' },
      now: () => NOW,
    });
  const withRules = (edit: (rules: Array<Record<string, unknown>>) => Array<Record<string, unknown>>) => {
    const file = structuredClone(defaultRules) as { rules: Array<Record<string, unknown>> };
    file.rules = edit(file.rules);
    return file;
  };
  const write = async (name: string, content: unknown) => {
    const file = join(dir, `${name}.json`);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  // #22 finding 2: each of these passed validate and push, and checks then sent nothing.
  it.each([
    ['no rules at all', () => withRules(() => []), /the set has no rules: nothing can ever fire/],
    [
      'every rule muted 00:00–24:00',
      () => withRules((rules) => rules.map((rule) => ({ ...rule, mute: [{ from: '00:00', to: '24:00' }] }))),
      /rule "transfer-success-rate" can never fire: muted at every hour of every day/,
    ],
    [
      'minCalls a billion',
      () => withRules((rules) => rules.map((rule) => ({ ...rule, minCalls: 1e9 }))),
      /rule "transfer-success-rate" can never fire: minCalls 1000000000 is more calls than any scope holds/,
    ],
    [
      'a success rate judged below 0 %',
      () =>
        withRules((rules) =>
          rules.map((rule) =>
            rule.id === 'transfer-success-rate' ? { ...rule, warn: 0, crit: -0.1, recovery: 0 } : rule,
          ),
        ),
      /rule "transfer-success-rate" can never fire: it fires below 0 %, and its metric is never less than 0 %/,
    ],
  ])('refuses %s (exit 2) unless --allow-silent', async (name, content, problem) => {
    const file = await write(name.replace(/\W+/g, '-'), content());
    for (const argv of [
      ['rules', 'validate', file],
      ['rules', 'push', file, '--yes'],
    ]) {
      const refused = await job(argv);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/would silence the monitor:/);
      expect(refused.stderr).toMatch(problem);
      expect(refused.stderr).toMatch(/add --allow-silent if that is what you mean/);
    }
    const allowed = await job(['rules', 'validate', file, '--allow-silent']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(
      /WARNING \(allowed by --allow-silent\): this set would silence the monitor/,
    );
  });

  // #22 finding 7: a 66 MB object, thousands of rules and 120 windows all validated.
  it.each([
    [
      'an object over 256 KiB',
      () => ({ ...defaultRules, $schema: 'x'.repeat(300 * 1024) }),
      /file: (\d+ bytes|larger than 262144 bytes); at most 262144 are allowed/,
    ],
    [
      'more than 100 rules',
      () =>
        withRules((rules) =>
          Array.from({ length: 101 }, (_, index) => ({ ...rules[0], id: `rule-${index}` })),
        ),
      /field rules: 101 rules; at most 100 are allowed/,
    ],
    [
      'more than 4 distinct windows',
      () =>
        withRules((rules) =>
          [15, 30, 45, 60, 90].map((minutes) => ({
            ...rules[0],
            id: `window-${minutes}`,
            window: { minutes },
          })),
        ),
      /field rules: 5 distinct window lengths \(each is one more AIRUDDER call and archived object per check\); at most 4 are allowed/,
    ],
    [
      'more than 4 distinct windows counting two-window rules’ short ones',
      () =>
        withRules((rules) =>
          [{ minutes: 60, short: 15 }, { minutes: 45, short: 30 }, { minutes: 90 }].map((window, index) => ({
            ...rules[0],
            id: `window-${index}`,
            window,
          })),
        ),
      /field rules: 5 distinct window lengths/,
    ],
  ])('refuses %s with exit 2, naming the limit', async (name, content, problem) => {
    const file = await write(name.replace(/\W+/g, '-'), content());
    for (const argv of [
      ['rules', 'validate', file],
      ['rules', 'push', file, '--yes', '--allow-silent'],
    ]) {
      const refused = await job(argv);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(problem);
    }
  });
});

describe('the rules object read each run', () => {
  it('is re-read with a conditional GET: an unchanged object answers 304 and is not parsed again', async () => {
    const s3 = createConditionalS3();
    try {
      const store = createS3ObjectStore(s3.client, 'cache');
      await store.replace(RULES_KEY, Buffer.from(JSON.stringify(candidateRules())), {
        contentType: 'application/json',
        metadata: {},
        expectedVersion: undefined,
      });
      const cache: RulesCache = {};
      const source = { store, bundled: bundledRules(), cache };
      const first = await loadActiveRules(source);
      const second = await loadActiveRules(source);
      const gets = s3.mock.commandCalls(GetObjectCommand).map((call) => call.args[0].input);
      expect(second).toBe(first);
      expect(gets).toEqual([
        expect.objectContaining({ Key: RULES_KEY, IfNoneMatch: undefined }),
        expect.objectContaining({ Key: RULES_KEY, IfNoneMatch: expect.stringMatching(/^".+"$/) }),
      ]);
      await store.replace(RULES_KEY, Buffer.from(JSON.stringify(defaultRules)), {
        contentType: 'application/json',
        metadata: {},
        expectedVersion: (await store.get(RULES_KEY))?.version,
      });
      const third = await loadActiveRules(source);
      expect(third.version).not.toBe(first.version);
      expect(third.rules).toHaveLength(defaultRules.rules.length);
    } finally {
      s3.restore();
    }
  });

  it('parses the bundled defaults and a RULES_FILE once per container, and again when the text changes', async () => {
    const s3 = createConditionalS3();
    try {
      const store = createS3ObjectStore(s3.client, 'no-rules-object');
      const cache: RulesCache = {};
      const bundled = await loadActiveRules({ store, bundled: bundledRules(), cache });
      const bundledAgain = await loadActiveRules({ store, bundled: bundledRules(), cache });
      expect(bundledAgain.origin).toBe('bundled');
      expect(bundledAgain.rules).toBe(bundled.rules);

      let text = JSON.stringify(candidateRules());
      const fromFile = {
        store,
        bundled: bundledRules(),
        cache,
        readRulesFile: async () => ({ text, path: 'rules.json' }),
      };
      const file = await loadActiveRules(fromFile);
      expect(file.origin).toBe('file');
      expect((await loadActiveRules(fromFile)).rules).toBe(file.rules);
      text = JSON.stringify(defaultRules);
      const edited = await loadActiveRules(fromFile);
      expect(edited.rules).not.toBe(file.rules);
      expect(edited.rules).toHaveLength(defaultRules.rules.length);
    } finally {
      s3.restore();
    }
  });
});
