/**
 * Thrown by a `Notifier` when a message was not delivered. `permanent` means sending the same
 * message again cannot help (refused payload, archived channel, revoked webhook); otherwise the
 * attempts or the run deadline ran out on failures that might pass (429, 5xx, network, timeout).
 */
export class SlackDeliveryError extends Error {
  readonly permanent: boolean;
  /** HTTP status of the last answer, when there was one. */
  readonly status?: number;
  /** Slack's error string from the response body, e.g. `invalid_blocks` or `channel_is_archived`. */
  readonly slackError?: string;

  constructor(
    message: string,
    details: { permanent: boolean; status?: number; slackError?: string },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SlackDeliveryError';
    this.permanent = details.permanent;
    if (details.status !== undefined) this.status = details.status;
    if (details.slackError !== undefined) this.slackError = details.slackError;
  }
}

/** Slack's error codes that mean the bot token itself is refused (app mode). */
export const SLACK_AUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'not_authed',
  'account_inactive',
]);

/** Slack's error code carried by `error` or any of its causes (a retry or a use case wraps it). */
export function slackErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof SlackDeliveryError && current.slackError !== undefined) return current.slackError;
    current = current.cause;
  }
  return undefined;
}

/** True when Slack refused the bot token (after the secret was read again). */
export const isSlackAuthFailure = (error: unknown): boolean => {
  const code = slackErrorCode(error);
  return code !== undefined && SLACK_AUTH_ERRORS.has(code);
};
