import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createKnownDocuments, rememberingStore } from '../../../lambda/adapters/archive/known-documents';
import { createS3ObjectStore } from '../../../lambda/adapters/archive/s3-object-store';
import type { Notification } from '../../../lambda/domain/alerts/notify';
import { RuleSchema } from '../../../lambda/domain/alerts/rules';
import { ALERT_STATE_KEY, AlertStateSchema } from '../../../lambda/domain/alerts/state';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import { checkBlockKitLimits } from '../../../lambda/domain/slack/block-kit-limits';
import { readDocument } from '../../../lambda/use-cases/json-document';
import { AlertDeliveryError, type CheckOutcome, runCheck } from '../../../lambda/use-cases/run-check';
import { snoozeAlerts } from '../../../lambda/use-cases/snoozes';
import { resetWatermark } from '../../../lambda/use-cases/watermark';
import { createConditionalS3 } from '../../fakes/conditional-s3';
import { type ConditionalS3Endpoint, startConditionalS3 } from '../../fakes/conditional-s3-proxy';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn } from '../../helpers/airudder';
import { checkDeps, recordedWaits } from '../../helpers/check-run';
import { startS3Emulator } from '../../helpers/s3-emulator';

// 2025-11-11 in Asia/Jakarta (UTC+7): a transfer failure from 06:00 to 09:00 local.
const INCIDENT = {
  start: '2025-11-11 06:00:00',
  end: '2025-11-11 09:00:00',
  effect: 'transfer-failure',
  severity: 0.9,
} as const;
const localHour = (hour: number) => new Date(Date.UTC(2025, 10, 10, 17 + hour)); // hour:00 local

