import { fork } from 'node:child_process';
import * as path from 'node:path';

/**
 * The loopback fakes the function talks to (AIRUDDER stand-in, Slack receiver, fauxqs for S3, a
 * Secrets Manager), each behind a latency proxy, in a child process (fake-services.ts) so their CPU
 * is not counted as the measured process's. Controlled over IPC.
 */

export const BENCH_ZONE = 'Asia/Jakarta';
export const BENCH_CREDENTIALS = { appKey: 'bench+app/key==', appSecret: 'bench/app+secret==' };
export const BENCH_BUCKET = 'archive';
/** Slack app mode's secret keys in the Secrets Manager fake: the interactions function reads them. */
export const BENCH_SLACK = { token: 'xoxb-bench-0000-token', signingSecret: 'bench-signing-secret-0c9f' };
/** The stand-in's clock: every date the benchmarks use lies before it, so each hour has data. */
export const STAND_IN_NOW = '2026-01-01T00:00:00Z';

export type Service = 'airudder' | 'slack' | 's3' | 'secrets';

/** One call through a latency proxy: which service, its path and query, when it started and ended (epoch ms). */
export interface ExternalCall {
  readonly service: Service;
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/** Every URL is a latency proxy in front of its fake, except `s3Direct`. */
export interface FakeServicesReady {
  readonly ready: true;
  readonly standInUrl: string;
  readonly slackUrl: string;
  readonly s3Endpoint: string;
  readonly secretsEndpoint: string;
  /** fauxqs itself, for seeding without latency and without being logged. */
  readonly s3Direct: string;
}

export type ServiceRequest =
  | { readonly id: number; readonly op: 'latency'; readonly ms: number }
  | { readonly id: number; readonly op: 'calls' }
  | { readonly id: number; readonly op: 'slack-posts' }
  | { readonly id: number; readonly op: 'stop' };

export type ServiceReply = { readonly id: number; readonly result?: unknown; readonly error?: string };

export interface FakeServices extends Omit<FakeServicesReady, 'ready'> {
  readonly bucket: string;
  /** Added to every call through the proxies: AIRUDDER, Slack, S3 and Secrets Manager alike. */
  setLatency(ms: number): Promise<void>;
  /** The calls the proxies saw since the last take. */
  takeCalls(): Promise<ExternalCall[]>;
  /** Slack posts the receiver validated and accepted so far. */
  slackPosts(): Promise<number>;
  stop(): Promise<void>;
}

type Op = ServiceRequest extends infer Request
  ? Request extends unknown
    ? Omit<Request, 'id'>
    : never
  : never;

export function startFakeServices(): Promise<FakeServices> {
  const { NODE_OPTIONS: _tsx, ...env } = process.env;
  const child = fork(path.join(__dirname, 'fake-services.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const call = (op: Op): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...op, id });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const error = new Error(`fake services exited (${code})`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
    });
    child.on('message', (message: FakeServicesReady | ServiceReply) => {
      if ('ready' in message) {
        const { ready: _ready, ...urls } = message;
        resolve({
          ...urls,
          bucket: BENCH_BUCKET,
          setLatency: async (ms) => {
            await call({ op: 'latency', ms });
          },
          takeCalls: () => call({ op: 'calls' }) as Promise<ExternalCall[]>,
          slackPosts: () => call({ op: 'slack-posts' }) as Promise<number>,
          stop: async () => {
            await call({ op: 'stop' });
            child.disconnect();
          },
        });
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  });
}

/**
 * The calls that ran one after another: the longest chain of calls each starting after the previous
 * one ended (greedy by earliest end). A run waits at least the sum of their durations.
 */
export function criticalPath(calls: readonly ExternalCall[]): ExternalCall[] {
  const chain: ExternalCall[] = [];
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.end - b.end)) {
    if (call.start >= lastEnd) {
      chain.push(call);
      lastEnd = call.end;
    }
  }
  return chain;
}
