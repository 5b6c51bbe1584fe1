import * as z from '../../domain/shared/zod';
import type { MessageRef } from '../../domain/slack/slack-app';
import { SLACK_AUTH_ERRORS, SlackDeliveryError } from '../../domain/slack/slack-delivery-error';
import type { SlackMessage } from '../../domain/slack/slack-message';
import type { Logger } from '../../shared/logger';
import { createRedactor, quoteRedacted, type Redactor } from '../../shared/redact';
import { logRequest } from '../../shared/request-log';
import { type RetryDecision, RetryExhaustedError, withRetry } from '../../shared/retry';
import { type FetchFn, httpRequest, parseRetryAfter } from '../http/http-request';
import { slackRetryOptions } from './slack-retry';

/**
 * A small Slack Web API client on the project's HTTP layer (adapters/http), for Slack app mode:
 * the handful of methods the monitor calls, each answer parsed with zod. Chosen over
 * `@slack/web-api` by measurement (README, Slack app mode): that library adds 63 KiB minified to the
 * bundle and its own HTTP stack to a cold start, for six methods this file covers in ~250 lines.
 *
 * Slack answers HTTP 200 with `{"ok":false,"error":"…"}` for most failures: each becomes a
 * `SlackApiError` carrying the method and Slack's error code. What is retried, and how, is decided
 * here and carried out by shared/retry.ts (the one place that retries):
 *   - `ratelimited` / HTTP 429: again after `Retry-After`, if the run's deadline leaves room;
 *   - HTTP 5xx, Slack's `internal_error`/`fatal_error`/`service_unavailable`/`request_timeout`,
 *     network failures and timeouts: again with backoff;
 *   - `invalid_auth`/`token_revoked`/…: the token is read again once (`reloadToken`, the monitor's
 *     secret) and the call repeated with it when it changed; otherwise permanent;
 *   - anything else (`channel_not_found`, `message_not_found`, `invalid_blocks`…): permanent.
 * The token is a secret: it is sent only in the Authorization header and never appears in a log
 * line or an error (Slack's answers are quoted through the redactor).
 */

export interface SlackWebApiOptions {
  /** SLACK_API_URL, ending in "/": method names are appended (https://slack.com/api/chat.update). */
  readonly apiUrl: string;
  /** The bot token in use (from the environment or the monitor's secret). */
  readonly token: () => Promise<string>;
  /**
   * Reads the token again (the monitor's secret, bypassing its cache), after Slack refused it;
   * called at most once per client. Absent: a refused token is final.
   */
  readonly reloadToken?: () => Promise<string | undefined>;
  /** Limit of one HTTP attempt in ms. */
  readonly timeoutMs: number;
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  /** Epoch ms after which no attempt starts and no wait may end (the run's deadline). */
  readonly deadline?: number;
  readonly logger: Logger;
  readonly redactor?: Redactor;
  readonly fetch?: FetchFn;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
  /** First backoff step in ms. @default 500 */
  readonly baseDelayMs?: number;
  /** Cap of one backoff step in ms. @default 8000 */
  readonly maxDelayMs?: number;
}

/** Where a Slack message is: the channel id and the message's `ts`. */
export type SlackMessageRef = MessageRef;

export interface PostMessageArgs {
  readonly channel: string;
  readonly message: SlackMessage;
  /** A thread reply to the message with this ts. */
  readonly threadTs?: string;
  /** A thread reply also shown in the channel. */
  readonly broadcast?: boolean;
}

export interface AuthIdentity {
  readonly teamId: string;
  readonly userId: string;
  readonly botId?: string;
}

export interface SlackWebApi {
  postMessage(args: PostMessageArgs): Promise<SlackMessageRef>;
  update(ref: SlackMessageRef, message: SlackMessage): Promise<SlackMessageRef>;
  getPermalink(ref: SlackMessageRef): Promise<string>;
  postEphemeral(args: { channel: string; user: string; text: string; threadTs?: string }): Promise<void>;
  /** The workspace (team id) and bot user the token belongs to. */
  authTest(): Promise<AuthIdentity>;
  /** The user ids in a user group (usergroups.users.list; scope usergroups:read), for SLACK_OPERATORS. */
  userGroupMembers(groupId: string): Promise<string[]>;
}

