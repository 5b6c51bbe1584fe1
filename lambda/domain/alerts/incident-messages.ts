import { incidentControls } from '../slack/incident-actions';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { MessageRef } from '../slack/slack-app';
import type { Block, SlackMessage } from '../slack/slack-message';
import { formatElapsed } from '../statistics/metric-format';
import { type IncidentMember, MONITOR_MEMBER, retainIncidents, type SlackIncident } from './incident';
import {
  episodePicture,
  isRuleNotification,
  type MonitorNotification,
  type Notification,
  removedRulePicture,
} from './notify';
import { type AlertMessageContext, buildAlertMessage, DEFAULT_MONITOR_NAME, isClosing } from './render';
import type { RepeatPolicy, Rule, Severity } from './rules';
import type { AlertState } from './state';

/**
 * Slack app mode's lifecycle of an incident's messages (README, Slack app mode), pure: what a run
 * sends for what it owes, and what the incident record becomes once Slack accepted it.
 *
 *   - Nothing open, and something fires (or the monitor is degraded): ONE top-level message, the
 *     head, is posted; its ts is stored by the confirm step (see incident.ts) before anything else
 *     is sent for the incident.
 *   - Open: every later message (a rule joining, escalation, easing, reminder, resolution, a snooze
 *     that ended) edits the head (`chat.update`) so it shows the incident as it now stands, and adds
 *     ONE reply in its thread saying what changed: the message webhook mode would have posted.
 *   - The rise of the incident to CRIT (an escalation, or a CRIT alert joining a WARN incident) is
 *     the one reply also broadcast to the channel (`reply_broadcast`), once per incident.
 *   - The reply that announces the last member resolved closes the incident: its head reads
 *     "✅ Resolved · … — lasted 6h 30m".
 *   - Nothing open and only closing news (a resolution owed from before app mode was switched on):
 *     one top-level message, as webhook mode would send.
 */

export type IncidentPlan =
  | {
      readonly kind: 'open';
      readonly head: SlackMessage;
      /** The record to store once Slack placed the head (its channel and ts added then). */
      readonly incident: Omit<SlackIncident, 'channel' | 'ts'>;
    }
  | {
      readonly kind: 'update';
      /** The incident as it stands (where its head is). */
      readonly incident: SlackIncident;
      readonly members: readonly IncidentMember[];
      readonly severity: Severity | undefined;
      readonly head: SlackMessage;
      readonly reply: SlackMessage;
      readonly broadcast: boolean;
      /** This message resolves the last member. */
      readonly closes: boolean;
    }
  | { readonly kind: 'single'; readonly message: SlackMessage };

/** What Slack did with a plan: where the head now is (a fresh one replaced a lost head). */
export interface IncidentSent {
  readonly head?: MessageRef;
  /** The head Slack no longer had, replaced by `head`. */
  readonly replaced?: MessageRef;
}

export interface IncidentContext extends AlertMessageContext {
  readonly rules: readonly Rule[];
  /** The reminder cadence in use: an acknowledgement holds for 4 of them. */
  readonly reminders?: RepeatPolicy;
}

/** The higher of two severities, either possibly absent: CRIT is the top, so it stays. */
const higher = (a: Severity | undefined, b: Severity | undefined): Severity | undefined =>
  a === 'crit' ? a : (b ?? a);

/** The alerts `notifications` announce as firing (or the monitor degraded): they belong to the incident. */
export function announcedMembers(notifications: readonly Notification[]): IncidentMember[] {
  return notifications.flatMap((n): IncidentMember[] => {
    if (isClosing(n)) return [];
    if (isRuleNotification(n)) return [{ id: n.ruleId, firedAt: n.firedAt }];
    return [{ id: MONITOR_MEMBER, firedAt: n.since }];
  });
}

const sameMember = (a: IncidentMember, b: IncidentMember) => a.id === b.id && a.firedAt === b.firedAt;

