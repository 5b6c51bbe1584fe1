import type { AirudderCredentials } from '../../config';
import type { QueryWindow } from '../../domain/statistics/query-window';
import { type JsonBody, parseStatistics, readJsonBody } from '../../domain/statistics/schema';
import type { FetchedStatistics, StatsSource } from '../../domain/statistics/stats-source';
import type { Logger } from '../../shared/logger';
import { quoteRedacted, type Redactor } from '../../shared/redact';
import { hostAndPath, logRequest } from '../../shared/request-log';
import { type RetryDecision, withRetry } from '../../shared/retry';
import {
  bodySnippet,
  type FetchFn,
  HttpNetworkError,
  type HttpRequest,
  type HttpResponse,
  HttpTimeoutError,
  httpRequest,
  parseRetryAfter,
} from '../http/http-request';
import { AirudderApiError, AirudderAuthError } from './airudder-api-error';
import { envelopeOf, readEnvelope } from './envelope';
import type { TokenCache } from './token-cache';

export interface AirudderClientOptions {
  readonly baseUrl: string;
  readonly credentials: AirudderCredentials;
  readonly timeoutMs: number;
  /** Largest response body accepted (AIRUDDER_MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes?: number;
  readonly maxAttempts: number;
  readonly tokenTtlMs: number;
  readonly tokenCache: TokenCache;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly fetch?: FetchFn;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** First backoff step, ms (default 500). */
  readonly baseDelayMs?: number;
  /** Longest single backoff, ms (default 20 s). */
  readonly maxDelayMs?: number;
  /**
   * Turns a body as received into JSON bytes before it is read (default: as it is). The hook for
   * AIRUDDER's optional transport encryption, which is undocumented and so not implemented; the
   * archive always keeps the bytes exactly as received.
   */
  readonly decodeBody?: (bytes: Uint8Array) => Uint8Array;
}

const AUTH_PATH = '/service/cloud/auth';
const STATISTICS_PATH = '/service/cloud/inbound/dashboard/statistics';
const BASE_HEADERS = { 'Content-Type': 'application/json', 'User-Agent': 'Airudder' };
/** Longest part of an API error message quoted in an error. */
const MAX_API_MESSAGE = 500;
/** Time kept back from a deadline so the caller can still archive and report. */
const DEADLINE_MARGIN_MS = 1_000;

