import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../../../../lambda/domain/alerts/evaluate';
import { MONITOR_MEMBER, type SlackIncident } from '../../../../lambda/domain/alerts/incident';
import {
  announcedMembers,
  buildIncidentHead,
  freshHeadNote,
  type IncidentContext,
  type IncidentPlan,
  planIncident,
  recordIncident,
} from '../../../../lambda/domain/alerts/incident-messages';
import { markNotified, type Notification, owedNotifications } from '../../../../lambda/domain/alerts/notify';
import { outgoing } from '../../../../lambda/domain/alerts/outgoing';
import { buildAlertMessage } from '../../../../lambda/domain/alerts/render';
import type { Rule } from '../../../../lambda/domain/alerts/rules';
import { setSnooze } from '../../../../lambda/domain/alerts/snooze';
import {
  type AlertState,
  emptyAlertState,
  recordRunFailure,
  recordRunSuccess,
} from '../../../../lambda/domain/alerts/state';
import {
  applyIncidentAction,
  INCIDENT_ACTIONS,
  incidentStanding,
  withIncidentControls,
} from '../../../../lambda/domain/slack/incident-actions';
import type { Block, SlackMessage } from '../../../../lambda/domain/slack/slack-message';
import {
  EXAMPLE_AT,
  expectWithinBlockKitLimits,
  firingRuleState,
  JAKARTA,
  minutesAfter,
  rule,
  type Step,
  withTotal,
} from './alert-test-helpers';

/**
 * Slack app mode's incident lifecycle, run as the check runs it: evaluate, the suppression stage,
 * one message, the plan for it, and — once "Slack" accepted it — the notifications and the incident
 * recorded. Runs every 15 minutes from 2025-11-12 14:30 Jakarta (07:30Z).
 */

const CHANNEL = 'C0ALERTS00';

interface Run {
  readonly at: Date;
  readonly notifications: Notification[];
  readonly plan?: IncidentPlan;
  readonly state: AlertState;
}

const contextAt = (at: Date, rules: readonly Rule[], monitorName?: string): IncidentContext => ({
  at,
  timeZone: JAKARTA,
  rules,
  ...(monitorName === undefined ? {} : { monitorName }),
});

function appModeDay(
  rules: readonly Rule[],
  steps: readonly Step[],
  options: { state?: AlertState; start?: Date; monitorName?: string } = {},
): Run[] {
  let state = options.state ?? emptyAlertState();
  return steps.map((step, index): Run => {
    const at = minutesAfter(options.start ?? EXAMPLE_AT, index * 15);
    // App mode says every change at once (webhook mode batches some into the group's next message).
    const evaluation = evaluateRules({ ...step, rules, state, at, timeZone: JAKARTA, delivery: 'app' });
    if (evaluation.outcome !== 'evaluated') throw new Error(`run ${index} was not evaluated`);
    state = evaluation.state;
    const { send: notifications } = outgoing(state, evaluation.notifications, at, {
      rules,
      timeZone: JAKARTA,
      delivery: 'app',
    });
    if (notifications.length === 0) return { at, notifications, state };
    const context = contextAt(at, rules, options.monitorName);
    const plan = planIncident(state, notifications, buildAlertMessage(notifications, context), context);
    state = recordIncident(markNotified(state, notifications, at), plan, placed(plan, index), at);
    return { at, notifications, plan, state };
  });
}

/** Where "Slack" put the head of an opening plan: ts = the run's index. */
const placed = (plan: IncidentPlan, index: number) =>
  plan.kind === 'open' ? { head: { channel: CHANNEL, ts: `1762932600.00${index}` } } : {};

const rates = (...values: number[]): Step[] =>
  values.map((value) => ({ statistics: withTotal({ transfer_success_rate: value }) }));

const headerOf = (message: SlackMessage) => {
  const [header] = message.blocks;
  return header?.type === 'header' ? header.text.text : undefined;
};
const contextTexts = (blocks: readonly Block[]) =>
  blocks.flatMap((block) => (block.type === 'context' ? block.elements.map((element) => element.text) : []));
