import { checkBlockKitLimits } from '../../domain/slack/block-kit-limits';
import type { SlackAppChannel } from '../../domain/slack/slack-app';
import { SlackDeliveryError } from '../../domain/slack/slack-delivery-error';
import type { Notifier, SlackMessage } from '../../domain/slack/slack-message';
import type { SlackWebApi } from './slack-web-api';

/**
 * One channel of Slack app mode over the Web API client: what the alert and digest use cases post,
 * edit and link to. Also a plain `Notifier` (a top-level post), so everything that posts one message
 * (the rules notice, `replay --post`, the digest) works in app mode unchanged. A message that breaks
 * Block Kit limits is refused before it is sent, as the webhook notifier does.
 */
export function createSlackAppChannel(api: SlackWebApi, channel: string): SlackAppChannel & Notifier {
  const checked = (message: SlackMessage) => {
    const violations = checkBlockKitLimits(message);
    if (violations.length > 0) {
      throw new SlackDeliveryError(`Slack message breaks Block Kit limits: ${violations.join('; ')}`, {
        permanent: true,
      });
    }
    return message;
  };
  return {
    channel,
    post: (message, thread) =>
      api.postMessage({
        channel: thread?.head.channel ?? channel,
        message: checked(message),
        ...(thread === undefined ? {} : { threadTs: thread.head.ts, broadcast: thread.broadcast === true }),
      }),
    update: (ref, message) => api.update(ref, checked(message)),
    permalink: (ref) => api.getPermalink(ref),
    async send(message) {
      await api.postMessage({ channel, message: checked(message) });
    },
  };
}
