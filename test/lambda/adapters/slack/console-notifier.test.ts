import { describe, expect, it } from 'vitest';
import { createConsoleNotifier } from '../../../../lambda/adapters/slack/console-notifier';
import { checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';
import { escapeMrkdwn } from '../../../../lambda/domain/slack/mrkdwn';
import { blockKitBuilderUrl } from '../../../../lambda/domain/slack/render-text';
import { SlackDeliveryError } from '../../../../lambda/domain/slack/slack-delivery-error';
import type { SlackMessage } from '../../../../lambda/domain/slack/slack-message';

const message: SlackMessage = {
  text: 'Daily digest',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Daily digest' } },
    { type: 'section', text: { type: 'mrkdwn', text: `Queue ${escapeMrkdwn('Sales & Support')}` } },
    { type: 'section', fields: [{ type: 'mrkdwn', text: '*Calls*\n1,204' }] },
  ],
};

describe('createConsoleNotifier', () => {
  it('prints the message as readable text followed by a Block Kit Builder link', async () => {
    // Prepare
    expect(checkBlockKitLimits(message)).toEqual([]);
    const out: string[] = [];
    // Act
    await createConsoleNotifier((text) => out.push(text)).send(message);
    // Assess
    const printed = out.join('');
    expect(printed).toContain('Daily digest\n============');
    expect(printed).toContain('Queue Sales & Support');
    expect(printed).toContain('*Calls*: 1,204');
    expect(printed).toContain(`Preview in Block Kit Builder: ${blockKitBuilderUrl(message)}`);
    expect(printed.indexOf('Daily digest')).toBeLessThan(printed.indexOf('Preview in Block Kit Builder'));
  });

  it('prints, then refuses, a message that Slack would refuse', async () => {
    // Prepare
    const out: string[] = [];
    const broken: SlackMessage = { text: '', blocks: [{ type: 'divider' }] };
    // Act
    const error = await createConsoleNotifier((text) => out.push(text))
      .send(broken)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // Assess
    expect(out.join('')).toContain('Preview in Block Kit Builder:');
    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect((error as SlackDeliveryError).permanent).toBe(true);
    expect((error as SlackDeliveryError).message).toContain('text (the notification fallback) is empty');
  });
});
