import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StandIn } from '../../../../dev/stand-in/airudder-stand-in';
import { AirudderApiError, AirudderAuthError } from '../../../../lambda/adapters/airudder/airudder-api-error';
import { TokenCache } from '../../../../lambda/adapters/airudder/token-cache';
import { explicitWindow } from '../../../../lambda/domain/statistics/query-window';
import { RetryExhaustedError } from '../../../../lambda/shared/retry';
import { startTestStandIn, TEST_CREDENTIALS, TEST_ZONE, testClient } from '../../../helpers/airudder';

const window = explicitWindow('2025-11-12 00:00:00', '2025-11-12 14:30:00', TEST_ZONE);

describe('createAirudderClient against the stand-in', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startTestStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });
  // Faults are queued; make sure none leaks from one test into the next.
  let requestsBefore = 0;
  beforeEach(() => {
    requestsBefore = standIn.requests.length;
  });
  const requestsSince = () => standIn.requests.slice(requestsBefore);

  it('sends the window as local wall-clock times and returns the exact bytes and the parsed value', async () => {
    const { client } = testClient(standIn.url);
    const fetched = await client.fetchStatistics(window);
    expect(fetched.httpStatus).toBe(200);
    expect(fetched.parsed.verdict).toBe('valid');
    expect(JSON.parse(Buffer.from(fetched.bytes).toString())).toMatchObject({ code: 200 });
    const statistics = requestsSince().find((r) => r.route === 'statistics');
    expect(statistics?.query).toMatchObject({
      start_time: '2025-11-12 00:00:00',
      end_time: '2025-11-12 14:30:00',
    });
  });

  it('reads the statistics body as JSON once, for its envelope and its schema alike', async () => {
    const { client } = testClient(standIn.url);
    await client.fetchStatistics(window); // the token is cached: only the statistics body is left
    const parse = vi.spyOn(JSON, 'parse');
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    try {
      const fetched = await client.fetchStatistics(window);
      const body = Buffer.from(fetched.bytes).toString('utf8');
      expect(fetched.parsed.verdict).toBe('valid');
      // Decoded once and read once (bounded-json.ts reads a body this small with JSON.parse)
      expect(decode.mock.results.filter((result) => result.value === body)).toHaveLength(1);
      expect(parse.mock.calls.filter(([text]) => text === body)).toHaveLength(1);
    } finally {
      parse.mockRestore();
      decode.mockRestore();
    }
  });

  it('serves many fetches with one token', async () => {
    const { client } = testClient(standIn.url);
    const issued = standIn.tokensIssued;
    for (let i = 0; i < 5; i++) await client.fetchStatistics(window);
    expect(standIn.tokensIssued - issued).toBe(1);
    expect(requestsSince().filter((r) => r.route === 'auth')).toHaveLength(1);
  });

  it('asks for a new token once the cached one is older than its configured lifetime', async () => {
    let clock = Date.parse('2025-11-12T00:00:00Z');
    const { client } = testClient(standIn.url, { now: () => clock, tokenTtlMs: 60_000 });
    await client.fetchStatistics(window);
    clock += 59_000;
    await client.fetchStatistics(window);
    clock += 2_000;
    await client.fetchStatistics(window);
    expect(requestsSince().filter((r) => r.route === 'auth')).toHaveLength(2);
  });

  it.each([
    ['body code 401', { kind: 'body-code', code: 401 } as const],
    ['HTTP 401', { kind: 'http-status', status: 401 } as const],
    ['HTTP 403', { kind: 'http-status', status: 403 } as const],
  ])('on %s fetches a fresh token and retries once', async (_name, fault) => {
    const { client } = testClient(standIn.url);
    await client.fetchStatistics(window); // warm the token
    standIn.inject('statistics', fault);
    const fetched = await client.fetchStatistics(window);
    expect(fetched.parsed.verdict).toBe('valid');
    expect(requestsSince().map((r) => r.route)).toEqual([
      'auth',
      'statistics',
      'statistics',
      'auth',
      'statistics',
    ]);
  });

  it('refreshes after the stand-in expires every token', async () => {
    const { client } = testClient(standIn.url);
    await client.fetchStatistics(window);
    standIn.expireTokens();
    await expect(client.fetchStatistics(window)).resolves.toMatchObject({ httpStatus: 200 });
  });

  it('gives up with an auth error when even a fresh token is refused', async () => {
    const { client } = testClient(standIn.url);
    standIn.inject('statistics', { kind: 'body-code', code: 403 }, 2);
    const error = await client.fetchStatistics(window).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirudderAuthError);
    expect((error as AirudderAuthError).bodyCode).toBe(403);
    expect((error as Error).message).toMatch(/refused a freshly issued token/);
  });

  it('reports refused credentials without retrying', async () => {
    const { client } = testClient(standIn.url, {
      credentials: { appKey: 'wrong', appSecret: 'wrong-secret' },
    });
    const error = await client.fetchStatistics(window).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirudderAuthError);
    expect((error as Error).message).toMatch(/refused the credentials/);
    expect(requestsSince()).toHaveLength(1);
  });

  it('retries 5xx with exponential backoff and then succeeds', async () => {
    const { client, waits } = testClient(standIn.url, { baseDelayMs: 400 });
    standIn.inject('statistics', { kind: 'http-status', status: 503 }, 2);
    const fetched = await client.fetchStatistics(window);
    expect(fetched.attempts).toBe(3);
    expect(waits).toEqual([300, 600]);
  });

  it('treats body code 500 under HTTP 200 as a server failure worth retrying', async () => {
    const { client } = testClient(standIn.url);
    standIn.inject('statistics', { kind: 'body-code', code: 500, message: 'internal error' });
    await expect(client.fetchStatistics(window)).resolves.toMatchObject({ attempts: 2 });
  });

  it('honours Retry-After on 429', async () => {
    const { client, waits } = testClient(standIn.url, { baseDelayMs: 100 });
    standIn.inject('statistics', { kind: 'rate-limit', retryAfterSeconds: 7 });
    await client.fetchStatistics(window);
    expect(waits).toEqual([7_000]);
  });

  it('fails with a clear error after the last attempt', async () => {
    const { client } = testClient(standIn.url);
    standIn.inject('statistics', { kind: 'http-status', status: 502 }, 3);
    const error = await client.fetchStatistics(window).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as Error).message).toMatch(
      /^AIRUDDER statistics for 2025-11-12 00:00:00 to 2025-11-12 14:30:00 failed after 3 attempts: AIRUDDER statistics request failed: HTTP 502/,
    );
    expect((error as Error).cause).toBeInstanceOf(AirudderApiError);
    expect(((error as Error).cause as AirudderApiError).httpStatus).toBe(502);
  });

  it('does not retry a body error that is not transient, and carries status, code and message', async () => {
    const { client } = testClient(standIn.url);
    standIn.inject('statistics', { kind: 'body-code', code: 400, message: 'start_time is invalid' });
    const error = (await client.fetchStatistics(window).catch((e: unknown) => e)) as AirudderApiError;
    expect(error).toBeInstanceOf(AirudderApiError);
    expect({ http: error.httpStatus, code: error.bodyCode, message: error.apiMessage }).toEqual({
      http: 200,
      code: 400,
      message: 'start_time is invalid',
    });
    expect(requestsSince().filter((r) => r.route === 'statistics')).toHaveLength(1);
  });

  it('times out a slow answer and retries it', async () => {
    // A generous timeout: the retried request must still fit in it on a loaded machine.
    const { client } = testClient(standIn.url, { timeoutMs: 1_500 });
    standIn.inject('statistics', { kind: 'latency', ms: 10_000 });
    const fetched = await client.fetchStatistics(window);
    expect(fetched.attempts).toBe(2);
  });

  it('reports a timeout when every attempt is too slow', async () => {
    const { client } = testClient(standIn.url, { timeoutMs: 100, maxAttempts: 2 });
    standIn.inject('statistics', { kind: 'latency', ms: 800 }, 2);
    await expect(client.fetchStatistics(window)).rejects.toThrow(
      /failed after 2 attempts: AIRUDDER statistics request timed out after 100 ms/,
    );
  });

  it('stops retrying when the run deadline is near instead of dying mid-retry', async () => {
    const { client, waits } = testClient(standIn.url, { maxAttempts: 5 });
    standIn.inject('statistics', { kind: 'rate-limit', retryAfterSeconds: 60 });
    const error = await client
      .fetchStatistics(window, { deadline: Date.now() + 10_000 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/deadline leaves no time/);
    expect(waits).toEqual([]);
  });

  it('returns malformed JSON as it came, for the archive, instead of throwing', async () => {
    const { client } = testClient(standIn.url);
    standIn.inject('statistics', { kind: 'malformed-json' });
    const fetched = await client.fetchStatistics(window);
    expect(fetched.parsed.verdict).toBe('malformed-json');
    expect(() => JSON.parse(Buffer.from(fetched.bytes).toString())).toThrow();
  });

  it('returns schema drift as an invalid verdict that names the path', async () => {
    const { client } = testClient(standIn.url);
    standIn.inject('statistics', { kind: 'drift', drift: 'invalid' });
    const fetched = await client.fetchStatistics(window);
    expect(fetched.parsed.verdict).toBe('invalid');
    if (fetched.parsed.verdict !== 'valid') expect(fetched.parsed.error.issues[0]?.path).toMatch(/^data/);
  });

  it('shares one cached token between clients built with the same cache and credentials', async () => {
    const cache = new TokenCache();
    const first = testClient(standIn.url, { tokenCache: cache });
    const second = testClient(standIn.url, { tokenCache: cache });
    await first.client.fetchStatistics(window);
    await second.client.fetchStatistics(window);
    expect(requestsSince().filter((r) => r.route === 'auth')).toHaveLength(1);
  });

  it('never writes a credential or token into its logs or errors', async () => {
    const { client, logs } = testClient(standIn.url);
    standIn.inject(
      'statistics',
      { kind: 'http-status', status: 500, body: `oops ${TEST_CREDENTIALS.appSecret}` },
      3,
    );
    const error = (await client.fetchStatistics(window).catch((e: unknown) => e)) as Error;
    const text = [...logs, error.message, String((error.cause as Error)?.message)].join('\n');
    expect(text).toContain('HTTP 500');
    for (const secret of [TEST_CREDENTIALS.appKey, TEST_CREDENTIALS.appSecret])
      expect(text).not.toContain(secret);
  });
});

