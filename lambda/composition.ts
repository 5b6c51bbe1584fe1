import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createAirudderClient } from './adapters/airudder/airudder-client';
import { TokenCache } from './adapters/airudder/token-cache';
import { createFolderObjectStore } from './adapters/archive/folder-object-store';
import { createS3ObjectStore } from './adapters/archive/s3-object-store';
import type { FetchFn } from './adapters/http/http-request';
import { loadMonitorSecret, type MonitorSecret } from './adapters/secrets/monitor-secret';
import { createConsoleNotifier } from './adapters/slack/console-notifier';
import { createWebhookNotifier } from './adapters/slack/webhook-notifier';
import { type AirudderCredentials, type Config, missingCredentialsError } from './config';
import type { ObjectStore } from './domain/object-store';
import type { Notifier } from './domain/slack/slack-message';
import type { StatsSource } from './domain/stats-source';
import type { Logger } from './shared/logger';
import type { Redactor } from './shared/redact';

/**
 * Builds the adapters a run needs from the one Config. Shared by the CLI and the Lambda handler, so
 * both run exactly the same code; tests pass their own fetch, S3 client or secret loader.
 */

/** Tokens survive across runs of a warm Lambda (and across commands of one CLI process). */
const sharedTokenCache = new TokenCache();

export interface RunDeps {
  readonly source: StatsSource;
  readonly store: ObjectStore;
  readonly logger: Logger;
  /** Alerts: SLACK_WEBHOOK_URL, else the console. */
  readonly alertNotifier: Notifier;
  /** Digests: SLACK_DIGEST_WEBHOOK_URL, else SLACK_WEBHOOK_URL, else the console. */
  readonly digestNotifier: Notifier;
}

export interface RunDepsOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly redactor: Redactor;
  /** Epoch ms by which the run must be done: bounds every retry. */
  readonly deadline: number;
  /** Where messages go when no webhook is configured. */
  readonly writeMessage: (text: string) => void;
  readonly fetch?: FetchFn;
  readonly s3Client?: S3Client;
  /** Reads the monitor's secret; the Lambda passes a cached one. */
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
  readonly tokenCache?: TokenCache;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createArchiveStore(config: Config, s3Client?: S3Client): ObjectStore {
  const location = config.archive;
  if (location.kind === 'folder') return createFolderObjectStore(location.dir, location.prefix);
  return createS3ObjectStore(s3Client ?? new S3Client({}), location.bucket, location.prefix);
}

const defaultSecretLoader = (secretId: string) => loadMonitorSecret(new SecretsManagerClient({}), secretId);

/** Credentials and webhooks come from the environment, or from the monitor's secret (MONITOR_SECRET_ARN). */
export async function buildRunDeps(options: RunDepsOptions): Promise<RunDeps> {
  const { config, logger, redactor } = options;
  let credentials: AirudderCredentials | undefined = config.airudder.credentials;
  let alertWebhookUrl = config.slack.alertWebhookUrl;
  let digestWebhookUrl = config.slack.digestWebhookUrl;
  if (config.secretArn) {
    const secret = await (options.loadSecret ?? defaultSecretLoader)(config.secretArn);
    for (const value of Object.values(secret)) redactor.add(value);
    credentials ??= { appKey: secret.AIRUDDER_APP_KEY, appSecret: secret.AIRUDDER_APP_SECRET };
    alertWebhookUrl ??= secret.SLACK_WEBHOOK_URL;
    digestWebhookUrl ??= secret.SLACK_DIGEST_WEBHOOK_URL;
  }
  if (!credentials) throw missingCredentialsError();
  const notifierFor = (url: string | undefined): Notifier =>
    url
      ? createWebhookNotifier({
          url,
          timeoutMs: config.slack.timeoutMs,
          maxAttempts: config.slack.maxAttempts,
          deadline: options.deadline,
          logger,
          fetch: options.fetch,
          sleep: options.sleep,
        })
      : createConsoleNotifier(options.writeMessage);
  return {
    source: createAirudderClient({
      baseUrl: config.airudder.baseUrl,
      credentials,
      timeoutMs: config.airudder.timeoutMs,
      maxAttempts: config.airudder.maxAttempts,
      tokenTtlMs: config.airudder.tokenTtlMs,
      tokenCache: options.tokenCache ?? sharedTokenCache,
      logger,
      redactor,
      fetch: options.fetch,
      sleep: options.sleep,
    }),
    store: createArchiveStore(config, options.s3Client),
    logger,
    alertNotifier: notifierFor(alertWebhookUrl),
    digestNotifier: notifierFor(digestWebhookUrl ?? alertWebhookUrl),
  };
}
