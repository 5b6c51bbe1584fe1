import { describe, expect, it } from 'vitest';
import { startSlackStandIn } from '../../dev/stand-in/slack-stand-in';
import { TokenCache } from '../../lambda/adapters/airudder/token-cache';
import { createFolderObjectStore } from '../../lambda/adapters/archive/folder-object-store';
import { createS3ObjectStore } from '../../lambda/adapters/archive/s3-object-store';
import type { MonitorSecret } from '../../lambda/adapters/secrets/monitor-secret';
import {
  createInteractionsEdges,
  createRunEdges,
  createWiring,
  type RunContext,
} from '../../lambda/composition';
import { loadConfig } from '../../lambda/config';
import { DEFAULT_REMINDERS } from '../../lambda/domain/alerts/rules';
import { RULES_KEY } from '../../lambda/domain/alerts/rules-status';
import defaultRules from '../../lambda/rules/default-rules.json';
import { silentLogger } from '../../lambda/shared/logger';
import { createRedactor } from '../../lambda/shared/redact';
import { startConditionalS3 } from '../fakes/conditional-s3-proxy';

const NO_RULES = { rules: [], reminders: DEFAULT_REMINDERS };

const AT = new Date('2025-11-12T06:30:00Z');

function runContext(overrides: Partial<RunContext> & { env?: Record<string, string> } = {}): RunContext {
  const { env, ...rest } = overrides;
  return {
    config: loadConfig({
      AIRUDDER_TIMEZONE: 'Asia/Jakarta',
      ARCHIVE_DIR: '.data/composition-test',
      AIRUDDER_APP_KEY: 'key',
      AIRUDDER_APP_SECRET: 'secret',
      ...env,
    }),
    logger: silentLogger,
    redactor: createRedactor(),
    runId: 'run-1',
    now: () => AT,
    deadline: Date.now() + 60_000,
    writeMessage: () => {},
    tokenCache: new TokenCache(),
    folderStore: createFolderObjectStore,
    ...rest,
  };
}

describe('createWiring', () => {
  it("gives the check and the digest the run's own id and clock", async () => {
    const wiring = createWiring(runContext());
    const [check, digest] = await Promise.all([wiring.check(), wiring.digest()]);
    expect(check.runId).toBe('run-1');
    expect(digest.runId).toBe('run-1');
    expect(check.now()).toBe(AT);
    expect(digest.now()).toBe(AT);
    expect(check.timeZone).toBe('Asia/Jakarta');
    expect(check.rules.length).toBeGreaterThan(0);
  });

  it('reads the secret once for every use case that calls out, and never for archive-only ones', async () => {
    const reads: string[] = [];
    const loadSecret = async (secretId: string): Promise<MonitorSecret> => {
      reads.push(secretId);
      return { AIRUDDER_APP_KEY: 'k', AIRUDDER_APP_SECRET: 's' };
    };
    const wiring = createWiring(
      runContext({
        loadSecret,
        env: { AIRUDDER_APP_KEY: '', AIRUDDER_APP_SECRET: '', MONITOR_SECRET_ARN: 'arn:test' },
      }),
    );
    wiring.verify();
    await wiring.replay(NO_RULES, { post: false });
    expect(reads).toEqual([]);
    await Promise.all([wiring.fetch(), wiring.check(), wiring.digest(), wiring.backfill()]);
    await wiring.replay(NO_RULES, { post: true });
    expect(reads).toEqual(['arn:test']);
  });

  it('replays through the live notifiers only when asked to post', async () => {
    const wiring = createWiring(runContext());
    expect((await wiring.replay(NO_RULES, { post: false })).post).toBeUndefined();
    expect((await wiring.replay(NO_RULES, { post: true })).post).toEqual({
      alertNotifier: expect.objectContaining({ send: expect.any(Function) }),
      digestNotifier: expect.objectContaining({ send: expect.any(Function) }),
    });
  });
});