describe('check runs over loopback: stand-in, S3-compatible server, Slack receiver', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;
  let clock = localHour(6);
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => clock, incidents: [INCIDENT] });
    slack = await startSlackReceiver();
    s3 = await startS3Emulator();
  });
  afterAll(async () => {
    await Promise.all([standIn.close(), slack.close(), s3.close()]);
  });

  it('loses no alert and duplicates none while Slack answers 429, 500, 400 invalid_blocks and 410', async () => {
    // Prepare: what Slack answers on each run, hour by hour (an unlisted hour is answered 200)
    const slackTrouble: Record<number, Parameters<SlackReceiver['respondWith']>> = {
      9: [{ status: 500 }, { status: 500 }, { status: 503 }],
      10: [{ status: 429, headers: { 'Retry-After': '2' } }],
      11: [{ status: 400, body: 'invalid_blocks' }],
      12: [{ status: 410, body: 'channel_is_archived' }],
    };
    const store = createS3ObjectStore(s3.client, s3.bucket, 'lossless');
    const owed: Notification[][] = [];
    const delivered: Notification[][] = [];
    // Act: hourly checks through the incident and its aftermath
    for (let hour = 6; hour <= 16; hour++) {
      clock = localHour(hour);
      slack.respondWith(...(slackTrouble[hour] ?? []));
      const deps = await checkDeps({
        standInUrl: standIn.url,
        slackUrl: slack.url,
        store,
        runId: `run-${hour}`,
      });
      const outcome: CheckOutcome | Error = await runCheck(deps, { scheduledTime: clock }).catch(
        (error: Error) => error,
      );
      if (outcome instanceof AlertDeliveryError) owed.push([...outcome.notifications]);
      else if (outcome instanceof Error) throw outcome;
      else if (outcome.outcome === 'evaluated' && outcome.sent.length > 0) delivered.push([...outcome.sent]);
    }
    // Assess
    const deliveredKeys = delivered.flat().map((n) => n.key);
    expect(new Set(deliveredKeys).size).toBe(deliveredKeys.length);
    expect(slack.received).toHaveLength(delivered.length);
    for (const message of slack.received) expect(checkBlockKitLimits(message)).toEqual([]);
    const kinds = delivered.flat().map((n) => `${n.kind}:${'ruleId' in n ? n.ruleId : 'monitor'}`);
    expect(kinds).toContain('fired:transfer-success-rate');
    expect(kinds).toContain('resolved:transfer-success-rate');
    expect(kinds.filter((k) => k === 'fired:transfer-success-rate')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'resolved:transfer-success-rate')).toHaveLength(1);
    // Every failed hour left something owed, and the owed firing arrived on a later run
    expect(owed.length).toBeGreaterThanOrEqual(3);
    expect(owed[0]?.map((n) => n.kind)).toContain('fired');
    expect(recordedWaits).toContain(2_000);
    const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
    expect(state?.value.rules['transfer-success-rate']).toMatchObject({
      status: 'ok',
      notified: { status: 'ok' },
    });
    expect(JSON.stringify(slack.received.at(-1))).toMatch(/RESOLVED|resolved/);
  });

  it('does not send a fired alert twice when the run delivering it runs on a host 10 minutes slow (claims use S3 time)', async () => {
    // Prepare: a check fires the alert on a host whose clock is 10 minutes slow; while its Slack call
    // is in flight, a check on a host with the right time runs the next quarter-hour
    const slow = () => Date.now() - 600_000;
    const shared = 'slow-claimer';
    clock = localHour(8);
    const warmup = createS3ObjectStore(s3.client, s3.bucket, shared);
    await runCheck(
      await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store: warmup, runId: 'w' }),
      {
        scheduledTime: localHour(8),
      },
    );
    const before = slack.received.length;
    const quarterPast = new Date(localHour(9).getTime() + 15 * 60_000);
    const onTime = await checkDeps({
      standInUrl: standIn.url,
      slackUrl: slack.url,
      store: warmup,
      runId: 'on-time',
    });
    let overlapping: CheckOutcome | undefined;
    const slowDeps = await checkDeps({
      standInUrl: standIn.url,
      slackUrl: slack.url,
      store: createS3ObjectStore(s3.client, s3.bucket, shared, { now: slow }),
      runId: 'slow',
      clock: () => new Date(slow()),
    });
    const slowSlack = slowDeps.notifier;
    clock = localHour(9);
    // Act
    const first = await runCheck(
      {
        ...slowDeps,
        notifier: {
          send: async (message) => {
            clock = quarterPast;
            overlapping = await runCheck(onTime, { scheduledTime: quarterPast });
            await slowSlack.send(message);
          },
        },
      },
      { scheduledTime: localHour(9) },
    );
    // Assess: the slow run sent the fired alert; the overlapping run left it to the slow run's claim
    expect(first.outcome === 'evaluated' && first.sent.map((n) => n.kind)).toEqual(['fired']);
    expect(overlapping?.outcome === 'evaluated' && overlapping.sent).toEqual([]);
    expect(slack.received.length - before).toBe(1);
  });

  it('resolves a firing alert whose rule was removed with "rule removed", ends its episode, then forgets the rule', async () => {
    // Prepare: the transfer alert fires and Slack is told
    const store = createS3ObjectStore(s3.client, s3.bucket, 'rule-removed');
    const deps = (runId: string) => checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId });
    clock = localHour(8);
    await runCheck(await deps('pending'), { scheduledTime: localHour(8) });
    clock = localHour(9);
    const fired = await runCheck(await deps('fires'), { scheduledTime: localHour(9) });
    expect(fired.outcome === 'evaluated' && fired.sent.map((n) => n.kind)).toEqual(['fired']);
    const before = slack.received.length;
    // Act: the next checks run with a rule set that no longer has the rule (the incident goes on)
    const withoutIt = async (runId: string) => {
      const full = await deps(runId);
      return { ...full, rules: full.rules.filter((rule) => rule.id !== 'transfer-success-rate') };
    };
    const quarterPast = new Date(localHour(9).getTime() + 15 * 60_000);
    const halfPast = new Date(localHour(9).getTime() + 30 * 60_000);
    clock = quarterPast;
    const removed = await runCheck(await withoutIt('removed'), { scheduledTime: quarterPast });
    const afterIt = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
    clock = halfPast;
    const later = await runCheck(await withoutIt('later'), { scheduledTime: halfPast });
    const final = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
    // Assess: one resolution, through the check's delivery, saying why; the episode ended with it
    expect(removed.outcome === 'evaluated' && removed.sent).toEqual([
      expect.objectContaining({ kind: 'resolved', ruleId: 'transfer-success-rate', ruleRemoved: true }),
    ]);
    expect(later.outcome === 'evaluated' && later.sent).toEqual([]);
    const texts = slack.received.slice(before).map((message) => message.text);
    expect(texts).toEqual([expect.stringMatching(/Resolved: transfer-success-rate rule removed/)]);
    const episode = afterIt?.value.episodes.find((each) => each.ruleId === 'transfer-success-rate');
    expect(episode).toMatchObject({ ended: quarterPast.toISOString(), resolvedValue: null });
    expect(episode?.notified.map((message) => message.kind)).toEqual(['fired', 'resolved']);
    expect(afterIt?.value.rules['transfer-success-rate']?.notified).toMatchObject({ status: 'ok' });
    expect(final?.value.rules['transfer-success-rate']).toBeUndefined();
  });

  it('changes nothing and sends nothing when the same scheduled time runs again', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'repeat');
    clock = localHour(9);
    for (const hour of [8, 9]) {
      const deps = await checkDeps({
        standInUrl: standIn.url,
        slackUrl: slack.url,
        store,
        runId: `r${hour}`,
      });
      await runCheck(deps, { scheduledTime: localHour(hour) });
    }
    const posts = slack.received.length;
    const keys = await store.list('');
    const state = await store.get(ALERT_STATE_KEY);
    const deps = await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: 'again' });
    const again = await runCheck(deps, { scheduledTime: localHour(9) });
    expect(again.outcome).toBe('already-evaluated');
    expect(slack.received.length).toBe(posts);
    expect(await store.list('')).toEqual(keys);
    expect((await store.get(ALERT_STATE_KEY))?.version).toBe(state?.version);
  });

  it('fetches and archives both windows of a two-window rule, and reads four weeks back for a seasonal baseline', async () => {
    // Prepare: a store that records what the check reads; a two-window rule and a seasonal one
    const inner = createS3ObjectStore(s3.client, s3.bucket, 'evidence');
    const reads: string[] = [];
    const store = {
      ...inner,
      get: (key: string) => {
        reads.push(key);
        return inner.get(key);
      },
    };
    const rules = [
      RuleSchema.parse({
        id: 'transfer-fast',
        title: 'Transfer success rate',
        metric: 'transfer_success_rate',
        window: { minutes: 30, short: 15 },
        comparison: 'below',
        confidence: { breach: 0.9, recovery: 0.5 },
        warn: 0.8,
        recovery: 0.8,
      }),
      RuleSchema.parse({
        id: 'volume-seasonal',
        title: 'Volume',
        metric: { weekOverWeek: 'total_calls', weeks: 4 },
        window: { minutes: 60 },
        comparison: 'above',
        warn: 1,
      }),
    ];
    clock = localHour(10);
    const deps = await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: 'evidence' });
    // Act
    const outcome = await runCheck({ ...deps, rules }, { scheduledTime: localHour(10) });
    // Assess: one call and one archived object per window length, shortest first
    if (outcome.outcome !== 'evaluated') throw new Error('the check did not evaluate');
    expect(outcome.windows.map((archived) => archived.key)).toEqual([
      'raw/window/2025-11-11/20251111T030000Z_20251111T094500_20251111T100000.json',
      'raw/window/2025-11-11/20251111T030000Z_20251111T093000_20251111T100000.json',
      'raw/window/2025-11-11/20251111T030000Z_20251111T090000_20251111T100000.json',
    ]);
    // The 60-minute window of the same time one, two, three and four weeks earlier
    expect(reads.filter((key) => key.startsWith('raw/window/'))).toEqual(
      ['2025-11-04', '2025-10-28', '2025-10-21', '2025-10-14'].map(
        (date) =>
          `raw/window/${date}/${date.replaceAll('-', '')}T030000Z_${date.replaceAll('-', '')}T090000_${date.replaceAll('-', '')}T100000.json`,
      ),
    );
    const fast = outcome.results.find((result) => result.ruleId === 'transfer-fast');
    expect(fast?.measurement).toMatchObject({
      kind: 'value',
      window: expect.stringMatching(/^last 15 min; 30 min: /),
    });
  });

  it('reads only the earlier responses a rule in use needs: with the shipped rules and no line capacity, the rolling hour on the same weekday of the four weeks before', async () => {
    // Prepare: a store that records what the check reads
    const inner = createS3ObjectStore(s3.client, s3.bucket, 'reads');
    const reads: string[] = [];
    const store = {
      ...inner,
      get: (key: string) => {
        reads.push(`get ${key}`);
        return inner.get(key);
      },
      list: (prefix: string) => {
        reads.push(`list ${prefix}`);
        return inner.list(prefix);
      },
    };
    clock = localHour(10);
    const deps = await checkDeps({
      standInUrl: standIn.url,
      slackUrl: slack.url,
      store,
      runId: 'reads',
      rules: 'shipped',
    });
    // Act: once as shipped, once with a line capacity (the peak-concurrency rule then runs)
    await runCheck(deps, { scheduledTime: localHour(10) });
    const shipped = reads.splice(0);
    await runCheck({ ...deps, lineCapacity: 50 }, { scheduledTime: localHour(11) });
    // Assess: the alert state, and the rolling hour a week earlier for volume spike/drop (not
    // archived here, so that hour's row of the week-old whole day, as replay reads it); the
    // latest finished day only once the capacity rule can run; the week-old check never (no rule
    // compares the last complete hour with last week)
    // (the same hour on each of the four weekdays before: the seasonal baseline's weeks)
    expect(shipped).toEqual([
      `get ${ALERT_STATE_KEY}`,
      'get raw/window/2025-11-04/20251104T030000Z_20251104T090000_20251104T100000.json',
      'get raw/window/2025-10-28/20251028T030000Z_20251028T090000_20251028T100000.json',
      'get raw/window/2025-10-21/20251021T030000Z_20251021T090000_20251021T100000.json',
      'get raw/window/2025-10-14/20251014T030000Z_20251014T090000_20251014T100000.json',
      'list raw/day/2025-11-04/',
      'list raw/day/2025-10-28/',
      'list raw/day/2025-10-21/',
      'list raw/day/2025-10-14/',
    ]);
    expect(reads).toContain('list raw/day/2025-11-10/');
    expect(reads.filter((read) => read.startsWith('list raw/check/'))).toEqual([]);
  });

  it('sends "monitor degraded" after 3 failed runs and a resolved message when a run succeeds', async () => {
    const store = createS3ObjectStore(s3.client, s3.bucket, 'health');
    const before = slack.received.length;
    // What each failed run got through to Slack, told although the run fails (its error carries no outcome).
    const told: string[][] = [];
    for (const minute of [0, 15, 30]) {
      clock = new Date(localHour(13).getTime() + minute * 60_000);
      standIn.inject('statistics', { kind: 'http-status', status: 503 }, 3);
      const deps = await checkDeps({
        standInUrl: standIn.url,
        slackUrl: slack.url,
        store,
        runId: `down-${minute}`,
      });
      const delivered: string[] = [];
      const onDelivered = (sent: readonly Notification[]) => delivered.push(...sent.map((n) => n.kind));
      await expect(runCheck({ ...deps, onDelivered }, { scheduledTime: clock })).rejects.toThrow(/HTTP 503/);
      told.push(delivered);
    }
    expect(told).toEqual([[], [], ['monitor-degraded']]);
    const degraded = slack.received.slice(before);
    expect(degraded).toHaveLength(1);
    expect(JSON.stringify(degraded[0])).toMatch(/degraded/i);
    expect(JSON.stringify(degraded[0])).toMatch(/503/);
    clock = localHour(14);
    await runCheck(await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: 'up' }), {
      scheduledTime: clock,
    });
    expect(slack.received.length).toBe(before + 2);
    expect(JSON.stringify(slack.received.at(-1))).toMatch(/recovered|resolved/i);
  });
});

