import { Agent, createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3ErrorAnswer } from '../test/fakes/s3-as-deployed';
import type { ExternalCall, Service } from './fake-services-client';

/**
 * A reverse proxy on 127.0.0.1 in front of one loopback fake: it waits `latency.ms` before passing
 * each request on (as a network round trip would), and records when each request came and went.
 * The function under measurement then runs with its deployed adapters, unaware of the bench: the
 * latency and the call log live here, in the fakes' process, not in its clients. In front of fauxqs
 * it also answers as S3 answers the deployed role (`asDeployed`): a GetObject of a missing key is 403,
 * so the function makes the calls it makes deployed (a listing tells "missing" from "denied").
 */
export interface LatencyProxy {
  readonly url: string;
  close(): Promise<void>;
}

/** Wall-clock ms shared by every process on the machine, with sub-millisecond resolution. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export async function startLatencyProxy(options: {
  readonly service: Service;
  /** Origin of the fake, e.g. http://127.0.0.1:4567 */
  readonly target: string;
  readonly latency: { ms: number };
  readonly record: (call: ExternalCall) => void;
  /**
   * Turns the fake's error answer into the one the deployed function gets (S3: a GetObject of a
   * missing key is 403, not 404; test/fakes/s3-as-deployed.ts); undefined leaves it as it is.
   */
  readonly asDeployed?: (method: string | undefined, answer: S3ErrorAnswer) => S3ErrorAnswer | undefined;
}): Promise<LatencyProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const forward = async (
    incoming: IncomingMessage,
    respond: (upstream: IncomingMessage) => Promise<void>,
  ) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    if (options.latency.ms > 0) await sleep(options.latency.ms);
    return new Promise<void>((resolve, reject) => {
      const outgoing = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          // The Host header stays the one the client signed.
          headers: incoming.headers,
        },
        (upstream) => {
          upstream.on('error', reject);
          respond(upstream).then(resolve, reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(Buffer.concat(chunks));
    });
  };
  const server: Server = createServer((incoming, outgoing) => {
    const start = epochMs();
    const label = incoming.url ?? '/';
    forward(incoming, async (upstream) => {
      const status = upstream.statusCode ?? 502;
      if (options.asDeployed === undefined || status < 400) {
        outgoing.writeHead(status, upstream.headers);
        upstream.pipe(outgoing);
        await new Promise((ended) => upstream.on('end', ended));
        return;
      }
      // An error answer is a few hundred bytes of XML: read whole, then passed on or replaced.
      const chunks: Buffer[] = [];
      for await (const chunk of upstream) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = options.asDeployed(incoming.method, { status, body }) ?? { status, body };
      const { 'transfer-encoding': _chunked, ...headers } = upstream.headers;
      outgoing.writeHead(answer.status, { ...headers, 'content-length': Buffer.byteLength(answer.body) });
      outgoing.end(answer.body);
    })
      .catch((error: unknown) => {
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end(String(error));
      })
      .finally(() => options.record({ service: options.service, label, start, end: epochMs() }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
