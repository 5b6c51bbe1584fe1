import { checkBlockKitLimits } from '../../domain/slack/block-kit-limits';
import { SlackDeliveryError } from '../../domain/slack/slack-delivery-error';
import type { Notifier, SlackMessage } from '../../domain/slack/slack-message';
import type { Logger } from '../../shared/logger';
import { isLoopbackUrl } from '../../shared/loopback';
import { createRedactor, quoteRedacted } from '../../shared/redact';
import { logRequest } from '../../shared/request-log';
import { type RetryDecision, RetryExhaustedError, withRetry } from '../../shared/retry';
import { parseRetryAfter } from '../http/http-request';
import { slackRetryOptions } from './slack-retry';

export interface WebhookNotifierOptions {
  /** The incoming-webhook URL: a secret, never logged nor put in an error message. */
  readonly url: string;
  /** Limit of one HTTP attempt in ms. */
  readonly timeoutMs: number;
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  /** Epoch ms after which no attempt starts and no wait may end (the Lambda's remaining time). */
  readonly deadline?: number;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  /** First backoff step in ms for 5xx, network errors and timeouts. @default 500 */
  readonly baseDelayMs?: number;
  /** Cap of one backoff step in ms. @default 8000 */
  readonly maxDelayMs?: number;
}

/** Longest piece of a response body kept as `slackError`: Slack's are short, a proxy's page is not. */
const MAX_SLACK_ERROR = 200;

/**
 * A Notifier that posts to a Slack incoming webhook: one JSON POST per attempt (what @slack/webhook's
 * `send` does, without the library: it hid Retry-After and brought its own retry code, 15 KB of the
 * bundle, where `withRetry` owns retries here). Retries 429 (after its
 * Retry-After), 5xx, network errors and timeouts through `withRetry`; any other 4xx is permanent.
 * Throws at once (without the URL in the message) when the URL is not https on a non-loopback host.
 */
export function createWebhookNotifier(options: WebhookNotifierOptions): Notifier {
  const { url, timeoutMs, maxAttempts, deadline, logger } = options;
  assertUsableUrl(url);
  if (!(timeoutMs > 0)) throw new RangeError('Slack webhook timeoutMs must be > 0');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError('Slack webhook maxAttempts must be an integer ≥ 1');
  }
  const baseFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const redactor = createRedactor([url]);
  const webhookHost = new URL(url).host;

  /** One POST; failures become SlackDeliveryError carrying status, Slack's error and the wait asked for. */
  const attemptOnce = async (payload: SlackMessage): Promise<void> => {
    const remaining = deadline === undefined ? timeoutMs : Math.max(1, Math.min(timeoutMs, deadline - now()));
    let status: number;
    let body: string;
    let retryAfter: string | null;
    try {
      const response = await logRequest(
        logger,
        // The path of a webhook URL is its secret: the host only.
        { service: 'slack', method: 'POST', host: webhookHost, path: '(webhook path withheld)' },
        () =>
          baseFetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ text: payload.text, blocks: payload.blocks }),
            redirect: 'error',
            signal: AbortSignal.timeout(remaining),
          }),
        (outcome) => (outcome instanceof Response ? outcome.status : undefined),
      );
      ({ status } = response);
      retryAfter = response.headers.get('retry-after');
      // Read to the end either way: Slack answers "ok", or says what it refused.
      body = await response.text();
    } catch (error) {
      const reason = describeRequestFailure(error, remaining);
      throw new AttemptError(`Slack webhook request ${reason}`, { permanent: false }, undefined, {
        cause: error,
      });
    }
    if (status < 200 || status > 299) throw httpFailure(status, body, retryAfter, now());
  };

  const httpFailure = (status: number, body: string, retryAfter: string | null, at: number) => {
    const slackError = quoteRedacted(body.trim(), redactor, MAX_SLACK_ERROR) || undefined;
    const permanent = status >= 400 && status < 500 && status !== 429 && status !== 408;
    const retryAfterMs = status === 429 ? parseRetryAfter(retryAfter, at) : undefined;
    const waitNote = retryAfterMs === undefined ? '' : `; Retry-After ${retryAfterMs} ms`;
    return new AttemptError(
      `Slack webhook answered ${status}${slackError ? ` ${slackError}` : ''}${waitNote}`,
      { permanent, status, ...(slackError ? { slackError } : {}) },
      retryAfterMs,
    );
  };

  const classify = (error: unknown): RetryDecision => {
    if (!(error instanceof AttemptError) || error.permanent) return { retry: false };
    return error.retryAfterMs === undefined ? { retry: true } : { retry: true, afterMs: error.retryAfterMs };
  };

  return {
    async send(message) {
      const violations = checkBlockKitLimits(message);
      if (violations.length > 0) {
        logger.error('Slack message refused before sending: it breaks Block Kit limits', { violations });
        throw new SlackDeliveryError(`Slack message breaks Block Kit limits: ${violations.join('; ')}`, {
          permanent: true,
        });
      }
      if (deadline !== undefined && now() >= deadline) {
        logger.error('Slack message not sent: the run deadline has passed');
        throw new SlackDeliveryError('Slack message not sent: the run deadline has passed', {
          permanent: false,
        });
      }
      let attempts = 0;
      try {
        await withRetry(
          'Slack webhook post',
          (attempt) => {
            attempts = attempt;
            return attemptOnce(message);
          },
          slackRetryOptions(options, classify, now, ({ attempt, delayMs, error }) => {
            logger.warn('Slack webhook post failed; retrying', { attempt, delayMs, ...describe(error) });
          }),
        );
      } catch (error) {
        throw toDeliveryError(error, attempts, logger);
      }
      logger.info('Slack message delivered', { attempts });
    },
  };
}

