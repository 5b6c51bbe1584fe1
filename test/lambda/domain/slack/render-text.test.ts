import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';
import { escapeMrkdwn } from '../../../../lambda/domain/slack/mrkdwn';
import { blockKitBuilderUrl, renderMessageAsText } from '../../../../lambda/domain/slack/render-text';
import type { Block, SlackMessage } from '../../../../lambda/domain/slack/slack-message';

const digest: SlackMessage = {
  text: 'Daily digest for Sales & Support',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Daily digest' } },
    { type: 'section', text: { type: 'mrkdwn', text: `*Queue:* ${escapeMrkdwn('Sales & <Support>')}` } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Calls*\n1,204' },
        { type: 'mrkdwn', text: '*Connect rate*\n61.2%' },
      ],
    },
    { type: 'divider' },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Source: AIRUDDER' },
        { type: 'mrkdwn', text: '<https://example.com/archive|archive>' },
      ],
    },
  ],
};

describe('renderMessageAsText', () => {
  it('renders a whole message as readable terminal text', () => {
    expect(checkBlockKitLimits(digest)).toEqual([]);
    expect(renderMessageAsText(digest)).toBe(
      [
        'Daily digest',
        '============',
        '',
        '*Queue:* Sales & <Support>',
        '',
        '*Calls*: 1,204',
        '*Connect rate*: 61.2%',
        '',
        '----------------------------------------',
        '',
        'Source: AIRUDDER | archive (https://example.com/archive)',
      ].join('\n'),
    );
  });

  it.each<{ name: string; block: Block; expected: string }>([
    {
      name: 'a header underlined to its length',
      block: { type: 'header', text: { type: 'plain_text', text: 'Alert: Sales' } },
      expected: 'Alert: Sales\n============',
    },
    {
      name: 'an escaped mention unescaped for display',
      block: { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn('<!channel> & co') } },
      expected: '<!channel> & co',
    },
    {
      name: 'a field without a label line as it is',
      block: { type: 'section', fields: [{ type: 'mrkdwn', text: 'just a value' }] },
      expected: 'just a value',
    },
    {
      name: 'a multi-line field value indented under its label',
      block: { type: 'section', fields: [{ type: 'mrkdwn', text: '*Top queues*\nSales\nSupport' }] },
      expected: '*Top queues*: Sales\n  Support',
    },
    {
      name: 'a bare link as its URL',
      block: { type: 'context', elements: [{ type: 'mrkdwn', text: 'see <https://example.com/x>' }] },
      expected: 'see https://example.com/x',
    },
    {
      name: 'a divider as a rule',
      block: { type: 'divider' },
      expected: '-'.repeat(40),
    },
  ])('renders $name', ({ block, expected }) => {
    expect(renderMessageAsText({ text: 'fallback', blocks: [block] })).toBe(expected);
  });

  it('shows the fallback text, unescaped, when there are no blocks', () => {
    expect(renderMessageAsText({ text: 'Sales &amp; Support', blocks: [] })).toBe('Sales & Support');
  });
});

describe('blockKitBuilderUrl', () => {
  it('links to the Block Kit Builder with the blocks in the fragment', () => {
    expect(blockKitBuilderUrl(digest).startsWith('https://app.slack.com/block-kit-builder#')).toBe(true);
  });

  it('round-trips the blocks through the URL fragment exactly', () => {
    // Act
    const url = new URL(blockKitBuilderUrl(digest));
    const decoded: unknown = JSON.parse(decodeURIComponent(url.hash.slice(1)));
    // Assess
    expect(decoded).toEqual({ blocks: digest.blocks });
  });

  it('percent-encodes every character that could break the fragment', () => {
    const url = blockKitBuilderUrl({
      text: 'x',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '# & % ? 😀' } }],
    });
    const fragment = url.slice(url.indexOf('#') + 1);
    expect(fragment).toMatch(/^[A-Za-z0-9\-_.!~*'()%]+$/);
  });
});
