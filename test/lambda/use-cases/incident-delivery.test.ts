import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { type SlackStandIn, startSlackStandIn } from '../../../dev/stand-in/slack-stand-in';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema } from '../../../lambda/domain/alerts/state';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import type { SlackAppChannel } from '../../../lambda/domain/slack/slack-app';
import { readDocument } from '../../../lambda/use-cases/json-document';
import { AlertDeliveryError, runCheck } from '../../../lambda/use-cases/run-check';
import { startTestStandIn } from '../../helpers/airudder';
import { checkDeps, slackAppChannel } from '../../helpers/check-run';

/**
 * Slack app mode's answers to Slack's errors, each over loopback against the fake Slack Web API:
 * a one-hour transfer failure (10:00–11:00 local) fires at 10:45 and resolves at 12:15.
 */

const DATE = '2025-11-11';
const at = (hhmm: string) => new Date(`${DATE}T${hhmm}:00+07:00`);
const CHANNEL = 'C0ALERTS00';
const TOKEN = 'xoxb-incident-test';
/** Every 15 minutes from the incident's start to after its resolution. */
const TIMES = [
  '10:00',
  '10:15',
  '10:30',
  '10:45',
  '11:00',
  '11:15',
  '11:30',
  '11:45',
  '12:00',
  '12:15',
  '12:30',
];

let clock: Date;
let standIn: StandIn;
let slack: SlackStandIn;
let dir: string;
let store: ObjectStore;
let waits: number[];

beforeEach(async () => {
  clock = at('10:00');
  standIn = await startTestStandIn({
    now: () => clock,
    incidents: [{ start: `${DATE} 10:00:00`, end: `${DATE} 11:00:00`, effect: 'transfer-failure' }],
  });
  slack = await startSlackStandIn({ token: TOKEN, channels: [CHANNEL, 'C0OTHER000'], now: () => clock });
  dir = await mkdtemp(join(tmpdir(), 'incident-delivery-'));
  // Claims are judged on the store's clock: here the simulated one, so a dead run's claim ends.
  store = { ...createFolderObjectStore(dir), now: () => clock };
  waits = [];
});
afterEach(async () => {
  await Promise.all([standIn.close(), slack.close(), rm(dir, { recursive: true, force: true })]);
});

const channel = (
  overrides: { channel?: string; token?: string; reloadToken?: () => Promise<string | undefined> } = {},
) => slackAppChannel({ apiUrl: slack.url, token: overrides.token ?? TOKEN, waits, ...overrides });

/** One scheduled check at `hhmm`, in app mode. */
async function check(hhmm: string, options: { slackApp?: SlackAppChannel; store?: ObjectStore } = {}) {
  clock = at(hhmm);
  const deps = await checkDeps({
    standInUrl: standIn.url,
    slackUrl: 'http://127.0.0.1:9/unused',
    store: options.store ?? store,
    runId: `run-${hhmm}`,
  });
  return runCheck({ ...deps, slackApp: options.slackApp ?? channel() }, { scheduledTime: clock });
}

