import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { checkBlockKitLimits } from '../../lambda/domain/slack/block-kit-limits';
import { renderMessageAsText } from '../../lambda/domain/slack/render-text';
import type { Block, SlackMessage } from '../../lambda/domain/slack/slack-message';

/**
 * A fake Slack Web API on loopback, for `npm start -- --slack-app`, the stand-in and the tests: the
 * methods Slack app mode calls (chat.postMessage, chat.update, chat.getPermalink, reactions.add,
 * chat.postEphemeral, auth.test, usergroups.users.list), answered as Slack answers them (HTTP 200 with `ok:false` and an
 * error code; 429 with Retry-After when rate limited), and a channel history that keeps each head
 * message with its edits and its thread. It can be told to answer errors (`fail`), to forget a
 * message (`deleteMessage`: message_not_found), to lose a channel (`removeChannel`) or to stop
 * accepting the token (`revokeToken`).
 */

export interface SlackStandInOptions {
  /** The bot token accepted (Authorization: Bearer …). */
  readonly token: string;
  /** Channels that exist. @default ['C0ALERTS00', 'C0DIGEST00'] */
  readonly channels?: readonly string[];
  readonly teamId?: string;
  /** User groups (S…) and their members, for usergroups.users.list. @default none */
  readonly userGroups?: Readonly<Record<string, readonly string[]>>;
  /** The clock message `ts` values are taken from. @default the real clock */
  readonly now?: () => Date;
  /** @default 0 (a free port) */
  readonly port?: number;
}

/** A message as the channel keeps it. */
export interface FakeSlackMessage {
  readonly ts: string;
  readonly channel: string;
  text: string;
  blocks: Block[];
  /** Set on a thread reply: the head's ts. */
  readonly threadTs?: string;
  /** A thread reply also shown in the channel. */
  readonly broadcast: boolean;
  /** Earlier versions, oldest first (chat.update keeps the current one in text/blocks). */
  readonly edits: Array<{ readonly text: string; readonly blocks: Block[] }>;
  readonly replies: FakeSlackMessage[];
  readonly reactions: string[];
}

/** What a method answers instead of its normal answer, once per `fail` entry. */
export type SlackFault =
  | { readonly error: string; readonly status?: number; readonly retryAfterSeconds?: number }
  | { readonly status: number; readonly body: string };

export interface SlackCall {
  readonly method: string;
  /** Slack's error code, when it answered `ok:false` (or 429). */
  readonly error?: string;
  readonly status: number;
}

export interface SlackStandIn {
  /** The Web API base, ending in "/": `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly token: string;
  readonly teamId: string;
  /** Every call, in order. */
  readonly calls: readonly SlackCall[];
  /** Top-level messages of a channel (thread replies not included, broadcasts not repeated). */
  heads(channel: string): readonly FakeSlackMessage[];
  /** Thread replies that were also broadcast to the channel. */
  broadcasts(channel: string): readonly FakeSlackMessage[];
  /** Ephemeral messages shown to one user. */
  readonly ephemerals: ReadonlyArray<{ channel: string; user: string; text: string }>;
  /** The next `times` calls of `method` answer `fault`. */
  fail(method: string, fault: SlackFault, times?: number): void;
  /** Forgets a message: chat.update on it answers message_not_found. */
  deleteMessage(channel: string, ts: string): void;
  /** The channel is gone: every method on it answers channel_not_found. */
  removeChannel(channel: string): void;
  /** The token is revoked (token_revoked); `next` becomes the one accepted, if given. */
  revokeToken(next?: string): void;
  /** The channel as a person would read it: each head as it now stands, its edits count, its thread. */
  render(channel: string): string;
  close(): Promise<void>;
}

const DEFAULT_CHANNELS = ['C0ALERTS00', 'C0DIGEST00'];
const MAX_BODY_BYTES = 1024 * 1024;

const Mrkdwn = z.object({ type: z.literal('mrkdwn'), text: z.string(), verbatim: z.boolean().optional() });
const BlockSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('header'),
    text: z.object({ type: z.literal('plain_text'), text: z.string(), emoji: z.boolean().optional() }),
    block_id: z.string().optional(),
  }),
  z.object({
    type: z.literal('section'),
    text: Mrkdwn.optional(),
    fields: z.array(Mrkdwn).optional(),
    block_id: z.string().optional(),
  }),
  z.object({ type: z.literal('context'), elements: z.array(Mrkdwn), block_id: z.string().optional() }),
  z.object({ type: z.literal('divider'), block_id: z.string().optional() }),
  // Buttons (Slack app mode's actions) are kept as sent.
  z.looseObject({ type: z.literal('actions'), elements: z.array(z.unknown()) }),
]);
const MessageArgs = z.looseObject({
  channel: z.string(),
  text: z.string().optional(),
  blocks: z.array(BlockSchema).optional(),
});

