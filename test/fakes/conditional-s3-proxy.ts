import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse, request as send } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { loopbackS3Client } from '../helpers/s3-emulator';
import { accessDeniedXml, asDeployedS3 } from './s3-as-deployed';

/**
 * A loopback S3 endpoint that enforces conditional writes as S3 documents them, in front of the
 * fauxqs emulator (which stores and lists faithfully but ignores the conditions):
 *
 * - PUT with `If-None-Match: *` on a key that exists: 412 PreconditionFailed.
 * - PUT with `If-Match: <etag>` on a key whose ETag differs: 412 PreconditionFailed; on a key that
 *   does not exist: 404 NoSuchKey.
 * - A conditional PUT that arrives while another conditional write to the same key is in progress:
 *   409 ConditionalRequestConflict (S3's answer to a race; the caller re-reads and retries).
 *
 * Everything else is passed through byte for byte (signatures, aws-chunked bodies, checksums), so the
 * project's real S3 client and adapter are what is tested. `conditionalPuts` counts the conditions
 * seen, so a test can tell that the headers were sent at all; `requests` lists every request.
 *
 * With `asDeployed`, a GetObject of a missing key is answered 403 AccessDenied, as S3 answers the
 * deployed roles (test/fakes/s3-as-deployed.ts); `deniedReads` refuses reads of existing objects too.
 *
 * `advanceClock` moves S3's clock (the `Date` of every answer, which claims are judged by) ahead of
 * the real one, so a test can let a dead run's claim end without waiting for it. `afterNextPut` runs
 * an action (a test kills the writing process) once S3 has stored an object and before the writer
 * hears so; its connection is then dropped.
 */
export interface ConditionalS3Endpoint {
  readonly endpoint: string;
  readonly bucket: string;
  /** A real S3Client pointed at the proxy. */
  readonly client: S3Client;
  /** Answers given to conditional PUTs, by status (200, 404, 409, 412). */
  readonly conditionalPuts: Record<number, number>;
  /** Every request in order, as `METHOD /bucket/key?query` with the path and query decoded. */
  readonly requests: string[];
  /** Keys (`bucket/key`) whose GetObject is refused with 403 AccessDenied although they exist. */
  readonly deniedReads: Set<string>;
  /** From now on, every answer's `Date` is `ms` later than before (cumulative). */
  advanceClock(ms: number): void;
  /**
   * The next PUT of a key starting with `keyPrefix` is stored, then `action` runs before the answer
   * goes back, and the connection is dropped instead of answered.
   */
  afterNextPut(keyPrefix: string, action: () => Promise<void>): void;
  close(): Promise<void>;
}

