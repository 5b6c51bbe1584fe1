import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../dev/stand-in/airudder-stand-in';
import { type FakeSlackMessage, startSlackStandIn } from '../../../dev/stand-in/slack-stand-in';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { loadRules } from '../../../lambda/adapters/rules/load-rules';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema } from '../../../lambda/domain/alerts/state';
import { readDayAlerts } from '../../../lambda/use-cases/fired-alerts';
import { readDocument } from '../../../lambda/use-cases/json-document';
import { runCheck } from '../../../lambda/use-cases/run-check';
import { runDigest } from '../../../lambda/use-cases/run-digest';
import { startTestStandIn, TEST_ZONE } from '../../helpers/airudder';
import { checkDeps, slackAppChannel } from '../../helpers/check-run';
import { digestDeps } from '../../helpers/digest-run';

/**
 * The day of alert-day.test.ts (checks every 15 minutes over loopback, the shipped rules, the
 * AIRUDDER stand-in with an incident) in Slack app mode, against the fake Slack Web API: what the
 * alert channel holds at the end of the day.
 */

const DATE = '2025-11-11'; // a Tuesday; Asia/Jakarta is UTC+7 all year
const at = (hhmm: string) => new Date(`${DATE}T${hhmm}:00+07:00`);
const CHANNEL = 'C0ALERTS00';
const DIGEST_CHANNEL = 'C0DIGEST00';
const TOKEN = 'xoxb-day-test';

interface AppDay {
  /** The next morning's digest, as posted in the digest channel. */
  readonly digest: FakeSlackMessage | undefined;
  readonly heads: readonly FakeSlackMessage[];
  readonly broadcasts: readonly FakeSlackMessage[];
  readonly state: AlertState | undefined;
  readonly rendered: string;
}

async function simulateAppDay(incident: Incident): Promise<AppDay> {
  let clock = at('00:00');
  const standIn = await startTestStandIn({ now: () => clock, incidents: [incident] });
  const slack = await startSlackStandIn({ token: TOKEN, now: () => clock });
  const dir = await mkdtemp(join(tmpdir(), 'alert-day-app-'));
  try {
    const store = createFolderObjectStore(dir);
    for (let minute = 0; minute < 24 * 60; minute += 15) {
      clock = new Date(at('00:00').getTime() + minute * 60_000);
      const deps = await checkDeps({
        standInUrl: standIn.url,
        slackUrl: 'http://127.0.0.1:9/unused',
        store,
        runId: `r${minute}`,
      });
      const outcome = await runCheck(
        { ...deps, slackApp: slackAppChannel({ apiUrl: slack.url, token: TOKEN }) },
        { scheduledTime: clock },
      );
      if (outcome.outcome !== 'evaluated') throw new Error(`run ${minute} was not evaluated`);
    }
    const state = (await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value;
    // The next morning's digest, in app mode: posted in the digest channel, its alerts linked.
    clock = new Date('2025-11-12T08:30:00+07:00');
    const alerts = slackAppChannel({ apiUrl: slack.url, token: TOKEN });
    const { rules } = await loadRules({ rulesFile: undefined });
    await runDigest(
      {
        ...digestDeps({
          standInUrl: standIn.url,
          slackUrl: 'http://127.0.0.1:9/unused',
          store,
          runId: 'digest',
          now: () => clock,
        }),
        notifier: slackAppChannel({ apiUrl: slack.url, token: TOKEN, channel: DIGEST_CHANNEL }),
        dayAlerts: (date) => readDayAlerts(store, rules, date, TEST_ZONE, (ref) => alerts.permalink(ref)),
      },
      { scheduledTime: clock },
    );
    return {
      digest: slack.heads(DIGEST_CHANNEL)[0],
      heads: slack.heads(CHANNEL),
      broadcasts: slack.broadcasts(CHANNEL),
      state,
      rendered: slack.render(CHANNEL),
    };
  } finally {
    await Promise.all([standIn.close(), slack.close(), rm(dir, { recursive: true, force: true })]);
  }
}

describe('a day of 15-minute checks in Slack app mode, over loopback', () => {
  let sixHours: AppDay;
  let oneHour: AppDay;
  beforeAll(async () => {
    sixHours = await simulateAppDay({
      start: `${DATE} 08:00:00`,
      end: `${DATE} 14:00:00`,
      effect: 'transfer-failure',
    });
    oneHour = await simulateAppDay({
      start: `${DATE} 10:00:00`,
      end: `${DATE} 11:00:00`,
      effect: 'transfer-failure',
    });
  }, 180_000);

  it('gives a 08:00–14:00 transfer failure exactly one top-level message, edited to resolved, at most 8 thread replies and at most one broadcast', () => {
    const { heads, broadcasts, rendered } = sixHours;
    expect(heads, rendered).toHaveLength(1);
    const [head] = heads;
    expect(head?.text).toMatch(/^✅ Resolved · .* — lasted 6h 30m$/);
    expect(JSON.stringify(head?.blocks)).toContain('Resolved: Transfer success rate back to');
    expect(head?.edits.length).toBeGreaterThan(0);
    expect(head?.replies.length).toBeGreaterThan(0);
    expect(head?.replies.length).toBeLessThanOrEqual(8);
    expect(broadcasts.length).toBeLessThanOrEqual(1);
    // The last reply says what changed: the resolution, with the condition's own span.
    expect(JSON.stringify(head?.replies.at(-1)?.blocks)).toContain('08:15–14:45 (6h 30m)');
  });

  it('gives a 10:00–11:00 transfer failure one top-level message too, resolved', () => {
    expect(oneHour.heads, oneHour.rendered).toHaveLength(1);
    expect(oneHour.heads[0]?.text).toMatch(/^✅ Resolved/);
  });

  it('keeps the closed incident in the state, with its head, for the digest and for clicks on it', () => {
    for (const { state, heads } of [sixHours, oneHour]) {
      expect(state?.incident).toBeUndefined();
      expect(state?.incidents).toHaveLength(1);
      expect(state?.incidents?.[0]).toMatchObject({
        channel: CHANNEL,
        ts: heads[0]?.ts,
        members: [{ id: 'transfer-success-rate' }],
        replies: heads[0]?.replies.length,
      });
      expect(state?.incidents?.[0]?.closedAt).toBeDefined();
    }
  });

  it("posts the next morning's digest in the digest channel, its alert linked to the incident's message", () => {
    for (const { digest, heads } of [sixHours, oneHour]) {
      const ts = heads[0]?.ts.replace('.', '') ?? 'none';
      const alerts = JSON.stringify(digest?.blocks);
      expect(alerts).toMatch(
        new RegExp(`<http://127\\.0\\.0\\.1:\\d+/archives/${CHANNEL}/p${ts}\\|Transfer success rate`),
      );
    }
  });
});
