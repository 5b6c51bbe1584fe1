import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createWebhookNotifier,
  type WebhookNotifierOptions,
} from '../../../../lambda/adapters/slack/webhook-notifier';
import { checkBlockKitLimits } from '../../../../lambda/domain/slack/block-kit-limits';
import { SlackDeliveryError } from '../../../../lambda/domain/slack/slack-delivery-error';
import type { SlackMessage } from '../../../../lambda/domain/slack/slack-message';
import { createJsonLogger } from '../../../../lambda/shared/logger';
import { type SlackReceiver, startSlackReceiver } from '../../../fakes/slack-receiver';

const message: SlackMessage = {
  text: 'Connect rate below 60% on Sales',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Connect rate alert' } },
    { type: 'section', fields: [{ type: 'mrkdwn', text: '*Rate*\n52%' }] },
  ],
};

let receiver: SlackReceiver;
let logLines: string[];
let sleeps: number[];

beforeEach(async () => {
  receiver = await startSlackReceiver();
  logLines = [];
  sleeps = [];
});

afterEach(async () => {
  await receiver.close();
});

function notifier(overrides: Partial<WebhookNotifierOptions> = {}) {
  return createWebhookNotifier({
    url: receiver.url,
    timeoutMs: 2000,
    maxAttempts: 3,
    logger: createJsonLogger((line) => logLines.push(line), 'DEBUG'),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
}

async function sendExpectingFailure(send: Promise<void>): Promise<SlackDeliveryError> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlackDeliveryError);
  return error as SlackDeliveryError;
}

/** Everything a caller could see: our log lines and the error with its whole cause chain, as logged. */
function expectNoSecretIn(error?: unknown) {
  const caller: string[] = [];
  if (error !== undefined) createJsonLogger((line) => caller.push(line)).error('send failed', { error });
  const everything = [...logLines, ...caller, error instanceof Error ? error.message : ''].join('\n');
  expect(everything).not.toContain(receiver.url);
  expect(everything).not.toContain('/services/T000/B000/XXXX');
  expect(everything).not.toContain(encodeURIComponent(receiver.url));
}

