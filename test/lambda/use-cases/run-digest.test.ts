import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { MANY_STORY_NAMES } from '../../../dev/stand-in/faults';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import { createWebhookNotifier } from '../../../lambda/adapters/slack/webhook-notifier';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import { curatedKey } from '../../../lambda/domain/curated/curated-tables';
import type { FiredAlert } from '../../../lambda/domain/digest/day-data';
import { checkBlockKitLimits } from '../../../lambda/domain/slack/block-kit-limits';
import { CLAIM_GRACE_MS, CLAIM_TTL_MS } from '../../../lambda/domain/slack/claim';
import { DISTRIBUTION_KEYS_KEPT } from '../../../lambda/domain/statistics/bounded-json';
import { silentLogger } from '../../../lambda/shared/logger';
import {
  DigestRecordSchema,
  digestRecordKey,
  MISSED_NOTICE_KEY,
} from '../../../lambda/use-cases/digest-record';
import { readDocument } from '../../../lambda/use-cases/json-document';
import {
  CATCH_UP_DAYS,
  CLAIM_POLL_MS,
  CLAIM_WAIT_MARGIN_MS,
  DigestDateError,
  DigestDeliveryError,
  type DigestDeps,
  DigestInProgressError,
  runDigest,
} from '../../../lambda/use-cases/run-digest';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn, TEST_ZONE, testClient } from '../../helpers/airudder';
import { recordingStore } from '../../helpers/recording-store';
import { startS3Emulator } from '../../helpers/s3-emulator';

/** 200,000 story names cost seconds on a loaded machine: room beyond the default budget (no time is asserted). */
const HEAVY = { timeout: 120_000 };

const MORNING = new Date('2025-11-12T01:30:00Z'); // 08:30 in Jakarta: the digest of 2025-11-11

/** A record of 2025-11-11 claimed at MORNING by `runId`, as a run leaves it before it posts. */
const writeClaim = (store: ObjectStore, runId: string, until?: Date) =>
  store.replace(
    digestRecordKey('2025-11-11'),
    Buffer.from(
      JSON.stringify({
        date: '2025-11-11',
        status: 'claimed',
        posts: 0,
        claim: { runId, at: MORNING.toISOString(), ...(until ? { until: until.toISOString() } : {}) },
      }),
    ),
    { contentType: 'application/json', metadata: {}, expectedVersion: undefined },
  );

