import type { SlackMessage } from './slack-message';

/**
 * Slack app mode's port (README, Slack app mode): a channel the monitor posts in with a bot token,
 * where a message can be edited and replied to in its thread, which an incoming webhook cannot do.
 * The adapter is adapters/slack/slack-app-channel.ts over the Web API client.
 */

/** Where a Slack message is: its channel id and its `ts`. */
export interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}

export interface SlackAppChannel {
  /** The channel id top-level messages go to. */
  readonly channel: string;
  /**
   * Posts `message` at the top of the channel, or as a reply in the thread of `thread.head` (in
   * that message's channel), also shown in the channel when `thread.broadcast`. Resolves with where
   * Slack put it; throws `SlackDeliveryError` (a `SlackApiError` with Slack's code) otherwise.
   */
  post(
    message: SlackMessage,
    thread?: { readonly head: MessageRef; readonly broadcast?: boolean },
  ): Promise<MessageRef>;
  /** Replaces the message at `ref` with `message` (chat.update). */
  update(ref: MessageRef, message: SlackMessage): Promise<MessageRef>;
  /** A link to the message at `ref` (chat.getPermalink). */
  permalink(ref: MessageRef): Promise<string>;
}