const hasButtons = (message: SlackMessage) => message.blocks.some((block) => block.type === 'actions');

// Rules and runs are built inside each test: a mutant that throws while building them must fail a
// test, not the file's collection (Stryker counts a file that fails to load as no test failing).
const transferRule = () => rule({ pendingRuns: 1, recoveryRuns: 1 });
const volumeRule = () =>
  rule({
    id: 'volume',
    title: 'Valid calls',
    metric: 'valid_calls',
    comparison: 'below',
    warn: 50,
    crit: 10,
    recovery: 60,
    pendingRuns: 1,
    minCalls: 0,
    runbook: undefined,
  });

describe('an incident in Slack app mode', () => {
  // 14:30 WARN (50 %), 14:45 CRIT (30 %), 15:00 still CRIT, 15:15 healthy (70 %): resolved.
  const day = () => appModeDay([transferRule()], rates(0.5, 0.3, 0.3, 0.7));

  it('opens with one top-level head when the first alert fires, and stores where Slack put it', () => {
    const [opened] = day();
    expect(opened?.plan?.kind).toBe('open');
    const firedAt = opened?.at.toISOString();
    expect(opened?.state.incident).toEqual({
      openedAt: firedAt,
      members: [{ id: 'transfer-success', firedAt }],
      severity: 'warn',
      replies: 0,
      supersedes: [],
      channel: CHANNEL,
      ts: '1762932600.000',
    });
    const head = opened?.plan?.kind === 'open' ? opened.plan.head : undefined;
    expect(head && headerOf(head)).toBe('AIRUDDER stats monitor — 🟠 1 warning');
    expect(head && hasButtons(head)).toBe(true);
    if (head) expectWithinBlockKitLimits(head);
  });

  it('edits the head and replies in its thread on an escalation, broadcasting the rise to CRIT once', () => {
    const [opened, escalated] = day();
    const transfer = transferRule();
    const plan = escalated?.plan;
    if (plan?.kind !== 'update') throw new Error(`expected an update, got ${plan?.kind}`);
    expect(plan.broadcast).toBe(true);
    expect(plan.closes).toBe(false);
    expect(plan.severity).toBe('crit');
    expect(plan.incident).toEqual(opened?.state.incident);
    expect(plan.reply).toEqual(
      buildAlertMessage(escalated?.notifications ?? [], contextAt(escalated!.at, [transfer])),
    );
    expect(headerOf(plan.head)).toBe('AIRUDDER stats monitor — 🔴 1 critical');
    expect(escalated?.state.incident).toMatchObject({ severity: 'crit', replies: 1, ts: '1762932600.000' });
  });

  it('closes with the reply announcing the last member resolved: the head says how long it lasted', () => {
    const [opened, , , resolved] = day();
    const plan = resolved?.plan;
    if (plan?.kind !== 'update') throw new Error(`expected an update, got ${plan?.kind}`);
    expect(plan.closes).toBe(true);
    expect(plan.broadcast).toBe(false);
    // Breaching from the 14:30 run to the first healthy run, 15:15: 45 minutes.
    expect(headerOf(plan.head)).toBe('✅ Resolved · AIRUDDER stats monitor — lasted 45m');
    expect(plan.head.text).toBe('✅ Resolved · AIRUDDER stats monitor — lasted 45m');
    expect(hasButtons(plan.head)).toBe(false);
    // Only the header changes: the section still says what resolved.
    const [, section] = plan.head.blocks;
    expect(section?.type === 'section' && section.text?.text).toMatch(
      /^✅ \*Resolved: Transfer success rate/,
    );
    expect(resolved?.state.incident).toBeUndefined();
    expect(resolved?.state.incidents).toEqual([
      {
        ...opened?.state.incident,
        severity: 'crit',
        replies: 2,
        closedAt: resolved?.at.toISOString(),
      },
    ]);
  });

  it('opens the next incident when an alert fires after the last one closed', () => {
    const later = appModeDay([transferRule()], rates(0.5, 0.7, 0.5));
    expect(later.map((run) => run.plan?.kind)).toEqual(['open', 'update', 'open']);
    expect(later[2]?.state.incident?.members).toEqual([
      { id: 'transfer-success', firedAt: later[2]?.at.toISOString() },
    ]);
    expect(later[2]?.state.incidents).toHaveLength(1);
  });
});