/** One failed attempt; internal, turned into SlackDeliveryError before leaving `send`. */
class AttemptError extends SlackDeliveryError {
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    details: ConstructorParameters<typeof SlackDeliveryError>[1],
    retryAfterMs: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, details, options);
    this.name = 'SlackDeliveryAttemptError';
    this.retryAfterMs = retryAfterMs;
  }
}

function toDeliveryError(error: unknown, attempts: number, logger: Logger): SlackDeliveryError {
  if (error instanceof AttemptError) {
    // Permanent: the classifier refused, so this is the first and only failure of this message.
    logger.error('Slack webhook refused the message; not retrying', { attempts, ...describe(error) });
    return new SlackDeliveryError(
      `Slack refused the message: ${error.message}`,
      { permanent: error.permanent, ...statusOf(error) },
      { cause: error },
    );
  }
  const last = error instanceof RetryExhaustedError ? error.cause : undefined;
  const details = last instanceof AttemptError ? statusOf(last) : {};
  const reason = error instanceof Error ? error.message : 'unknown failure';
  logger.error('Slack webhook delivery failed', { attempts, ...details, reason });
  return new SlackDeliveryError(reason, { permanent: false, ...details }, { cause: error });
}

function statusOf(error: SlackDeliveryError): { status?: number; slackError?: string } {
  return {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.slackError === undefined ? {} : { slackError: error.slackError }),
  };
}

/** Log fields for a failed attempt: our own message and Slack's answer, never the request. */
function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof SlackDeliveryError)) return { reason: 'unknown failure' };
  return { reason: error.message, ...statusOf(error) };
}

/** A network failure in words, from the error's name and code only (messages may quote the URL). */
function describeRequestFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return 'failed';
  if (error.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (error.name === 'AbortError') return 'was aborted';
  const code = errorCode(error) ?? errorCode(error.cause);
  return code === undefined ? 'failed' : `failed (${code})`;
}

function errorCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('code' in value)) return undefined;
  return typeof value.code === 'string' ? value.code : undefined;
}

/** https only, except plain http on loopback (tests and the local stand-in). The URL stays out of errors. */
function assertUsableUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('Slack webhook URL is not a valid URL');
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackUrl(url))) return;
  throw new TypeError(
    `Slack webhook URL must use https (plain http is allowed only on loopback hosts); got a ${parsed.protocol} URL`,
  );
}
