import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../../dev/stand-in/slack-stand-in';

/** The fake Slack Web API answers as Slack does, over real HTTP, and keeps the channel's history. */

const TOKEN = 'xoxb-test-token';
let slack: SlackStandIn;
beforeEach(async () => {
  slack = await startSlackStandIn({ token: TOKEN, now: () => new Date('2025-11-11T01:00:00Z') });
});
afterEach(async () => {
  await slack.close();
});

const call = async (method: string, body: object, token = TOKEN) => {
  const response = await fetch(`${slack.url}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('fake Slack Web API', () => {
  it('keeps heads, edits, thread replies and broadcasts apart, with increasing ts', async () => {
    const head = await call('chat.postMessage', { channel: 'C0ALERTS00', text: 'fired' });
    const ts = String(head.body.ts);
    await call('chat.update', { channel: 'C0ALERTS00', ts, text: 'escalated' });
    const reply = await call('chat.postMessage', {
      channel: 'C0ALERTS00',
      text: 'CRIT',
      thread_ts: ts,
      reply_broadcast: true,
    });
    expect(head.body).toMatchObject({ ok: true, channel: 'C0ALERTS00' });
    expect(Number(reply.body.ts)).toBeGreaterThan(Number(ts));
    expect(slack.heads('C0ALERTS00')).toHaveLength(1);
    expect(slack.broadcasts('C0ALERTS00').map((m) => m.text)).toEqual(['CRIT']);
    expect(slack.render('C0ALERTS00')).toContain('(edited 1×)');
    expect(slack.render('C0ALERTS00')).toContain('Thread (1 reply)');
  });

  it('answers as Slack does: unknown token, unknown channel, missing message or thread, no text', async () => {
    expect((await call('chat.postMessage', { channel: 'C0ALERTS00', text: 'x' }, 'xoxb-wrong')).body).toEqual(
      { ok: false, error: 'invalid_auth' },
    );
    expect((await call('chat.postMessage', { channel: 'C0NOWHERE0', text: 'x' })).body.error).toBe(
      'channel_not_found',
    );
    expect((await call('chat.update', { channel: 'C0ALERTS00', ts: '1.1', text: 'x' })).body.error).toBe(
      'message_not_found',
    );
    expect(
      (await call('chat.postMessage', { channel: 'C0ALERTS00', text: 'x', thread_ts: '1.1' })).body.error,
    ).toBe('thread_not_found');
    expect((await call('chat.postMessage', { channel: 'C0ALERTS00' })).body.error).toBe('no_text');
    expect((await call('auth.test', {})).body).toMatchObject({ ok: true, team_id: slack.teamId });
  });

  it('answers injected faults in order, 429 with Retry-After for ratelimited, then as usual', async () => {
    slack.fail('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 2 });
    const limited = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0ALERTS00', text: 'x' }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await call('chat.postMessage', { channel: 'C0ALERTS00', text: 'x' })).body.ok).toBe(true);
  });

  it('forgets a deleted message, loses a removed channel, refuses a revoked token', async () => {
    const ts = String((await call('chat.postMessage', { channel: 'C0ALERTS00', text: 'x' })).body.ts);
    slack.deleteMessage('C0ALERTS00', ts);
    expect((await call('chat.update', { channel: 'C0ALERTS00', ts, text: 'y' })).body.error).toBe(
      'message_not_found',
    );
    slack.removeChannel('C0DIGEST00');
    expect((await call('chat.postMessage', { channel: 'C0DIGEST00', text: 'x' })).body.error).toBe(
      'channel_not_found',
    );
    slack.revokeToken('xoxb-next');
    expect((await call('auth.test', {})).body.error).toBe('token_revoked');
    expect((await call('auth.test', {}, 'xoxb-next')).body.ok).toBe(true);
  });
});