/** The AIRUDDER statistics client: tokens cached per credential, retries in one place, exact bytes kept. */
export function createAirudderClient(options: AirudderClientOptions): StatsSource {
  const fetchFn = options.fetch;
  const decode = options.decodeBody ?? ((bytes: Uint8Array) => bytes);
  const now = options.now ?? Date.now;
  const { credentials, tokenCache, redactor, logger } = options;
  redactor.add(credentials.appKey);
  redactor.add(credentials.appSecret);

  const sizeLimit = { maxBytes: options.maxResponseBytes, maxBytesSetting: 'AIRUDDER_MAX_RESPONSE_BYTES' };

  const requestTimeout = (deadline: number | undefined) => {
    if (deadline === undefined) return options.timeoutMs;
    const left = deadline - DEADLINE_MARGIN_MS - now();
    if (left <= 0) throw new HttpTimeoutError('the run deadline has passed; no AIRUDDER request was sent');
    return Math.min(options.timeoutMs, left);
  };

  /** One exchange, logged at DEBUG (method, host, path, status, ms): never the query, headers or body. */
  const loggedHttpRequest = (what: string, request: HttpRequest) =>
    logRequest(
      logger,
      { service: 'airudder', method: request.method, ...hostAndPath(request.url) },
      () => httpRequest(fetchFn, what, request),
      (outcome) => (outcome as Partial<HttpResponse> | undefined)?.status,
    );

  async function requestToken(deadline: number | undefined): Promise<string> {
    const response = await loggedHttpRequest('AIRUDDER token request', {
      url: `${options.baseUrl}${AUTH_PATH}`,
      method: 'POST',
      headers: BASE_HEADERS,
      body: JSON.stringify({ APPKey: credentials.appKey, APPSecret: credentials.appSecret }),
      timeoutMs: requestTimeout(deadline),
      ...sizeLimit,
    });
    const envelope = readEnvelope(decode(response.bytes));
    const failure = describeFailure(
      'token request',
      response,
      envelope?.code,
      envelope?.message,
      now(),
      redactor,
    );
    if (failure) {
      if (failure.isAuthorizationFailure && !failure.isTransient) {
        throw new AirudderAuthError(`AIRUDDER refused the credentials: ${failure.message}`, failure, {
          cause: failure,
        });
      }
      throw failure;
    }
    const token = envelope?.token;
    if (!token) {
      throw new AirudderApiError(
        'AIRUDDER token response has no data.token',
        { httpStatus: response.status, bodyCode: envelope?.code },
        undefined,
      );
    }
    redactor.add(token);
    tokenCache.set(credentials, token, now() + options.tokenTtlMs);
    logger.info('AIRUDDER token issued', { validForMinutes: Math.round(options.tokenTtlMs / 60_000) });
    return token;
  }

  async function requestStatistics(window: QueryWindow, token: string, deadline: number | undefined) {
    const query = new URLSearchParams({ start_time: window.startTime, end_time: window.endTime });
    return loggedHttpRequest('AIRUDDER statistics request', {
      url: `${options.baseUrl}${STATISTICS_PATH}?${query.toString()}`,
      method: 'GET',
      headers: { ...BASE_HEADERS, Authorization: `Token ${token}` },
      timeoutMs: requestTimeout(deadline),
      ...sizeLimit,
    });
  }

  /**
   * One attempt: a cached or new token; on an authorization failure one fresh token and one retry.
   * The body is read as JSON once, for its envelope here and for the schema afterwards.
   */
  async function attempt(
    window: QueryWindow,
    deadline: number | undefined,
  ): Promise<{ response: HttpResponse; body: JsonBody }> {
    const obtainToken = () => tokenCache.obtain(credentials, now(), () => requestToken(deadline));
    let token = await obtainToken();
    for (let refreshed = false; ; refreshed = true) {
      const response = await requestStatistics(window, token, deadline);
      const decoded = decode(response.bytes);
      const body = readJsonBody(decoded);
      // Not strict UTF-8 JSON: the schema will say so, but a lenient read may still find the code.
      const envelope = body.ok ? envelopeOf(body.value) : readEnvelope(decoded);
      const failure = describeFailure(
        'statistics request',
        response,
        envelope?.code,
        envelope?.message,
        now(),
        redactor,
      );
      if (!failure) return { response, body };
      if (!failure.isAuthorizationFailure) throw failure;
      tokenCache.invalidate(credentials, token);
      if (refreshed) {
        throw new AirudderAuthError(`AIRUDDER refused a freshly issued token: ${failure.message}`, failure, {
          cause: failure,
        });
      }
      logger.warn('AIRUDDER refused the token; fetching a fresh one', {
        httpStatus: failure.httpStatus,
        bodyCode: failure.bodyCode,
      });
      token = await obtainToken();
    }
  }

  return {
    async fetchStatistics(window, fetchOptions = {}): Promise<FetchedStatistics> {
      const started = now();
      let attempts = 0;
      const { response, body } = await withRetry(
        `AIRUDDER statistics for ${window.startTime} to ${window.endTime}`,
        (attemptNumber) => {
          attempts = attemptNumber;
          return attempt(window, fetchOptions.deadline);
        },
        {
          attempts: options.maxAttempts,
          baseDelayMs: options.baseDelayMs ?? 500,
          maxDelayMs: options.maxDelayMs ?? 20_000,
          deadline:
            fetchOptions.deadline === undefined ? undefined : fetchOptions.deadline - DEADLINE_MARGIN_MS,
          classify,
          now,
          sleep: options.sleep,
          random: options.random,
          onRetry: ({ attempt: failed, delayMs, error }) =>
            logger.warn('AIRUDDER call failed; retrying', {
              attempt: failed,
              delayMs,
              error: redactor.redact(error instanceof Error ? error.message : String(error)),
            }),
        },
      ).catch((error: unknown) => {
        throw redactError(error, redactor);
      });
      const fetchedAt = new Date(now());
      return {
        bytes: response.bytes,
        httpStatus: response.status,
        fetchedAt,
        latencyMs: fetchedAt.getTime() - started,
        attempts,
        parsed: parseStatistics(body),
      };
    },
  };
}

function classify(error: unknown): RetryDecision {
  if (error instanceof AirudderAuthError) return { retry: false };
  if (error instanceof AirudderApiError) {
    return error.isTransient ? { retry: true, afterMs: error.retryAfterMs } : { retry: false };
  }
  if (error instanceof HttpTimeoutError || error instanceof HttpNetworkError) return { retry: true };
  return { retry: false };
}

/** An error for a response that failed in HTTP or in its body code; undefined for a success. */
function describeFailure(
  what: string,
  response: HttpResponse,
  bodyCode: number | undefined,
  rawApiMessage: string | undefined,
  now: number,
  redactor: Redactor,
): AirudderApiError | undefined {
  const httpOk = response.status >= 200 && response.status < 300;
  // A 2xx whose body is not a JSON envelope is returned as it is: it is archived, then fails validation.
  if (httpOk && (bodyCode === undefined || bodyCode === 200)) return undefined;
  // The API's own message is external text too: redacted, then cut like a body.
  const apiMessage =
    rawApiMessage === undefined ? undefined : quoteRedacted(rawApiMessage, redactor, MAX_API_MESSAGE);
  const parts = [`HTTP ${response.status}`];
  if (bodyCode !== undefined) parts.push(`body code ${bodyCode}`);
  parts.push(apiMessage ? `"${apiMessage}"` : `body: ${bodySnippet(response.bytes, redactor)}`);
  return new AirudderApiError(`AIRUDDER ${what} failed: ${parts.join(', ')}`, {
    httpStatus: response.status,
    bodyCode,
    apiMessage,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
  });
}

/** Errors may quote response bodies; make sure no secret they might echo survives, causes included. */
function redactError(error: unknown, redactor: Redactor, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 5) return error;
  const redacted = redactor.redact(error.message);
  if (redacted !== error.message) {
    // Some platform errors (DOMException) have a read-only message: define it on the instance.
    Object.defineProperty(error, 'message', { value: redacted, configurable: true, writable: true });
  }
  redactError(error.cause, redactor, depth + 1);
  return error;
}
