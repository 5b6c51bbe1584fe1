import { fork } from 'node:child_process';
import * as path from 'node:path';
import type { ExternalCall } from './external-calls';
import type {
  FakeServicesOptions,
  FakeServicesReady,
  ServiceCounts,
  ServiceReply,
  ServiceRequest,
} from './fake-services-protocol';
import { plainEnv } from './spawn-node';

/** The fakes' URLs (latency proxies, but `s3Direct`) and their controls. */
export interface FakeServices extends Omit<FakeServicesReady, 'ready'> {
  readonly bucket: string;
  /** Added to every call through the proxies: AIRUDDER, Slack, S3 and Secrets Manager alike. */
  setLatency(ms: number): Promise<void>;
  /** The calls the proxies saw since the last take, in epoch ms. */
  takeCalls(): Promise<ExternalCall[]>;
  counts(): Promise<ServiceCounts>;
  stop(): Promise<void>;
}

type Op = ServiceRequest extends infer Request
  ? Request extends unknown
    ? Omit<Request, 'id'>
    : never
  : never;

/** Starts bench/fake-services.ts in a child process and resolves once its servers listen. */
export function startFakeServices(options: FakeServicesOptions): Promise<FakeServices> {
  const child = fork(path.join(__dirname, 'fake-services.ts'), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    env: plainEnv(),
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
          bucket: options.bucket,
          setLatency: async (ms) => {
            await call({ op: 'latency', ms });
          },
          takeCalls: () => call({ op: 'calls' }) as Promise<ExternalCall[]>,
          counts: () => call({ op: 'counts' }) as Promise<ServiceCounts>,
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
