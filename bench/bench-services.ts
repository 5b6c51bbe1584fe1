import { S3Client } from '@aws-sdk/client-s3';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/shared/telemetry';
import { type FakeServices, startFakeServices } from './fake-services-client';

export const BENCH_CREDENTIALS = { appKey: 'bench+app/key==', appSecret: 'bench/app+secret==' };
export const BENCH_ZONE = 'Asia/Jakarta';
export const BENCH_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-monitor';
/** The stand-in's clock: every date the benchmarks use lies before it, so each hour has data. */
const STAND_IN_NOW = '2026-01-01T00:00:00Z';
const REGION = 'us-east-1';
const AWS_KEYS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/** The fakes, and an S3 client through the latency proxy for the use cases the bench calls in-process. */
export interface BenchServices {
  readonly fakes: FakeServices;
  readonly s3Client: S3Client;
  /** Sets the latency of every external call (the proxies in front of the fakes). */
  setLatency(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchServices(): Promise<BenchServices> {
  const fakes = await startFakeServices({
    credentials: BENCH_CREDENTIALS,
    timeZone: BENCH_ZONE,
    standInNow: STAND_IN_NOW,
    bucket: 'archive',
    secretString: JSON.stringify({
      AIRUDDER_APP_KEY: BENCH_CREDENTIALS.appKey,
      AIRUDDER_APP_SECRET: BENCH_CREDENTIALS.appSecret,
    }),
  });
  const s3Client = new S3Client({ endpoint: fakes.s3Endpoint, region: REGION, credentials: AWS_KEYS });
  return {
    fakes,
    s3Client,
    setLatency: (ms) => fakes.setLatency(ms),
    async stop() {
      s3Client.destroy();
      await fakes.stop();
    },
  };
}

/**
 * The environment of the deployed function, pointed at the fakes: the stack's variables, the secret
 * in Secrets Manager, and the SDK's own endpoint variables, so the handler builds its clients and
 * Powertools exactly as in Lambda. Slack is the alert webhook (the stack passes it in the secret too;
 * here in the environment, so the secret fake stays generic).
 */
export function deployedEnv(fakes: FakeServices, prefix: string): Record<string, string> {
  return {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: AWS_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_KEYS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: fakes.s3Endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: fakes.secretsEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AIRUDDER_BASE_URL: fakes.standInUrl,
    AIRUDDER_TIMEZONE: BENCH_ZONE,
    RUN_DEADLINE_MS: '600000',
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    MONITOR_SECRET_ARN: BENCH_SECRET_ARN,
    SLACK_WEBHOOK_URL: fakes.slackUrl,
    ARCHIVE_BUCKET: fakes.bucket,
    ARCHIVE_PREFIX: prefix,
  };
}
