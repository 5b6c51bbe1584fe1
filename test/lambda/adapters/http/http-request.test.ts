import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpNetworkError,
  HttpResponseTooLargeError,
  HttpTimeoutError,
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

describe('httpRequest over node:http (the default, without a fetch)', () => {
  let server: Server;
  let base: string;
  const received: Array<{ method?: string; body: string; length?: string }> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        received.push({ method: request.method, body, length: request.headers['content-length'] });
        if (request.url === '/redirect') {
          response.writeHead(302, { Location: '/elsewhere' }).end();
        } else if (request.url === '/stall-body') {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.write('{"started":'); // and never finishes
        } else {
          response.setHeader('Retry-After', '7');
          response.setHeader('X-Twice', ['a', 'b']);
          response.writeHead(429).end(Buffer.from([0x7b, 0xff, 0x7d]));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns the status, the exact bytes and headers read in any case', async () => {
    const response = await httpRequest(undefined, 'test call', {
      url: `${base}/plain`,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"é"}',
      timeoutMs: 5_000,
    });
    expect(response.status).toBe(429);
    expect([...response.bytes]).toEqual([0x7b, 0xff, 0x7d]);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('X-Twice')).toBe('a, b');
    expect(response.headers.get('x-absent')).toBeNull();
    expect(received.at(-1)).toEqual({ method: 'POST', body: '{"name":"é"}', length: '13' });
  });

  it('treats a redirect as a failed exchange, as fetch with redirect "error" does', async () => {
    await expect(
      httpRequest(undefined, 'test call', {
        url: `${base}/redirect`,
        method: 'GET',
        headers: {},
        timeoutMs: 5_000,
      }),
    ).rejects.toThrow(HttpNetworkError);
  });

  it('times out a body that stops arriving, not only a late status line', async () => {
    const error = await httpRequest(undefined, 'test call', {
      url: `${base}/stall-body`,
      method: 'GET',
      headers: {},
      timeoutMs: 300,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect((error as Error).message).toBe('test call timed out after 300 ms');
  });

  it('names a refused connection without quoting the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await httpRequest(undefined, 'test call', {
      url: `http://127.0.0.1:${port}/path?token=secret`,
      method: 'GET',
      headers: {},
      timeoutMs: 5_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpNetworkError);
    expect((error as Error).message).toMatch(/^test call failed before a response arrived: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('secret');
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

  it('caps the default node:http exchange too (no fetch given)', async () => {
    const error = await httpRequest(undefined, 'test request', {
      url: `${url}/streamed/50000000`,
      method: 'GET',
      headers: {},
      timeoutMs: 5_000,
      maxBytes: 100_000,
      maxBytesSetting: 'TEST_LIMIT',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpResponseTooLargeError);
    expect((error as Error).message).toMatch(/reading stopped after .* nothing is archived/);
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