/** Slack's error codes that may pass on another attempt. */
const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Slack refused a Web API call, or it could not be made; `slackError` is Slack's code when it gave one. */
export class SlackApiError extends SlackDeliveryError {
  /** The Web API method, e.g. `chat.update`. */
  readonly method: string;
  /** Slack asked to wait this long (429 / ratelimited). */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    details: ConstructorParameters<typeof SlackDeliveryError>[1] & {
      method: string;
      retryAfterMs?: number;
    },
    options?: ErrorOptions,
  ) {
    super(message, details, options);
    this.name = 'SlackApiError';
    this.method = details.method;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** True when Slack refused the token (invalid_auth, token_revoked…). */
  get isAuthError(): boolean {
    return this.slackError !== undefined && SLACK_AUTH_ERRORS.has(this.slackError);
  }
}

const Envelope = z.looseObject({ ok: z.boolean(), error: z.optional(z.string()) });
const Posted = z.looseObject({ channel: z.string(), ts: z.string() });
const Permalink = z.looseObject({ permalink: z.string() });
const AuthTest = z.looseObject({ team_id: z.string(), user_id: z.string(), bot_id: z.optional(z.string()) });
const UserGroupUsers = z.looseObject({ users: z.array(z.string()) });

/** Longest piece of an unexpected body kept in an error. */
const MAX_QUOTE = 200;