describe('a valid envelope that does not answer the check (#22 findings 5 and 14)', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;
  let clock = localHour(10);
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => clock });
    slack = await startSlackReceiver();
    s3 = await startS3Emulator();
  });
  afterAll(async () => {
    await Promise.all([standIn.close(), slack.close(), s3.close()]);
  });
  const deps = (store: ReturnType<typeof createS3ObjectStore>, runId: string) =>
    checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId });

  it('counts {"code":200,"data":{}} as a failed fetch: archived as invalid, and "monitor degraded" after 3', async () => {
    // Prepare
    const store = createS3ObjectStore(s3.client, s3.bucket, 'empty');
    const before = slack.received.length;
    // Act: three checks, each answered with an empty envelope
    const errors: Error[] = [];
    for (const minute of [0, 15, 30]) {
      clock = new Date(localHour(10).getTime() + minute * 60_000);
      standIn.inject('statistics', { kind: 'drift', drift: 'empty-data' });
      errors.push(
        await runCheck(await deps(store, `empty-${minute}`), { scheduledTime: clock }).then(
          () => new Error('the check passed'),
          (error: Error) => error,
        ),
      );
    }
    // Assess: every run failed naming the missing figure; the third sent "monitor degraded" once
    for (const error of errors) expect(error.message).toMatch(/data\.realtime\.total\.total_calls: missing/);
    const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
    expect(state?.value.monitor).toMatchObject({ status: 'degraded', consecutiveFailures: 3 });
    const posts = slack.received.slice(before);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toMatch(/degraded/i);
    expect(JSON.stringify(posts[0])).toMatch(/lacks what the check needs/);
    const archived = (await store.list('raw/check/')).map((key) => store.get(key));
    const metadata = (await Promise.all(archived)).map((object) => object?.metadata['schema-verdict']);
    expect(metadata).toEqual(['invalid', 'invalid', 'invalid']);
  });

  it('fails a check whose 60-minute window is answered with the day so far, instead of judging it', async () => {
    // Prepare: the check's own day-so-far call is answered normally, the window call with the day so far
    const store = createS3ObjectStore(s3.client, s3.bucket, 'wrong-window');
    clock = localHour(11);
    const before = slack.received.length;
    standIn.inject('statistics', { kind: 'latency', ms: 0 });
    standIn.inject('statistics', { kind: 'day-so-far' });
    // Act
    const error = await runCheck(await deps(store, 'wrong-window'), { scheduledTime: clock }).then(
      () => new Error('the check passed'),
      (e: Error) => e,
    );
    // Assess: the window response is archived, marked invalid, and the run counts as failed
    expect(error.message).toMatch(
      /data\.realtime\.time_range: covers 2025-11-11 00:00:00 to 2025-11-11 11:00:00, not the window asked for \(2025-11-11 10:00:00 to 2025-11-11 11:00:00\)/,
    );
    const [windowKey] = await store.list('raw/window/');
    expect((await store.get(windowKey ?? ''))?.metadata['schema-verdict']).toBe('invalid');
    const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
    expect(state?.value.monitor.consecutiveFailures).toBe(1);
    expect(slack.received.length).toBe(before);
  });
});