describe('planIncident', () => {
  it('broadcasts a CRIT alert joining a WARN incident, and never a second rise', () => {
    const rules = [transferRule(), volumeRule()];
    const steps: Step[] = [
      { statistics: withTotal({ transfer_success_rate: 0.5, valid_calls: 500 }) },
      { statistics: withTotal({ transfer_success_rate: 0.5, valid_calls: 5 }) },
      { statistics: withTotal({ transfer_success_rate: 0.3, valid_calls: 5 }) },
    ];
    const runs = appModeDay(rules, steps);
    const plans = runs.map((run) => run.plan);
    expect(plans.map((plan) => plan?.kind)).toEqual(['open', 'update', 'update']);
    const joined = plans[1];
    if (joined?.kind !== 'update') throw new Error('expected an update');
    expect(joined.broadcast).toBe(true);
    expect(joined.members.map((member) => member.id)).toEqual(['transfer-success', 'volume']);
    expect(runs[1]?.state.incident?.severity).toBe('crit');
    const third = plans[2];
    expect(third?.kind === 'update' && third.broadcast).toBe(false);
    expect(third?.kind === 'update' && third.severity).toBe('crit');
  });

  it('sends a resolution owed from before app mode as one top-level message', () => {
    const transfer = transferRule();
    // Fired and announced in webhook mode (no incident record), resolved after the switch.
    const [webhook] = appModeDay([transfer], rates(0.5));
    const { incident: _none, ...before } = webhook!.state;
    const [run] = appModeDay([transfer], rates(0.7), { state: before, start: minutesAfter(EXAMPLE_AT, 15) });
    expect(run?.notifications.map((n) => n.kind)).toEqual(['resolved']);
    expect(run?.plan).toEqual({
      kind: 'single',
      message: buildAlertMessage(run!.notifications, contextAt(run!.at, [transfer])),
    });
    expect(run?.state.incident).toBeUndefined();
    expect(run?.state.incidents).toBeUndefined();
  });

  it('opens an incident for the monitor degraded, and closes it with its recovery', () => {
    const failing = recordRunFailure(emptyAlertState(), EXAMPLE_AT, 'API down: HTTP 503', 1);
    const at = EXAMPLE_AT;
    const owed = owedNotifications(failing, [], at, JAKARTA);
    expect(announcedMembers(owed)).toEqual([{ id: MONITOR_MEMBER, firedAt: at.toISOString() }]);
    const context = contextAt(at, []);
    const open = planIncident(failing, owed, buildAlertMessage(owed, context), context);
    if (open.kind !== 'open') throw new Error('expected an open plan');
    expect(open.incident).toStrictEqual({
      openedAt: at.toISOString(),
      members: [{ id: MONITOR_MEMBER, firedAt: at.toISOString() }],
      replies: 0,
      supersedes: [],
    });
    expect(headerOf(open.head)).toBe('AIRUDDER stats monitor — 🛑 monitor degraded');
    expect(JSON.stringify(open.head.blocks)).toContain('last error: API down: HTTP 503');
    const recorded = recordIncident(markNotified(failing, owed, at), open, placed(open, 0), at);

    const back = minutesAfter(at, 30);
    const recovered = recordRunSuccess(recorded, back);
    const news = owedNotifications(recovered, [], back, JAKARTA);
    expect(news.map((n) => n.kind)).toEqual(['monitor-recovered']);
    expect(announcedMembers(news)).toEqual([]);
    const close = planIncident(
      recovered,
      news,
      buildAlertMessage(news, contextAt(back, [])),
      contextAt(back, []),
    );
    if (close.kind !== 'update') throw new Error('expected an update');
    expect(close.closes).toBe(true);
    expect(close.severity).toBeUndefined();
    expect(headerOf(close.head)).toBe('✅ Resolved · AIRUDDER stats monitor — lasted 30m');
    expect(JSON.stringify(close.head.blocks)).toContain('failing since 14:30 (30m)');
  });

  it('names the monitor in the head, and says so when the incident has no member to show', () => {
    const transfer = transferRule();
    const [run] = appModeDay([transfer], rates(0.5), { monitorName: 'Jakarta <centre>' });
    const incident = run!.state.incident!;
    const named = buildIncidentHead(run!.state, incident, contextAt(run!.at, [transfer], 'Jakarta <centre>'));
    expect(headerOf(named)).toBe('Jakarta <centre> — 🟠 1 warning');
    const empty = { ...incident, members: [] };
    expect(buildIncidentHead(run!.state, empty, contextAt(run!.at, [], 'Jakarta <centre>'))).toEqual({
      text: 'Jakarta &lt;centre&gt;: incident',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Jakarta &lt;centre&gt;: the alerts of this incident are no longer in the rules',
          },
        },
      ],
    });
    expect(buildIncidentHead(run!.state, empty, contextAt(run!.at, [])).text).toBe(
      'AIRUDDER stats monitor: incident',
    );
  });

  it('closes an incident whose rules were all removed from the rules, saying so, and cleans up', () => {
    const transfer = transferRule();
    const [opened] = appModeDay([transfer], rates(0.5), { monitorName: 'Jakarta' });
    // The rules file no longer has the rule: the next checks run without it.
    const [removed, after] = appModeDay([], rates(0.5, 0.5), {
      state: opened!.state,
      start: minutesAfter(EXAMPLE_AT, 15),
      monitorName: 'Jakarta',
    });
    expect(removed!.notifications).toMatchObject([
      { kind: 'resolved', ruleId: 'transfer-success', ruleRemoved: true },
    ]);
    const plan = removed!.plan;
    if (plan?.kind !== 'update') throw new Error('expected an update of the open incident');
    expect(plan.closes).toBe(true);
    expect(headerOf(plan.head)).toBe('✅ Resolved · Jakarta — lasted 15m');
    expect(JSON.stringify(plan.head.blocks)).toContain(
      'rule removed (no longer in the rules; not evaluated any more)',
    );
    expect(JSON.stringify(plan.reply.blocks)).toContain('rule removed');
    // Cleaned up: no incident open, the closed one kept with its end, the rule's state gone next run.
    expect(removed!.state.incident).toBeUndefined();
    expect(removed!.state.incidents?.map((incident) => incident.closedAt)).toEqual([
      removed!.at.toISOString(),
    ]);
    expect(after!.state.rules).toEqual({});
    expect(after!.notifications).toEqual([]);
    // The rule back and firing opens an incident of its own, not the old one.
    const [back] = appModeDay([transfer], rates(0.5), {
      state: after!.state,
      start: minutesAfter(EXAMPLE_AT, 45),
      monitorName: 'Jakarta',
    });
    expect(back!.plan?.kind).toBe('open');
  });

  it('keeps the incident open while a member whose rule is still in the rules fires, its removed member shown resolved', () => {
    const [transfer, volume] = [transferRule(), volumeRule()];
    const both = { statistics: withTotal({ transfer_success_rate: 0.5, valid_calls: 40 }) };
    const [opened] = appModeDay([transfer, volume], [both], { monitorName: 'Jakarta' });
    expect(opened!.state.incident?.members).toHaveLength(2);
    const [removed] = appModeDay([volume], [both], {
      state: opened!.state,
      start: minutesAfter(EXAMPLE_AT, 15),
      monitorName: 'Jakarta',
    });
    const plan = removed!.plan;
    if (plan?.kind !== 'update') throw new Error('expected an update of the open incident');
    expect(plan.closes).toBe(false);
    expect(removed!.state.incident).toBeDefined();
    expect(JSON.stringify(plan.head.blocks)).toContain('transfer-success rule removed');
  });
});

