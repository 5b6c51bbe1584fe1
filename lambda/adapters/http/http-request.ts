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
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, bytes };
  } catch (error) {
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