const state = async (): Promise<AlertState | undefined> =>
  (await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value;

async function checksUntil(last: string, from = '10:00') {
  for (const time of TIMES.filter((t) => t >= from && t <= last)) await check(time);
}

describe('Slack app mode: the incident head', () => {
  it('posts the head at the first firing and stores its ts before anything else is sent for it', async () => {
    await checksUntil('10:45');
    const [head] = slack.heads(CHANNEL);
    expect(slack.heads(CHANNEL)).toHaveLength(1);
    expect(head?.replies).toEqual([]);
    expect((await state())?.incident).toMatchObject({ channel: CHANNEL, ts: head?.ts, replies: 0 });
  });

  it('edits the head and replies in its thread for every later change, and closes the incident with the resolution', async () => {
    await checksUntil('12:30');
    const [head] = slack.heads(CHANNEL);
    expect(slack.heads(CHANNEL)).toHaveLength(1);
    expect(head?.text).toMatch(/^✅ Resolved/);
    expect(head?.edits.length).toBe(head?.replies.length);
    expect(JSON.stringify(head?.replies.at(-1)?.blocks)).toContain('Resolved: Transfer success rate');
    expect((await state())?.incident).toBeUndefined();
  });
});

describe("Slack app mode: Slack's errors", () => {
  it('posts a fresh head when the head was deleted (message_not_found), says so in its thread, and keeps the old ts as superseded', async () => {
    await checksUntil('10:45');
    const lost = slack.heads(CHANNEL)[0]?.ts ?? '';
    slack.deleteMessage(CHANNEL, lost);
    await checksUntil('12:30', '11:00');
    const heads = slack.heads(CHANNEL);
    expect(heads).toHaveLength(1);
    expect(heads[0]?.ts).not.toBe(lost);
    expect(heads[0]?.text).toMatch(/^✅ Resolved/);
    expect(heads[0]?.replies[0]?.text).toContain('could not be edited (message_not_found)');
    expect((await state())?.incidents?.[0]?.supersedes).toEqual([{ channel: CHANNEL, ts: lost }]);
  });

  it('posts a fresh head in the alert channel when the head’s channel is gone (channel_not_found)', async () => {
    const other = channel({ channel: 'C0OTHER000' });
    for (const time of ['10:00', '10:15', '10:30', '10:45']) await check(time, { slackApp: other });
    const lost = slack.heads('C0OTHER000')[0]?.ts;
    slack.removeChannel('C0OTHER000');
    await checksUntil('12:30', '11:00');
    expect(slack.heads(CHANNEL)).toHaveLength(1);
    expect(slack.heads(CHANNEL)[0]?.replies[0]?.text).toContain('(channel_not_found)');
    expect((await state())?.incidents?.[0]).toMatchObject({
      channel: CHANNEL,
      supersedes: [{ channel: 'C0OTHER000', ts: lost }],
    });
  });

  it('waits the Retry-After Slack asks for when rate limited, then posts the head once', async () => {
    slack.fail('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 4 });
    await checksUntil('10:45');
    expect(waits).toEqual([4_000]);
    expect(slack.heads(CHANNEL)).toHaveLength(1);
    expect((await state())?.incident?.ts).toBe(slack.heads(CHANNEL)[0]?.ts);
  });

  it('keeps everything owed when Slack refuses the message, and sends it at the next check', async () => {
    await checksUntil('10:30');
    slack.fail('chat.postMessage', { error: 'invalid_blocks' });
    await expect(check('10:45')).rejects.toBeInstanceOf(AlertDeliveryError);
    expect(slack.heads(CHANNEL)).toHaveLength(0);
    expect((await state())?.incident).toBeUndefined();
    await check('11:00');
    expect(slack.heads(CHANNEL)).toHaveLength(1);
    expect((await state())?.incident?.ts).toBe(slack.heads(CHANNEL)[0]?.ts);
  });

  it('reads the secret again once after invalid_auth; with the same token the delivery fails, stays owed and the monitor is degraded', async () => {
    await checksUntil('10:30');
    slack.revokeToken('xoxb-rotated');
    let reloads = 0;
    const refused = channel({
      reloadToken: async () => {
        reloads += 1;
        return TOKEN;
      },
    });
    const error = await check('10:45', { slackApp: refused }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect(String(error)).toContain('token_revoked');
    expect(String(error)).not.toContain(TOKEN);
    expect(reloads).toBe(1);
    const after = await state();
    expect(after?.monitor).toMatchObject({ status: 'degraded' });
    expect(after?.monitor.lastError).toContain('Slack refused the bot token (token_revoked)');
    expect(after?.rules['transfer-success-rate']?.notified?.status).not.toBe('firing');
    // The rotated token in the secret: the next check posts what was owed.
    await check('11:00', { slackApp: channel({ token: 'xoxb-rotated' }) });
    expect(slack.heads(CHANNEL)).toHaveLength(1);
    expect((await state())?.monitor.status).toBe('ok');
  });

  it('recovers with the rotated token within the same run when the secret holds a new one', async () => {
    await checksUntil('10:30');
    slack.revokeToken('xoxb-rotated');
    await check('10:45', { slackApp: channel({ reloadToken: async () => 'xoxb-rotated' }) });
    expect(slack.heads(CHANNEL)).toHaveLength(1);
  });
});

/** Thrown by the store once the run has "died" (kill -9 between Slack's answer and the state write). */
class Killed extends Error {}

describe('Slack app mode: a run killed between chat.postMessage and storing the ts', () => {
  it('leaves at most one duplicate head and never loses the incident', async () => {
    await checksUntil('10:30');
    const heads = () => slack.heads(CHANNEL).length;
    // The run dies on its first state write after Slack placed the head: the confirm.
    const dying: ObjectStore = {
      ...store,
      replace: async (key, bytes, options) => {
        if (key === ALERT_STATE_KEY && heads() > 0) throw new Killed('kill -9');
        return store.replace(key, bytes, options);
      },
    };
    await expect(check('10:45', { store: dying })).rejects.toBeInstanceOf(Killed);
    expect(heads()).toBe(1);
    expect((await state())?.incident).toBeUndefined();
    // Its claim ends (10 minutes without a deadline); the next checks carry on.
    await checksUntil('12:30', '11:00');
    const all = slack.heads(CHANNEL);
    expect(all).toHaveLength(2);
    const [orphan, head] = all;
    expect(orphan?.edits).toEqual([]);
    expect(head?.text).toMatch(/^✅ Resolved/);
    expect((await state())?.incidents?.[0]?.ts).toBe(head?.ts);
  });

  it('repeats an edit and its reply, never the head, when killed after an update', async () => {
    await checksUntil('10:45');
    const [head] = slack.heads(CHANNEL);
    const replies = () => head?.replies.length ?? 0;
    const dying: ObjectStore = {
      ...store,
      replace: async (key, bytes, options) => {
        if (key === ALERT_STATE_KEY && replies() > 0) throw new Killed('kill -9');
        return store.replace(key, bytes, options);
      },
    };
    let died = false;
    for (const time of ['11:00', '11:15', '11:30', '11:45', '12:00', '12:15']) {
      if (died) await check(time);
      else
        died = await check(time, { store: dying }).then(
          () => false,
          (error: unknown) => error instanceof Killed,
        );
    }
    await check('12:30');
    expect(died).toBe(true);
    expect(slack.heads(CHANNEL)).toHaveLength(1);
    expect(head?.text).toMatch(/^✅ Resolved/);
    expect((await state())?.incidents?.[0]?.ts).toBe(head?.ts);
  });
});
