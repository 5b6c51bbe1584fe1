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