function withMembers(known: readonly IncidentMember[], joining: readonly IncidentMember[]): IncidentMember[] {
  const members = [...known];
  for (const member of joining) if (!members.some((m) => sameMember(m, member))) members.push(member);
  return members;
}

/** The highest severity `notifications` announce as firing. */
const announcedSeverity = (notifications: readonly Notification[]): Severity | undefined =>
  notifications.reduce<Severity | undefined>(
    (worst, n) => (isRuleNotification(n) && !isClosing(n) ? higher(worst, n.severity) : worst),
    undefined,
  );

/**
 * What to send for `notifications` (already rendered as `message`, the message webhook mode would
 * post) in app mode, from `state` as the claim step leaves it. Pure: re-applied on a conflict.
 */
export function planIncident(
  state: AlertState,
  notifications: readonly Notification[],
  message: SlackMessage,
  context: IncidentContext,
): IncidentPlan {
  const open = state.incident;
  const joining = announcedMembers(notifications);
  if (open === undefined) {
    if (joining.length === 0) return { kind: 'single', message };
    const members = withMembers([], joining);
    const incident = {
      openedAt: context.at.toISOString(),
      members,
      ...severityField(announcedSeverity(notifications)),
      replies: 0,
      supersedes: [],
    };
    return { kind: 'open', head: buildIncidentHead(state, incident, context), incident };
  }
  const members = withMembers(open.members, joining);
  const announced = announcedSeverity(notifications);
  const severity = higher(open.severity, announced);
  const next = { ...open, members, ...severityField(severity) };
  const pictures = memberPictures(state, members, context.rules, context.at);
  const closes = pictures.length > 0 && pictures.every(isClosing);
  return {
    kind: 'update',
    incident: open,
    members,
    severity,
    head: buildIncidentHead(state, next, context),
    reply: message,
    // Once per incident: the first time it reaches CRIT after it was posted below CRIT.
    broadcast: announced === 'crit' && open.severity !== 'crit',
    closes,
  };
}

const severityField = (severity: Severity | undefined) => (severity === undefined ? {} : { severity });

/**
 * The incident record once Slack accepted `plan` at `at`: the head's place stored (opened), the
 * members and replies counted, a replaced head remembered, a closed incident moved to `incidents`.
 * Starts from `current` (the document as it now stands), so what others recorded meanwhile (an
 * acknowledgement from a button) is kept.
 */
export function recordIncident(
  current: AlertState,
  plan: IncidentPlan,
  sent: IncidentSent,
  at: Date,
): AlertState {
  if (plan.kind === 'single') return current;
  if (plan.kind === 'open') {
    if (sent.head === undefined) return current;
    return { ...current, incident: { ...plan.incident, channel: sent.head.channel, ts: sent.head.ts } };
  }
  const base = current.incident ?? plan.incident;
  const head = sent.head ?? { channel: base.channel, ts: base.ts };
  const next: SlackIncident = {
    ...base,
    channel: head.channel,
    ts: head.ts,
    members: withMembers(base.members, plan.members),
    ...severityField(higher(base.severity, plan.severity)),
    replies: base.replies + 1,
    supersedes: sent.replaced === undefined ? base.supersedes : [...base.supersedes, sent.replaced],
  };
  if (!plan.closes) return { ...current, incident: next };
  const { incident: _closed, ...rest } = current;
  const closed = { ...next, closedAt: at.toISOString() };
  return { ...rest, incidents: retainIncidents([...(current.incidents ?? []), closed], at) };
}

/** The note a fresh head's thread starts with, when Slack no longer had the incident's head. */
export const freshHeadNote = (lost: MessageRef, reason: string): string =>
  `The incident's earlier message (${lost.ts} in ${lost.channel}) could not be edited (${reason}): this message replaces it, and updates continue here.`;