describe('an incident of several alerts', () => {
  /** Two rules firing at 14:30; transfer resolves at 14:45 and fires again at 15:00; both resolve at 15:15 and 15:30. */
  const twoRules = () => {
    const rules = [transferRule(), volumeRule()];
    const steps: Step[] = [
      { statistics: withTotal({ transfer_success_rate: 0.5, valid_calls: 40 }) },
      { statistics: withTotal({ transfer_success_rate: 0.7, valid_calls: 40 }) },
      { statistics: withTotal({ transfer_success_rate: 0.5, valid_calls: 40 }) },
      { statistics: withTotal({ transfer_success_rate: 0.7, valid_calls: 40 }) },
      { statistics: withTotal({ transfer_success_rate: 0.7, valid_calls: 500 }) },
    ];
    return { rules, runs: appModeDay(rules, steps) };
  };

  it('holds every alert announced while it is open, an alert firing again as a member of its own', () => {
    const { runs } = twoRules();
    const [first, , refired] = runs;
    const t0 = first?.at.toISOString();
    expect(first?.state.incident?.members).toEqual([
      { id: 'transfer-success', firedAt: t0 },
      { id: 'volume', firedAt: t0 },
    ]);
    expect(refired?.state.incident?.members).toEqual([
      { id: 'transfer-success', firedAt: t0 },
      { id: 'volume', firedAt: t0 },
      { id: 'transfer-success', firedAt: refired?.at.toISOString() },
    ]);
  });

  it('stays open, with its buttons, while one member resolved and another still fires', () => {
    const { runs } = twoRules();
    const plan = runs[1]?.plan;
    if (plan?.kind !== 'update') throw new Error(`expected an update, got ${plan?.kind}`);
    expect(runs[1]?.notifications.map((n) => n.kind)).toEqual(['resolved']);
    expect(plan.closes).toBe(false);
    expect(hasButtons(plan.head)).toBe(true);
    expect(headerOf(plan.head)).toBe('AIRUDDER stats monitor — 🟠 1 warning · ✅ 1 resolved');
    // Nothing acknowledged, nothing snoozed: the footer is the message's own.
    expect(contextTexts(plan.head.blocks)).toEqual(['run 2025-11-12 14:45 Asia/Jakarta']);
  });

  it("lasts from its first member's first breaching run to its last member's first healthy run", () => {
    const { runs } = twoRules();
    const plans = runs.map((run) => run.plan);
    expect(plans.map((plan) => plan?.kind === 'update' && plan.closes)).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
    const last = plans[4];
    // 14:30 (both fired) to 15:30 (volume healthy again): transfer's own episodes ended at 14:45 and 15:15.
    expect(last?.kind === 'update' && headerOf(last.head)).toBe(
      '✅ Resolved · AIRUDDER stats monitor — lasted 1h',
    );
    expect(runs[4]?.state.incidents).toHaveLength(1);
  });

  it('does not broadcast a WARN alert joining a WARN incident', () => {
    const rules = [transferRule(), volumeRule()];
    const runs = appModeDay(rules, [
      { statistics: withTotal({ transfer_success_rate: 0.5, valid_calls: 500 }) },
      { statistics: withTotal({ transfer_success_rate: 0.5, valid_calls: 40 }) },
    ]);
    const plan = runs[1]?.plan;
    if (plan?.kind !== 'update') throw new Error(`expected an update, got ${plan?.kind}`);
    expect(plan.members).toHaveLength(2);
    expect(plan.broadcast).toBe(false);
    expect(plan.severity).toBe('warn');
  });

  it('keeps the incident CRIT when its alert eases to WARN, and does not broadcast the easing', () => {
    const runs = appModeDay([transferRule()], rates(0.3, 0.55));
    const plan = runs[1]?.plan;
    expect(runs[1]?.notifications.map((n) => n.kind)).toEqual(['de-escalated']);
    if (plan?.kind !== 'update') throw new Error(`expected an update, got ${plan?.kind}`);
    expect(plan.severity).toBe('crit');
    expect(plan.broadcast).toBe(false);
    expect(runs[1]?.state.incident?.severity).toBe('crit');
  });

  it('ends a member at its first healthy run, not at the run its recovery runs resolved it', () => {
    const runs = appModeDay([rule({ pendingRuns: 1, recoveryRuns: 2 })], rates(0.5, 0.5, 0.7, 0.7));
    const plan = runs[3]?.plan;
    expect(plan?.kind === 'update' && plan.closes).toBe(true);
    // Breaching 14:30 to the first healthy run, 15:00; resolved by the second, 15:15.
    expect(plan?.kind === 'update' && headerOf(plan.head)).toBe(
      '✅ Resolved · AIRUDDER stats monitor — lasted 30m',
    );
  });

  it('opens at the WARN of what fires, whatever the severity of a resolution in the same message', () => {
    // A CRIT alert announced in webhook mode resolves in the run another alert fires at WARN.
    const rules = [transferRule(), volumeRule()];
    const [webhook] = appModeDay(rules, [
      { statistics: withTotal({ transfer_success_rate: 0.3, valid_calls: 500 }) },
    ]);
    const { incident: _none, ...before } = webhook!.state;
    const [run] = appModeDay(
      rules,
      [{ statistics: withTotal({ transfer_success_rate: 0.7, valid_calls: 40 }) }],
      {
        state: before,
        start: minutesAfter(EXAMPLE_AT, 15),
      },
    );
    expect(run?.notifications.map((n) => n.kind).sort()).toEqual(['fired', 'resolved']);
    expect(run?.plan?.kind).toBe('open');
    expect(run?.state.incident?.severity).toBe('warn');
    expect(run?.state.incident?.members.map((member) => member.id)).toEqual(['volume']);
  });
});

