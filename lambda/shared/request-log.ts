import type { Logger } from './logger';

/**
 * One DEBUG line per HTTP request an adapter makes (`LOG_LEVEL=DEBUG`): which service, method, host
 * and path, the status and how long it took. Only what is safe to log is passed in: never a query
 * string, a header or a body (they carry tokens and credentials), and for a Slack webhook not its
 * path (the path is the secret).
 */
export interface RequestFacts {
  readonly service: 'airudder' | 'slack' | 's3' | 'secrets-manager';
  readonly method: string;
  readonly host?: string;
  readonly path: string;
  /** The API operation, where one path serves several (S3 GetObject, ListObjectsV2…). */
  readonly operation?: string;
}

export const REQUEST_LOG_MESSAGE = 'HTTP request';

/** Runs `send`, then logs its facts with the status `statusOf` reads from the result or the error. */
export async function logRequest<T>(
  logger: Logger,
  facts: RequestFacts,
  send: () => Promise<T>,
  statusOf: (outcome: T | unknown) => number | undefined,
  now: () => number = () => performance.now(),
): Promise<T> {
  const started = now();
  const elapsed = () => Math.round(now() - started);
  try {
    const result = await send();
    logger.debug(REQUEST_LOG_MESSAGE, { ...facts, status: statusOf(result) ?? null, ms: elapsed() });
    return result;
  } catch (error) {
    const failure = error instanceof Error ? error.name : 'Error';
    logger.debug(REQUEST_LOG_MESSAGE, { ...facts, status: statusOf(error) ?? null, failure, ms: elapsed() });
    throw error;
  }
}

/** Host and path of a URL, without its query string or fragment. */
export function hostAndPath(url: string): { host: string; path: string } {
  const parsed = new URL(url);
  return { host: parsed.host, path: parsed.pathname };
}

/** The HTTP status in an AWS SDK v3 response or error (`$metadata.httpStatusCode`). */
export const awsStatusOf = (outcome: unknown): number | undefined =>
  (outcome as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
