import { request as httpSend, type IncomingHttpHeaders } from 'node:http';
import { request as httpsSend } from 'node:https';
import { StatsSourceError } from '../../domain/statistics/stats-source';
import { quoteRedacted, type Redactor } from '../../shared/redact';

/**
 * One disciplined HTTP exchange for the AIRUDDER client: a timeout on every request, the whole body
 * read as bytes, and typed errors that keep their cause. No retries here: those live in
 * shared/retry.ts. A request that got no answer means the source is unreachable.
 *
 * By default over node:http(s), which the AWS SDK has loaded already: a function's first `fetch`
 * loads undici, about 35 ms of CPU on a cold start (measured by `npm run bench`). Tests and tools
 * may pass a `fetch` instead.
 */

export type FetchFn = typeof fetch;

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes: reading stops beyond it, so one absurd body cannot exhaust memory. */
  readonly maxBytes?: number;
  /** What sets `maxBytes`, named in the error (e.g. the environment variable). */
  readonly maxBytesSetting?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly bytes: Uint8Array;
}

/** The part of `Headers` the clients read. */
export interface ResponseHeaders {
  /** The value of a header (any case), repeated values joined with ", "; null when absent. */
  get(name: string): string | null;
}

/** Thrown when no complete response arrived within the request's timeout. */
export class HttpTimeoutError extends StatsSourceError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'unreachable', options);
    this.name = 'HttpTimeoutError';
  }
}

/** Thrown when the connection failed (refused, reset, DNS) before a response was read. */
export class HttpNetworkError extends StatsSourceError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'unreachable', options);
    this.name = 'HttpNetworkError';
  }
}

/** Thrown when a body is larger than the request's `maxBytes`; nothing beyond the limit was read. */
export class HttpResponseTooLargeError extends Error {
  readonly limitBytes: number;
  constructor(message: string, limitBytes: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HttpResponseTooLargeError';
    this.limitBytes = limitBytes;
  }
}

/**
 * `what` names the call in errors (never the URL's query or any header: they may hold secrets).
 * `fetchFn` undefined: node:http(s).
 */
export async function httpRequest(
  fetchFn: FetchFn | undefined,
  what: string,
  request: HttpRequest,
): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    if (!fetchFn) return await nodeExchange(request, signal, (detail) => tooLarge(what, request, detail));
    const response = await fetchFn(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      redirect: 'error',
    });
    const bytes = await readBody(response, what, request);
    return { status: response.status, headers: response.headers, bytes };
  } catch (error) {
    if (error instanceof HttpResponseTooLargeError) throw error;
    if (signal.aborted) {
      throw new HttpTimeoutError(`${what} timed out after ${request.timeoutMs} ms`, { cause: error });
    }
    const detail =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
    throw new HttpNetworkError(`${what} failed before a response arrived${detail ? `: ${detail}` : ''}`, {
      cause: error,
    });
  }
}

const DECLARED_TOO_LARGE = (declared: number) =>
  `it declared ${declared.toLocaleString('en-US')} bytes, so none were read and nothing can be archived`;
const STOPPED_READING = (received: number) =>
  `reading stopped after ${received.toLocaleString('en-US')} bytes and the partial body was discarded: a truncated copy is not the response, so nothing is archived`;

function tooLarge(what: string, request: HttpRequest, detail: string): HttpResponseTooLargeError {
  const limit = request.maxBytes ?? 0;
  return new HttpResponseTooLargeError(
    `${what}: the response is larger than the ${limit.toLocaleString('en-US')}-byte limit` +
      `${request.maxBytesSetting ? ` (${request.maxBytesSetting})` : ''}; ${detail}`,
    limit,
  );
}

async function readBody(response: Response, what: string, request: HttpRequest): Promise<Uint8Array> {
  const limit = request.maxBytes;
  if (limit === undefined || !response.body) return new Uint8Array(await response.arrayBuffer());
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge(what, request, DECLARED_TOO_LARGE(declared));
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(what, request, STOPPED_READING(received));
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The exchange over node:http(s), as `fetch` with `redirect: 'error'` would do it: a redirect is an
 * error, and `signal` ends the request (or the reading of its body) wherever it is.
 */
function nodeExchange(
  request: HttpRequest,
  signal: AbortSignal,
  tooLargeError: (detail: string) => HttpResponseTooLargeError,
): Promise<HttpResponse> {
  const limit = request.maxBytes;
  const url = new URL(request.url);
  const send = url.protocol === 'https:' ? httpsSend : httpSend;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: request.method,
        headers: { ...request.headers, ...(body ? { 'Content-Length': String(body.byteLength) } : {}) },
        signal,
      },
      (incoming) => {
        const status = incoming.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          incoming.resume();
          outgoing.destroy();
          reject(new Error(`unexpected redirect (HTTP ${status})`));
          return;
        }
        const declared = Number(incoming.headers['content-length'] ?? Number.NaN);
        if (limit !== undefined && declared > limit) {
          outgoing.destroy();
          reject(tooLargeError(DECLARED_TOO_LARGE(declared)));
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        incoming.on('data', (chunk: Buffer) => {
          received += chunk.byteLength;
          if (limit !== undefined && received > limit) {
            outgoing.destroy();
            reject(tooLargeError(STOPPED_READING(received)));
            return;
          }
          chunks.push(chunk);
        });
        incoming.on('error', reject);
        incoming.on('aborted', () => reject(new Error('the response was cut off')));
        incoming.on('end', () =>
          resolve({
            status,
            headers: headersOf(incoming.headers),
            bytes: new Uint8Array(Buffer.concat(chunks)),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const headersOf = (headers: IncomingHttpHeaders): ResponseHeaders => ({
  get(name) {
    const value = headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  },
});

/**
 * How long a `Retry-After` header asks us to wait, in ms: delay-seconds or an HTTP-date. Undefined
 * when the header is missing or unreadable, so the caller backs off on its own schedule.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return undefined; // "1.5", "-1": not a valid header value
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The first characters of a body, for error messages, as text: secrets redacted before the cut. */
export function bodySnippet(bytes: Uint8Array, redactor: Redactor, max = 200): string {
  // A UTF-8 character is at most 4 bytes; the lookahead past the cut is redacted with it.
  const text = new TextDecoder().decode(bytes.subarray(0, (max + 4096) * 4));
  return quoteRedacted(text, redactor, max);
}
