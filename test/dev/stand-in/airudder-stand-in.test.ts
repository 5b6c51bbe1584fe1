import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  generateStatisticsBody,
  type StandIn,
  type StandInOptions,
  startAirudderStandIn,
} from '../../../dev/stand-in/airudder-stand-in';
import { StatisticsResponseSchema } from '../../../lambda/domain/statistics/schema';

const CREDENTIALS = { appKey: 'AK+stand/in==Q1', appSecret: 'AS/stand+in==W2' };
const ZONE = 'America/New_York';
const NOW = new Date('2026-03-10T18:20:00Z');
const WINDOW = { start_time: '2026-03-09 00:00:00', end_time: '2026-03-10 00:00:00' };
const AUTH_PATH = '/service/cloud/auth';
const STATS_PATH = '/service/cloud/inbound/dashboard/statistics';

/** The part of the envelope every answer shares. */
const EnvelopeSchema = z.looseObject({ code: z.number(), status: z.string() });
const TokenAnswerSchema = z.object({
  data: z.object({ token: z.string() }),
  status: z.string(),
  code: z.number(),
});
const envelopeOf = async (response: Response) => EnvelopeSchema.parse(await response.json());

const start = (options: Partial<StandInOptions> = {}) =>
  startAirudderStandIn({ ...CREDENTIALS, timeZone: ZONE, now: () => NOW, ...options });