export function createSlackWebApi(options: SlackWebApiOptions): SlackWebApi {
  const { apiUrl, timeoutMs, deadline, logger } = options;
  if (!apiUrl.endsWith('/')) throw new RangeError('Slack apiUrl must end with "/"');
  const now = options.now ?? Date.now;
  const redactor = options.redactor ?? createRedactor();
  const host = new URL(apiUrl).host;
  let reloaded = false;
  let override: string | undefined;

  /** One HTTP exchange; failures become SlackApiError with what the classifier needs. */
  const attempt = async <T>(method: string, body: object, schema: z.ZodMiniType<T>): Promise<T> => {
    const token = override ?? (await options.token());
    redactor.add(token);
    const remaining = deadline === undefined ? timeoutMs : Math.max(1, Math.min(timeoutMs, deadline - now()));
    const response = await logRequest(
      logger,
      { service: 'slack', method: 'POST', host, path: `/api/${method}` },
      () =>
        httpRequest(options.fetch, `Slack ${method}`, {
          url: `${apiUrl}${method}`,
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json; charset=utf-8',
          },
          body: JSON.stringify(body),
          timeoutMs: remaining,
          maxBytes: 1024 * 1024,
        }),
      (outcome) =>
        typeof outcome === 'object' && outcome !== null && 'status' in outcome
          ? Number(outcome.status)
          : undefined,
    ).catch((error: unknown) => {
      throw new SlackApiError(
        `Slack ${method}: ${redactor.redact(error instanceof Error ? error.message : String(error))}`,
        { permanent: false, method },
        { cause: error },
      );
    });
    const text = new TextDecoder().decode(response.bytes);
    const status = response.status;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
    if (status === 429) {
      throw new SlackApiError(
        `Slack ${method} answered 429 (rate limited)${retryAfterMs === undefined ? '' : `; Retry-After ${retryAfterMs} ms`}`,
        {
          permanent: false,
          status,
          method,
          slackError: 'ratelimited',
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SlackApiError(
        `Slack ${method} answered HTTP ${status} without JSON: ${quoteRedacted(text.trim(), redactor, MAX_QUOTE)}`,
        { permanent: status < 500, status, method },
      );
    }
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) {
      throw new SlackApiError(`Slack ${method} answered HTTP ${status} without "ok"`, {
        permanent: status < 500,
        status,
        method,
      });
    }
    if (!envelope.data.ok) {
      const code = quoteRedacted(envelope.data.error ?? 'unknown_error', redactor, MAX_QUOTE);
      const transient = status >= 500 || code === 'ratelimited' || TRANSIENT_ERRORS.has(code);
      throw new SlackApiError(
        `Slack ${method} refused: ${code}${retryAfterMs === undefined ? '' : `; Retry-After ${retryAfterMs} ms`}`,
        {
          permanent: !transient,
          status,
          method,
          slackError: code,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      );
    }
    if (status >= 300) {
      throw new SlackApiError(`Slack ${method} answered HTTP ${status}`, {
        permanent: status < 500,
        status,
        method,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new SlackApiError(`Slack ${method} answered ok without ${z.prettifyError(parsed.error)}`, {
        permanent: true,
        status,
        method,
      });
    }
    return parsed.data;
  };

  const classify = (error: unknown): RetryDecision => {
    if (!(error instanceof SlackApiError) || error.permanent) return { retry: false };
    return error.retryAfterMs === undefined ? { retry: true } : { retry: true, afterMs: error.retryAfterMs };
  };

  const withRetries = <T>(method: string, body: object, schema: z.ZodMiniType<T>): Promise<T> =>
    withRetry(
      `Slack ${method}`,
      () => attempt(method, body, schema),
      slackRetryOptions(options, classify, now, ({ attempt: number, delayMs, error }) => {
        logger.warn('Slack Web API call failed; retrying', {
          method,
          attempt: number,
          delayMs,
          reason: error instanceof Error ? error.message : 'unknown failure',
        });
      }),
    );

  /** A call with retries; a refused token is read again once and the call repeated. */
  const call = async <T>(method: string, body: object, schema: z.ZodMiniType<T>): Promise<T> => {
    if (deadline !== undefined && now() >= deadline) {
      throw new SlackApiError(`Slack ${method} not called: the run deadline has passed`, {
        permanent: false,
        method,
      });
    }
    try {
      return await withRetries(method, body, schema);
    } catch (error) {
      const refused = error instanceof SlackApiError && error.isAuthError;
      if (!refused || reloaded || options.reloadToken === undefined) throw wrap(error, method);
      reloaded = true;
      const before = override ?? (await options.token());
      const fresh = await options.reloadToken();
      if (fresh === undefined || fresh === before) {
        logger.error('Slack refused the bot token, and the secret holds the same one', { method });
        throw wrap(error, method);
      }
      redactor.add(fresh);
      override = fresh;
      logger.warn('Slack refused the bot token; read the secret again and retrying with the new one', {
        method,
      });
      return await withRetries(method, body, schema).catch((again: unknown) => {
        throw wrap(again, method);
      });
    }
  };

  const wrap = (error: unknown, method: string): SlackApiError => {
    if (error instanceof SlackApiError) return error;
    const last = error instanceof RetryExhaustedError ? error.cause : undefined;
    const reason = error instanceof Error ? error.message : String(error);
    return new SlackApiError(
      redactor.redact(reason),
      {
        permanent: false,
        method,
        ...(last instanceof SlackApiError && last.status !== undefined ? { status: last.status } : {}),
        ...(last instanceof SlackApiError && last.slackError !== undefined
          ? { slackError: last.slackError }
          : {}),
      },
      { cause: error },
    );
  };

  return {
    async postMessage({ channel, message, threadTs, broadcast }) {
      const posted = await call(
        'chat.postMessage',
        {
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
          ...(broadcast ? { reply_broadcast: true } : {}),
        },
        Posted,
      );
      return { channel: posted.channel, ts: posted.ts };
    },
    async update(ref, message) {
      const updated = await call(
        'chat.update',
        { channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks },
        Posted,
      );
      return { channel: updated.channel, ts: updated.ts };
    },
    async getPermalink(ref) {
      const answer = await call('chat.getPermalink', { channel: ref.channel, message_ts: ref.ts }, Permalink);
      return answer.permalink;
    },
    async postEphemeral({ channel, user, text, threadTs }) {
      await call(
        'chat.postEphemeral',
        { channel, user, text, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) },
        Envelope,
      );
    },
    async userGroupMembers(groupId) {
      // A read method: Slack takes its arguments from the query string (JSON bodies are for write methods).
      const method = `usergroups.users.list?usergroup=${encodeURIComponent(groupId)}`;
      return (await call(method, {}, UserGroupUsers)).users;
    },
    async authTest() {
      const identity = await call('auth.test', {}, AuthTest);
      return {
        teamId: identity.team_id,
        userId: identity.user_id,
        ...(identity.bot_id === undefined ? {} : { botId: identity.bot_id }),
      };
    },
  };
}
