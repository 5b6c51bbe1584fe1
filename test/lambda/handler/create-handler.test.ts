import { GetObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { checkBlockKitLimits } from '../../../lambda/domain/slack/block-kit-limits';

import {
  createHandler,
  type HandlerDeps,
  type InvocationContext,
} from '../../../lambda/handler/create-handler';
import { RULE_EVALUATED_MESSAGE } from '../../../lambda/handler/rule-evaluation-log';

import type { MetricName, RunMetrics } from '../../../lambda/handler/run-metrics';
import defaultRules from '../../../lambda/rules/default-rules.json';
import { createJsonLogger } from '../../../lambda/shared/logger';
import { createConditionalS3 } from '../../fakes/conditional-s3';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn, TEST_CREDENTIALS, TEST_ZONE } from '../../helpers/airudder';
import { invokeAsync } from '../../helpers/lambda-async';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:airudder-monitor-AbCdEf';
const context = (id = 'request-1'): InvocationContext => ({
  awsRequestId: id,
  getRemainingTimeInMillis: () => 110_000,
});

describe('the Lambda handler, end to end', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: ReturnType<typeof createConditionalS3>;
  let secrets: ReturnType<typeof mockClient>;
  let logs: string[];
  let metrics: Array<[string, MetricName, number]>;
  let clock: Date;

  beforeAll(async () => {
    standIn = await startTestStandIn({
      now: () => clock,
      incidents: [
        {
          start: '2025-11-11 06:00:00',
          end: '2025-11-11 12:00:00',
          effect: 'transfer-failure',
          severity: 0.95,
        },
      ],
    });
  });
  afterAll(async () => {
    await standIn.close();
  });
  beforeEach(async () => {
    slack = await startSlackReceiver();
    s3 = createConditionalS3();
    secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
      SecretString: JSON.stringify({
        AIRUDDER_APP_KEY: TEST_CREDENTIALS.appKey,
        AIRUDDER_APP_SECRET: TEST_CREDENTIALS.appSecret,
        SLACK_WEBHOOK_URL: slack.url,
      }),
    });
    logs = [];
    metrics = [];
  });
  afterEach(async () => {
    s3.restore();
    secrets.restore();
    await slack.close();
  });

  let secretClock = 0;
  /** The environment the stack gives the function, towards the stand-in. */
  const handlerEnv = () => ({
    AIRUDDER_BASE_URL: standIn.url,
    AIRUDDER_TIMEZONE: TEST_ZONE,
    ARCHIVE_BUCKET: 'audit-bucket',
    MONITOR_SECRET_ARN: SECRET_ARN,
    RUN_DEADLINE_MS: '100000',
  });
  const buildHandler = (overrides: Partial<HandlerDeps> = {}) => {
    let mode = '';
    const pending: Array<[MetricName, number]> = [];
    const recorder: RunMetrics = {
      record: (name, value) => {
        pending.push([name, value]);
      },
      flush: (flushedMode) => {
        mode = flushedMode;
        for (const [name, value] of pending.splice(0)) metrics.push([mode, name, value]);
      },
    };
    return createHandler({
      env: handlerEnv(),
      s3Client: s3.client,
      logger: createJsonLogger((line) => logs.push(line), 'DEBUG'),
      metrics: recorder,
      now: () => secretClock,
      ...overrides,
    });
  };
  const metric = (mode: string, name: MetricName) =>
    metrics.filter(([m, n]) => m === mode && n === name).reduce((sum, [, , value]) => sum + value, 0);

  it('runs checks on the scheduled time: archives, alerts once, and a duplicate event does nothing', async () => {
    const handler = buildHandler();
    const times = ['2025-11-11T01:00:00Z', '2025-11-11T02:00:00Z', '2025-11-11T03:00:00Z']; // 08:00–10:00 local
    for (const scheduledTime of times) {
      clock = new Date(scheduledTime);
      const summary = await handler({ mode: 'check', scheduledTime }, context(`run-${scheduledTime}`));
      expect(summary.outcome).toBe('evaluated');
      expect(summary.archiveKey).toMatch(/^raw\/check\/2025-11-11\//);
    }
    expect(slack.received.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(slack.received[0])).toMatch(/Transfer success rate/);
    for (const message of slack.received) expect(checkBlockKitLimits(message)).toEqual([]);
    const objectsBefore = s3.objects.size;
    const postsBefore = slack.received.length;

    const again = await handler({ mode: 'check', scheduledTime: times[2] }, context('retry-of-last'));

    expect(again.outcome).toBe('already-evaluated');
    expect(s3.objects.size).toBe(objectsBefore);
    expect(slack.received.length).toBe(postsBefore);
    expect(metric('check', 'RunSucceeded')).toBe(3);
    expect(metric('check', 'CheckAlreadyEvaluated')).toBe(1);
    expect(metric('check', 'AlertsFired')).toBeGreaterThanOrEqual(1);
  });

  it('never counts a check the state is already past as a success, so the heartbeat alarm can fire', async () => {
    // Prepare: the state was evaluated for an instant ahead of the schedule (as a mistyped --at once did)
    const handler = buildHandler();
    clock = new Date('2025-11-11T06:00:00Z');
    await handler({ mode: 'check', scheduledTime: '2025-11-11T06:00:00Z' }, context('ahead'));
    metrics.length = 0;
    // Act: the schedule's next runs are all behind it
    for (const scheduledTime of ['2025-11-11T05:15:00Z', '2025-11-11T05:30:00Z']) {
      clock = new Date(scheduledTime);
      const summary = await handler({ mode: 'check', scheduledTime }, context(scheduledTime));
      expect(summary.outcome).toBe('already-evaluated');
    }
    // Assess
    expect(metric('check', 'RunSucceeded')).toBe(0);
    expect(metric('check', 'CheckAlreadyEvaluated')).toBe(2);
    expect(logs.join('\n')).toMatch(/evaluated for a later instant than this run/);
  });

  it('refuses an event whose scheduledTime is more than a minute past its clock: nothing archived, the run fails', async () => {
    // #22 finding 4: an event a year ahead moved the watermark there, and later checks evaluated nothing.
    clock = new Date('2025-11-11T05:00:00Z');
    const handler = buildHandler({ clock: () => clock });
    const future = { mode: 'check', scheduledTime: '2026-11-11T05:00:00Z' };
    await expect(handler(future, context('future'))).rejects.toThrow(
      /scheduledTime 2026-11-11T05:00:00\.000Z is \d+ s ahead of this function's clock \(2025-11-11T05:00:00\.000Z\)/,
    );
    expect(s3.objects.size).toBe(0);
    expect(metric('check', 'RunFailed')).toBe(1);
    // A minute of skew is allowed, and the schedule goes on as if the future event never came.
    const skewed = { mode: 'check', scheduledTime: '2025-11-11T05:00:59Z' };
    expect((await handler(skewed, context('skewed'))).outcome).toBe('evaluated');
    clock = new Date('2025-11-11T05:15:00Z');
    const next = { mode: 'check', scheduledTime: '2025-11-11T05:15:00Z' };
    expect((await handler(next, context('next'))).outcome).toBe('evaluated');
  });

  it('archives first when the rules object cannot be read (S3 403), and counts the run towards "monitor degraded"', async () => {
    // #22 finding 3: a refused read of config/rules.json failed the check before it archived.
    const forbidden = new S3ServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'Access Denied',
    });
    // The object is there (a listing shows it), but reading it is refused.
    s3.objects.set('audit-bucket/config/rules.json', {
      bytes: Buffer.from(JSON.stringify(defaultRules)),
      etag: '"rules-1"',
      metadata: {},
    });
    s3.mock.on(GetObjectCommand, { Key: 'config/rules.json' }).rejects(forbidden);
    clock = new Date('2025-11-11T05:00:00Z');
    const handler = buildHandler();
    await expect(
      handler({ mode: 'check', scheduledTime: '2025-11-11T05:00:00Z' }, context('denied')),
    ).rejects.toThrow(
      /alert rules unavailable: .*the response was archived at s3:\/\/audit-bucket\/raw\/check\//,
    );
    expect([...s3.objects.keys()].some((key) => key.startsWith('audit-bucket/raw/check/2025-11-11/'))).toBe(
      true,
    );
    const state = JSON.parse(s3.objects.get('audit-bucket/state/alerts.json')?.bytes.toString() ?? '{}');
    expect(state.monitor).toMatchObject({
      consecutiveFailures: 1,
      lastError: expect.stringMatching(/^rules unreadable: /),
    });
    expect(metric('check', 'RunFailed')).toBe(1);
    expect(metric('check', 'RunSucceeded')).toBe(0);
  });

  it('posts the digest of the previous local day once, and a duplicate event posts nothing', async () => {
    const handler = buildHandler();
    clock = new Date('2025-11-12T01:30:00Z'); // 08:30 in Jakarta
    const event = { mode: 'digest', scheduledTime: '2025-11-12T01:30:00Z' };

    const first = await handler(event, context('digest-1'));
    const second = await handler(event, context('digest-2'));

    expect(first).toMatchObject({
      outcome: 'posted',
      archiveKey: expect.stringMatching(/^raw\/day\/2025-11-11\//),
    });
    expect(second.outcome).toBe('already-posted');
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]?.text).toMatch(/Robot digest Tue 11 Nov/);
    expect(checkBlockKitLimits(slack.received[0]!)).toEqual([]);
    expect([...s3.objects.keys()]).toContain('audit-bucket/digest/2025-11-11.json');
    expect(metric('digest', 'RunSucceeded')).toBe(2);
  });

  it('reads the secret once across warm invocations', async () => {
    const handler = buildHandler();
    clock = new Date('2025-11-11T05:00:00Z');
    await handler({ mode: 'check', scheduledTime: '2025-11-11T05:00:00Z' }, context('a'));
    await handler({ mode: 'check', scheduledTime: '2025-11-11T05:15:00Z' }, context('b'));
    await handler({ mode: 'digest', scheduledTime: '2025-11-12T01:30:00Z' }, context('c'));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads the secret again once MONITOR_SECRET_TTL_MINUTES (default 60) have passed', async () => {
    secretClock = 0;
    const handler = buildHandler();
    clock = new Date('2025-11-11T05:00:00Z');
    await handler({ mode: 'check', scheduledTime: '2025-11-11T05:00:00Z' }, context('a'));
    secretClock = 59 * 60_000;
    await handler({ mode: 'check', scheduledTime: '2025-11-11T05:15:00Z' }, context('b'));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    secretClock = 61 * 60_000;
    await handler({ mode: 'check', scheduledTime: '2025-11-11T05:30:00Z' }, context('c'));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads Secrets Manager at most 24 times in a day of the default schedule (a check every 15 minutes and the digest)', async () => {
    // Prepare: one warm container all day, its secret clock following the schedule
    secretClock = 0;
    const handler = buildHandler();
    const dayStart = Date.parse('2025-11-11T00:00:00Z');
    const runs = [
      ...Array.from({ length: 96 }, (_, index) => ({ mode: 'check', at: dayStart + index * 900_000 })),
      { mode: 'digest', at: Date.parse('2025-11-11T01:30:00Z') },
    ].sort((a, b) => a.at - b.at);
    // Act
    for (const [index, run] of runs.entries()) {
      secretClock = run.at - dayStart;
      clock = new Date(run.at);
      const scheduledTime = clock.toISOString();
      await handler({ mode: run.mode, scheduledTime }, context(`day-${index}`));
    }
    // Assess
    expect(secrets.commandCalls(GetSecretValueCommand).length).toBeLessThanOrEqual(24);
    expect(metric('check', 'RunSucceeded')).toBe(96);
  });

  it('reads the secret again at once after Slack answers 404 to a rotated webhook, and delivers through the new one', async () => {
    // Prepare: the secret still names an old webhook path, which Slack answers 404 no_service
    secretClock = 0;
    const rotated = (url: string) =>
      JSON.stringify({
        AIRUDDER_APP_KEY: TEST_CREDENTIALS.appKey,
        AIRUDDER_APP_SECRET: TEST_CREDENTIALS.appSecret,
        SLACK_WEBHOOK_URL: url,
      });
    const oldUrl = `${new URL(slack.url).origin}/services/T000/B000/OLDOLD`;
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
      .resolvesOnce({ SecretString: rotated(oldUrl) })
      .resolves({ SecretString: rotated(slack.url) });
    const handler = buildHandler();
    // Hourly checks into the transfer failure until one owes an alert and Slack refuses it
    let failedAt = -1;
    const hours = ['01', '02', '03', '04', '05'];
    for (const [index, hour] of hours.entries()) {
      clock = new Date(`2025-11-11T${hour}:00:00Z`);
      const outcome = await handler(
        { mode: 'check', scheduledTime: clock.toISOString() },
        context(hour),
      ).catch((error: Error) => error);
      if (outcome instanceof Error) {
        failedAt = index;
        break;
      }
    }
    expect(failedAt).toBeGreaterThanOrEqual(0);
    expect(slack.received).toHaveLength(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    // Act: the next run, well within the TTL
    clock = new Date(`2025-11-11T${hours[failedAt]}:15:00Z`);
    await handler({ mode: 'check', scheduledTime: clock.toISOString() }, context('new'));
    // Assess
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(slack.received).toHaveLength(1);
    expect(logs.join('\n')).not.toContain('OLDOLD');
  });

  it("starts the secret read during Lambda's init, so the first invocation reads nothing it did not need", async () => {
    // Act: the module scope creates the handler; no invocation yet
    const handler = buildHandler();
    // Assess
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock = new Date('2025-11-11T05:00:00Z');
    await handler({ mode: 'check', scheduledTime: '2025-11-11T05:00:00Z' }, context('first'));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reports an invalid configuration from each invocation, not by failing the init', async () => {
    const handler = buildHandler({ env: { AIRUDDER_TIMEZONE: 'Mars/Olympus' } });
    for (const id of ['a', 'b'])
      await expect(
        handler({ mode: 'check', scheduledTime: '2025-11-11T05:00:00Z' }, context(id)),
      ).rejects.toThrow(/AIRUDDER_TIMEZONE/);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('builds one S3 client and one Secrets Manager client per container, even when a read failed', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({
        SecretString: JSON.stringify({
          AIRUDDER_APP_KEY: TEST_CREDENTIALS.appKey,
          AIRUDDER_APP_SECRET: TEST_CREDENTIALS.appSecret,
        }),
      });
    const handler = buildHandler({ s3Client: undefined });
    clock = new Date('2025-11-11T05:00:00Z');
    await expect(
      handler({ mode: 'check', scheduledTime: '2025-11-11T05:00:00Z' }, context('a')),
    ).rejects.toThrow(/cannot read secret/);
    await handler({ mode: 'check', scheduledTime: '2025-11-11T05:00:00Z' }, context('b'));
    await handler({ mode: 'check', scheduledTime: '2025-11-11T05:15:00Z' }, context('c'));
    await handler({ mode: 'digest', scheduledTime: '2025-11-12T01:30:00Z' }, context('d'));

    // The read started at init failed, and the first invocation, which waited for it, with it; the
    // second invocation read again and that value is kept.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(new Set(secrets.send.thisValues).size).toBe(1);
    expect(s3.mock.send.callCount).toBeGreaterThan(10);
    expect(new Set(s3.mock.send.thisValues).size).toBe(1);
  });

  it.each([
    [{ mode: 'report', scheduledTime: '2025-11-11T05:00:00Z' }, /mode: Invalid option/],
    [{ mode: 'check' }, /scheduledTime: .*expected string/],
    [{ mode: 'check', scheduledTime: 'yesterday' }, /scheduledTime: Invalid ISO datetime/],
    ['not an object', /Invalid scheduler event/],
  ])('rejects the malformed event %j with a clear error', async (event, message) => {
    await expect(buildHandler()(event, context())).rejects.toThrow(message);
    expect(s3.objects.size).toBe(0);
  });

  it('fails the invocation (for the platform alarms) when Slack refuses, and the alert goes out on a later run', async () => {
    const handler = buildHandler();
    slack.respondWith({ status: 500, body: 'oops' }, { status: 500 }, { status: 500 });
    let failed = 0;
    for (const scheduledTime of ['2025-11-11T01:00:00Z', '2025-11-11T02:00:00Z']) {
      clock = new Date(scheduledTime);
      await handler({ mode: 'check', scheduledTime }, context(scheduledTime)).catch(() => failed++);
    }
    expect(failed).toBe(1);
    expect(slack.received).toHaveLength(0);
    expect(metric('check', 'SlackFailures')).toBe(1);

    clock = new Date('2025-11-11T02:15:00Z');
    await handler({ mode: 'check', scheduledTime: '2025-11-11T02:15:00Z' }, context('later'));

    expect(slack.received).toHaveLength(1);
    expect(JSON.stringify(slack.received[0])).toMatch(/Transfer success rate/);
  });

  it('logs one line per rule evaluation with the rule, window, value, thresholds and state', async () => {
    const handler = buildHandler();
    clock = new Date('2025-11-11T03:00:00Z'); // 10:00 in Jakarta, inside the transfer incident

    await handler({ mode: 'check', scheduledTime: '2025-11-11T03:00:00Z' }, context('rules-1'));

    const lines = logs
      .map((line) => JSON.parse(line) as Record<string, any>)
      .filter((line) => line.message === RULE_EVALUATED_MESSAGE);
    expect(lines.map((line) => line.rule)).toEqual(defaultRules.rules.map((rule) => rule.id));
    for (const line of lines) {
      expect(line).toMatchObject({
        mode: 'check',
        requestId: 'rules-1',
        scheduledTime: '2025-11-11T03:00:00Z',
      });
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining(['rule', 'metric', 'window', 'value', 'threshold', 'state', 'outcome']),
      );
    }
    // The shipped transfer rule judges two rolling windows: it quotes the short one and names the
    // long one with its value (#11, #23).
    const transfer = lines.find((line) => line.rule === 'transfer-success-rate');
    const rule = defaultRules.rules.find((r) => r.id === transfer?.rule)!;
    expect(transfer).toMatchObject({
      outcome: 'value',
      value: expect.any(Number),
      // (the window recovery is judged on first: the short one once it holds minCalls calls)
      window: expect.stringMatching(
        new RegExp(
          `^last (${rule.window?.short} min; ${rule.window?.minutes}|${rule.window?.minutes} min; ${rule.window?.short}) min: \\d+(\\.\\d)?%$`,
        ),
      ),
      threshold: rule.warn,
      comparison: 'below',
      state: expect.stringMatching(/^(pending|firing:warn|firing:crit)$/),
    });
    expect(transfer!.value).toBeLessThan(rule.warn!);
  });

  it('keeps the secret values out of every log line', async () => {
    const handler = buildHandler();
    clock = new Date('2025-11-11T02:00:00Z');
    standIn.inject(
      'statistics',
      { kind: 'http-status', status: 500, body: `leak ${TEST_CREDENTIALS.appSecret}` },
      3,
    );
    await handler({ mode: 'check', scheduledTime: '2025-11-11T02:00:00Z' }, context()).catch(() => undefined);
    await handler({ mode: 'digest', scheduledTime: '2025-11-12T01:30:00Z' }, context());
    const text = logs.join('\n');
    const failed = logs
      .map((line) => JSON.parse(line) as Record<string, any>)
      .find((l) => l.message === 'Run failed');
    expect(failed?.stack).toMatch(/^RetryExhaustedError: .*body: leak \[REDACTED\]\n {4}at /);
    for (const secret of [TEST_CREDENTIALS.appKey, TEST_CREDENTIALS.appSecret, slack.url])
      expect(text).not.toContain(secret);
  });

  it('reports an unset secret as "not configured": one log line, one metric, no retry and no dead letter', async () => {
    // Prepare: the secret the stack created has no value yet (GetSecretValue: ResourceNotFoundException)
    secrets.reset();
    secrets.on(GetSecretValueCommand).rejects(
      Object.assign(
        new Error("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"),
        {
          name: 'ResourceNotFoundException',
        },
      ),
    );
    const handler = buildHandler();
    clock = new Date('2025-11-11T02:00:00Z');
    const requestsBefore = standIn.requests.length;

    // Act: Lambda's asynchronous invocation retries a thrown error twice, then dead-letters it
    const run = await invokeAsync(handler, { mode: 'check', scheduledTime: '2025-11-11T02:00:00Z' });

    // Assess
    expect(run).toEqual({
      attempts: 1,
      deadLetters: [],
      result: expect.objectContaining({ outcome: 'not configured' }),
    });
    // One line at the level a deployment logs at (INFO); DEBUG adds the GetSecretValue request.
    const logged = logs.map((line) => JSON.parse(line) as { level: string; message: string });
    expect(logged.filter((line) => line.level !== 'DEBUG')).toEqual([
      expect.objectContaining({ level: 'WARN', message: expect.stringMatching(/^Monitor not configured/) }),
    ]);
    expect(logged.filter((line) => line.level === 'DEBUG')).toEqual([
      expect.objectContaining({
        message: 'HTTP request',
        service: 'secrets-manager',
        operation: 'GetSecretValue',
      }),
    ]);
    expect(metrics).toEqual([['check', 'NotConfigured', 1]]);
    expect(s3.objects.size).toBe(0);
    expect(standIn.requests.length).toBe(requestsBefore);
    expect(slack.received).toEqual([]);
  });

  it('checks on the first run after the secret is put, without waiting for the secret cache', async () => {
    secrets.reset();
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('no AWSCURRENT'), { name: 'ResourceNotFoundException' }))
      .resolves({
        SecretString: JSON.stringify({
          AIRUDDER_APP_KEY: TEST_CREDENTIALS.appKey,
          AIRUDDER_APP_SECRET: TEST_CREDENTIALS.appSecret,
          SLACK_WEBHOOK_URL: slack.url,
        }),
      });
    const handler = buildHandler();
    clock = new Date('2025-11-11T02:00:00Z');
    expect(
      (await handler({ mode: 'check', scheduledTime: '2025-11-11T02:00:00Z' }, context('a'))).outcome,
    ).toBe('not configured');

    const first = await handler({ mode: 'check', scheduledTime: '2025-11-11T02:15:00Z' }, context('b'));

    expect(first.outcome).toBe('evaluated');
    expect(metric('check', 'RunSucceeded')).toBe(1);
  });

  it('publishes its metrics and logs under the service the deployment names (POWERTOOLS_SERVICE_NAME)', async () => {
    // Prepare: real Powertools Logger and Metrics, writing EMF and JSON lines to stdout
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const handler = createHandler({
      env: { ...handlerEnv(), POWERTOOLS_SERVICE_NAME: 'operations-surabaya' },
      s3Client: s3.client,
    });
    clock = new Date('2025-11-11T02:00:00Z');

    // Act
    try {
      await handler({ mode: 'check', scheduledTime: '2025-11-11T02:00:00Z' }, context());
    } finally {
      spy.mockRestore();
    }

    // Assess
    const lines = written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const emf = lines.filter((line) => '_aws' in line);
    expect(emf.length).toBeGreaterThan(0);
    for (const line of emf) expect(line).toMatchObject({ service: 'operations-surabaya', mode: 'check' });
    expect(emf.some((line) => line.RunSucceeded === 1)).toBe(true);
    const logLines = lines.filter((line) => 'message' in line);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line.service).toBe('operations-surabaya');
  });

  it("logs at the level Lambda's logging controls set (AWS_LAMBDA_LOG_LEVEL), without Powertools' mismatch warning", async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const handler = createHandler({
      env: { ...handlerEnv(), AWS_LAMBDA_LOG_LEVEL: 'WARN' },
      s3Client: s3.client,
    });
    clock = new Date('2025-11-11T02:00:00Z');
    try {
      await handler({ mode: 'check', scheduledTime: '2025-11-11T02:00:00Z' }, context());
    } finally {
      spy.mockRestore();
    }
    const levels = written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"level"'))
      .map((line) => (JSON.parse(line) as { level: string }).level);
    expect(levels.filter((level) => level === 'INFO' || level === 'DEBUG')).toEqual([]);
    expect(written.join('')).not.toContain('does not match AWS Lambda Advanced Logging Controls');
  });
});