describe('two concurrent check runs over one state (S3 fake that enforces If-Match)', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: ReturnType<typeof createConditionalS3>;
  let clock = localHour(8);
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => clock, incidents: [INCIDENT] });
    slack = await startSlackReceiver();
    s3 = createConditionalS3();
  });
  afterAll(async () => {
    s3.restore();
    await Promise.all([standIn.close(), slack.close()]);
  });

  const race = async (prefix: string, times: Date[]) => {
    const store = createS3ObjectStore(s3.client, 'bucket', prefix);
    clock = localHour(8);
    await runCheck(
      await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: 'warmup' }),
      {
        scheduledTime: localHour(8),
      },
    );
    const before = slack.received.length;
    clock = localHour(10);
    const runs = await Promise.all(
      times.map(async (scheduledTime, index) =>
        runCheck(
          await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId: `racer-${index}` }),
          {
            scheduledTime,
          },
        ),
      ),
    );
    const sent = runs.flatMap((run) => (run.outcome === 'evaluated' ? run.sent : []));
    return { runs, sent, posts: slack.received.slice(before) };
  };

  it('send exactly one notification for the same scheduled time', async () => {
    const { runs, sent, posts } = await race('shared', [localHour(9), localHour(9)]);
    expect(posts).toHaveLength(1);
    expect(sent.map((n) => n.kind)).toEqual(['fired']);
    expect(runs.map((run) => run.outcome).sort()).toEqual(['already-evaluated', 'evaluated']);
  });

  it('never send the same notification twice for neighbouring scheduled times', async () => {
    const quarterPast = new Date(localHour(9).getTime() + 15 * 60_000);
    const { runs, sent, posts } = await race('neighbours', [localHour(9), quarterPast]);
    const keys = sent.map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(sent.filter((n) => n.kind === 'fired')).toHaveLength(1);
    // One message per run that had something to say, never two for one announcement.
    expect(posts).toHaveLength(
      runs.filter((run) => run.outcome === 'evaluated' && run.sent.length > 0).length,
    );
  });
});