describe('recordIncident', () => {
  const escalation = () => {
    const [opened, escalated] = appModeDay([transferRule()], rates(0.5, 0.3));
    return { before: opened!.state, opened: opened!, escalated: escalated!, plan: escalated!.plan! };
  };

  it('keeps the state as it is when Slack placed no head for an opening plan, or for a single message', () => {
    const open = appModeDay([transferRule()], rates(0.5))[0]!.plan!;
    const state = emptyAlertState();
    expect(recordIncident(state, open, {}, EXAMPLE_AT)).toBe(state);
    expect(
      recordIncident(state, { kind: 'single', message: { text: 'x', blocks: [] } }, {}, EXAMPLE_AT),
    ).toBe(state);
  });

  it('moves the incident to a fresh head when Slack no longer had the old one, remembering the old', () => {
    const { before, escalated, plan } = escalation();
    const fresh = { channel: CHANNEL, ts: '1762933500.000' };
    const lost = { channel: CHANNEL, ts: '1762932600.000' };
    const next = recordIncident(before, plan, { head: fresh, replaced: lost }, escalated!.at);
    expect(next.incident).toMatchObject({
      channel: CHANNEL,
      ts: '1762933500.000',
      supersedes: [lost],
      replies: 1,
    });
  });

  it('keeps what others recorded meanwhile, such as an acknowledgement from a button', () => {
    const { before, opened, escalated, plan } = escalation();
    const acknowledged = { by: 'U0AMIRA', at: opened!.at.toISOString() };
    const current: AlertState = { ...before, incident: { ...before.incident!, acknowledged } };
    expect(recordIncident(current, plan, {}, escalated!.at).incident).toMatchObject({
      acknowledged,
      replies: 1,
    });
  });

  it('rebuilds the record from the plan when the document lost its incident meanwhile', () => {
    const { before, escalated, plan } = escalation();
    const { incident: _gone, ...current } = before;
    expect(recordIncident(current, plan, {}, escalated!.at).incident).toEqual({
      ...before.incident,
      severity: 'crit',
      replies: 1,
    });
  });
});

