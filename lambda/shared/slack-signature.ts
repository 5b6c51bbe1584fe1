import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<raw body>">`, keyed
 * with the app's signing secret. Verified over the RAW body bytes, before anything parses them; a
 * timestamp more than five minutes from the function's clock is refused (a replayed request), and
 * the digests are compared in constant time.
 */

/** Slack's replay window: a request signed longer ago (or further ahead) than this is refused. */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

const VERSION = 'v0';

/** Why a request was refused; said in the 401 and the log, never with the secret or the signature. */
export type SignatureRefusal =
  | 'missing signature headers'
  | 'malformed timestamp'
  | 'stale timestamp'
  | 'malformed signature'
  | 'signature mismatch';

/** The signature Slack would send for `body` at `timestamp` (seconds): for tests and the local tools. */
export function signSlackRequest(
  signingSecret: string,
  timestamp: number | string,
  body: string | Buffer,
): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`${VERSION}:${timestamp}:`);
  hmac.update(body);
  return `${VERSION}=${hmac.digest('hex')}`;
}

/**
 * Undefined when the request is Slack's; otherwise why not. `nowSeconds` is the function's clock.
 */
export function verifySlackSignature(
  signingSecret: string,
  headers: { readonly timestamp: string | undefined; readonly signature: string | undefined },
  rawBody: Buffer,
  nowSeconds: number,
): SignatureRefusal | undefined {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined) return 'missing signature headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed timestamp';
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_MAX_AGE_SECONDS) return 'stale timestamp';
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return 'malformed signature';
  const expected = Buffer.from(signSlackRequest(signingSecret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // Same length by the pattern above; timingSafeEqual throws on different lengths.
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? undefined
    : 'signature mismatch';
}