describe("a warm container's check starts from the alert state it wrote (conditional S3 endpoint, real S3 client)", () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: ConditionalS3Endpoint;
  let clock = localHour(6);
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => clock, incidents: [INCIDENT] });
    slack = await startSlackReceiver();
    s3 = await startConditionalS3();
  });
  afterAll(async () => {
    await Promise.all([standIn.close(), slack.close(), s3.close()]);
  });

  /** One container: its store remembers the state documents across its checks; GETs of the alert state counted. */
  function container(prefix: string) {
    const s3Store = createS3ObjectStore(s3.client, s3.bucket, prefix);
    let stateReads = 0;
    const counted: ObjectStore = {
      ...s3Store,
      get: (key) => {
        if (key === ALERT_STATE_KEY) stateReads += 1;
        return s3Store.get(key);
      },
    };
    const store = rememberingStore(counted, createKnownDocuments());
    const check = async (hour: number, runId = `${prefix}-${hour}`) => {
      clock = localHour(hour);
      const posted = slack.received.length;
      const outcome = await runCheck(
        await checkDeps({ standInUrl: standIn.url, slackUrl: slack.url, store, runId }),
        { scheduledTime: localHour(hour) },
      );
      return { outcome, posts: slack.received.slice(posted) };
    };
    return { store, s3Store, check, stateReads: () => stateReads };
  }

  it('reads the alert state once, on its first check, and posts what a container reading it every time posts', async () => {
    const warm = container('warm-reads');
    const fresh = createS3ObjectStore(s3.client, s3.bucket, 'fresh-reads');
    const posts: { warm: unknown[]; fresh: unknown[] } = { warm: [], fresh: [] };
    for (const hour of [6, 7, 8, 9, 10]) {
      posts.warm.push(...(await warm.check(hour)).posts);
      clock = localHour(hour);
      const before = slack.received.length;
      await runCheck(
        await checkDeps({
          standInUrl: standIn.url,
          slackUrl: slack.url,
          store: fresh,
          runId: `fresh-reads-${hour}`,
        }),
        { scheduledTime: localHour(hour) },
      );
      posts.fresh.push(...slack.received.slice(before));
    }
    expect(warm.stateReads()).toBe(1); // its first check's: the others started from what the one before wrote
    expect(posts.warm.length).toBeGreaterThan(0);
    expect(posts.warm).toEqual(posts.fresh);
    const stored = await readDocument(warm.s3Store, ALERT_STATE_KEY, AlertStateSchema);
    expect(stored?.value.lastScheduledTime).toBe(localHour(10).toISOString());
  });

  it('keeps a snooze another writer set between two checks: its stale write is refused, the state read again', async () => {
    const warm = container('warm-snooze');
    await warm.check(7);
    await warm.check(8);
    const reads = warm.stateReads();
    const snooze = {
      at: localHour(8).toISOString(),
      until: localHour(11).toISOString(),
      reason: 'between checks',
    };
    await snoozeAlerts(warm.s3Store, 'all', snooze);
    const { outcome } = await warm.check(9);
    expect(outcome.outcome).toBe('evaluated');
    expect(warm.stateReads()).toBeGreaterThan(reads);
    const stored = await readDocument(warm.s3Store, ALERT_STATE_KEY, AlertStateSchema);
    expect(stored?.value.snoozes?.all).toMatchObject({ reason: 'between checks' });
    expect(stored?.value.lastScheduledTime).toBe(localHour(9).toISOString());
  });

  it('posts nothing again for an instant another container evaluated and posted since its last check', async () => {
    const warm = container('warm-other');
    const other = container('warm-other');
    await warm.check(8);
    const first = await other.check(9, 'other-9');
    expect(first.posts).toHaveLength(1);
    const again = await warm.check(9);
    expect(again.outcome.outcome).toBe('already-evaluated');
    expect(again.posts).toHaveLength(0);
  });

  it('evaluates again once a watermark reset moved the stored state back behind what it remembers', async () => {
    const warm = container('warm-reset');
    await warm.check(8);
    await warm.check(9);
    await resetWatermark(warm.s3Store, localHour(8));
    const { outcome } = await warm.check(9);
    expect(outcome.outcome).toBe('evaluated');
  });
});
