import * as z from '../shared/zod';

/**
 * The part of Slack's `block_actions` interaction payload the interactions function reads (sent as
 * the form field `payload=<JSON>`, after the signature is verified). Unknown fields are ignored;
 * what is read is checked, so a malformed click is a 400 naming the field, never a crash.
 */

const SlackId = z.string().check(z.regex(/^[A-Z0-9]{2,32}$/, { message: 'is not a Slack id' }));

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
  response_url: z.optional(z.string()),
});
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
