import { StatsSourceError } from '../../domain/stats-source';

/**
 * One disciplined HTTP exchange for the AIRUDDER client: a timeout on every request, the whole body
 * read as bytes, and typed errors that keep their cause. No retries here: those live in
 * shared/retry.ts. A request that got no answer means the source is unreachable.
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
  readonly headers: Headers;
  readonly bytes: Uint8Array;
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

/** `what` names the call in errors (never the URL's query or any header: they may hold secrets). */
export async function httpRequest(
  fetchFn: FetchFn,
  what: string,
  request: HttpRequest,
): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
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

async function readBody(response: Response, what: string, request: HttpRequest): Promise<Uint8Array> {
  const limit = request.maxBytes;
  if (limit === undefined || !response.body) return new Uint8Array(await response.arrayBuffer());
  const tooLarge = (detail: string) =>
    new HttpResponseTooLargeError(
      `${what}: the response is larger than the ${limit.toLocaleString('en-US')}-byte limit` +
        `${request.maxBytesSetting ? ` (${request.maxBytesSetting})` : ''}; ${detail}`,
      limit,
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge(
      `it declared ${declared.toLocaleString('en-US')} bytes, so none were read and nothing can be archived`,
    );
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
      throw tooLarge(
        `reading stopped after ${received.toLocaleString('en-US')} bytes and the partial body was discarded: a truncated copy is not the response, so nothing is archived`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

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

/** The first characters of a body, for error messages, as text. */
export function bodySnippet(bytes: Uint8Array, max = 200): string {
  const text = new TextDecoder().decode(bytes.subarray(0, max * 4));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