export async function startSlackStandIn(options: SlackStandInOptions): Promise<SlackStandIn> {
  let token = options.token;
  const revoked = new Set<string>();
  const teamId = options.teamId ?? 'T0STANDIN0';
  const now = options.now ?? (() => new Date());
  const channels = new Map<string, FakeSlackMessage[]>(
    (options.channels ?? DEFAULT_CHANNELS).map((id) => [id, [] as FakeSlackMessage[]]),
  );
  const calls: SlackCall[] = [];
  const ephemerals: Array<{ channel: string; user: string; text: string }> = [];
  const faults = new Map<string, SlackFault[]>();
  let lastTs = 0;
  let base = '';

  /** A unique ts at the stand-in's clock: seconds.micro, increasing even when the clock stands still. */
  const nextTs = () => {
    const micros = Math.max(now().getTime() * 1000, lastTs + 1);
    lastTs = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };

  const find = (channel: string, ts: string) => channels.get(channel)?.find((message) => message.ts === ts);

  type Reply = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };
  const ok = (body: Record<string, unknown> = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
  const refuse = (error: string): Reply => ({ status: 200, body: { ok: false, error } });

  const messageOf = (args: z.infer<typeof MessageArgs>): SlackMessage | string => {
    if (!args.text && (args.blocks ?? []).length === 0) return 'no_text';
    const message = { text: args.text ?? '', blocks: (args.blocks ?? []) as Block[] };
    const known = message.blocks.filter((block) => (block.type as string) !== 'actions');
    if (checkBlockKitLimits({ ...message, blocks: known }).length > 0) return 'invalid_blocks';
    return message;
  };

  const methods: Record<string, (body: Record<string, unknown>) => Reply> = {
    'auth.test': () =>
      ok({ url: `${base}`, team: 'Stand-in', team_id: teamId, user_id: 'U0BOT00000', bot_id: 'B0BOT00000' }),
    'chat.postMessage': (body) => {
      const args = MessageArgs.safeParse(body);
      if (!args.success) return refuse('invalid_arguments');
      const history = channels.get(args.data.channel);
      if (history === undefined) return refuse('channel_not_found');
      const message = messageOf(args.data);
      if (typeof message === 'string') return refuse(message);
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      const head = threadTs === undefined ? undefined : find(args.data.channel, threadTs);
      if (threadTs !== undefined && head === undefined) return refuse('thread_not_found');
      const posted: FakeSlackMessage = {
        ts: nextTs(),
        channel: args.data.channel,
        ...message,
        ...(threadTs === undefined ? {} : { threadTs }),
        broadcast: threadTs !== undefined && body.reply_broadcast === true,
        edits: [],
        replies: [],
        reactions: [],
      };
      if (head === undefined) history.push(posted);
      else head.replies.push(posted);
      return ok({ channel: posted.channel, ts: posted.ts, message: { text: posted.text } });
    },
    'chat.update': (body) => {
      const args = MessageArgs.safeParse(body);
      if (!args.success || typeof body.ts !== 'string') return refuse('invalid_arguments');
      if (!channels.has(args.data.channel)) return refuse('channel_not_found');
      const target = find(args.data.channel, body.ts);
      if (target === undefined) return refuse('message_not_found');
      const message = messageOf(args.data);
      if (typeof message === 'string') return refuse(message);
      target.edits.push({ text: target.text, blocks: target.blocks });
      target.text = message.text;
      target.blocks = message.blocks;
      return ok({ channel: target.channel, ts: target.ts, text: target.text });
    },
    'chat.getPermalink': (body) => {
      const channel = String(body.channel ?? '');
      const ts = String(body.message_ts ?? '');
      if (!channels.has(channel)) return refuse('channel_not_found');
      if (find(channel, ts) === undefined) return refuse('message_not_found');
      return ok({
        channel,
        permalink: `${base.replace(/api\/$/, '')}archives/${channel}/p${ts.replace('.', '')}`,
      });
    },
    'reactions.add': (body) => {
      const channel = String(body.channel ?? '');
      const target = find(channel, String(body.timestamp ?? ''));
      if (!channels.has(channel)) return refuse('channel_not_found');
      if (target === undefined) return refuse('message_not_found');
      const name = String(body.name ?? '');
      if (target.reactions.includes(name)) return refuse('already_reacted');
      target.reactions.push(name);
      return ok();
    },
    'usergroups.users.list': (body) => {
      const members = options.userGroups?.[String(body.usergroup ?? '')];
      return members === undefined ? refuse('no_such_subteam') : ok({ users: [...members] });
    },
    'chat.postEphemeral': (body) => {
      const channel = String(body.channel ?? '');
      if (!channels.has(channel)) return refuse('channel_not_found');
      if (typeof body.user !== 'string' || typeof body.text !== 'string') return refuse('invalid_arguments');
      ephemerals.push({ channel, user: body.user, text: body.text });
      return ok({ message_ts: nextTs() });
    },
  };

  const authError = (header: string | undefined): string | undefined => {
    const presented = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (presented === undefined || presented === '') return 'not_authed';
    if (revoked.has(presented)) return 'token_revoked';
    return presented === token ? undefined : 'invalid_auth';
  };

  const answer = (method: string, request: IncomingMessage, raw: string): Reply => {
    const fault = faults.get(method)?.shift();
    if (fault !== undefined) {
      if ('body' in fault) return { status: fault.status, body: { raw: fault.body } };
      const status = fault.status ?? (fault.error === 'ratelimited' ? 429 : 200);
      return {
        status,
        body: { ok: false, error: fault.error },
        ...(fault.retryAfterSeconds === undefined
          ? {}
          : { headers: { 'retry-after': String(fault.retryAfterSeconds) } }),
      };
    }
    const handler = methods[method];
    if (handler === undefined) return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const denied = authError(request.headers.authorization);
    if (denied !== undefined) return refuse(denied);
    let body: Record<string, unknown>;
    try {
      const type = request.headers['content-type'] ?? '';
      // Read methods take their arguments from the query string too, as Slack's do.
      const query = Object.fromEntries(new URL(request.url ?? '/', 'http://stand-in').searchParams);
      body = {
        ...query,
        ...(type.startsWith('application/x-www-form-urlencoded')
          ? formBody(raw)
          : ((raw === '' ? {} : JSON.parse(raw)) as Record<string, unknown>)),
      };
    } catch {
      return refuse('invalid_json');
    }
    const channel = typeof body.channel === 'string' ? body.channel : undefined;
    if (channel !== undefined && !channels.has(channel)) return refuse('channel_not_found');
    return handler(body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    }
    const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
    const method = path.startsWith('/api/') ? path.slice('/api/'.length) : '';
    const reply =
      request.method !== 'POST'
        ? { status: 405, body: { ok: false, error: 'method_not_supported_for_channel_type' } }
        : size > MAX_BODY_BYTES
          ? { status: 413, body: { ok: false, error: 'request_too_large' } }
          : answer(method, request, Buffer.concat(chunks).toString('utf8'));
    const error = reply.body.ok === false ? String(reply.body.error) : undefined;
    calls.push({ method, status: reply.status, ...(error === undefined ? {} : { error }) });
    const text = 'raw' in reply.body ? String(reply.body.raw) : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      'content-type': 'raw' in reply.body ? 'text/html' : 'application/json; charset=utf-8',
      ...('headers' in reply ? reply.headers : {}),
    });
    response.end(text);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/api/`;

  return {
    url: base,
    get token() {
      return token;
    },
    teamId,
    calls,
    ephemerals,
    heads: (channel) => channels.get(channel) ?? [],
    broadcasts: (channel) =>
      (channels.get(channel) ?? []).flatMap((head) => head.replies.filter((reply) => reply.broadcast)),
    fail(method, fault, times = 1) {
      const queue = faults.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(fault);
      faults.set(method, queue);
    },
    deleteMessage(channel, ts) {
      const history = channels.get(channel);
      const index = history?.findIndex((message) => message.ts === ts) ?? -1;
      if (history !== undefined && index >= 0) history.splice(index, 1);
    },
    removeChannel(channel) {
      channels.delete(channel);
    },
    revokeToken(next) {
      revoked.add(token);
      if (next !== undefined) token = next;
    },
    render: (channel) => renderChannel(channel, channels.get(channel) ?? []),
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function formBody(raw: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    body[name] = name === 'blocks' ? JSON.parse(value) : value === 'true' ? true : value;
  }
  return body;
}

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

/** A channel in a terminal: each head as it stands now (and how often it was edited), then its thread. */
export function renderChannel(channel: string, heads: readonly FakeSlackMessage[]): string {
  if (heads.length === 0) return `#${channel}: no messages`;
  return heads
    .map((head) => {
      const edited = head.edits.length === 0 ? '' : ` (edited ${head.edits.length}×)`;
      const thread = head.replies.map(
        (reply) =>
          `  ↳ ${reply.broadcast ? '[also sent to the channel] ' : ''}${indent(renderMessageAsText(reply), '    ').trimStart()}`,
      );
      return [
        `#${channel} · message ${head.ts}${edited}:`,
        indent(renderMessageAsText(head), '  '),
        ...(thread.length === 0
          ? []
          : [`  Thread (${thread.length} ${thread.length === 1 ? 'reply' : 'replies'}):`, ...thread]),
      ].join('\n');
    })
    .join('\n\n');
}