describe('digest runs over loopback: stand-in, S3-compatible server, Slack receiver', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => MORNING });
    slack = await startSlackReceiver();
    s3 = await startS3Emulator();
  });
  afterAll(async () => {
    await Promise.all([standIn.close(), slack.close(), s3.close()]);
  });

  /**
   * A run at `now`, on a store whose clock says `now` too: claims are judged by the store's time, so
   * moving a run in time moves the store's clock with it.
   */
  const deps = (store: ObjectStore, runId: string, alerts: FiredAlert[] = [], now = MORNING): DigestDeps => ({
    source: testClient(standIn.url).client,
    store: { ...store, now: () => now },
    logger: silentLogger,
    notifier: createWebhookNotifier({
      url: slack.url,
      timeoutMs: 2_000,
      maxAttempts: 3,
      logger: silentLogger,
      sleep: async () => {},
    }),
    timeZone: TEST_ZONE,
    topN: 5,
    runId,
    now: () => now,
    dayAlerts: async () => ({ fired: alerts, snoozes: [] }),
  });

  it("posts yesterday's digest once; a second invocation for the same date posts nothing", async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'once');
    const before = slack.received.length;
    const alert: FiredAlert = {
      ruleId: 'transfer-success-rate',
      title: 'Transfer <!channel> rate',
      severity: 'crit',
      at: '2025-11-11T02:00:00Z',
    };

    const first = await runDigest(
      { ...deps(store, 'a', [alert]), monitorName: 'Jakarta inbound' },
      { scheduledTime: MORNING },
    );
    const second = await runDigest(deps(store, 'b'), { scheduledTime: MORNING });

    expect(first).toMatchObject({ outcome: 'posted', date: '2025-11-11' });
    expect(second).toEqual({ outcome: 'already-posted', date: '2025-11-11', caughtUp: [], missed: [] });
    const posted = slack.received.slice(before);
    expect(posted).toHaveLength(1);
    expect(checkBlockKitLimits(posted[0]!)).toEqual([]);
    expect(posted[0]?.text).toMatch(/^Jakarta inbound · Robot digest Tue 11 Nov/);
    expect(JSON.stringify(posted[0]?.blocks[0])).toContain('Jakarta inbound — 🤖 Robot digest');
    expect(JSON.stringify(posted[0])).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(posted[0])).not.toContain('<!channel>');
    // The whole day, the day before and a week before are archived; the record says it was posted.
    expect((await store.list('raw/day/')).map((key) => key.split('/')[2])).toEqual([
      '2025-11-04',
      '2025-11-10',
      '2025-11-11',
    ]);
    // Curating is a step of the digest itself: its day and both days it fetched for comparison.
    expect((await store.list('curated/daily/')).map((key) => key.split('/')[2])).toEqual([
      'date=2025-11-04',
      'date=2025-11-10',
      'date=2025-11-11',
    ]);
    expect(
      (await readDocument(store, digestRecordKey('2025-11-11'), DigestRecordSchema))?.value,
    ).toMatchObject({
      status: 'posted',
      posts: 1,
    });
  });

  it('posts exactly one digest when Slack answers 500 and then accepts', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'retry');
    const before = slack.attempts;
    slack.respondWith({ status: 500, body: 'oops' });
    const posted = slack.received.length;

    await runDigest(deps(store, 'a'), { scheduledTime: MORNING });
    await runDigest(deps(store, 'b'), { scheduledTime: MORNING });

    expect(slack.attempts - before).toBe(2);
    expect(slack.received.length - posted).toBe(1);
  });

  it('keeps the digest owed when Slack refuses every attempt, and the next invocation posts it', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'owed');
    const posted = slack.received.length;
    slack.respondWith({ status: 503 }, { status: 503 }, { status: 503 });

    await expect(runDigest(deps(store, 'a'), { scheduledTime: MORNING })).rejects.toThrow(
      DigestDeliveryError,
    );
    const record = await readDocument(store, digestRecordKey('2025-11-11'), DigestRecordSchema);
    expect(record?.value).toMatchObject({ status: 'failed', posts: 0 });
    expect(record?.value.claim).toBeUndefined();

    await expect(runDigest(deps(store, 'b'), { scheduledTime: MORNING })).resolves.toMatchObject({
      outcome: 'posted',
    });
    expect(slack.received.length - posted).toBe(1);
  });

  it('keeps every part of the webhook path out of the digest record when Slack (or a proxy) echoes it', async () => {
    // Prepare: a 404 whose body quotes the secret parts of the path, one by one and whole
    const store = createS3ObjectStore(s3.client, s3.bucket, 'echo');
    const path = new URL(slack.url).pathname; // /services/T000/B000/XXXX
    const [, , team, hook, token] = path.split('/');
    slack.respondWith({
      status: 404,
      body: `no_service: team ${team} hook ${hook} token ${token} at ${path}`,
    });
    // Act
    const error = (await runDigest(deps(store, 'echo'), { scheduledTime: MORNING }).catch(
      (e: Error) => e,
    )) as Error;
    // Assess
    expect(error).toBeInstanceOf(DigestDeliveryError);
    // (only lastError: archive keys in the record hold timestamps like 20251112T000000)
    const record = await readDocument(store, digestRecordKey('2025-11-11'), DigestRecordSchema);
    const stored = record?.value.lastError ?? '';
    expect(stored).toMatch(/answered 404 no_service: team \[REDACTED\]/);
    for (const part of [team!, hook!, token!, path]) {
      expect(stored).not.toContain(part);
      expect(error.message).not.toContain(part);
    }
  });

  it('posts again with force, and for an explicit date', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'force');
    const posted = slack.received.length;
    await runDigest(deps(store, 'a'), { scheduledTime: MORNING });
    await runDigest(deps(store, 'b'), { scheduledTime: MORNING, force: true });
    const other = await runDigest(deps(store, 'c'), { scheduledTime: MORNING, date: '2025-11-09' });
    expect(other).toMatchObject({ outcome: 'posted', date: '2025-11-09' });
    expect(slack.received.length - posted).toBe(3);
    expect((await readDocument(store, digestRecordKey('2025-11-11'), DigestRecordSchema))?.value.posts).toBe(
      2,
    );
  });

  it('leaves a fresh claim by another run alone', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'claimed');
    await writeClaim(store, 'other');
    const posted = slack.received.length;
    await expect(runDigest(deps(store, 'mine'), { scheduledTime: MORNING })).resolves.toMatchObject({
      outcome: 'in-progress',
    });
    expect(slack.received.length).toBe(posted);
  });

  it('says the T+1 figures are not in yet when the offline section is empty', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'late');
    // The stand-in's clock is still on the day itself: no offline row for it exists yet.
    const lateStandIn = await startTestStandIn({ now: () => new Date('2025-11-11T16:59:00Z') });
    const lateDeps = { ...deps(store, 'late'), source: testClient(lateStandIn.url).client };
    const outcome = await runDigest(lateDeps, { scheduledTime: MORNING });
    await lateStandIn.close();
    expect(outcome.outcome).toBe('posted');
    if (outcome.outcome === 'posted') expect(JSON.stringify(outcome.message)).toMatch(/not in yet/);
  });

  it(
    'lists the right top five of 200,000 story names, holding at most 1,000 of them, and archives all',
    HEAVY,
    async () => {
      // Prepare: the day's answer carries 200,000 more story names
      const store = createS3ObjectStore(s3.client, s3.bucket, 'many-stories');
      standIn.inject('statistics', { kind: 'drift', drift: 'many-story-names' });
      // One attempt with time to spare, so a slow machine cannot swap in a retry's ordinary answer
      const source = testClient(standIn.url, { timeoutMs: 60_000, maxAttempts: 1 }).client;
      // Act
      const outcome = await runDigest(
        { ...deps(store, 'many'), source },
        { scheduledTime: MORNING, detail: true },
      );
      // Assess: every name is in the archived bytes; the figures shown are theirs, computed here
      expect(outcome.outcome).toBe('posted');
      if (outcome.outcome !== 'posted') return;
      const raw = JSON.parse(Buffer.from((await store.get(outcome.rawKey))!.bytes).toString('utf8'));
      const row = raw.data.realtime.daily.data_list.find((daily: any) => daily.date === '2025-11-11');
      const stories = Object.entries(row.story_distribution as Record<string, number>);
      expect(stories.length).toBeGreaterThan(MANY_STORY_NAMES);
      const ranked = stories
        .filter(([, count]) => count > 0)
        .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
      const sum = (entries: Array<[string, number]>) =>
        entries.reduce((total, [, count]) => total + count, 0);
      const grouped = (count: number) => count.toLocaleString('en-US');
      const section = outcome.message.blocks
        .map((block) => JSON.stringify(block))
        .find((text) => text.includes('What callers wanted'));
      const text = JSON.parse(section ?? '{}').text.text as string;
      expect(text).toContain(`What callers wanted* · ${grouped(sum(ranked))}`);
      const lines = text.split('\n').filter((line) => line.startsWith('`'));
      expect(lines.slice(0, 5).map((line) => line.replace(/^`[^`]*` /, ''))).toEqual(
        ranked.slice(0, 5).map(([name, count]) => `${name} (${grouped(count)})`),
      );
      expect(lines[5]).toContain(`_${grouped(ranked.length - 5)} others_ (${grouped(sum(ranked.slice(5)))})`);
      // What the run held of the day: the curated table keeps the top 1,000 and one row for the rest
      const curated = await store.get(curatedKey('distributions', '2025-11-11'));
      const rows = Buffer.from(curated!.bytes)
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .filter((record) => record.date === '2025-11-11' && record.kind === 'story');
      expect(rows).toHaveLength(DISTRIBUTION_KEYS_KEPT + 1);
      expect(rows.reduce((total, record) => total + record.count, 0)).toBe(sum(stories));
    },
  );

  describe('never lost: a later run posts what an earlier one could not, oldest first, each once', () => {
    const NEXT_MORNING = new Date('2025-11-13T01:30:00Z'); // 08:30 in Jakarta: the digest of 2025-11-12
    let clock = MORNING;
    let movingStandIn: StandIn;
    beforeAll(async () => {
      movingStandIn = await startTestStandIn({ now: () => clock });
    });
    afterAll(async () => {
      await movingStandIn.close();
    });

    /** A run as the scheduler starts it at `at`, on the stand-in whose clock is `at` too. */
    const runAt = (store: ObjectStore, runId: string, at: Date, notifier?: DigestDeps['notifier']) => {
      clock = at;
      const base = { ...deps(store, runId, [], at), source: testClient(movingStandIn.url).client };
      return runDigest(notifier ? { ...base, notifier } : base, { scheduledTime: at });
    };
    const recordOf = async (store: ObjectStore, date: string) =>
      (await readDocument(store, digestRecordKey(date), DigestRecordSchema))?.value;

    it('posts D, then D+1, each once, when Slack refused every attempt for D', async () => {
      // Prepare: the run for D (11 Nov) meets a Slack that refuses all three attempts
      const store = createS3ObjectStore(s3.client, s3.bucket, 'catch-up');
      slack.respondWith({ status: 503 }, { status: 503 }, { status: 503 });
      await expect(runAt(store, 'd', MORNING)).rejects.toThrow(DigestDeliveryError);
      const before = slack.received.length;
      // Act: the next morning's run, and one more after it
      const next = await runAt(store, 'd+1', NEXT_MORNING);
      const again = await runAt(store, 'd+1-again', NEXT_MORNING);
      // Assess
      expect(next).toMatchObject({
        outcome: 'posted',
        date: '2025-11-12',
        caughtUp: [{ outcome: 'posted', date: '2025-11-11' }],
      });
      expect(again).toMatchObject({ outcome: 'already-posted', caughtUp: [] });
      const texts = slack.received.slice(before).map((message) => message.text);
      expect(texts).toEqual([
        expect.stringMatching(/^AIRUDDER stats monitor · Robot digest Tue 11 Nov: /),
        expect.stringMatching(/^AIRUDDER stats monitor · Robot digest Wed 12 Nov: /),
      ]);
      expect(await recordOf(store, '2025-11-11')).toMatchObject({ status: 'posted', posts: 1 });
      expect(await recordOf(store, '2025-11-12')).toMatchObject({ status: 'posted', posts: 1 });
    });

    it('records D+1 as owed when D still cannot be posted, so neither is lost and the order holds', async () => {
      // Prepare: Slack refuses the run for D, and again the first attempts of the run for D+1
      const store = createS3ObjectStore(s3.client, s3.bucket, 'catch-up-order');
      slack.respondWith({ status: 503 }, { status: 503 }, { status: 503 });
      await expect(runAt(store, 'd', MORNING)).rejects.toThrow(DigestDeliveryError);
      slack.respondWith({ status: 503 }, { status: 503 }, { status: 503 });
      await expect(runAt(store, 'd+1', NEXT_MORNING)).rejects.toThrow(DigestDeliveryError);
      expect(await recordOf(store, '2025-11-12')).toMatchObject({
        status: 'failed',
        lastError: 'waiting for the digest of 2025-11-11',
      });
      const before = slack.received.length;
      // Act: the run of the morning after
      const later = await runAt(store, 'd+2', new Date('2025-11-14T01:30:00Z'));
      // Assess
      expect(later.caughtUp.map((earlier) => earlier.date)).toEqual(['2025-11-11', '2025-11-12']);
      expect(slack.received.slice(before).map((message) => message.text.slice(25, 51))).toEqual([
        'Robot digest Tue 11 Nov: 9',
        'Robot digest Wed 12 Nov: 9',
        'Robot digest Thu 13 Nov: 9',
      ]);
    });

    it('posts D after the claim timeout when the run for D died after claiming it', async () => {
      // Prepare: the run for D claims the date, then hangs forever in Slack (as if killed)
      const store = createS3ObjectStore(s3.client, s3.bucket, 'dead-claim');
      void runAt(store, 'dies', MORNING, { send: () => new Promise<never>(() => {}) });
      for (let tries = 0; (await recordOf(store, '2025-11-11'))?.status !== 'claimed' && tries < 100; tries++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const before = slack.received.length;
      // Act: a retry within the claim timeout, then the next morning's run
      const early = await runDigest(
        deps(store, 'early', [], new Date(MORNING.getTime() + CLAIM_TTL_MS / 2)),
        { scheduledTime: MORNING },
      );
      const next = await runAt(store, 'next', NEXT_MORNING);
      // Assess
      expect(early).toMatchObject({ outcome: 'in-progress', date: '2025-11-11' });
      expect(next.caughtUp).toMatchObject([{ outcome: 'posted', date: '2025-11-11' }]);
      expect(slack.received.slice(before).map((message) => message.text.slice(25, 48))).toEqual([
        'Robot digest Tue 11 Nov',
        'Robot digest Wed 12 Nov',
      ]);
    });

    it('reads the records of the days it may owe together, not one after another, and still posts oldest first', async () => {
      // Prepare: D refused by Slack, so the run for D+1 owes it; each read is held and counted
      const plain = createS3ObjectStore(s3.client, s3.bucket, 'catch-up-reads');
      slack.respondWith({ status: 503 }, { status: 503 }, { status: 503 });
      await expect(runAt(plain, 'd', MORNING)).rejects.toThrow(DigestDeliveryError);
      const { store, mostInFlight } = recordingStore(plain);
      // Act
      const next = await runAt(store, 'd+1', NEXT_MORNING);
      // Assess: the six earlier days' records were in flight at once
      expect(mostInFlight('get', 'digest/')).toBe(CATCH_UP_DAYS - 1);
      expect(next.caughtUp.map((earlier) => earlier.date)).toEqual(['2025-11-11']);
      expect(next).toMatchObject({ outcome: 'posted', date: '2025-11-12' });
    });

    const writeRecord = (store: ObjectStore, date: string, record: Record<string, unknown>) =>
      store.replace(digestRecordKey(date), Buffer.from(JSON.stringify({ date, posts: 0, ...record })), {
        contentType: 'application/json',
        metadata: {},
        expectedVersion: undefined,
      });

    it('catches up a date whose run never created a record, like a failed one', async () => {
      // #22 finding 10: a date whose run never started had no record, and no later run posted it.
      const store = createS3ObjectStore(s3.client, s3.bucket, 'no-record');
      await writeRecord(store, '2025-11-10', { status: 'posted', posts: 1 });
      const before = slack.received.length;
      const next = await runAt(store, 'next', NEXT_MORNING);
      expect(next).toMatchObject({ outcome: 'posted', date: '2025-11-12', missed: [] });
      expect(next.caughtUp).toMatchObject([{ outcome: 'posted', date: '2025-11-11' }]);
      expect(slack.received.slice(before).map((message) => message.text.slice(0, 48))).toEqual([
        'AIRUDDER stats monitor · Robot digest Tue 11 Nov',
        'AIRUDDER stats monitor · Robot digest Wed 12 Nov',
      ]);
    });

    it('says once, in one message, which dates are too old to catch up', async () => {
      // #22 finding 10: after a long Slack outage the oldest dates stayed "failed" without a word.
      const store = createS3ObjectStore(s3.client, s3.bucket, 'missed');
      await writeRecord(store, '2025-11-03', { status: 'failed', lastError: 'Slack 503' });
      // 2025-11-04: no record at all (its run never started)
      await writeRecord(store, '2025-11-05', {
        status: 'claimed',
        claim: { runId: 'died', at: '2025-11-05T01:30:00.000Z' },
      });
      for (const day of ['2025-11-06', '2025-11-07', '2025-11-08', '2025-11-09', '2025-11-10', '2025-11-11'])
        await writeRecord(store, day, { status: 'posted', posts: 1 });
      const before = slack.received.length;
      const next = await runAt(store, 'next', NEXT_MORNING);
      const again = await runAt(store, 'again', NEXT_MORNING);
      expect(next).toMatchObject({ outcome: 'posted', date: '2025-11-12', caughtUp: [] });
      expect(next.missed).toEqual(['2025-11-03', '2025-11-04', '2025-11-05']);
      expect(again).toMatchObject({ outcome: 'already-posted', missed: [] });
      const texts = slack.received.slice(before).map((message) => message.text);
      expect(texts).toEqual([
        expect.stringMatching(/^AIRUDDER stats monitor · Robot digest Wed 12 Nov/),
        expect.stringMatching(
          /^AIRUDDER stats monitor · ⚠️ Daily digests never posted: 2025-11-03, 2025-11-04, 2025-11-05\. /,
        ),
      ]);
      expect(await recordOf(store, '2025-11-04')).toMatchObject({ status: 'missed' });
    });

    describe('the never-posted message goes through the delivery protocol: a killed run loses nothing', () => {
      /** Records as a long Slack outage leaves them: 3 Nov failed, 4 Nov never started, 5 Nov claimed by a dead run. */
      const outage = async (prefix: string) => {
        const store = createS3ObjectStore(s3.client, s3.bucket, prefix);
        await writeRecord(store, '2025-11-03', { status: 'failed', lastError: 'Slack 503' });
        await writeRecord(store, '2025-11-05', {
          status: 'claimed',
          claim: { runId: 'died', at: '2025-11-05T01:30:00.000Z' },
        });
        for (const day of [
          '2025-11-06',
          '2025-11-07',
          '2025-11-08',
          '2025-11-09',
          '2025-11-10',
          '2025-11-11',
        ])
          await writeRecord(store, day, { status: 'posted', posts: 1 });
        return store;
      };
      /**
       * The store of a run killed at the first write `dies` matches: that write lands (`lands`) or
       * not, and no write after it does.
       */
      const killedAt = (
        store: ObjectStore,
        dies: (key: string, text: string) => boolean,
        lands: boolean,
      ): ObjectStore => {
        let killed = false;
        const write =
          <A extends unknown[], R>(call: (key: string, bytes: Uint8Array, ...rest: A) => Promise<R>) =>
          async (key: string, bytes: Uint8Array, ...rest: A): Promise<R> => {
            if (killed) throw new Error('killed');
            if (!dies(key, Buffer.from(bytes).toString('utf8'))) return call(key, bytes, ...rest);
            killed = true;
            if (lands) await call(key, bytes, ...rest);
            throw new Error('killed');
          };
        return {
          ...store,
          replace: write((key, bytes, options) => store.replace(key, bytes, options)),
          createIfAbsent: write((key, bytes, options) => store.createIfAbsent(key, bytes, options)),
        };
      };
      const neverPosted = (from: number) =>
        slack.received.slice(from).filter((message) => /Daily digests never posted/.test(message.text ?? ''));
      const AFTER_CLAIM = new Date(NEXT_MORNING.getTime() + CLAIM_TTL_MS);

      it('killed after claiming it, before Slack: the dates are listed once, when the claim ends', async () => {
        // Prepare
        const store = await outage('missed-kill-claim');
        const before = slack.received.length;
        // Act: the run dies right after its claim on the message is written
        await expect(
          runAt(
            killedAt(store, (key) => key === MISSED_NOTICE_KEY, true),
            'killed',
            NEXT_MORNING,
          ),
        ).rejects.toThrow('killed');
        const inside = await runAt(store, 'inside', NEXT_MORNING);
        const after = await runAt(store, 'after', AFTER_CLAIM);
        const later = await runAt(store, 'later', AFTER_CLAIM);
        // Assess: nothing while the claim lived, then exactly one message, headed by the monitor
        expect(inside.missed).toEqual([]);
        expect(after.missed).toEqual(['2025-11-03', '2025-11-04', '2025-11-05']);
        expect(later.missed).toEqual([]);
        expect(neverPosted(before).map((message) => message.text)).toEqual([
          expect.stringMatching(/^AIRUDDER stats monitor · ⚠️ Daily digests never posted: 2025-11-03, /),
        ]);
        expect(await recordOf(store, '2025-11-03')).toMatchObject({ status: 'missed' });
      });

      it('killed after Slack accepted it, before recording it: sent once more when the claim ends, never a third time', async () => {
        // Prepare
        const store = await outage('missed-kill-sent');
        const before = slack.received.length;
        // Act: the run dies on the write that records the message as sent
        await expect(
          runAt(
            killedAt(store, (key, text) => key === MISSED_NOTICE_KEY && text.includes('sentAt'), false),
            'killed',
            NEXT_MORNING,
          ),
        ).rejects.toThrow('killed');
        const inside = await runAt(store, 'inside', NEXT_MORNING);
        const after = await runAt(store, 'after', AFTER_CLAIM);
        const later = await runAt(store, 'later', AFTER_CLAIM);
        // Assess: the one documented re-send (between Slack's answer and one write), then nothing
        expect(neverPosted(before)).toHaveLength(1 + 1);
        expect([inside.missed, after.missed, later.missed]).toEqual([
          [],
          ['2025-11-03', '2025-11-04', '2025-11-05'],
          [],
        ]);
      });

      it('killed after recording it, before marking the dates: the next run marks them and sends nothing', async () => {
        // Prepare
        const store = await outage('missed-kill-marks');
        const before = slack.received.length;
        // Act: the run dies on the first date it marks missed
        await expect(
          runAt(
            killedAt(store, (_key, text) => /"status":\s*"missed"/.test(text), true),
            'killed',
            NEXT_MORNING,
          ),
        ).rejects.toThrow('killed');
        const next = await runAt(store, 'next', NEXT_MORNING);
        // Assess
        expect(neverPosted(before)).toHaveLength(1);
        expect(next.missed).toEqual([]);
        for (const day of ['2025-11-03', '2025-11-04', '2025-11-05'])
          expect(await recordOf(store, day)).toMatchObject({ status: 'missed' });
      });
    });

    it('heads the never-posted message with MONITOR_NAME', async () => {
      const store = createS3ObjectStore(s3.client, s3.bucket, 'missed-name');
      await writeRecord(store, '2025-11-03', { status: 'failed', lastError: 'Slack 503' });
      for (const day of ['2025-11-06', '2025-11-07', '2025-11-08', '2025-11-09', '2025-11-10', '2025-11-11'])
        await writeRecord(store, day, { status: 'posted', posts: 1 });
      const before = slack.received.length;
      clock = NEXT_MORNING;
      const named = { ...deps(store, 'named', [], NEXT_MORNING), monitorName: 'Jakarta <inbound>' };
      await runDigest(
        { ...named, source: testClient(movingStandIn.url).client },
        { scheduledTime: NEXT_MORNING },
      );
      expect(slack.received.slice(before).map((message) => message.text)).toContainEqual(
        expect.stringMatching(
          /^Jakarta &lt;inbound&gt; · ⚠️ Daily digests never posted: 2025-11-03, 2025-11-04, 2025-11-05\. /,
        ),
      );
    });

    it('posts a claim older than the timeout when rerun for the same date', async () => {
      const store = createS3ObjectStore(s3.client, s3.bucket, 'stale-claim');
      await writeClaim(store, 'dead');
      const later = new Date(MORNING.getTime() + CLAIM_TTL_MS);
      await expect(
        runDigest(deps(store, 'retry', [], later), { scheduledTime: MORNING }),
      ).resolves.toMatchObject({ outcome: 'posted', date: '2025-11-11' });
    });
  });

  describe("a run that meets another live run's claim waits on the injected clock, never past its deadline", () => {
    /**
     * A run whose clock (and its store's) moves only when it sleeps: no real waiting, no hang. It
     * starts at this host's time, the clock its deadline (epoch ms, as the HTTP client reads it) is on.
     */
    const START = new Date();
    const DEADLINE = START.getTime() + 120_000;
    const claimUntil = (store: ObjectStore, runId: string, until: Date) =>
      store.replace(
        digestRecordKey('2025-11-11'),
        Buffer.from(
          JSON.stringify({
            date: '2025-11-11',
            status: 'claimed',
            posts: 0,
            claim: { runId, at: START.toISOString(), until: until.toISOString() },
          }),
        ),
        { contentType: 'application/json', metadata: {}, expectedVersion: undefined },
      );
    const waitingRun = (
      store: ObjectStore,
      runId: string,
      onSleep: (at: Date) => Promise<void> = async () => {},
    ) => {
      let clock = START;
      const sleeps: number[] = [];
      const run = {
        ...deps(store, runId),
        store: { ...store, now: () => clock },
        now: () => clock,
        hostNow: () => clock.getTime(),
        sleep: async (ms: number) => {
          sleeps.push(ms);
          clock = new Date(clock.getTime() + ms);
          await onSleep(clock);
        },
      };
      return { run, sleeps };
    };

    it('waits while the claim lives, then takes it over and posts once', async () => {
      // Prepare: another run claimed the date; its claim ends 30 s from now
      const store = createS3ObjectStore(s3.client, s3.bucket, 'wait-takeover');
      await claimUntil(store, 'other', new Date(START.getTime() + 30_000));
      const posted = slack.received.length;
      const { run, sleeps } = waitingRun(store, 'waiting');
      // Act
      const outcome = await runDigest(run, { scheduledTime: MORNING, deadline: DEADLINE });
      // Assess: it looked again every CLAIM_POLL_MS until the claim had ended, then posted
      expect(outcome).toMatchObject({ outcome: 'posted', date: '2025-11-11' });
      expect(sleeps).toEqual(Array.from({ length: 30_000 / CLAIM_POLL_MS }, () => CLAIM_POLL_MS));
      expect(slack.received.length - posted).toBe(1);
    });

    it('stops looking before its deadline and says who holds the date, posting nothing', async () => {
      // Prepare: the other run's claim outlives this run's deadline
      const store = createS3ObjectStore(s3.client, s3.bucket, 'wait-deadline');
      const until = new Date(DEADLINE + 60_000);
      await claimUntil(store, 'other', until);
      const posted = slack.received.length;
      const { run, sleeps } = waitingRun(store, 'waiting');
      // Act
      const outcome = await runDigest(run, { scheduledTime: MORNING, deadline: DEADLINE });
      // Assess: 'in-progress' naming the holder (the edges fail on it), with the margin kept
      expect(outcome).toMatchObject({ outcome: 'in-progress', heldBy: 'other', until: until.toISOString() });
      const waited = sleeps.reduce((total, ms) => total + ms, 0);
      expect(START.getTime() + waited).toBeLessThanOrEqual(DEADLINE - CLAIM_WAIT_MARGIN_MS);
      expect(START.getTime() + waited + 2 * CLAIM_POLL_MS).toBeGreaterThan(DEADLINE - CLAIM_WAIT_MARGIN_MS);
      expect(slack.received.length).toBe(posted);
      expect(new DigestInProgressError(outcome as never).message).toMatch(/claimed by run other until/);
    });

    it('ends as soon as the live run has posted, without posting again', async () => {
      // Prepare: the other run posts the date 5 s into the wait
      const store = createS3ObjectStore(s3.client, s3.bucket, 'wait-posted');
      await claimUntil(store, 'other', new Date(START.getTime() + 90_000));
      const posted = slack.received.length;
      const { run, sleeps } = waitingRun(store, 'waiting', async (at) => {
        if (at.getTime() === START.getTime() + 5_000)
          await store.replace(
            digestRecordKey('2025-11-11'),
            Buffer.from(JSON.stringify({ date: '2025-11-11', status: 'posted', posts: 1 })),
            { contentType: 'application/json', metadata: {}, expectedVersion: undefined },
          );
      });
      // Act
      const outcome = await runDigest(run, { scheduledTime: MORNING, deadline: DEADLINE });
      // Assess
      expect(outcome).toMatchObject({ outcome: 'already-posted', date: '2025-11-11' });
      expect(sleeps).toHaveLength(5);
      expect(slack.received.length).toBe(posted);
    });
  });

  it("takes over a claim once the claiming run's deadline and grace have passed, and not before", async () => {
    // Prepare: a run with a 105 s deadline claimed the date and died
    const store = createS3ObjectStore(s3.client, s3.bucket, 'deadline-claim');
    const deadline = new Date(MORNING.getTime() + 105_000);
    await writeClaim(store, 'dead', new Date(deadline.getTime() + CLAIM_GRACE_MS));
    const at = (ms: number) => () => new Date(deadline.getTime() + ms);
    // Act: a rerun within the grace, then one just after it (long before CLAIM_TTL_MS)
    const within = await runDigest(deps(store, 'within', [], at(CLAIM_GRACE_MS - 1)()), {
      scheduledTime: MORNING,
    });
    const after = await runDigest(deps(store, 'after', [], at(CLAIM_GRACE_MS)()), { scheduledTime: MORNING });
    // Assess
    expect(within).toMatchObject({ outcome: 'in-progress' });
    expect(after).toMatchObject({ outcome: 'posted', date: '2025-11-11' });
  });

  it.each([
    { date: '2025-11-12', what: 'today' },
    { date: '2025-11-13', what: 'a future date' },
  ])('refuses $what, archiving and recording nothing', async ({ date }) => {
    const store = createS3ObjectStore(s3.client, s3.bucket, `early-${date}`);
    const posted = slack.received.length;
    await expect(runDigest(deps(store, 'early'), { scheduledTime: MORNING, date })).rejects.toThrow(
      new DigestDateError(
        `date: ${date} is not over yet in Asia/Jakarta (today is 2025-11-12); a digest covers a whole day that has ended`,
      ),
    );
    expect(await store.list('')).toEqual([]);
    expect(slack.received.length).toBe(posted);
  });
});
