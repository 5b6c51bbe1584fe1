import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadMonitorSecret } from '../adapters/secrets/monitor-secret';
import { createArchiveStore, createStatsSource } from '../composition';
import type { AirudderCredentials } from '../config';
import type { ObjectStore } from '../domain/object-store';
import type { StatsSource } from '../domain/stats-source';
import type { Logger } from '../shared/logger';
import type { CommandContext } from './commands';

export interface RunDeps {
  readonly source: StatsSource;
  readonly store: ObjectStore;
  readonly logger: Logger;
  /** Webhook URLs, from the environment or the secret. */
  readonly slack: {
    readonly alertWebhookUrl: string | undefined;
    readonly digestWebhookUrl: string | undefined;
  };
}

/** Credentials come from the environment, or from the monitor's secret when MONITOR_SECRET_ARN is set. */
export async function buildRunDeps(context: CommandContext): Promise<RunDeps> {
  const { config, logger, redactor } = context;
  let credentials: AirudderCredentials | undefined = config.airudder.credentials;
  let slack = {
    alertWebhookUrl: config.slack.alertWebhookUrl,
    digestWebhookUrl: config.slack.digestWebhookUrl,
  };
  if (config.secretArn) {
    const secret = await loadMonitorSecret(new SecretsManagerClient({}), config.secretArn);
    credentials = credentials ?? { appKey: secret.AIRUDDER_APP_KEY, appSecret: secret.AIRUDDER_APP_SECRET };
    slack = {
      alertWebhookUrl: slack.alertWebhookUrl ?? secret.SLACK_WEBHOOK_URL,
      digestWebhookUrl: slack.digestWebhookUrl ?? secret.SLACK_DIGEST_WEBHOOK_URL,
    };
    for (const value of Object.values(secret)) redactor.add(value);
  }
  if (!credentials) throw new Error('no AIRUDDER credentials'); // loadConfig guarantees one source
  return {
    source: createStatsSource(config, { credentials, logger, redactor, fetch: context.fetch }),
    store: createArchiveStore(config, context.s3Client),
    logger,
    slack,
  };
}