describe('createWebhookNotifier', () => {
  it('delivers the message on the first attempt, exactly as built', async () => {
    // Prepare
    expect(checkBlockKitLimits(message)).toEqual([]);
    // Act
    await notifier().send(message);
    // Assess
    expect(receiver.attempts).toBe(1);
    expect(receiver.received).toEqual([message]);
    expect(sleeps).toEqual([]);
    expectNoSecretIn();
  });

  it('waits at least Retry-After after a 429, then delivers', async () => {
    // Prepare
    receiver.respondWith({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '1' } });
    // Act
    await notifier({ baseDelayMs: 10 }).send(message);
    // Assess
    expect(receiver.attempts).toBe(2);
    expect(receiver.received).toEqual([message]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(logLines.some((line) => line.includes('rate_limited'))).toBe(true);
    expectNoSecretIn();
  });

  it('retries a 500 and delivers exactly one message', async () => {
    // Prepare
    receiver.respondWith({ status: 500, body: 'internal_error' });
    // Act
    await notifier().send(message);
    // Assess
    expect(receiver.attempts).toBe(2);
    expect(receiver.received).toHaveLength(1);
    expect(sleeps).toHaveLength(1);
    expectNoSecretIn();
  });

  it.each([
    { status: 400, slackError: 'invalid_blocks' },
    { status: 403, slackError: 'invalid_token' },
    { status: 404, slackError: 'no_service' },
    { status: 410, slackError: 'channel_is_archived' },
  ])('treats $status $slackError as permanent after exactly one attempt', async ({ status, slackError }) => {
    // Prepare
    receiver.respondWith({ status, body: slackError });
    // Act
    const error = await sendExpectingFailure(notifier().send(message));
    // Assess
    expect(receiver.attempts).toBe(1);
    expect(sleeps).toEqual([]);
    expect(error.name).toBe('SlackDeliveryError');
    expect(error.permanent).toBe(true);
    expect(error.status).toBe(status);
    expect(error.slackError).toBe(slackError);
    expect(error.message).toContain(slackError);
    expect(error.cause).toBeDefined();
    const logged = logLines.filter((line) => line.includes('"level":"ERROR"'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(slackError);
    expectNoSecretIn(error);
  });

  it('redacts the webhook path in an echoed body before cutting it to its 200 characters', async () => {
    // Prepare: a proxy page that echoes the webhook's last segment across the 200-character cut
    receiver.respondWith({ status: 404, body: `${'.'.repeat(197)}XXXX and more` });
    // Act
    const error = await sendExpectingFailure(notifier().send(message));
    // Assess: not even the first three characters of the secret segment survive the cut
    expect(error.slackError).toMatch(/^\.{197}\[RE/);
    expect(error.slackError?.length).toBeLessThanOrEqual(201);
    const caller: string[] = [];
    createJsonLogger((line) => caller.push(line)).error('send failed', { error });
    for (const text of [error.message, error.slackError ?? '', ...logLines, ...caller])
      expect(text).not.toContain('XXX');
  });

  it('gives up after maxAttempts with a SlackDeliveryError that is not permanent', async () => {
    // Prepare
    receiver.respondWith(
      { status: 500, body: 'internal_error' },
      { status: 503, body: 'service_unavailable' },
      { status: 502, body: 'bad_gateway' },
    );
    // Act
    const error = await sendExpectingFailure(notifier().send(message));
    // Assess
    expect(receiver.attempts).toBe(3);
    expect(receiver.received).toEqual([]);
    expect(sleeps).toHaveLength(2);
    expect(error.permanent).toBe(false);
    expect(error.status).toBe(502);
    expect(error.slackError).toBe('bad_gateway');
    expect(error.message).toContain('after 3 attempts');
    expectNoSecretIn(error);
  });

  it('backs off exponentially between 5xx retries', async () => {
    // Prepare
    receiver.respondWith({ status: 500 }, { status: 500 }, { status: 500 });
    // Act
    await notifier({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 10_000, random: () => 1 }).send(message);
    // Assess: full jitter with random() = 1 waits the whole step.
    expect(sleeps).toEqual([100, 200, 400]);
    expect(receiver.received).toHaveLength(1);
  });

  // Real 1.5 s waits: the first fetch of a process loads undici (~0.4 s, more under load), so shorter limits flake.
  it('retries an attempt that times out, then fails when the receiver never answers', async () => {
    // Prepare
    receiver.respondWith({ hang: true }, { hang: true });
    // Act
    const error = await sendExpectingFailure(notifier({ timeoutMs: 1_500, maxAttempts: 2 }).send(message));
    // Assess
    expect(receiver.attempts).toBe(2);
    expect(error.permanent).toBe(false);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain('timed out after 1500 ms');
    expectNoSecretIn(error);
  });

  it('delivers after one attempt timed out', async () => {
    // Prepare
    receiver.respondWith({ hang: true });
    // Act
    await notifier({ timeoutMs: 1_500 }).send(message);
    // Assess
    expect(receiver.attempts).toBe(2);
    expect(receiver.received).toEqual([message]);
  });

  it('retries a refused connection and reports it as not permanent', async () => {
    // Prepare: nothing listens on the port any more.
    await receiver.close();
    // Act
    const error = await sendExpectingFailure(notifier({ maxAttempts: 2 }).send(message));
    // Assess
    expect(sleeps).toHaveLength(1);
    expect(error.permanent).toBe(false);
    expect(error.message).toContain('ECONNREFUSED');
    expectNoSecretIn(error);
    receiver = await startSlackReceiver(); // for afterEach
  });

  it('does not wait past the deadline for a long Retry-After', async () => {
    // Prepare
    const now = Date.parse('2024-05-01T09:00:00Z');
    receiver.respondWith({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '120' } });
    // Act
    const error = await sendExpectingFailure(
      notifier({ deadline: now + 10_000, now: () => now }).send(message),
    );
    // Assess
    expect(receiver.attempts).toBe(1);
    expect(sleeps).toEqual([]);
    expect(error.permanent).toBe(false);
    expect(error.status).toBe(429);
    expect(error.message).toContain('deadline');
  });

  it('sends nothing once the deadline has passed', async () => {
    const now = Date.parse('2024-05-01T09:00:00Z');
    const error = await sendExpectingFailure(notifier({ deadline: now - 1, now: () => now }).send(message));
    expect(receiver.attempts).toBe(0);
    expect(error.permanent).toBe(false);
  });

  it('refuses a message that breaks Block Kit limits without any HTTP attempt', async () => {
    // Prepare
    const tooLong: SlackMessage = {
      ...structuredClone(message),
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
    };
    // Act
    const error = await sendExpectingFailure(notifier().send(tooLong));
    // Assess
    expect(receiver.attempts).toBe(0);
    expect(error.permanent).toBe(true);
    expect(error.message).toContain('blocks[0] (header): text is 151 characters; the limit is 150');
  });

  it.each([
    { name: 'plain http to a non-loopback host', url: 'http://hooks.slack.com/services/T1/B1/secretsecret' },
    { name: 'another scheme', url: 'ftp://hooks.slack.com/services/T1/B1/secretsecret' },
    { name: 'a string that is not a URL', url: 'hooks.slack.com/services/T1/B1/secretsecret' },
  ])('refuses $name without quoting the URL', ({ url }) => {
    // Act
    let caught: unknown;
    try {
      notifier({ url });
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(Error);
    const text = `${(caught as Error).message} ${JSON.stringify(caught)}`;
    expect((caught as Error).message).toMatch(/Slack webhook URL/);
    expect(text).not.toContain('secretsecret');
    expect(text).not.toContain('hooks.slack.com');
  });

  it.each([
    'https://hooks.slack.com/services/T1/B1/secret',
    'http://127.0.0.1:8080/services/T1/B1/secret',
    'http://localhost:8080/hook',
    'http://[::1]:8080/hook',
  ])('accepts %s', (url) => {
    expect(() => notifier({ url })).not.toThrow();
  });

  it.each([
    { option: 'timeoutMs', value: 0 },
    { option: 'maxAttempts', value: 0 },
    { option: 'maxAttempts', value: 1.5 },
  ])('refuses $option = $value', ({ option, value }) => {
    expect(() => notifier({ [option]: value })).toThrow(RangeError);
  });

  it('reads Retry-After through the injected fetch', async () => {
    // Prepare: a fetch that answers 429 once, then 200, without any server.
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return calls.length === 1
        ? new Response('rate_limited', { status: 429, headers: { 'Retry-After': '7' } })
        : new Response('ok', { status: 200 });
    };
    // Act
    await notifier({ url: 'https://hooks.slack.com/services/T1/B1/secret', fetch: fakeFetch }).send(message);
    // Assess
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([7000]);
  });
});
