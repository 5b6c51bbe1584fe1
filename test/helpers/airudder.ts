import { type StandInOptions, startAirudderStandIn } from '../../dev/stand-in/airudder-stand-in';
import { createAirudderClient } from '../../lambda/adapters/airudder/airudder-client';
import { TokenCache } from '../../lambda/adapters/airudder/token-cache';
import { createJsonLogger } from '../../lambda/shared/logger';
import { createRedactor } from '../../lambda/shared/redact';

/** Credentials shaped like AIRUDDER's (base64 with '/' and '+'), unique enough to grep for. */
export const TEST_CREDENTIALS = { appKey: 'AK+test/key==Zq9', appSecret: 'AS/test+secret==Xw7' };
export const TEST_ZONE = 'Asia/Jakarta';

export function startTestStandIn(options: Partial<StandInOptions> = {}) {
  return startAirudderStandIn({
    appKey: TEST_CREDENTIALS.appKey,
    appSecret: TEST_CREDENTIALS.appSecret,
    timeZone: TEST_ZONE,
    now: () => new Date('2025-11-12T12:00:00Z'),
    ...options,
  });
}

/** A client against `baseUrl` that records its log lines and its waits instead of sleeping. */
export function testClient(
  baseUrl: string,
  overrides: Partial<Parameters<typeof createAirudderClient>[0]> = {},
) {
  const logs: string[] = [];
  const waits: number[] = [];
  const redactor = createRedactor();
  const client = createAirudderClient({
    baseUrl,
    credentials: TEST_CREDENTIALS,
    timeoutMs: 5_000,
    maxAttempts: 3,
    tokenTtlMs: 23 * 3_600_000,
    tokenCache: new TokenCache(),
    logger: createJsonLogger((line) => logs.push(line), 'DEBUG'),
    redactor,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, logs, waits, redactor };
}