/** The longest start of `secret` (4 characters or more) found in `text`: 0 when none leaked. */
const leakedPrefix = (text: string, secret: string) => {
  for (let length = secret.length; length >= 4; length--)
    if (text.includes(secret.slice(0, length))) return length;
  return 0;
};

describe('createAirudderClient quoting an error body that echoes a secret across the cut', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startTestStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });

  it.each([
    ['the app key in a body', (secret: string) => ({ body: `${'x'.repeat(195)}${secret} tail` })],
    [
      'the app secret 3 characters before the cut',
      (secret: string) => ({ body: `${'y'.repeat(197)}${secret}` }),
    ],
  ])('keeps no part of %s (redacted before the body is cut)', async (_name, body) => {
    // Prepare: a 500 whose body puts the secret across the 200-character cut of the quote
    for (const secret of [TEST_CREDENTIALS.appKey, TEST_CREDENTIALS.appSecret]) {
      const { client, logs } = testClient(standIn.url, { maxAttempts: 1 });
      standIn.inject('statistics', { kind: 'http-status', status: 500, ...body(secret) });
      // Act
      const error = (await client.fetchStatistics(window).catch((e: unknown) => e)) as Error;
      // Assess
      const text = [...logs, error.message, String((error.cause as Error)?.message)].join('\n');
      expect(text).toContain('HTTP 500');
      expect(leakedPrefix(text, secret)).toBe(0);
    }
  });

  it('redacts a long API message before cutting it, and keeps the message bounded', async () => {
    const { client } = testClient(standIn.url, { maxAttempts: 1 });
    const message = `${'z'.repeat(498)}${TEST_CREDENTIALS.appSecret}`;
    standIn.inject('statistics', { kind: 'body-code', code: 400, message });
    const error = (await client.fetchStatistics(window).catch((e: unknown) => e)) as AirudderApiError;
    expect(error).toBeInstanceOf(AirudderApiError);
    expect(leakedPrefix(`${error.message}\n${error.apiMessage}`, TEST_CREDENTIALS.appSecret)).toBe(0);
    expect(error.apiMessage?.length).toBeLessThanOrEqual(501);
  });
});

describe('createAirudderClient with a body decoder', () => {
  it('parses decoded bodies while returning the bytes exactly as received', async () => {
    const standIn = await startTestStandIn();
    const reversed: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = new Uint8Array(await response.arrayBuffer()).reverse();
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const decodeBody = (bytes: Uint8Array) => new Uint8Array(bytes).reverse();
    const { client } = testClient(standIn.url, { fetch: reversed, decodeBody });
    const fetched = await client.fetchStatistics(window);
    await standIn.close();
    expect(fetched.parsed.verdict).toBe('valid');
    expect(Buffer.from(fetched.bytes).toString().startsWith('}')).toBe(true);
  });
});

describe('createAirudderClient under concurrency', () => {
  it('asks for one token when many fetches start together without one', async () => {
    const standIn = await startTestStandIn();
    const { client } = testClient(standIn.url);
    await Promise.all(Array.from({ length: 8 }, () => client.fetchStatistics(window)));
    const auths = standIn.requests.filter((request) => request.route === 'auth');
    await standIn.close();
    expect(auths).toHaveLength(1);
  });
});
