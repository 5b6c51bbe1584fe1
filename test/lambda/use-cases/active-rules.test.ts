import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { bundledRules } from '../../../lambda/adapters/rules/load-rules';
import { createWebhookNotifier } from '../../../lambda/adapters/slack/webhook-notifier';
import { RULES_KEY, RULES_STATE_KEY } from '../../../lambda/domain/alerts/rules-status';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import { CLAIM_MAX_MS } from '../../../lambda/domain/slack/claim';
import defaultRules from '../../../lambda/rules/default-rules.json';
import { silentLogger } from '../../../lambda/shared/logger';
import {
  loadActiveRules,
  type RulesHealthDeps,
  recordRulesHealth,
} from '../../../lambda/use-cases/active-rules';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';

let dir: string;
let store: ObjectStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'active-rules-'));
  store = createFolderObjectStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadActiveRules', () => {
  it('treats a rules object over the size limit as invalid, naming the limit, and keeps the defaults', async () => {
    // #22 finding 7: a 66 MB object was decoded and parsed whole by every check.
    const huge = Buffer.alloc(300 * 1024, 0x20);
    await store.replace(RULES_KEY, huge, {
      contentType: 'application/json',
      metadata: {},
      expectedVersion: undefined,
    });
    const active = await loadActiveRules({ store, bundled: bundledRules() });
    expect(active.origin).toBe('bundled');
    expect(active.invalid?.error).toBe('config/rules.json: file: 307200 bytes; at most 262144 are allowed');
  });
});

describe('recordRulesHealth: a change of the rule set is told to Slack once', () => {
  const AT = new Date('2025-11-12T10:00:00Z');
  let slack: SlackReceiver;
  let clock: Date;
  beforeAll(async () => {
    slack = await startSlackReceiver();
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    clock = AT;
  });

  /** The store with its clock set to the test's (claims are judged on the store's time). */
  const atClock = (inner: ObjectStore): ObjectStore => ({ ...inner, now: () => clock });
  const depsFor = (target: ObjectStore, runId: string): RulesHealthDeps => ({
    store: target,
    notifier: createWebhookNotifier({
      url: slack.url,
      timeoutMs: 2000,
      maxAttempts: 1,
      logger: silentLogger,
    }),
    logger: silentLogger,
    runId,
    now: () => clock,
    deadline: clock.getTime() + 60_000,
    monitorName: 'Centre 1',
  });
  const push = async (edit: (rules: typeof defaultRules.rules) => typeof defaultRules.rules) => {
    const file = { ...structuredClone(defaultRules), rules: edit(structuredClone(defaultRules.rules)) };
    await store.replace(RULES_KEY, Buffer.from(JSON.stringify(file)), {
      contentType: 'application/json',
      metadata: {},
      expectedVersion: (await store.get(RULES_KEY))?.version,
    });
  };
  const check = async (runId: string, target: ObjectStore = atClock(store)) =>
    recordRulesHealth(
      depsFor(target, runId),
      await loadActiveRules({ store, bundled: bundledRules() }),
      clock,
    );
  const changeNotices = (from: number) =>
    slack.received.slice(from).filter((message) => message.text.includes('Rules changed'));
  const withoutVolumeDrop = (rules: typeof defaultRules.rules) =>
    rules.filter((rule) => rule.id !== 'volume-drop');
  const volumeTitle = defaultRules.rules.find((rule) => rule.id === 'volume-drop')?.title;

  it('records the first rule set silently, and an unchanged one sends nothing', async () => {
    const before = slack.received.length;
    expect(await check('first')).toEqual([]);
    expect(await check('second')).toEqual([]);
    expect(slack.received.length).toBe(before);
    const state = JSON.parse(Buffer.from((await store.get(RULES_STATE_KEY))?.bytes ?? []).toString('utf8'));
    expect(state.announced.rules.map((rule: { id: string }) => rule.id)).toEqual(
      defaultRules.rules.map((rule) => rule.id),
    );
  });

  it('of 8 concurrent checks after a push, exactly one tells Slack what was removed', async () => {
    await check('first');
    const before = slack.received.length;
    await push(withoutVolumeDrop);
    const sent = await Promise.all(Array.from({ length: 8 }, (_, index) => check(`run-${index}`)));
    expect(sent.flat()).toEqual([
      `Centre 1 · 📋 Rules changed: removed volume-drop (${volumeTitle}). Now ${defaultRules.rules.length - 1} rules in use (${(await loadActiveRules({ store, bundled: bundledRules() })).version}) from ${store.describe(RULES_KEY)}.`,
    ]);
    expect(changeNotices(before).map((message) => message.text)).toEqual(sent.flat());
    expect(await check('later')).toEqual([]);
    expect(changeNotices(before)).toHaveLength(1);
  });

  it('tells a change of the bundled defaults a deploy shipped, with no rules object', async () => {
    const before = slack.received.length;
    const shipped = { text: JSON.stringify(defaultRules) };
    const next = {
      text: JSON.stringify({
        ...defaultRules,
        rules: [
          ...withoutVolumeDrop(defaultRules.rules),
          { ...defaultRules.rules[0], id: 'transfer-success-rate-2', title: 'Transfer success rate, again' },
        ],
      }),
    };
    const run = async (bundled: { text: string }, runId: string) =>
      recordRulesHealth(depsFor(atClock(store), runId), await loadActiveRules({ store, bundled }), clock);
    expect(await run(shipped, 'old-deploy')).toEqual([]);
    const [notice] = await run(next, 'new-deploy');
    expect(notice).toMatch(
      new RegExp(
        `Rules changed: added transfer-success-rate-2 \\(Transfer success rate, again\\), removed volume-drop \\(${volumeTitle}\\)\\. Now ${defaultRules.rules.length} rules in use \\(sha256:[0-9a-f]{12}\\) from`,
      ),
    );
    expect(changeNotices(before)).toHaveLength(1);
  });

  it('keeps the notice owed while Slack refuses it, and sends it once Slack takes it', async () => {
    await check('first');
    await push(withoutVolumeDrop);
    const before = slack.received.length;
    slack.respondWith({ status: 500, body: 'internal_error' });
    expect(await check('refused')).toEqual([]);
    expect(await check('next')).toHaveLength(1);
    expect(await check('after')).toEqual([]);
    expect(changeNotices(before)).toHaveLength(1);
  });

  it('killed after Slack accepted it, before recording it: sent once more when the claim ends, never a third time', async () => {
    await check('first');
    await push(withoutVolumeDrop);
    const before = slack.received.length;
    // The run dies on the write that would record the notice as announced (its claim stays behind)
    let killed = false;
    const dying: ObjectStore = {
      ...atClock(store),
      replace: async (key, bytes, options) => {
        if (killed) throw new Error('killed');
        if (key === RULES_STATE_KEY && !Buffer.from(bytes).toString('utf8').includes('"claim"')) {
          killed = true;
          throw new Error('killed');
        }
        return store.replace(key, bytes, options);
      },
    };
    await expect(check('killed', dying)).rejects.toThrow('killed');
    expect(await check('inside-claim')).toEqual([]);
    clock = new Date(AT.getTime() + CLAIM_MAX_MS + 1000);
    expect(await check('after-claim')).toHaveLength(1);
    expect(await check('later')).toEqual([]);
    expect(changeNotices(before)).toHaveLength(2);
  });
});
