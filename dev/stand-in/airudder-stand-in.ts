import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, answerWithFault, JSON_TYPE } from './fault-replies';
import { errorEnvelope, type Fault, type StandInRoute } from './faults';
import { type Incident, resolveIncidents } from './incidents';
import { assertTimeZone } from './local-clock';
import { createSleeper } from './sleeper';
import { answerAuth, answerStatistics, type RouteContext } from './stand-in-routes';
import { createFinishedHourCache } from './statistics-generator';
import { createTokenStore } from './token-store';

export type { Drift, Fault, StandInRoute } from './faults';
export type { Incident, IncidentEffect } from './incidents';
export {
  generateStatisticsBody,
  InvalidStatisticsQueryError,
  type StatisticsEnvelope,
  type StatisticsQuery,
} from './statistics-generator';

export interface StandInOptions {
  /** The only accepted credentials. */
  appKey: string;
  appSecret: string;
  /** IANA zone: the wall-clock times in queries and incidents are in this zone. */
  timeZone: string;
  /** Same seed and same window give a byte-identical body. @default 1 */
  seed?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** The stand-in's clock: token expiry and which hours have data. @default the real clock */
  now?: () => Date;
  /** Added to every request. @default 0 */
  latencyMs?: number;
  /** @default 24 h */
  tokenTtlMs?: number;
  incidents?: Incident[];
  /** Calls in a weekday's busiest hour. @default 120 */
  callsPerHourPeak?: number;
}

/** One answered request. Never holds credentials or tokens. */
export interface RecordedRequest {
  readonly route: StandInRoute | 'unknown';
  readonly method: string;
  readonly path: string;
  /** Query parameters (start_time, end_time, ...), anything named like a secret left out. */
  readonly query: Readonly<Record<string, string>>;
  /** HTTP status sent; 0 when nothing was sent because the client had gone. */
  readonly status: number;
  /** The body `code` of the answer (for a custom non-JSON fault body, the injected HTTP status). */
  readonly bodyCode?: number;
  /** The injected fault this request consumed. */
  readonly fault?: Fault['kind'];
  /** True when the client had gone before the answer was ready (e.g. its timeout fired). */
  readonly abandoned?: boolean;
  /** Real-clock epoch ms when the request arrived (for checking a client's backoff). */
  readonly at: number;
}

export interface StandIn {
  /** 'http://127.0.0.1:PORT' */
  readonly url: string;
  close(): Promise<void>;
  /** Queues `fault` for the next `times` requests of `route` (default 1), consumed in order. */
  inject(route: StandInRoute, fault: Fault, times?: number): void;
  /** Every token issued so far becomes invalid: statistics then answers HTTP 401, body code 401. */
  expireTokens(): void;
  setLatency(ms: number): void;
  readonly requests: ReadonlyArray<RecordedRequest>;
  readonly tokensIssued: number;
}

const MAX_BODY_BYTES = 64 * 1024;
const ROUTES: Readonly<Record<string, { route: StandInRoute; method: string }>> = {
  '/service/cloud/auth': { route: 'auth', method: 'POST' },
  '/service/cloud/inbound/dashboard/statistics': { route: 'statistics', method: 'GET' },
};
const SECRET_LIKE = /token|key|secret|auth|password/i;

/** Thrown when the client went away before its request body arrived. */
class RequestAbortedError extends Error {
  constructor(message = 'the client closed the request', options?: ErrorOptions) {
    super(message, options);
    this.name = 'RequestAbortedError';
  }
}

/** The request body as text; undefined when over the size limit. */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    // A destroyed request never emits 'end'; nobody is left to answer anyway.
    if (request.destroyed) {
      reject(new RequestAbortedError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
    // After 'end' this rejection is a no-op; before it, the client has gone.
    request.on('close', () => reject(new RequestAbortedError()));
  });
}

