import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { checkBlockKitLimits } from '../../lambda/domain/slack/block-kit-limits';
import type { SlackMessage } from '../../lambda/domain/slack/slack-message';

/**
 * A loopback stand-in for a Slack incoming webhook: a real HTTP server that answers as Slack does
 * (200 `ok`, 400 `invalid_payload` / `no_text` / `invalid_blocks`, 404 `no_service` on another path)
 * and can be told to fail first (429 with Retry-After, 5xx, 410, or never answer at all).
 * Stricter than Slack in one way: it also answers `invalid_blocks` to a message that breaks any of
 * `checkBlockKitLimits`, including a missing fallback text, which this project always sends.
 */

/** A queued answer; `hang` never answers (the client's timeout has to end the request). */
export type ReceiverResponse =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | { hang: true };

export interface SlackReceiver {
  /** `http://127.0.0.1:PORT/services/T000/B000/XXXX` */
  readonly url: string;
  /** Bodies of the posts answered 200 `ok`, in order. */
  readonly received: SlackMessage[];
  /** Every POST to the webhook path, accepted or not. */
  readonly attempts: number;
  /** Queues answers for the next posts; once used up, posts are answered as Slack would. */
  respondWith(...responses: ReceiverResponse[]): void;
  close(): Promise<void>;
}

const WEBHOOK_PATH = '/services/T000/B000/XXXX';

const MrkdwnSchema = z.object({
  type: z.literal('mrkdwn'),
  text: z.string(),
  verbatim: z.boolean().optional(),
});
const blockId = { block_id: z.string().optional() };
const BlockSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('header'),
    text: z.object({ type: z.literal('plain_text'), text: z.string(), emoji: z.boolean().optional() }),
    ...blockId,
  }),
  z.object({
    type: z.literal('section'),
    text: MrkdwnSchema.optional(),
    fields: z.array(MrkdwnSchema).optional(),
    ...blockId,
  }),
  z.object({ type: z.literal('context'), elements: z.array(MrkdwnSchema), ...blockId }),
  z.object({ type: z.literal('divider'), ...blockId }),
]);
const SlackMessageSchema: z.ZodType<SlackMessage> = z.object({
  text: z.string(),
  blocks: z.array(BlockSchema),
});
/** Enough to tell "no text" from "bad blocks", as Slack does. */
const LoosePayloadSchema = z.looseObject({
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
});

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const received: SlackMessage[] = [];
  const queue: ReceiverResponse[] = [];
  let attempts = 0;

  const answer = (
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'text/html', ...headers });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url !== WEBHOOK_PATH) return answer(res, 404, 'no_service');
    if (req.method !== 'POST') return answer(res, 405, 'invalid_method');
    attempts += 1;
    const queued = queue.shift();
    if (queued !== undefined) {
      if ('hang' in queued) return; // never answered; close() drops the socket
      if (queued.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, queued.delayMs));
      return answer(res, queued.status, queued.body ?? '', queued.headers);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(res, 400, 'invalid_payload');
    }
    const loose = LoosePayloadSchema.safeParse(json);
    if (!loose.success) return answer(res, 400, 'invalid_payload');
    if (!loose.data.text && (loose.data.blocks ?? []).length === 0) return answer(res, 400, 'no_text');
    const message = SlackMessageSchema.safeParse({
      text: loose.data.text ?? '',
      blocks: loose.data.blocks ?? [],
    });
    if (!message.success || checkBlockKitLimits(message.data).length > 0)
      return answer(res, 400, 'invalid_blocks');
    received.push(message.data);
    return answer(res, 200, 'ok');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, 'receiver_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    received,
    get attempts() {
      return attempts;
    },
    respondWith(...responses) {
      queue.push(...responses);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