describe('freshHeadNote', () => {
  it('says which message could not be edited, why, and that updates continue here', () => {
    expect(freshHeadNote({ channel: CHANNEL, ts: '1762932600.000' }, 'message_not_found')).toBe(
      "The incident's earlier message (1762932600.000 in C0ALERTS00) could not be edited (message_not_found): this message replaces it, and updates continue here.",
    );
  });
});

const ZONE = 'Asia/Jakarta';
const FIRED = '2025-11-11T02:00:00Z';
const AT = new Date('2025-11-11T03:00:00Z');
const HEAD = { channel: 'C0ALERTS00', ts: '1762826400.000100' };
const RULES = [rule()];

const incident: SlackIncident = {
  ...HEAD,
  openedAt: FIRED,
  members: [{ id: 'transfer-success', firedAt: FIRED }],
  replies: 0,
  supersedes: [],
};
const firing = (): AlertState => ({
  ...emptyAlertState(),
  rules: { 'transfer-success': firingRuleState() },
  incident,
});
const head = (state: AlertState, at = AT) =>
  buildIncidentHead(state, state.incident ?? incident, { at, timeZone: ZONE, rules: RULES });

/** Every text of the message's blocks, as Slack shows them. */
const texts = (message: SlackMessage): string[] =>
  message.blocks.flatMap((block) => {
    if (block.type === 'context') return block.elements.map((element) => element.text);
    if (block.type === 'section') return [block.text?.text ?? ''];
    return [];
  });
