import { describe, expect, it } from 'vitest';
import { BLOCK_KIT_LIMITS, checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';
import type { Block, MrkdwnTextObject, SlackMessage } from '../../../../lambda/domain/slack/slack-message';

const mrkdwn = (text: string): MrkdwnTextObject => ({ type: 'mrkdwn', text });
const valid: SlackMessage = {
  text: 'Connect rate below 60% on queue Sales',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Connect rate alert' } },
    {
      type: 'section',
      text: mrkdwn('*Sales* is at 52%'),
      fields: [mrkdwn('*Calls*\n120'), mrkdwn('*Rate*\n52%')],
    },
    { type: 'divider' },
    { type: 'context', elements: [mrkdwn('AIRUDDER stats, 2024-05-01 09:00')], block_id: 'ctx' },
  ],
};
const withBlock = (block: Block): SlackMessage => ({ ...structuredClone(valid), blocks: [block] });
const L = BLOCK_KIT_LIMITS;

describe('checkBlockKitLimits', () => {
  it('finds nothing wrong with a message inside every limit', () => {
    expect(checkBlockKitLimits(valid)).toEqual([]);
  });

  it('accepts every value exactly at its limit', () => {
    // Prepare
    const message: SlackMessage = {
      text: 'x'.repeat(L.fallbackText),
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'h'.repeat(L.headerText) },
          block_id: 'b'.repeat(255),
        },
        {
          type: 'section',
          text: mrkdwn('s'.repeat(L.sectionText)),
          fields: Array.from({ length: L.sectionFields }, () => mrkdwn('f'.repeat(L.sectionFieldText))),
        },
        {
          type: 'context',
          elements: Array.from({ length: L.contextElements }, () => mrkdwn('c'.repeat(2000))),
        },
        ...Array.from({ length: L.blocks - 3 }, (): Block => ({ type: 'divider' })),
      ],
    };
    // Act / Assess
    expect(message.blocks).toHaveLength(50);
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it.each<{ name: string; message: SlackMessage; expected: string }>([
    {
      name: 'more than 50 blocks',
      message: { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })) },
      expected: 'message has 51 blocks; the limit is 50',
    },
    {
      name: 'an empty fallback text',
      message: { ...valid, text: '  ' },
      expected: 'text (the notification fallback) is empty',
    },
    {
      name: 'a fallback text over 40,000 characters',
      message: { ...valid, text: 'x'.repeat(40_001) },
      expected: 'text (the notification fallback) is 40001 characters; the limit is 40000',
    },
    {
      name: 'a header over 150 characters',
      message: withBlock({ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }),
      expected: 'blocks[0] (header): text is 151 characters; the limit is 150',
    },
    {
      name: 'an empty header',
      message: withBlock({ type: 'header', text: { type: 'plain_text', text: '' } }),
      expected: 'blocks[0] (header): text is empty',
    },
    {
      name: 'a section text over 3000 characters',
      message: withBlock({ type: 'section', text: mrkdwn('s'.repeat(3001)) }),
      expected: 'blocks[0] (section): text is 3001 characters; the limit is 3000',
    },
    {
      name: 'a section with 11 fields',
      message: withBlock({ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }),
      expected: 'blocks[0] (section): has 11 fields; the limit is 10',
    },
    {
      name: 'a section field over 2000 characters',
      message: withBlock({ type: 'section', fields: [mrkdwn('ok'), mrkdwn('f'.repeat(2001))] }),
      expected: 'blocks[0] (section): fields[1] is 2001 characters; the limit is 2000',
    },
    {
      name: 'a section with neither text nor fields',
      message: withBlock({ type: 'section', fields: [] }),
      expected: 'blocks[0] (section): has neither text nor fields',
    },
    {
      name: 'a context with 11 elements',
      message: withBlock({ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }),
      expected: 'blocks[0] (context): has 11 elements; the limit is 10',
    },
    {
      name: 'a context element over 2000 characters',
      message: withBlock({ type: 'context', elements: [mrkdwn('c'.repeat(2001))] }),
      expected: 'blocks[0] (context): elements[0] is 2001 characters; the limit is 2000',
    },
    {
      name: 'a context with no elements',
      message: withBlock({ type: 'context', elements: [] }),
      expected: 'blocks[0] (context): has no elements',
    },
    {
      name: 'a block_id over 255 characters',
      message: withBlock({ type: 'divider', block_id: 'b'.repeat(256) }),
      expected: 'blocks[0] (divider): block_id is 256 characters; the limit is 255',
    },
    {
      name: 'a block_id used twice',
      message: {
        text: 'x',
        blocks: [
          { type: 'divider', block_id: 'same' },
          { type: 'divider', block_id: 'same' },
        ],
      },
      expected: 'blocks[1] (divider): block_id "same" is used twice',
    },
  ])('reports $name', ({ message, expected }) => {
    expect(checkBlockKitLimits(message)).toEqual([expected]);
  });

  it('reports every violation of one message, not only the first', () => {
    // Prepare
    const message: SlackMessage = {
      text: '',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(200) } },
        { type: 'section', text: mrkdwn('s'.repeat(3500)), fields: [mrkdwn('f'.repeat(2500))] },
      ],
    };
    // Act
    const violations = checkBlockKitLimits(message);
    // Assess
    expect(violations).toEqual([
      'text (the notification fallback) is empty',
      'blocks[0] (header): text is 200 characters; the limit is 150',
      'blocks[1] (section): text is 3500 characters; the limit is 3000',
      'blocks[1] (section): fields[0] is 2500 characters; the limit is 2000',
    ]);
  });
});
