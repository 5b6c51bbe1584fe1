import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import { ALERT_STATE_KEY, AlertStateSchema } from '../../../lambda/domain/alerts/state';
import { type ObjectStore, PreconditionFailedError } from '../../../lambda/domain/archive/object-store';
import { readDocument } from '../../../lambda/use-cases/json-document';
import { runCheck } from '../../../lambda/use-cases/run-check';
import { runDigest } from '../../../lambda/use-cases/run-digest';
import { snoozeAlerts } from '../../../lambda/use-cases/snoozes';
import { type ConditionalS3Endpoint, startConditionalS3 } from '../../fakes/conditional-s3-proxy';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn } from '../../helpers/airudder';
import { checkDeps, TRANSFER_INCIDENT as INCIDENT, localHour } from '../../helpers/check-run';
import { digestDeps } from '../../helpers/digest-run';

/**
 * Exactly-once over S3 rests on S3's conditional writes. These runs go through the project's real
 * S3 client and adapter to a loopback endpoint that answers `If-None-Match: *` and `If-Match` on PUT
 * as S3 documents (412, 404, and 409 on a race), in front of the fauxqs emulator. With the adapter's
 * conditional headers removed (s3-object-store.ts), the three concurrency tests below fail: several
 * posts, several digests, a lost snooze or evaluation.
 */

const MORNING = new Date('2025-11-12T01:30:00Z'); // 08:30 in Jakarta: the digest of 2025-11-11

interface PutAnswer {
  readonly status: number | undefined;
  readonly etag?: string | undefined;
  readonly name?: string | undefined;
}

describe('the conditional S3 endpoint answers as S3 documents', () => {
  let s3: ConditionalS3Endpoint;
  beforeAll(async () => {
    s3 = await startConditionalS3();
  });
  afterAll(async () => {
    await s3.close();
  });
  const put = (Key: string, condition: { IfNoneMatch?: string; IfMatch?: string }) =>
    s3.client
      .send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: Buffer.from(Key), ...condition }))
      .then(
        (response): PutAnswer => ({ status: 200, etag: response.ETag }),
        (error: { $metadata?: { httpStatusCode?: number }; name?: string }): PutAnswer => ({
          status: error.$metadata?.httpStatusCode,
          name: error.name,
        }),
      );

  it('refuses If-None-Match: * on an existing key with 412 PreconditionFailed', async () => {
    expect(await put('create-once', { IfNoneMatch: '*' })).toMatchObject({ status: 200 });
    expect(await put('create-once', { IfNoneMatch: '*' })).toEqual({
      status: 412,
      name: 'PreconditionFailed',
    });
  });

  it('refuses If-Match with another ETag (412) and on a missing key (404), and accepts the current ETag', async () => {
    const first = await put('cas', { IfNoneMatch: '*' });
    expect(await put('cas', { IfMatch: '"0123456789abcdef0123456789abcdef"' })).toEqual({
      status: 412,
      name: 'PreconditionFailed',
    });
    expect(await put('never-written', { IfMatch: first.etag ?? '' })).toEqual({
      status: 404,
      name: 'NoSuchKey',
    });
    expect(await put('cas', { IfMatch: first.etag ?? '' })).toMatchObject({ status: 200 });
  });

  it('lets exactly one of 8 racing creates win; the others get 412 or 409 ConditionalRequestConflict', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => put('race', { IfNoneMatch: '*' })));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 200))
      expect(['PreconditionFailed', 'ConditionalRequestConflict']).toContain(answer.name);
    expect(s3.conditionalPuts[409]).toBeGreaterThan(0);
  });

  it('maps both refusals to the archive port: create-only returns false, a stale replace throws', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'port');
    const json = { contentType: 'application/json', metadata: {} };
    expect(await store.createIfAbsent('a.json', Buffer.from('1'), json)).toBe(true);
    expect(await store.createIfAbsent('a.json', Buffer.from('2'), json)).toBe(false);
    const { version } = (await store.get('a.json'))!;
    await store.replace('a.json', Buffer.from('3'), { ...json, expectedVersion: version });
    await expect(
      store.replace('a.json', Buffer.from('4'), { ...json, expectedVersion: version }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(Buffer.from((await store.get('a.json'))!.bytes).toString()).toBe('3');
  });
});

