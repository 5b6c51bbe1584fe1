import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpResponseTooLargeError,
  httpRequest,
  parseRetryAfter,
} from '../../../../lambda/adapters/http/http-request';

const NOW = Date.parse('2024-05-01T09:00:00Z');

describe('parseRetryAfter', () => {
  it.each<{ header: string | null; expected: number | undefined }>([
    { header: '1', expected: 1000 },
    { header: ' 30 ', expected: 30_000 },
    { header: '0', expected: 0 },
    { header: 'Wed, 01 May 2024 09:00:05 GMT', expected: 5000 },
    { header: 'Wed, 01 May 2024 08:59:00 GMT', expected: 0 },
    { header: null, expected: undefined },
    { header: '', expected: undefined },
    { header: '1.5', expected: undefined },
    { header: '-1', expected: undefined },
    { header: 'soon', expected: undefined },
  ])('reads Retry-After "$header" as $expected ms', ({ header, expected }) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe('httpRequest with a response size cap, over loopback', () => {
  let server: Server;
  let url: string;
  let sentBytes = 0;
  beforeAll(async () => {
    // /declared/N sends N bytes with Content-Length; /streamed/N sends them chunked, without it
    server = createServer((request, response) => {
      const [, mode, size] = (request.url ?? '').split('/');
      const total = Number(size);
      if (mode === 'declared') response.setHeader('Content-Length', String(total));
      sentBytes = 0;
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        while (sentBytes < total) {
          const part = chunk.subarray(0, Math.min(chunk.length, total - sentBytes));
          sentBytes += part.length;
          if (!response.write(part)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const get = (path: string, maxBytes: number) =>
    httpRequest(fetch, 'test request', {
      url: `${url}${path}`,
      method: 'GET',
      headers: {},
      timeoutMs: 5_000,
      maxBytes,
      maxBytesSetting: 'TEST_LIMIT',
    });

  it('reads a body up to the limit byte for byte', async () => {
    const response = await get('/streamed/100000', 100_000);
    expect(response.bytes.byteLength).toBe(100_000);
  });

  it('refuses a body that declares more than the limit without reading it, naming the setting', async () => {
    const error = await get('/declared/5000000', 100_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpResponseTooLargeError);
    expect((error as Error).message).toMatch(
      /test request: the response is larger than the 100,000-byte limit \(TEST_LIMIT\); it declared 5,000,000 bytes, so none were read and nothing can be archived/,
    );
  });

  it('stops reading a streamed body once it passes the limit and says why nothing is archived', async () => {
    const error = await get('/streamed/50000000', 100_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpResponseTooLargeError);
    expect((error as Error).message).toMatch(
      /reading stopped after 1\d\d,\d{3} bytes and the partial body was discarded: a truncated copy is not the response, so nothing is archived/,
    );
  });
});