const PRECONDITION = {
  status: 412,
  code: 'PreconditionFailed',
  message: 'At least one of the pre-conditions you specified did not hold',
};
const CONFLICT = {
  status: 409,
  code: 'ConditionalRequestConflict',
  message:
    'A conflicting conditional operation is currently in progress against this resource. Please try again.',
};
const NO_SUCH_KEY = { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' };
type S3Error = typeof PRECONDITION | typeof CONFLICT | typeof NO_SUCH_KEY;

/** ETags compare without quotes and without a weak prefix. */
const bareTag = (tag: string | undefined) => tag?.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

export async function startConditionalS3(
  options: {
    bucket?: string;
    /** Delay before each request is handled, as S3's round trip would: concurrent runs then overlap. */
    latencyMs?: number;
    /** Answers a GetObject of a missing key with 403, as S3 answers the deployed roles. */
    asDeployed?: boolean;
  } = {},
): Promise<ConditionalS3Endpoint> {
  const bucket = options.bucket ?? 'archive';
  const latencyMs = options.latencyMs ?? 0;
  const emulator = await startFauxqs({ port: 0, logger: false });
  emulator.createBucket(bucket);
  const upstream = { host: '127.0.0.1', port: emulator.port };
  /** Keys with a conditional write between its check and its completion. */
  const inFlight = new Set<string>();
  const conditionalPuts: Record<number, number> = {};
  const requests: string[] = [];
  const deniedReads = new Set<string>();
  let clockOffsetMs = 0;
  const putHooks: Array<{ path: string; action: () => Promise<void> }> = [];
  /** The hook for this PUT, taken off the list (each runs once). */
  const takePutHook = (request: IncomingMessage) => {
    if (request.method !== 'PUT') return undefined;
    const path = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
    const index = putHooks.findIndex((hook) => path.startsWith(hook.path));
    return index < 0 ? undefined : putHooks.splice(index, 1)[0]?.action;
  };
  /** The `Date` S3's clock gives now: the real time, moved on by `advanceClock`. */
  const dated = <T extends object>(headers: T) => ({
    ...headers,
    date: new Date(Date.now() + clockOffsetMs).toUTCString(),
  });

  /** The current ETag of the object at `path` (bucket/key), or undefined when there is none. */
  const currentTag = (path: string, headers: IncomingMessage['headers']) =>
    new Promise<string | undefined>((resolve, reject) => {
      const head = send(
        {
          ...upstream,
          method: 'HEAD',
          path,
          headers: { host: headers.host, authorization: headers.authorization },
        },
        (response) => {
          response.resume();
          const tag = response.headers.etag;
          resolve(response.statusCode === 200 ? bareTag(tag) : undefined);
        },
      );
      head.on('error', reject);
      head.end();
    });

  const forward = (request: IncomingMessage, response: ServerResponse) =>
    new Promise<number>((resolve, reject) => {
      const hook = takePutHook(request);
      const proxied = send(
        { ...upstream, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          const status = answer.statusCode ?? 502;
          answer.on('error', reject);
          if (hook) {
            answer.resume();
            answer.on('end', () => {
              hook().then(() => {
                response.destroy();
                resolve(status);
              }, reject);
            });
            return;
          }
          if (!options.asDeployed || status < 400) {
            response.writeHead(status, dated(answer.headers));
            answer.pipe(response);
            answer.on('end', () => resolve(status));
            return;
          }
          // An error answer is a few hundred bytes of XML: read whole, then passed on or replaced.
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            const deployed = asDeployedS3(request.method, { status, body }) ?? { status, body };
            const { 'transfer-encoding': _chunked, ...headers } = answer.headers;
            response.writeHead(
              deployed.status,
              dated({ ...headers, 'content-length': Buffer.byteLength(deployed.body) }),
            );
            response.end(deployed.body);
            resolve(deployed.status);
          });
        },
      );
      proxied.on('error', reject);
      request.pipe(proxied);
    });

  const refuse = (request: IncomingMessage, response: ServerResponse, error: S3Error, condition: string) => {
    // Read the body first: answering before it is consumed would reset the client's upload.
    request.resume();
    request.on('end', () => {
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message}</Message><Condition>${condition}</Condition><RequestId>${randomUUID()}</RequestId></Error>`;
      response.writeHead(
        error.status,
        dated({
          'content-type': 'application/xml',
          'content-length': Buffer.byteLength(body),
          'x-amz-request-id': randomUUID(),
        }),
      );
      response.end(body);
    });
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    requests.push(`${request.method} ${decodeURIComponent(request.url ?? '/')}`);
    const ifNoneMatch = request.headers['if-none-match'];
    const ifMatch = request.headers['if-match'];
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'GET' && deniedReads.has(decodeURIComponent(path).slice(1))) {
      request.resume();
      const body = accessDeniedXml();
      response.writeHead(
        403,
        dated({ 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }),
      );
      response.end(body);
      return;
    }
    const isObjectPut = request.method === 'PUT' && path.split('/').filter(Boolean).length >= 2;
    if (!isObjectPut || (ifNoneMatch === undefined && ifMatch === undefined)) {
      await forward(request, response);
      return;
    }
    const count = (status: number) => {
      conditionalPuts[status] = (conditionalPuts[status] ?? 0) + 1;
    };
    const condition = ifMatch !== undefined ? 'If-Match' : 'If-None-Match';
    if (inFlight.has(path)) {
      count(409);
      refuse(request, response, CONFLICT, condition);
      return;
    }
    inFlight.add(path);
    try {
      const current = await currentTag(path, request.headers);
      const failure =
        ifNoneMatch?.trim() === '*' && current !== undefined
          ? PRECONDITION
          : ifMatch !== undefined && current === undefined
            ? NO_SUCH_KEY
            : ifMatch !== undefined && bareTag(ifMatch) !== current
              ? PRECONDITION
              : undefined;
      if (failure) {
        count(failure.status);
        refuse(request, response, failure, condition);
        return;
      }
      count(await forward(request, response));
    } finally {
      inFlight.delete(path);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = loopbackS3Client(endpoint);
  return {
    endpoint,
    bucket,
    client,
    conditionalPuts,
    requests,
    deniedReads,
    advanceClock(ms) {
      clockOffsetMs += ms;
    },
    afterNextPut(keyPrefix, action) {
      putHooks.push({ path: `/${bucket}/${keyPrefix}`, action });
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await emulator.stop();
    },
  };
}
