import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import { createWebhookNotifier } from '../../../lambda/adapters/slack/webhook-notifier';
import type { FiredAlert } from '../../../lambda/domain/digest/digest-input';
import type { ObjectStore } from '../../../lambda/domain/object-store';
import { checkBlockKitLimits } from '../../../lambda/domain/slack/block-kit-limits';
import { silentLogger } from '../../../lambda/shared/logger';
import { DigestRecordSchema, digestRecordKey } from '../../../lambda/use-cases/digest-record';
import { readDocument } from '../../../lambda/use-cases/json-document';
import { DigestDeliveryError, type DigestDeps, runDigest } from '../../../lambda/use-cases/run-digest';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn, TEST_ZONE, testClient } from '../../helpers/airudder';
import { startS3Emulator } from '../../helpers/s3-emulator';

const MORNING = new Date('2025-11-12T01:30:00Z'); // 08:30 in Jakarta: the digest of 2025-11-11

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

  const deps = (store: ObjectStore, runId: string, alerts: FiredAlert[] = []): DigestDeps => ({
    source: testClient(standIn.url).client,
    store,
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
    now: () => MORNING,
    firedAlerts: async () => alerts,
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

    const first = await runDigest(deps(store, 'a', [alert]), { scheduledTime: MORNING });
    const second = await runDigest(deps(store, 'b'), { scheduledTime: MORNING });

    expect(first).toMatchObject({ outcome: 'posted', date: '2025-11-11' });
    expect(second).toEqual({ outcome: 'already-posted', date: '2025-11-11' });
    const posted = slack.received.slice(before);
    expect(posted).toHaveLength(1);
    expect(checkBlockKitLimits(posted[0]!)).toEqual([]);
    expect(posted[0]?.text).toMatch(/^Robot digest Tue 11 Nov/);
    expect(JSON.stringify(posted[0])).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(posted[0])).not.toContain('<!channel>');
    // The whole day, the day before and a week before are archived; the record says it was posted.
    expect((await store.list('raw/day/')).map((key) => key.split('/')[2])).toEqual([
      '2025-11-04',
      '2025-11-10',
      '2025-11-11',
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
    await store.replace(
      digestRecordKey('2025-11-11'),
      Buffer.from(
        JSON.stringify({
          date: '2025-11-11',
          status: 'claimed',
          posts: 0,
          claim: { runId: 'other', at: MORNING.toISOString() },
        }),
      ),
      { contentType: 'application/json', metadata: {}, expectedVersion: undefined },
    );
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
});
