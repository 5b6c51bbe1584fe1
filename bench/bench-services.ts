import { S3Client } from '@aws-sdk/client-s3';
import { CallLog, instrumentFetch, instrumentS3, type Service } from './external-calls';
import { type FakeServices, startFakeServices } from './fake-services-client';

export const BENCH_CREDENTIALS = { appKey: 'bench+app/key==', appSecret: 'bench/app+secret==' };
export const BENCH_ZONE = 'Asia/Jakarta';
/** The stand-in's clock: every date the benchmarks use lies before it, so each hour has data. */
const STAND_IN_NOW = '2026-01-01T00:00:00Z';

/** The fakes plus the instrumented clients the function is given. */
export interface BenchServices {
  readonly fakes: FakeServices;
  readonly log: CallLog;
  readonly fetch: typeof fetch;
  readonly s3Client: S3Client;
  /** Sets the latency of every external call: AIRUDDER and Slack in the fakes, S3 in the client. */
  setLatency(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchServices(): Promise<BenchServices> {
  const fakes = await startFakeServices({
    credentials: BENCH_CREDENTIALS,
    timeZone: BENCH_ZONE,
    standInNow: STAND_IN_NOW,
    bucket: 'archive',
  });
  const log = new CallLog();
  const s3Latency = { ms: 0 };
  const s3Client = new S3Client({
    endpoint: fakes.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  instrumentS3(s3Client, log, s3Latency);
  const standInOrigin = new URL(fakes.standInUrl).origin;
  const serviceOf = (url: URL): Service => (url.origin === standInOrigin ? 'airudder' : 'slack');
  return {
    fakes,
    log,
    fetch: instrumentFetch(log, serviceOf),
    s3Client,
    async setLatency(ms) {
      s3Latency.ms = ms;
      await fakes.setLatency(ms);
    },
    async stop() {
      s3Client.destroy();
      await fakes.stop();
    },
  };
}