describe('concurrent runs over the conditional S3 endpoint, through the real S3 client', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: ConditionalS3Endpoint;
  let clock = localHour(8);
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => clock, incidents: [INCIDENT] });
    slack = await startSlackReceiver();
    // S3's round trip, roughly: concurrent runs overlap in their reads and writes as in production.
    s3 = await startConditionalS3({ latencyMs: 15 });
  });
  afterAll(async () => {
    await Promise.all([standIn.close(), slack.close(), s3.close()]);
  });

  /**
   * Conditional PUTs the endpoint accepted so far. A test asserts its own runs added some: exactly
   * once must come from S3's conditions, not from runs that happened not to overlap (without the
   * headers, 4 digests sometimes still post once by timing alone).
   */
  const acceptedConditionalPuts = () => s3.conditionalPuts[200] ?? 0;

  /** Eight checks for one scheduled time in the incident, after a warm-up check an hour before. */
  async function eightChecks(store: ObjectStore) {
    clock = localHour(8);
    await runCheck(await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: 'warm' }), {
      scheduledTime: localHour(8),
    });
    const before = slack.received.length;
    clock = localHour(10);
    const runs = await Promise.allSettled(
      Array.from({ length: 8 }, async (_, index) =>
        runCheck(
          await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: `racer-${index}` }),
          { scheduledTime: localHour(9) },
        ),
      ),
    );
    return { runs, posts: slack.received.slice(before) };
  }

  it('8 concurrent checks for one scheduled time post exactly one Slack message', async () => {
    // Act
    const accepted = acceptedConditionalPuts();
    const { runs, posts } = await eightChecks(createS3ObjectStore(s3.client, s3.bucket, 'checks'));
    // Assess: every run ended cleanly; one evaluated and posted, the others saw it done
    expect(runs.map((run) => run.status)).toEqual(Array(8).fill('fulfilled'));
    const outcomes = runs.flatMap((run) => (run.status === 'fulfilled' ? [run.value.outcome] : []));
    expect(outcomes.filter((outcome) => outcome === 'evaluated')).toHaveLength(1);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toMatch(/transfer/i);
    expect(acceptedConditionalPuts()).toBeGreaterThan(accepted);
  });

  const fourDigests = async (store: ObjectStore) => {
    clock = MORNING;
    const before = slack.received.length;
    const runs = await Promise.allSettled(
      Array.from({ length: 4 }, (_, index) =>
        runDigest(
          digestDeps({
            standInUrl: standIn.url,
            slackUrl: slack.url,
            store,
            runId: `digest-${index}`,
            now: () => MORNING,
          }),
          { scheduledTime: MORNING },
        ),
      ),
    );
    return { runs, posts: slack.received.slice(before) };
  };

  it('4 concurrent digests for one date post exactly one message', async () => {
    const accepted = acceptedConditionalPuts();
    const { runs, posts } = await fourDigests(createS3ObjectStore(s3.client, s3.bucket, 'digests'));
    expect(runs.map((run) => run.status)).toEqual(Array(4).fill('fulfilled'));
    const outcomes = runs.flatMap((run) => (run.status === 'fulfilled' ? [run.value.outcome] : []));
    expect(outcomes.filter((outcome) => outcome === 'posted')).toHaveLength(1);
    expect(posts).toHaveLength(1);
    expect(acceptedConditionalPuts()).toBeGreaterThan(accepted);
  });

  it('a snooze racing a check is kept, and so is the evaluation of the check', async () => {
    // Prepare: a state the check and the snooze both change
    const store = createS3ObjectStore(s3.client, s3.bucket, 'snooze-race');
    clock = localHour(8);
    await runCheck(await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: 'warm' }), {
      scheduledTime: localHour(7),
    });
    const snooze = { at: localHour(8).toISOString(), until: localHour(10).toISOString(), reason: 'race' };
    const accepted = acceptedConditionalPuts();
    // Act: each snooze lands while a check is reading and writing the same state document
    await Promise.all([
      runCheck(await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: 'racer' }), {
        scheduledTime: localHour(8),
      }),
      snoozeAlerts(store, 'all', snooze),
    ]);
    // Assess: both writes are in the state
    const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
    expect(state?.value.snoozes?.all).toMatchObject({ reason: 'race' });
    expect(state?.value.lastScheduledTime).toBe(localHour(8).toISOString());
    expect(acceptedConditionalPuts()).toBeGreaterThan(accepted);
  });
});