describe('createWiring in Slack app mode', () => {
  it('posts through the Web API with the token from the monitor secret, and re-reads the secret once Slack refuses it', async () => {
    const slack = await startSlackStandIn({ token: 'xoxb-first' });
    try {
      const reads: string[] = [];
      let secretToken = 'xoxb-first';
      const loadSecret = async (secretId: string): Promise<MonitorSecret> => {
        reads.push(secretId);
        return { AIRUDDER_APP_KEY: 'k', AIRUDDER_APP_SECRET: 's', SLACK_BOT_TOKEN: secretToken };
      };
      const wiring = createWiring(
        runContext({
          loadSecret,
          env: {
            MONITOR_SECRET_ARN: 'arn:test',
            SLACK_ALERT_CHANNEL: 'C0ALERTS00',
            SLACK_DIGEST_CHANNEL: 'C0DIGEST00',
            SLACK_API_URL: slack.url,
          },
        }),
      );
      const check = await wiring.check();
      expect(check.slackApp?.channel).toBe('C0ALERTS00');
      await check.notifier.send({ text: 'hello', blocks: [] });
      slack.revokeToken('xoxb-rotated');
      secretToken = 'xoxb-rotated';
      await (await wiring.digest()).notifier.send({ text: 'digest', blocks: [] });
      expect(slack.heads('C0ALERTS00').map((m) => m.text)).toEqual(['hello']);
      expect(slack.heads('C0DIGEST00').map((m) => m.text)).toEqual(['digest']);
      expect(reads).toEqual(['arn:test', 'arn:test']);
    } finally {
      await slack.close();
    }
  });

  it('names SLACK_BOT_TOKEN when app mode has no token in the environment nor the secret', async () => {
    const wiring = createWiring(
      runContext({
        loadSecret: async () => ({ AIRUDDER_APP_KEY: 'k', AIRUDDER_APP_SECRET: 's' }),
        env: { MONITOR_SECRET_ARN: 'arn:test', SLACK_ALERT_CHANNEL: 'C0ALERTS00' },
      }),
    );
    await expect(wiring.check()).rejects.toThrow('SLACK_BOT_TOKEN is not set');
  });
});

describe('the rules object of a warm container, over S3 as deployed (a GetObject of a missing key is 403)', () => {
  it('costs one request per warm check while no rules object is pushed (two on the first), and a push between two checks is used by the next', async () => {
    const s3 = await startConditionalS3({ asDeployed: true });
    try {
      const context = runContext({
        s3Client: s3.client,
        env: { ARCHIVE_DIR: '', ARCHIVE_BUCKET: s3.bucket, ARCHIVE_PREFIX: 'warm' },
      });
      // One container: its edges outlive the runs, as the Lambda handler keeps them.
      const edges = createRunEdges(context.config, { logger: silentLogger, s3Client: s3.client });
      const check = async () => {
        const before = s3.requests.length;
        const wiring = createWiring({
          ...context,
          rulesCache: edges.rulesCache,
          knownDocuments: edges.knownDocuments,
        });
        const active = await wiring.rules();
        const requests = s3.requests.slice(before).filter((line) => line.includes(`warm/${RULES_KEY}`));
        return {
          origin: active.origin,
          ruleIds: active.rules.map((rule) => rule.id),
          requests: requests.length,
        };
      };
      expect(await check()).toMatchObject({ origin: 'bundled', requests: 2 });
      for (let warm = 0; warm < 3; warm += 1)
        expect(await check()).toMatchObject({ origin: 'bundled', requests: 1 });
      // An operator pushes a rules object with the first default rule alone.
      const pushed = { ...defaultRules, rules: defaultRules.rules.slice(0, 1) };
      await createS3ObjectStore(s3.client, s3.bucket, 'warm').replace(
        RULES_KEY,
        Buffer.from(JSON.stringify(pushed)),
        { contentType: 'application/json', metadata: {}, expectedVersion: undefined },
      );
      const ruleIds = pushed.rules.map((rule) => rule.id);
      expect(await check()).toEqual({ origin: 'archive', ruleIds, requests: 2 });
      expect(await check()).toEqual({ origin: 'archive', ruleIds, requests: 1 });
    } finally {
      await s3.close();
    }
  });

  it("costs the interactions function one request per click's rules read while no rules object is pushed", async () => {
    const s3 = await startConditionalS3({ asDeployed: true });
    try {
      const { config } = runContext({
        env: {
          ARCHIVE_DIR: '',
          ARCHIVE_BUCKET: s3.bucket,
          ARCHIVE_PREFIX: 'clicks',
          SLACK_ALERT_CHANNEL: 'C0ALERTS00',
          SLACK_BOT_TOKEN: 'xoxb-clicks',
          SLACK_SIGNING_SECRET: 'signing',
        },
      });
      const edges = createInteractionsEdges({
        config,
        logger: silentLogger,
        redactor: createRedactor(),
        now: () => AT,
        s3Client: s3.client,
      });
      const rulesRequests = () => s3.requests.filter((line) => line.includes(`clicks/${RULES_KEY}`)).length;
      await edges.reminders();
      expect(rulesRequests()).toBe(2);
      await edges.reminders();
      await edges.reminders();
      expect(rulesRequests()).toBe(4);
    } finally {
      await s3.close();
    }
  });
});
