import { checkBlockKitLimits } from '../../domain/slack/block-kit-limits';
import { blockKitBuilderUrl, renderMessageAsText } from '../../domain/slack/render-text';
import { SlackDeliveryError } from '../../domain/slack/slack-delivery-error';
import type { Notifier } from '../../domain/slack/slack-message';

/**
 * A Notifier for when no webhook URL is configured: prints the message as readable text and a Block
 * Kit Builder link for a visual preview. Like the webhook notifier it refuses a message that breaks
 * Block Kit limits (after printing it, so the problem can be seen), so a dry run finds such bugs too.
 */
export function createConsoleNotifier(write: (text: string) => void): Notifier {
  return {
    async send(message) {
      write(
        `${renderMessageAsText(message)}\n\nPreview in Block Kit Builder: ${blockKitBuilderUrl(message)}\n`,
      );
      const violations = checkBlockKitLimits(message);
      if (violations.length > 0) {
        throw new SlackDeliveryError(`Slack would refuse this message: ${violations.join('; ')}`, {
          permanent: true,
        });
      }
    },
  };
}
