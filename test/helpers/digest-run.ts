import { createWebhookNotifier } from '../../lambda/adapters/slack/webhook-notifier';
import type { ObjectStore } from '../../lambda/domain/archive/object-store';
import type { FiredAlert } from '../../lambda/domain/digest/day-data';
import { silentLogger } from '../../lambda/shared/logger';
import type { DigestDeps } from '../../lambda/use-cases/run-digest';
import { TEST_ZONE, testClient } from './airudder';

/** Everything a digest run needs, over real loopback servers: the stand-in and a Slack receiver. */
export function digestDeps(options: {
  standInUrl: string;
  slackUrl: string;
  store: ObjectStore;
  runId: string;
  now: () => Date;
  alerts?: FiredAlert[];
}): DigestDeps {
  return {
    source: testClient(options.standInUrl).client,
    store: options.store,
    logger: silentLogger,
    notifier: createWebhookNotifier({
      url: options.slackUrl,
      timeoutMs: 2_000,
      maxAttempts: 3,
      logger: silentLogger,
      sleep: async () => {},
    }),
    timeZone: TEST_ZONE,
    topN: 5,
    runId: options.runId,
    now: options.now,
    dayAlerts: async () => ({ fired: options.alerts ?? [], snoozes: [] }),
  };
}
