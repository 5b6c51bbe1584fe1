import { type SourceFailureKind, StatsSourceError } from '../../domain/statistics/stats-source';

/** Thrown when AIRUDDER answers with an error: an HTTP error status or a body `code` other than 200. */
export class AirudderApiError extends StatsSourceError {
  readonly httpStatus: number;
  /** The body's `code`, when the body had one. */
  readonly bodyCode: number | undefined;
  /** The body's `message` (or `status`), when it had one. */
  readonly apiMessage: string | undefined;
  /** Server-requested wait before trying again (429 Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    details: { httpStatus: number; bodyCode?: number; apiMessage?: string; retryAfterMs?: number },
    options?: ErrorOptions,
    kind: SourceFailureKind = 'api-error',
  ) {
    super(message, kind, options);
    this.name = 'AirudderApiError';
    this.httpStatus = details.httpStatus;
    this.bodyCode = details.bodyCode;
    this.apiMessage = details.apiMessage;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** 401/403 in HTTP or body: the token (or the credentials) were refused. */
  get isAuthorizationFailure(): boolean {
    return [401, 403].includes(this.httpStatus) || [401, 403].includes(this.bodyCode ?? 0);
  }

  /** Worth another attempt: rate limiting and server-side failures. */
  get isTransient(): boolean {
    return (
      this.httpStatus === 429 ||
      this.httpStatus >= 500 ||
      (this.bodyCode ?? 0) >= 500 ||
      this.bodyCode === 429
    );
  }
}

/** Thrown when AIRUDDER refuses the credentials, or refuses a freshly issued token. */
export class AirudderAuthError extends AirudderApiError {
  constructor(
    message: string,
    details: ConstructorParameters<typeof AirudderApiError>[1],
    options?: ErrorOptions,
  ) {
    super(message, details, options, 'refused');
    this.name = 'AirudderAuthError';
  }
}
