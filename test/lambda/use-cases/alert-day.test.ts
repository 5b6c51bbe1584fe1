import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident, StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import type { Notification } from '../../../lambda/domain/alerts/notify';
import { ALERT_STATE_KEY, AlertStateSchema } from '../../../lambda/domain/alerts/state';
import { checkBlockKitLimits } from '../../../lambda/domain/slack/block-kit-limits';
import type { SlackMessage } from '../../../lambda/domain/slack/slack-message';
import { readDocument } from '../../../lambda/use-cases/json-document';
import { runCheck } from '../../../lambda/use-cases/run-check';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn } from '../../helpers/airudder';
import { checkDeps } from '../../helpers/check-run';

/**
 * A whole day of checks every 15 minutes, as a new user would live it: the stand-in (with an
 * incident), a folder archive and a Slack receiver, all over loopback, with the shipped rules.
 */

const DATE = '2025-11-11'; // a Tuesday; Asia/Jakarta is UTC+7 all year
const at = (hhmm: string) => new Date(`${DATE}T${hhmm}:00+07:00`);
const local = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);

interface Delivered {
  readonly at: string;
  readonly notifications: readonly Notification[];
  readonly message: SlackMessage;
}

async function simulateDay(
  ...incidents: Incident[]
): Promise<{ delivered: Delivered[]; posts: number; firingAtEnd: string[] }> {
  let clock = at('00:00');
  const standIn: StandIn = await startTestStandIn({ now: () => clock, incidents });
  const slack: SlackReceiver = await startSlackReceiver();
  const dir = await mkdtemp(join(tmpdir(), 'alert-day-'));
  try {
    const store = createFolderObjectStore(dir);
    const delivered: Delivered[] = [];
    for (let minute = 0; minute < 24 * 60; minute += 15) {
      clock = new Date(at('00:00').getTime() + minute * 60_000);
      const deps = await checkDeps({
        standInUrl: standIn.url,
        slackUrl: slack.url,
        store,
        runId: `r${minute}`,
        rules: 'shipped',
      });
      const before = slack.received.length;
      const outcome = await runCheck(deps, { scheduledTime: clock });
      if (outcome.outcome !== 'evaluated') throw new Error(`run ${local(clock)} was not evaluated`);
      const message = slack.received[before];
      if (outcome.sent.length > 0 && message) {
        delivered.push({ at: local(clock), notifications: outcome.sent, message });
      }
    }
    const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
    const firingAtEnd = Object.entries(state?.value.rules ?? {})
      .filter(([, rule]) => rule.status !== 'ok')
      .map(([id]) => id);
    return { delivered, posts: slack.received.length, firingAtEnd };
  } finally {
    await Promise.all([standIn.close(), slack.close(), rm(dir, { recursive: true, force: true })]);
  }
}

const kinds = (delivered: readonly Delivered[]) =>
  delivered.map(
    (d) => `${d.at} ${d.notifications.map((n) => `${n.kind}:${'ruleId' in n ? n.ruleId : ''}`).join(',')}`,
  );

