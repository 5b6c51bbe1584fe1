import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '../../../lambda/shared/slack-signature';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_765_000_000;
const BODY = Buffer.from('payload=%7B%22type%22%3A%22block_actions%22%7D');

/** Slack's recipe, written out independently of the code under test. */
const slackSignature = (secret: string, timestamp: number | string, body: Buffer) =>
  `v0=${createHmac('sha256', secret)
    .update(`v0:${timestamp}:${body.toString('utf8')}`)
    .digest('hex')}`;

const headers = (timestamp: number | string, signature: string) => ({
  timestamp: String(timestamp),
  signature,
});

describe('verifySlackSignature: Slack signing over the raw body', () => {
  it("accepts Slack's v0 HMAC-SHA256 of v0:timestamp:body, and signs the same way", () => {
    const signature = slackSignature(SECRET, NOW, BODY);
    expect(signSlackRequest(SECRET, NOW, BODY)).toBe(signature);
    expect(verifySlackSignature(SECRET, headers(NOW, signature), BODY, NOW)).toBeUndefined();
  });

  it('refuses a signature made with another secret, or over another body', () => {
    const forged = slackSignature('another-secret-entirely', NOW, BODY);
    expect(verifySlackSignature(SECRET, headers(NOW, forged), BODY, NOW)).toBe('signature mismatch');
    const tampered = Buffer.concat([BODY, Buffer.from('x')]);
    expect(verifySlackSignature(SECRET, headers(NOW, slackSignature(SECRET, NOW, BODY)), tampered, NOW)).toBe(
      'signature mismatch',
    );
  });

  it.each([
    ['6 minutes old', NOW - 360, 'stale timestamp'],
    ['6 minutes ahead', NOW + 360, 'stale timestamp'],
    ['exactly 5 minutes old', NOW - 300, undefined],
  ])('a timestamp %s is judged against the 5-minute window', (_, timestamp, expected) => {
    const signature = slackSignature(SECRET, timestamp, BODY);
    expect(verifySlackSignature(SECRET, headers(timestamp, signature), BODY, NOW)).toBe(expected);
  });

  it.each([
    ['no headers', { timestamp: undefined, signature: undefined }, 'missing signature headers'],
    ['a timestamp that is not a number', headers('12a', 'v0=00'), 'malformed timestamp'],
    ['a signature of another version', headers(NOW, `v1=${'0'.repeat(64)}`), 'malformed signature'],
    ['a short signature', headers(NOW, 'v0=abc'), 'malformed signature'],
  ])('refuses %s', (_, given, expected) => {
    expect(verifySlackSignature(SECRET, given, BODY, NOW)).toBe(expected);
  });
});
