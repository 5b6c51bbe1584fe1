import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createJsonLogger } from '../../../lambda/shared/logger';
import { hostAndPath, logRequest, REQUEST_LOG_MESSAGE } from '../../../lambda/shared/request-log';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn, TEST_CREDENTIALS } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';
import { startS3Emulator } from '../../helpers/s3-emulator';

describe('logRequest', () => {
  it('logs the facts, the status and the milliseconds of a request that answered', async () => {
    // Prepare
    const lines: string[] = [];
    const logger = createJsonLogger((line) => lines.push(line), 'DEBUG');
    const clock = [100, 142.4];
    // Act
    const result = await logRequest(
      logger,
      { service: 'airudder', method: 'GET', ...hostAndPath('https://api.example/v1/stats?token=abc') },
      async () => ({ status: 200 }),
      (outcome) => (outcome as { status: number }).status,
      () => clock.shift() ?? 0,
    );
    // Assess
    expect(result).toEqual({ status: 200 });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'DEBUG',
      message: REQUEST_LOG_MESSAGE,
      service: 'airudder',
      method: 'GET',
      host: 'api.example',
      path: '/v1/stats',
      status: 200,
      ms: 42,
    });
    expect(lines.join('\n')).not.toContain('token=abc');
  });

  it('logs a failed request with the error name, and rethrows it', async () => {
    const lines: string[] = [];
    const logger = createJsonLogger((line) => lines.push(line), 'DEBUG');
    const failure = Object.assign(new Error('denied'), { name: 'AccessDenied', status: 403 });
    const sent = logRequest(
      logger,
      { service: 's3', method: 'GET', path: '/bucket/key' },
      async () => Promise.reject(failure),
      (outcome) => (outcome as { status?: number }).status,
    );
    await expect(sent).rejects.toBe(failure);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ status: 403, failure: 'AccessDenied' });
  });

  it('logs nothing above DEBUG', async () => {
    const lines: string[] = [];
    await logRequest(
      createJsonLogger((line) => lines.push(line), 'INFO'),
      { service: 's3', method: 'GET', path: '/b/k' },
      async () => 1,
      () => 200,
    );
    expect(lines).toEqual([]);
  });
});

describe('LOG_LEVEL=DEBUG on a digest: one line per request, no secret in any', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: Awaited<ReturnType<typeof startS3Emulator>>;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn();
    slack = await startSlackReceiver();
    s3 = await startS3Emulator();
    dir = await mkdtemp(join(tmpdir(), 'request-log-'));
  });
  afterAll(async () => {
    await standIn.close();
    await slack.close();
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs AIRUDDER, S3 and Slack requests with method, path, status and ms', async () => {
    // Prepare: every token AIRUDDER issues, as the client sends it
    const tokens = new Set<string>();
    const recordingFetch: typeof fetch = async (input, init) => {
      const authorization = new Headers(init?.headers).get('authorization');
      if (authorization) tokens.add(authorization.replace(/^Token /, ''));
      return fetch(input, init);
    };
    // Act
    const result = await runTestCli(['digest', '--date', '2025-11-11'], {
      baseUrl: standIn.url,
      env: { LOG_LEVEL: 'DEBUG', SLACK_WEBHOOK_URL: slack.url, ARCHIVE_BUCKET: s3.bucket },
      s3Client: s3.client,
      fetch: recordingFetch,
      now: () => new Date('2025-11-12T12:00:00Z'),
    });
    // Assess
    expect(result.code, result.stderr).toBe(0);
    const requests = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.message === REQUEST_LOG_MESSAGE);
    const services = new Set(requests.map((line) => line.service));
    expect([...services].sort()).toEqual(['airudder', 's3', 'slack']);
    for (const line of requests) {
      expect(line).toMatchObject({
        level: 'DEBUG',
        method: expect.stringMatching(/^(GET|POST|PUT)$/),
        path: expect.any(String),
        ms: expect.any(Number),
      });
    }
    expect(requests.filter((line) => line.service === 'airudder')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'POST', status: 200 }),
        expect.objectContaining({ method: 'GET', status: 200 }),
      ]),
    );
    expect(requests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 's3', operation: 'PutObject', status: 200 }),
        expect.objectContaining({ service: 'slack', method: 'POST', status: 200 }),
      ]),
    );
    // No secret: credentials, tokens, the webhook's path or any of its segments, the query.
    expect(tokens.size).toBeGreaterThan(0);
    const secrets = [
      TEST_CREDENTIALS.appKey,
      TEST_CREDENTIALS.appSecret,
      ...tokens,
      new URL(slack.url).pathname,
      ...new URL(slack.url).pathname.split('/').filter((segment) => segment.length > 3),
      'start_time',
    ];
    for (const secret of secrets) expect(result.stderr, secret).not.toContain(secret);
  });
});