describe('a day of 15-minute checks over loopback with the shipped rules', () => {
  let sixHours: Awaited<ReturnType<typeof simulateDay>>;
  let oneHour: Awaited<ReturnType<typeof simulateDay>>;
  let threeRules: Awaited<ReturnType<typeof simulateDay>>;
  beforeAll(async () => {
    sixHours = await simulateDay({
      start: `${DATE} 08:00:00`,
      end: `${DATE} 14:00:00`,
      effect: 'transfer-failure',
    });
    oneHour = await simulateDay({
      start: `${DATE} 10:00:00`,
      end: `${DATE} 11:00:00`,
      effect: 'transfer-failure',
    });
    // Transfers fail outright and callers are angry: satisfaction and first-call resolution drop too.
    threeRules = await simulateDay(
      { start: `${DATE} 10:00:00`, end: `${DATE} 11:00:00`, effect: 'transfer-failure', severity: 1 },
      { start: `${DATE} 10:00:00`, end: `${DATE} 11:00:00`, effect: 'unhappy-callers', severity: 1 },
    );
  }, 180_000);

  // The README's timings (Alerts) are these measured ones: keep both in step.
  // A small centre (120 calls in its busiest hour, about 60 an hour at 08:00): the 45-minute window
  // holds the 45 calls it needs from 08:45, and the alert resolves when the last quarter-hour has
  // recovered beyond doubt (the lower bound of its 50 % interval back at 87 %), whatever the 45
  // minutes, which still hold the failure, say.
  it('reports a 08:00–14:00 transfer failure at 08:45 and resolves it at 14:15, in the 5 messages the docs name', () => {
    const { delivered, firingAtEnd } = sixHours;
    const summary = kinds(delivered);
    expect(summary).toEqual([
      '08:45 fired:transfer-success-rate',
      '09:45 escalated:transfer-success-rate',
      '10:45 repeat:transfer-success-rate',
      '12:45 repeat:transfer-success-rate',
      '14:15 resolved:transfer-success-rate',
    ]);
    // The condition as the windows saw it: first breaching run 08:45, first healthy 14:15.
    expect(JSON.stringify(delivered.at(-1)?.message)).toContain('08:45–14:15 (5h 30m)');
    expect(JSON.stringify(delivered[0]?.message)).toContain('since 08:45');
    expect(firingAtEnd).toEqual([]);
  });

  it('reports a 10:00–11:00 transfer failure at 10:30 and resolves it at 11:15, as the docs say', () => {
    const { delivered, firingAtEnd } = oneHour;
    const summary = kinds(delivered).join('\n');
    const fired = delivered.find((d) => d.notifications.some((n) => n.kind === 'fired'));
    const resolved = delivered.findLast((d) => d.notifications.some((n) => n.kind === 'resolved'));
    expect(fired?.at, summary).toBe('10:30');
    expect(resolved?.at, summary).toBe('11:15');
    expect(delivered.at(-1), summary).toBe(resolved);
    expect(firingAtEnd).toEqual([]);
  });

  it('posts at most 4 messages for a one-hour incident of three rules, and says every alert, its easing and its end', () => {
    const { delivered, posts, firingAtEnd } = threeRules;
    const summary = kinds(delivered).join('\n');
    const rules = new Set(
      delivered.flatMap((d) => d.notifications.flatMap((n) => ('ruleId' in n ? [n.ruleId] : []))),
    );
    expect([...rules].sort(), summary).toEqual([
      'one-call-problem-solve-rate',
      'robot-satisfied-rate',
      'transfer-success-rate',
    ]);
    expect(posts, summary).toBeLessThanOrEqual(4);
    expect(posts).toBe(delivered.length);
    // Every alert that fired is resolved in a message, and nothing is left firing.
    const resolved = delivered.flatMap((d) =>
      d.notifications.flatMap((n) => (n.kind === 'resolved' && 'ruleId' in n ? [n.ruleId] : [])),
    );
    expect(resolved.sort(), summary).toEqual([...rules].sort());
    expect(firingAtEnd).toEqual([]);
    // No push says only that something eased or that a WARN alert joined.
    for (const { notifications } of delivered) {
      expect(
        notifications.some((n) => n.kind !== 'de-escalated'),
        summary,
      ).toBe(true);
    }
  });

  it('sends nothing before the incident starts', () => {
    for (const { delivered } of [sixHours, oneHour, threeRules]) {
      expect(delivered.length).toBeGreaterThan(0);
    }
    expect(sixHours.delivered.every((d) => d.at >= '08:00')).toBe(true);
    expect(oneHour.delivered.every((d) => d.at >= '10:00')).toBe(true);
    expect(threeRules.delivered.every((d) => d.at >= '10:00')).toBe(true);
  });

  it('keeps every alert message within Block Kit limits', () => {
    for (const { message } of [...sixHours.delivered, ...oneHour.delivered, ...threeRules.delivered]) {
      expect(checkBlockKitLimits(message)).toEqual([]);
    }
  });
});
