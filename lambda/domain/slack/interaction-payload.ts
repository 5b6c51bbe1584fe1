import * as z from '../shared/zod';
import type { SlackMessage } from './slack-message';

/**
 * The part of Slack's `block_actions` interaction payload the interactions function reads (sent as
 * the form field `payload=<JSON>`, after the signature is verified). Unknown fields are ignored;
 * what is read is checked, so a malformed click is a 400 naming the field, never a crash.
 */

const SlackId = z.string().check(z.regex(/^[A-Z0-9]{2,32}$/, { message: 'is not a Slack id' }));

const PlainText = z.looseObject({
  type: z.literal('plain_text'),
  text: z.string(),
  emoji: z.optional(z.boolean()),
});
const Mrkdwn = z.looseObject({
  type: z.literal('mrkdwn'),
  text: z.string(),
  verbatim: z.optional(z.boolean()),
});
const BlockId = { block_id: z.optional(z.string()) };

/**
 * The head's blocks as Slack echoes them: the kinds the monitor posts, so a click can put the head
 * back with new controls (a message with any other block is not one of ours and is not edited).
 */
const HeadBlockSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('header'), text: PlainText, ...BlockId }),
  z.looseObject({
    type: z.literal('section'),
    text: z.optional(Mrkdwn),
    fields: z.optional(z.array(Mrkdwn)),
    ...BlockId,
  }),
  z.looseObject({ type: z.literal('context'), elements: z.array(Mrkdwn), ...BlockId }),
  z.looseObject({ type: z.literal('divider'), ...BlockId }),
  z.looseObject({
    type: z.literal('actions'),
    elements: z.array(
      z.looseObject({
        type: z.literal('button'),
        text: PlainText,
        action_id: z.string(),
        value: z.optional(z.string()),
        style: z.optional(z.enum(['primary', 'danger'])),
      }),
    ),
    ...BlockId,
  }),
]);

export const BlockActionsPayloadSchema = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id: SlackId }),
  user: z.object({ id: SlackId }),
  /** The message the buttons are on. */
  container: z.object({
    type: z.literal('message'),
    message_ts: z.string().check(z.minLength(1)),
    channel_id: SlackId,
  }),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        block_id: z.optional(z.string()),
        value: z.optional(z.string()),
      }),
    )
    .check(z.minLength(1)),
  /** The message the buttons are on, as Slack shows it now; absent or foreign: its head is not re-edited. */
  message: z.optional(z.looseObject({ text: z.optional(z.string()), blocks: z.optional(z.unknown()) })),
  response_url: z.optional(z.string()),
});

/** The head message of a click's payload, when it is one of ours (only kinds the monitor posts). */
export function headMessageOf(payload: BlockActionsPayload): SlackMessage | undefined {
  const blocks = z.array(HeadBlockSchema).safeParse(payload.message?.blocks);
  if (!blocks.success || payload.message?.text === undefined) return undefined;
  return { text: payload.message.text, blocks: blocks.data };
}
export type BlockActionsPayload = z.infer<typeof BlockActionsPayloadSchema>;

/** Thrown when a verified request is not a block_actions click we understand; names what is wrong. */
export class InteractionPayloadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InteractionPayloadError';
  }
}

/** The click in a verified form body (`payload=<JSON>`, URL-encoded). */
export function parseInteractionBody(body: string): BlockActionsPayload {
  const payload = new URLSearchParams(body).get('payload');
  if (payload === null) throw new InteractionPayloadError('the form body has no "payload" field');
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (cause) {
    throw new InteractionPayloadError('the "payload" field is not JSON', { cause });
  }
  const parsed = BlockActionsPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new InteractionPayloadError(`not a block_actions click we understand (${where})`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
