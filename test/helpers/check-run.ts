import { loadRules } from '../../lambda/adapters/rules/load-rules';
import { createWebhookNotifier } from '../../lambda/adapters/slack/webhook-notifier';
import type { ObjectStore } from '../../lambda/domain/object-store';
import { silentLogger } from '../../lambda/shared/logger';
import type { CheckDeps } from '../../lambda/use-cases/run-check';
import { TEST_ZONE, testClient } from './airudder';

/** Waits Slack asked for, recorded instead of slept. */
export const recordedWaits: number[] = [];

/** Everything a check run needs, over real loopback servers: the stand-in and a Slack receiver. */
export async function checkDeps(options: {
  standInUrl: string;
  slackUrl: string;
  store: ObjectStore;
  runId: string;
  clock?: () => Date;
}): Promise<CheckDeps> {
  const logger = silentLogger;
  return {
    source: testClient(options.standInUrl).client,
    store: options.store,
    logger,
    notifier: createWebhookNotifier({
      url: options.slackUrl,
      timeoutMs: 2_000,
      maxAttempts: 3,
      logger,
      sleep: async (ms) => {
        recordedWaits.push(ms);
      },
    }),
    ...(await loadRules({ rulesFile: undefined })),
    timeZone: TEST_ZONE,
    lineCapacity: undefined,
    failureThreshold: 3,
    runId: options.runId,
    now: options.clock ?? (() => new Date()),
  };
}