const occurrences = (message: SlackMessage, needle: string) =>
  texts(message).join('\n').split(needle).length - 1;

describe('the head of an open incident says who snoozed or acknowledged it once', () => {
  it('a check renders the snooze in the status line only, not again in the footer', () => {
    const state = setSnooze(firing(), 'transfer-success', {
      until: '2025-11-11T04:00:00.000Z',
      at: AT.toISOString(),
      by: 'U0AMIRA',
    });
    const message = head(state);
    expect(occurrences(message, '🔕 Snoozed until')).toBe(1);
    expect(texts(message)).toContain('🔕 Snoozed until 2025-11-11 11:00 by <@U0AMIRA>');
    expectWithinBlockKitLimits(message);
  });

  it('a click on a head a check rendered leaves one status line, with what the click changed', () => {
    // A check rendered the head while a snooze of the CLI held; then Acknowledge is clicked.
    const snoozed = setSnooze(firing(), 'transfer-success', {
      until: '2025-11-11T04:00:00.000Z',
      at: AT.toISOString(),
      by: 'amira (CLI)',
    });
    const rendered = head(snoozed);
    const click = applyIncidentAction(
      snoozed,
      incidentStanding(snoozed, HEAD.channel, HEAD.ts),
      { action: INCIDENT_ACTIONS.acknowledge, userId: 'U0BAYU', at: AT },
      { timeZone: ZONE },
    );
    if (click.kind !== 'applied') throw new Error(click.ephemeral);
    const edited = withIncidentControls(rendered, click.state, HEAD, AT, { timeZone: ZONE });
    expect(occurrences(edited, '🔕 Snoozed until')).toBe(1);
    expect(occurrences(edited, '👀 Acknowledged by')).toBe(1);
    expect(texts(edited)).toContain(
      '👀 Acknowledged by <@U0BAYU> at 10:00 · 🔕 Snoozed until 2025-11-11 11:00 by amira (CLI)',
    );
    // The next check renders the same truth the click's edit showed.
    expect(head(click.state).blocks.slice(-2)).toEqual(edited.blocks.slice(-2));
  });

  it('an Unsnooze click leaves no stale "Snoozed" anywhere on the head', () => {
    const snoozed = setSnooze(firing(), 'transfer-success', {
      until: '2025-11-11T04:00:00.000Z',
      at: AT.toISOString(),
      by: 'U0AMIRA',
    });
    const click = applyIncidentAction(
      snoozed,
      incidentStanding(snoozed, HEAD.channel, HEAD.ts),
      { action: INCIDENT_ACTIONS.unsnooze, userId: 'U0AMIRA', at: AT },
      { timeZone: ZONE },
    );
    if (click.kind !== 'applied') throw new Error(click.ephemeral);
    const edited = withIncidentControls(head(snoozed), click.state, HEAD, AT, { timeZone: ZONE });
    expect(occurrences(edited, 'Snoozed')).toBe(0);
  });
});
