import { unescapeMrkdwn } from './mrkdwn';
import type { Block, SlackMessage } from './slack-message';

const RULE = '-'.repeat(40);
const BUILDER = 'https://app.slack.com/block-kit-builder#';

/**
 * The message as readable plain text for a terminal: header underlined, sections and fields as
 * `label: value` lines, context on one line, dividers as a rule. Entities are unescaped and links
 * shown as `label (url)`; `*bold*` and `_italic_` markers are kept, they read well as they are.
 * Falls back to `text` when there are no blocks.
 */
export function renderMessageAsText(message: SlackMessage): string {
  if (message.blocks.length === 0) return display(message.text);
  return message.blocks.map(renderBlock).join('\n\n');
}

/** A link that opens the message's blocks in Slack's Block Kit Builder, for a visual preview. */
export function blockKitBuilderUrl(message: SlackMessage): string {
  return BUILDER + encodeURIComponent(JSON.stringify({ blocks: message.blocks }));
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'header': {
      const title = block.text.text;
      return `${title}\n${'='.repeat(Math.max(3, [...title].length))}`;
    }
    case 'section': {
      const parts: string[] = [];
      if (block.text !== undefined) parts.push(display(block.text.text));
      if (block.fields !== undefined && block.fields.length > 0) {
        parts.push(block.fields.map((field) => renderField(display(field.text))).join('\n'));
      }
      return parts.join('\n');
    }
    case 'context':
      return block.elements.map((element) => display(element.text)).join(' | ');
    case 'divider':
      return RULE;
    case 'actions':
      return block.elements.map((button) => `[ ${button.text.text} ]`).join(' ');
  }
}

/** A field is `label\nvalue` by convention; one line reads better in a terminal. */
function renderField(text: string): string {
  const newline = text.indexOf('\n');
  if (newline === -1) return text;
  const label = text.slice(0, newline).trimEnd();
  const value = text
    .slice(newline + 1)
    .split('\n')
    .join('\n  ');
  return `${label}: ${value}`;
}

/** mrkdwn → terminal text: `<url|label>` becomes `label (url)`, then entities are unescaped. */
function display(mrkdwn: string): string {
  const linked = mrkdwn.replace(/<([^<>|]+)(?:\|([^<>]*))?>/g, (_match, target: string, label?: string) =>
    label === undefined || label === '' ? target : `${label} (${target})`,
  );
  return unescapeMrkdwn(linked);
}
