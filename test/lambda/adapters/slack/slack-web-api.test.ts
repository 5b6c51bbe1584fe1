import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../../../dev/stand-in/slack-stand-in';
import {
  createSlackWebApi,
  SlackApiError,
  type SlackWebApiOptions,
} from '../../../../lambda/adapters/slack/slack-web-api';
import { slackErrorCode } from '../../../../lambda/domain/slack/slack-delivery-error';
import type { SlackMessage } from '../../../../lambda/domain/slack/slack-message';
import type { Logger } from '../../../../lambda/shared/logger';

/** The small Web API client against the fake Slack Web API, over real HTTP on 127.0.0.1. */

const TOKEN = 'xoxb-1111-2222-secretpart';
const CHANNEL = 'C0ALERTS00';
const message = (text: string): SlackMessage => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

let slack: SlackStandIn;
let waits: number[];
let lines: string[];
const logger: Logger = {
  debug: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
  info: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
  warn: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
  error: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
};

const client = (overrides: Partial<SlackWebApiOptions> = {}) =>
  createSlackWebApi({
    apiUrl: slack.url,
    token: async () => TOKEN,
    timeoutMs: 2_000,
    maxAttempts: 3,
    logger,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    ...overrides,
  });

beforeEach(async () => {
  slack = await startSlackStandIn({ token: TOKEN });
  waits = [];
  lines = [];
});
afterEach(async () => {
  await slack.close();
});

describe('Slack Web API client', () => {
  it('posts a head, edits it, replies in its thread and reads its permalink', async () => {
    const api = client();
    const head = await api.postMessage({ channel: CHANNEL, message: message('fired') });
    await api.update(head, message('eased'));
    await api.postMessage({ channel: CHANNEL, message: message('eased to WARN'), threadTs: head.ts });
    const permalink = await api.getPermalink(head);
    const [stored] = slack.heads(CHANNEL);
    expect(slack.heads(CHANNEL)).toHaveLength(1);
    expect(stored?.text).toBe('eased');
    expect(stored?.edits.map((edit) => edit.text)).toEqual(['fired']);
    expect(stored?.replies.map((reply) => reply.text)).toEqual(['eased to WARN']);
    expect(permalink).toContain(`/archives/${CHANNEL}/p${head.ts.replace('.', '')}`);
  });

  it('reads the team id from auth.test', async () => {
    await expect(client().authTest()).resolves.toMatchObject({ teamId: slack.teamId });
  });

  it('turns HTTP 200 with ok:false into a SlackApiError carrying the method and error code', async () => {
    const error = await client()
      .update({ channel: CHANNEL, ts: '1.000001' }, message('x'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ method: 'chat.update', slackError: 'message_not_found', permanent: true });
    expect(slack.calls.filter((call) => call.method === 'chat.update')).toHaveLength(1);
  });

  it('waits the Retry-After Slack asks for when rate limited (ok:false ratelimited and HTTP 429)', async () => {
    slack.fail('chat.postMessage', { error: 'ratelimited', status: 200, retryAfterSeconds: 3 });
    slack.fail('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 7 });
    await client().postMessage({ channel: CHANNEL, message: message('hello') });
    expect(waits).toEqual([3_000, 7_000]);
    expect(slack.heads(CHANNEL)).toHaveLength(1);
  });

  it('gives up without waiting when Retry-After goes past the run deadline', async () => {
    slack.fail('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 60 });
    const error = await client({ deadline: Date.now() + 5_000 })
      .postMessage({ channel: CHANNEL, message: message('hello') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackApiError);
    expect(slackErrorCode(error)).toBe('ratelimited');
    expect(String(error)).toContain('deadline');
    expect(waits).toEqual([]);
  });

  it('retries Slack internal errors and 5xx with backoff, not permanent refusals', async () => {
    slack.fail('chat.postMessage', { error: 'internal_error' });
    slack.fail('chat.postMessage', { status: 503, body: '<html>down</html>' });
    await client().postMessage({ channel: CHANNEL, message: message('hello') });
    expect(waits).toHaveLength(2);
    slack.fail('chat.postMessage', { error: 'channel_is_archived' });
    await expect(client().postMessage({ channel: CHANNEL, message: message('x') })).rejects.toMatchObject({
      slackError: 'channel_is_archived',
      permanent: true,
    });
    expect(waits).toHaveLength(2);
  });

  it('reads the token again once after token_revoked and repeats the call with the new one', async () => {
    slack.revokeToken('xoxb-3333-4444-rotated');
    let reloads = 0;
    const api = client({
      reloadToken: async () => {
        reloads += 1;
        return 'xoxb-3333-4444-rotated';
      },
    });
    await api.postMessage({ channel: CHANNEL, message: message('hello') });
    await api.postMessage({ channel: CHANNEL, message: message('again') });
    expect(reloads).toBe(1);
    expect(slack.heads(CHANNEL)).toHaveLength(2);
  });

  it('fails with invalid_auth after one fresh read when the secret holds the same refused token, and never shows it', async () => {
    slack.revokeToken('xoxb-other');
    let reloads = 0;
    const api = client({
      reloadToken: async () => {
        reloads += 1;
        return TOKEN;
      },
    });
    const error = await api.postMessage({ channel: CHANNEL, message: message('x') }).catch((e: unknown) => e);
    const again = await api.postMessage({ channel: CHANNEL, message: message('x') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ slackError: 'token_revoked', isAuthError: true, permanent: true });
    expect(again).toMatchObject({ slackError: 'token_revoked' });
    expect(reloads).toBe(1);
    const shown = [String(error), (error as Error).stack, JSON.stringify(error), ...lines].join('\n');
    expect(shown).not.toContain('secretpart');
  });
});
