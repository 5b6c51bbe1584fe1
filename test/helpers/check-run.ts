import { join } from 'node:path';
import { loadRules } from '../../lambda/adapters/rules/load-rules';
import { createSlackAppChannel } from '../../lambda/adapters/slack/slack-app-channel';
import { createSlackWebApi } from '../../lambda/adapters/slack/slack-web-api';
import { createWebhookNotifier } from '../../lambda/adapters/slack/webhook-notifier';
import type { ObjectStore } from '../../lambda/domain/archive/object-store';
import { silentLogger } from '../../lambda/shared/logger';
import type { CheckDeps } from '../../lambda/use-cases/run-check';
import { TEST_ZONE, testClient } from './airudder';

/** Waits Slack asked for, recorded instead of slept. */
export const recordedWaits: number[] = [];

/**
 * The rules tests of the check's mechanics run with: the defaults as they shipped before the detection
 * benchmark chose today's (60-minute windows, two pending runs), frozen here so that retuning the
 * shipped defaults moves the tests about the defaults (alert-day, rules) and nothing else.
 */
export const MECHANICS_RULES_FILE = join(__dirname, '..', 'fixtures', 'rules', 'mechanics-rules.json');

/** Everything a check run needs, over real loopback servers: the stand-in and a Slack receiver. */
export async function checkDeps(options: {
  standInUrl: string;
  slackUrl: string;
  store: ObjectStore;
  runId: string;
  clock?: () => Date;
  /** 'shipped': the defaults users get; otherwise the frozen mechanics rules. */
  rules?: 'shipped' | 'mechanics';
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
    ...(await loadRules({ rulesFile: options.rules === 'shipped' ? undefined : MECHANICS_RULES_FILE })),
    timeZone: TEST_ZONE,
    lineCapacity: undefined,
    failureThreshold: 3,
    runId: options.runId,
    now: options.clock ?? (() => new Date()),
  };
}

/** 2025-11-11 in Asia/Jakarta (UTC+7): a transfer failure from 06:00 to 09:00 local. */
export const TRANSFER_INCIDENT = {
  start: '2025-11-11 06:00:00',
  end: '2025-11-11 09:00:00',
  effect: 'transfer-failure',
  severity: 0.9,
} as const;

/** hour:00 local on 2025-11-11 in Asia/Jakarta. */
export const localHour = (hour: number) => new Date(Date.UTC(2025, 10, 10, 17 + hour));

/** Slack app mode for a check: the alert channel over the Web API client, against the fake Slack Web API. */
export function slackAppChannel(options: {
  apiUrl: string;
  token: string;
  channel?: string;
  reloadToken?: () => Promise<string | undefined>;
  waits?: number[];
}) {
  const api = createSlackWebApi({
    apiUrl: options.apiUrl,
    token: async () => options.token,
    ...(options.reloadToken ? { reloadToken: options.reloadToken } : {}),
    timeoutMs: 2_000,
    maxAttempts: 3,
    logger: silentLogger,
    sleep: async (ms) => {
      (options.waits ?? recordedWaits).push(ms);
    },
  });
  return createSlackAppChannel(api, options.channel ?? 'C0ALERTS00');
}