/** One message's pictures: each member as it stands (firing now, or how it ended). */
function memberPictures(
  state: AlertState,
  members: readonly IncidentMember[],
  rules: readonly Rule[],
  at: Date,
): Notification[] {
  const now = at.toISOString();
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  return members.flatMap((member): Notification[] => {
    if (member.id === MONITOR_MEMBER) return [monitorPicture(state, member)];
    const rule = byId.get(member.id);
    // A rule removed from the rules ended its alert: the member reads "rule removed", so an incident
    // whose rules were all removed closes (its removal resolutions are the closing message).
    if (rule === undefined) return [removedRulePicture(state, member.id, member.firedAt, now)];
    const picture = episodePicture(rule, state.rules[member.id], state.episodes, member.firedAt);
    return picture === undefined ? [] : [picture];
  });
}

function monitorPicture(state: AlertState, member: IncidentMember): MonitorNotification {
  const monitor = state.monitor;
  if (monitor.status === 'degraded') {
    return {
      kind: 'monitor-degraded',
      key: `monitor:degraded:${member.firedAt}`,
      consecutiveFailures: monitor.consecutiveFailures,
      since: monitor.firstFailureAt ?? member.firedAt,
      ...(monitor.lastError === undefined ? {} : { lastError: monitor.lastError }),
    };
  }
  const recoveredAt = monitor.since ?? member.firedAt;
  return {
    kind: 'monitor-recovered',
    key: `monitor:recovered:${member.firedAt}`,
    consecutiveFailures: 0,
    since: member.firedAt,
    recoveredAt,
    durationMs: Math.max(0, Date.parse(recoveredAt) - Date.parse(member.firedAt)),
  };
}

/** The span of a resolved incident (pictures, at least one): the first member's start to the last one's end. */
function incidentSpan(pictures: readonly Notification[]): number | undefined {
  const starts = pictures.map((n) => Date.parse(isRuleNotification(n) ? n.breachedAt : n.since));
  const ends = pictures.map((n) =>
    Date.parse((isRuleNotification(n) ? (n.endedAt ?? n.resolvedAt) : n.recoveredAt) ?? ''),
  );
  // An instant missing from a picture (none of today's documents lacks one) makes it NaN: no span.
  const span = Math.max(...ends) - Math.min(...starts);
  return Number.isNaN(span) ? undefined : span;
}

/**
 * The head: the incident as it stands at this run, every member once, most important first. While
 * open its header counts what fires ("🔴 1 critical"); once every member is resolved it reads
 * "✅ Resolved · <monitor> — lasted 6h 30m". A snooze or an acknowledgement is said under it.
 */
export function buildIncidentHead(
  state: AlertState,
  incident: Pick<SlackIncident, 'members' | 'acknowledged'> &
    Partial<Pick<SlackIncident, 'openedAt' | 'closedAt'>>,
  context: IncidentContext,
): SlackMessage {
  const pictures = memberPictures(state, incident.members, context.rules, context.at);
  if (pictures.length === 0) {
    const name = context.monitorName ?? DEFAULT_MONITOR_NAME;
    return {
      text: escapeMrkdwn(`${name}: incident`),
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: escapeMrkdwn(`${name}: the alerts of this incident are no longer in the rules`),
          },
        },
      ],
    };
  }
  const message = buildAlertMessage(pictures, context);
  const { blocks } = message;
  // While anything fires, the head ends with who acknowledged or snoozed it and its buttons
  // (slack/incident-actions.ts): the same blocks a click's edit puts there, so it is said once.
  if (!pictures.every(isClosing)) {
    const controls = incidentControls(state, incident, context.at, {
      timeZone: context.timeZone,
      ...(context.reminders === undefined ? {} : { reminders: context.reminders }),
    });
    return { ...message, blocks: [...blocks, ...controls] };
  }
  const span = incidentSpan(pictures);
  const lasted = span === undefined ? '' : ` — lasted ${formatElapsed(span)}`;
  const title = `✅ Resolved · ${context.monitorName ?? DEFAULT_MONITOR_NAME}${lasted}`;
  return {
    text: truncate(escapeMrkdwn(title), 300),
    blocks: blocks.map(
      (block): Block =>
        block.type === 'header' ? { ...block, text: { ...block.text, text: truncate(title, 150) } } : block,
    ),
  };
}
