import type { Block, SlackMessage } from './slack-message';

/**
 * Slack's documented Block Kit limits for the blocks we use. Slack answers 400 `invalid_blocks` to a
 * message past any of them; checking first turns that into a readable list before anything is sent.
 * Lengths are counted in UTF-16 code units (`string.length`), never fewer than Slack's characters.
 */
export const BLOCK_KIT_LIMITS = {
  blocks: 50,
  fallbackText: 40_000,
  blockId: 255,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  contextElementText: 2000,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
} as const;

/** Every Block Kit limit `message` breaks, as readable strings; empty when Slack would accept it. */
export function checkBlockKitLimits(message: SlackMessage): string[] {
  const L = BLOCK_KIT_LIMITS;
  const violations: string[] = [];
  if (message.text.trim() === '') violations.push('text (the notification fallback) is empty');
  if (message.text.length > L.fallbackText) {
    violations.push(tooLong('text (the notification fallback)', message.text.length, L.fallbackText));
  }
  if (message.blocks.length > L.blocks) {
    violations.push(`message has ${message.blocks.length} blocks; the limit is ${L.blocks}`);
  }
  const seenIds = new Set<string>();
  message.blocks.forEach((block, index) => {
    const where = `blocks[${index}] (${block.type})`;
    if (block.block_id !== undefined) {
      if (block.block_id === '') violations.push(`${where}: block_id is empty`);
      if (block.block_id.length > L.blockId) {
        violations.push(tooLong(`${where}: block_id`, block.block_id.length, L.blockId));
      }
      if (seenIds.has(block.block_id))
        violations.push(`${where}: block_id "${block.block_id}" is used twice`);
      seenIds.add(block.block_id);
    }
    violations.push(...checkBlock(block, where));
  });
  return violations;
}

function checkBlock(block: Block, where: string): string[] {
  const L = BLOCK_KIT_LIMITS;
  switch (block.type) {
    case 'header':
      return checkText(`${where}: text`, block.text.text, L.headerText);
    case 'section': {
      const fields = block.fields ?? [];
      const violations: string[] = [];
      if (block.text === undefined && fields.length === 0)
        violations.push(`${where}: has neither text nor fields`);
      if (block.text !== undefined)
        violations.push(...checkText(`${where}: text`, block.text.text, L.sectionText));
      if (fields.length > L.sectionFields) {
        violations.push(`${where}: has ${fields.length} fields; the limit is ${L.sectionFields}`);
      }
      fields.forEach((field, i) => {
        violations.push(...checkText(`${where}: fields[${i}]`, field.text, L.sectionFieldText));
      });
      return violations;
    }
    case 'context': {
      const violations: string[] = [];
      if (block.elements.length === 0) violations.push(`${where}: has no elements`);
      if (block.elements.length > L.contextElements) {
        violations.push(`${where}: has ${block.elements.length} elements; the limit is ${L.contextElements}`);
      }
      block.elements.forEach((element, i) => {
        violations.push(...checkText(`${where}: elements[${i}]`, element.text, L.contextElementText));
      });
      return violations;
    }
    case 'divider':
      return [];
    case 'actions': {
      const violations: string[] = [];
      if (block.elements.length === 0) violations.push(`${where}: has no elements`);
      if (block.elements.length > L.actionsElements) {
        violations.push(`${where}: has ${block.elements.length} elements; the limit is ${L.actionsElements}`);
      }
      block.elements.forEach((button, i) => {
        violations.push(...checkText(`${where}: elements[${i}].text`, button.text.text, L.buttonText));
        violations.push(...checkText(`${where}: elements[${i}].action_id`, button.action_id, L.actionId));
        if (button.value !== undefined)
          violations.push(...checkText(`${where}: elements[${i}].value`, button.value, L.buttonValue));
      });
      return violations;
    }
    default:
      return [`${where}: unknown block type`];
  }
}

function checkText(what: string, text: string, max: number): string[] {
  if (text === '') return [`${what} is empty`];
  return text.length > max ? [tooLong(what, text.length, max)] : [];
}

function tooLong(what: string, length: number, max: number): string {
  return `${what} is ${length} characters; the limit is ${max}`;
}