/** Starts the stand-in on loopback; resolves once it is listening. */
export async function startAirudderStandIn(options: StandInOptions): Promise<StandIn> {
  assertTimeZone(options.timeZone);
  resolveIncidents(options.incidents ?? [], options.timeZone); // fail at start, not per request
  const now = options.now ?? (() => new Date());
  const tokens = createTokenStore(options.tokenTtlMs ?? 24 * 3_600_000, now);
  const context: RouteContext = {
    appKey: options.appKey,
    appSecret: options.appSecret,
    timeZone: options.timeZone,
    seed: options.seed ?? 1,
    now,
    incidents: [...(options.incidents ?? [])],
    callsPerHourPeak: options.callsPerHourPeak,
    tokens,
    finishedHours: createFinishedHourCache(),
  };
  const sleeper = createSleeper();
  const faults: Record<StandInRoute, Fault[]> = { auth: [], statistics: [] };
  const recorded: RecordedRequest[] = [];
  let latencyMs = options.latencyMs ?? 0;

  async function answer(request: IncomingMessage, url: URL, fault: Fault | undefined): Promise<Answer> {
    const target = ROUTES[url.pathname];
    if (target === undefined) {
      return { status: 404, bodyCode: 404, body: errorEnvelope(404, 'no such route') };
    }
    if (request.method !== target.method) {
      return {
        status: 405,
        bodyCode: 405,
        body: errorEnvelope(405, `use ${target.method}`),
        headers: { allow: target.method },
      };
    }
    const rawBody = await readBody(request);
    if (rawBody === undefined) {
      return { status: 413, bodyCode: 413, body: errorEnvelope(413, 'body too large') };
    }
    const reply =
      target.route === 'auth'
        ? () => answerAuth(rawBody, context)
        : () =>
            answerStatistics(
              fault?.kind === 'day-so-far' ? daySoFarQuery(url.searchParams) : url.searchParams,
              request.headers.authorization,
              context,
            );
    return fault === undefined ? reply() : answerWithFault(fault, reply, target.route);
  }

  /** The query widened to start at local midnight of its end's date, as a day-so-far answer covers. */
  function daySoFarQuery(query: URLSearchParams): URLSearchParams {
    const widened = new URLSearchParams(query);
    const end = query.get('end_time');
    if (end !== null) widened.set('start_time', `${end.slice(0, 10)} 00:00:00`);
    return widened;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const route = ROUTES[url.pathname]?.route;
    const fault = route === undefined ? undefined : faults[route].shift();
    await sleeper.sleep(latencyMs + (fault?.kind === 'latency' ? fault.ms : 0));
    let reply: Answer;
    try {
      reply = await answer(request, url, fault);
    } catch {
      reply = { status: 500, bodyCode: 500, body: errorEnvelope(500, 'stand-in failure') };
    }
    const query = Object.fromEntries([...url.searchParams].filter(([name]) => !SECRET_LIKE.test(name)));
    const abandoned = response.destroyed;
    recorded.push({
      route: route ?? 'unknown',
      method: request.method ?? '',
      path: url.pathname,
      query,
      status: abandoned ? 0 : reply.status,
      ...(abandoned ? { abandoned } : { bodyCode: reply.bodyCode }),
      ...(fault === undefined ? {} : { fault: fault.kind }),
      at,
    });
    if (abandoned) return;
    response.writeHead(reply.status, {
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(reply.body),
      ...reply.headers,
    });
    response.end(reply.body);
  }

  const server = createServer((request, response) => {
    request.on('error', () => response.destroy());
    response.on('error', () => response.destroy());
    // Rejections only come from a closed sleeper or a dead socket: nothing is left to answer.
    handle(request, response).catch(() => response.destroy());
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        sleeper.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    inject(route, fault, times = 1) {
      if (!Number.isInteger(times) || times < 1) {
        throw new RangeError(`times must be a positive integer, got ${times}`);
      }
      for (let index = 0; index < times; index++) faults[route].push(fault);
    },
    expireTokens: () => tokens.expireAll(),
    setLatency(ms) {
      if (!(ms >= 0)) throw new RangeError(`latency must be >= 0 ms, got ${ms}`);
      latencyMs = ms;
    },
    get requests() {
      return [...recorded];
    },
    get tokensIssued() {
      return tokens.issuedCount;
    },
  };
}