function postAuth(
  standIn: StandIn,
  body: string = JSON.stringify({ APPKey: CREDENTIALS.appKey, APPSecret: CREDENTIALS.appSecret }),
) {
  return fetch(`${standIn.url}${AUTH_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Airudder' },
    body,
  });
}

async function token(standIn: StandIn): Promise<string> {
  return TokenAnswerSchema.parse(await (await postAuth(standIn)).json()).data.token;
}

function getStatistics(
  standIn: StandIn,
  authToken?: string,
  query: Record<string, string> = WINDOW,
  signal?: AbortSignal,
) {
  const headers: Record<string, string> = { 'user-agent': 'Airudder' };
  if (authToken !== undefined) headers.authorization = `Token ${authToken}`;
  return fetch(`${standIn.url}${STATS_PATH}?${new URLSearchParams(query)}`, { headers, signal });
}

describe('AIRUDDER stand-in over HTTP', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await start();
  });
  afterAll(() => standIn.close());

  describe('auth', () => {
    it('issues a base64 token for the right credentials', async () => {
      const issued = standIn.tokensIssued;
      const response = await postAuth(standIn);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = TokenAnswerSchema.parse(await response.json());
      expect(body).toMatchObject({ status: 'OK', code: 200 });
      expect(body.data.token).toMatch(/^[A-Za-z0-9+/]{64}$/);
      expect(standIn.tokensIssued).toBe(issued + 1);
    });

    it.each([
      ['a wrong secret', { APPKey: CREDENTIALS.appKey, APPSecret: 'nope' }],
      ['lower-case field names', { appkey: CREDENTIALS.appKey, appsecret: CREDENTIALS.appSecret }],
      ['no fields', {}],
    ])('answers HTTP 200 with body code 401 for %s', async (_name, credentials) => {
      const response = await postAuth(standIn, JSON.stringify(credentials));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ code: 401, status: 'Unauthorized' });
    });

    it('answers HTTP 400 with body code 400 for a body that is not JSON', async () => {
      const response = await postAuth(standIn, '{"APPKey":');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 400 });
    });
  });

  describe('statistics', () => {
    it('answers the generator’s exact bytes, which the project schema accepts', async () => {
      const response = await getStatistics(standIn, await token(standIn));
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const expected = generateStatisticsBody({
        seed: 1,
        timeZone: ZONE,
        startTime: WINDOW.start_time,
        endTime: WINDOW.end_time,
        now: NOW,
      });
      expect(text).toBe(JSON.stringify(expected));
      expect(StatisticsResponseSchema.safeParse(JSON.parse(text)).success).toBe(true);
    });

    it('answers HTTP 401 with body code 401 without a token or with an unknown one', async () => {
      for (const response of [
        await getStatistics(standIn),
        await getStatistics(standIn, 'forged+token/=='),
      ]) {
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ code: 401, status: 'Unauthorized' });
      }
    });

    it('rejects tokens after expireTokens and accepts a fresh one', async () => {
      const old = await token(standIn);
      standIn.expireTokens();
      expect((await getStatistics(standIn, old)).status).toBe(401);
      expect((await getStatistics(standIn, await token(standIn))).status).toBe(200);
    });

    it.each([
      ['no end_time', { start_time: WINDOW.start_time }],
      ['a malformed start_time', { start_time: '2026-03-09T00:00:00', end_time: WINDOW.end_time }],
      ['an end before the start', { start_time: WINDOW.end_time, end_time: WINDOW.start_time }],
    ])('answers body code 400 for %s', async (_name, query) => {
      const response = await getStatistics(standIn, await token(standIn), query);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 400 });
    });

    it('answers 404 for unknown routes and 405 for the wrong method', async () => {
      expect((await fetch(`${standIn.url}/service/cloud/nothing`)).status).toBe(404);
      const wrongMethod = await fetch(`${standIn.url}${AUTH_PATH}`);
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST');
    });

    it('records route, query and status of each request but never a credential or token', async () => {
      const before = standIn.requests.length;
      const authToken = await token(standIn);
      await getStatistics(standIn, authToken);
      const recorded = standIn.requests.slice(before);
      expect(recorded.map((request) => [request.route, request.method, request.status])).toEqual([
        ['auth', 'POST', 200],
        ['statistics', 'GET', 200],
      ]);
      expect(recorded[1]?.query).toEqual(WINDOW);
      const everything = JSON.stringify(standIn.requests);
      for (const secret of [CREDENTIALS.appKey, CREDENTIALS.appSecret, authToken]) {
        expect(everything).not.toContain(secret);
      }
    });
  });
});

describe('AIRUDDER stand-in faults', () => {
  let standIn: StandIn;
  let authToken: string;
  beforeAll(async () => {
    standIn = await start();
    authToken = await token(standIn);
  });
  afterEach(() => standIn.setLatency(0));
  afterAll(() => standIn.close());

  it('answers an injected HTTP status with a JSON envelope of the same code, then recovers', async () => {
    standIn.inject('statistics', { kind: 'http-status', status: 503 });
    const failed = await getStatistics(standIn, authToken);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ code: 503, status: 'Service Unavailable' });
    expect((await getStatistics(standIn, authToken)).status).toBe(200);
  });

  it('sends a custom body with an injected status', async () => {
    standIn.inject('statistics', { kind: 'http-status', status: 502, body: '<html>Bad Gateway</html>' });
    const response = await getStatistics(standIn, authToken);
    expect(response.status).toBe(502);
    expect(await response.text()).toBe('<html>Bad Gateway</html>');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('consumes queued faults in order, `times` each', async () => {
    standIn.inject('statistics', { kind: 'http-status', status: 500 }, 2);
    standIn.inject('statistics', { kind: 'body-code', code: 403 });
    const statuses: number[][] = [];
    for (let index = 0; index < 4; index++) {
      const response = await getStatistics(standIn, authToken);
      statuses.push([response.status, (await envelopeOf(response)).code]);
    }
    expect(statuses).toEqual([
      [500, 500],
      [500, 500],
      [200, 403],
      [200, 200],
    ]);
  });

  it('answers a rate limit with HTTP 429 and a Retry-After header', async () => {
    standIn.inject('statistics', { kind: 'rate-limit', retryAfterSeconds: 7 });
    const response = await getStatistics(standIn, authToken);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ code: 429 });
  });

  it('answers HTTP 200 with an error body code and the given message', async () => {
    standIn.inject('statistics', { kind: 'body-code', code: 500, message: 'internal' });
    const response = await getStatistics(standIn, authToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      code: 500,
      status: 'Internal Server Error',
      message: 'internal',
    });
  });

  it('sends a truncated body that does not parse', async () => {
    standIn.inject('statistics', { kind: 'malformed-json' });
    const response = await getStatistics(standIn, authToken);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('{"code":200')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it.each([
    ['numbers-as-strings', true],
    ['missing-sections', true],
    ['unknown-keys', true],
    ['nulls', true],
    ['invalid', false],
  ] as const)('sends %s drift over HTTP (schema accepts: %s)', async (drift, accepted) => {
    standIn.inject('statistics', { kind: 'drift', drift });
    const text = await (await getStatistics(standIn, authToken)).text();
    const normal = await (await getStatistics(standIn, authToken)).text();
    expect(text).not.toBe(normal);
    expect(StatisticsResponseSchema.safeParse(JSON.parse(text)).success).toBe(accepted);
  });

  it('applies faults to the auth route too', async () => {
    standIn.inject('auth', { kind: 'body-code', code: 403 });
    const response = await postAuth(standIn);
    expect(await response.json()).toMatchObject({ code: 403, status: 'Forbidden' });
    expect(standIn.requests.at(-1)).toMatchObject({
      route: 'auth',
      status: 200,
      bodyCode: 403,
      fault: 'body-code',
    });
  });

  it('delays one request by an injected latency so a client timeout fires', async () => {
    standIn.inject('statistics', { kind: 'latency', ms: 400 });
    const started = performance.now();
    await expect(getStatistics(standIn, authToken, WINDOW, AbortSignal.timeout(100))).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(390);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(standIn.requests.at(-1)).toMatchObject({ fault: 'latency', abandoned: true, status: 0 });
    const next = performance.now();
    expect((await getStatistics(standIn, authToken)).status).toBe(200);
    expect(performance.now() - next).toBeLessThan(390);
  });

  it('adds the configured latency to every request', async () => {
    standIn.setLatency(150);
    const started = performance.now();
    await getStatistics(standIn, authToken);
    await postAuth(standIn);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });
});

describe('AIRUDDER stand-in lifecycle', () => {
  it('expires tokens after tokenTtlMs on its own clock', async () => {
    let clock = NOW.getTime();
    const standIn = await start({ now: () => new Date(clock), tokenTtlMs: 60_000 });
    try {
      const authToken = await token(standIn);
      clock += 59_000;
      expect((await getStatistics(standIn, authToken)).status).toBe(200);
      clock += 1_000;
      expect((await getStatistics(standIn, authToken)).status).toBe(401);
    } finally {
      await standIn.close();
    }
  });

  it('closes promptly while a request waits on latency, failing that request', async () => {
    const standIn = await start({ latencyMs: 60_000 });
    const pending = postAuth(standIn);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await standIn.close();
    await expect(pending).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('uses the seed: another seed answers other numbers for the same window', async () => {
    const [one, two] = await Promise.all([start({ seed: 1 }), start({ seed: 2 })]);
    try {
      const [first, second] = await Promise.all(
        [one, two].map(async (standIn) => (await getStatistics(standIn, await token(standIn))).text()),
      );
      expect(first).not.toBe(second);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('refuses to start with an unknown time zone or a malformed incident', async () => {
    await expect(start({ timeZone: 'Mars/Olympus_Mons' })).rejects.toThrow(RangeError);
    await expect(
      start({
        incidents: [{ start: '2026-03-10 25:00:00', end: '2026-03-10 12:00:00', effect: 'capacity' }],
      }),
    ).rejects.toThrow(/incident time/);
  });
});
