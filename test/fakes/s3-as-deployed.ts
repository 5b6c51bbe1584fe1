import { randomBytes } from 'node:crypto';

/**
 * S3 as the deployed roles meet it, for the fakes in front of an emulator (the bench's latency proxy,
 * the conditional S3 endpoint of the tests). The stack grants s3:ListBucket only under an `s3:prefix`
 * condition (lib/constructs/archive-bucket.ts); a GetObject carries no `s3:prefix`, so for a key that
 * does not exist S3 answers 403 AccessDenied, not 404 NoSuchKey (GetObject API reference: "If you
 * don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Access Denied
 * error"). Conditional reads (If-None-Match) of a missing key get the same 403. Emulators answer 404.
 *
 * HeadObject would be refused alike (with no body); the function never sends one, so it is left as is.
 */
export interface S3ErrorAnswer {
  readonly status: number;
  readonly body: string;
}

/** S3's XML error document for a refused request, as S3 sends it (ids random, as S3's are). */
export function accessDeniedXml(): string {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const hostId = randomBytes(48).toString('base64');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`;
}

/**
 * What the deployed role gets instead of the emulator's error `answer` to a `method` request: 403
 * AccessDenied for a GET the emulator answered 404 NoSuchKey (a GetObject of a missing key);
 * undefined when the answer stands (a missing bucket, a listing, a failed condition, any write).
 */
export function asDeployedS3(method: string | undefined, answer: S3ErrorAnswer): S3ErrorAnswer | undefined {
  if (method !== 'GET' || answer.status !== 404) return undefined;
  if (!/<Code>NoSuchKey<\/Code>/.test(answer.body)) return undefined;
  return { status: 403, body: accessDeniedXml() };
}
