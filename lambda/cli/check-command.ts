import { isRuleNotification, type Notification } from '../domain/alerts/notify';
import type { Held, HoldReason } from '../domain/alerts/outgoing';
import { renderAlertLines, renderResultLine } from '../domain/alerts/render';
import type { Rule } from '../domain/alerts/rules';
import type { ActiveRules } from '../domain/alerts/rules-source';
import { ALERT_STATE_KEY, AlertStateSchema, statusLabel } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import { tooFarAhead } from '../domain/shared/scheduled-time';
import { unescapeMrkdwn } from '../domain/slack/mrkdwn';
import type { Logger } from '../shared/logger';
import { describeActiveRules } from '../use-cases/active-rules';
import { readDocument } from '../use-cases/json-document';
import { runCheck } from '../use-cases/run-check';
import type { Command } from './cli-types';
import { ENV_HELP } from './command-help';
import { parseInstant } from './instant-flag';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const checkCommand: Command = {
  summary: "Fetch the local day so far, archive it, evaluate the alert rules and send what's owed.",
  usage: 'check [--at <ISO-8601 instant>] [--explain] [--json]',
  flags: [
    {
      flag: '--at INSTANT',
      description:
        'the scheduled time to check, e.g. 2025-11-12T06:30:00Z (default now); the same instant always gives the same decisions',
    },
    {
      flag: '--explain',
      description:
        'say per rule (and for the monitor) what was sent, or what was held and why: muted, snoozed, another run delivering it',
    },
  ],
  env: [
    ...ENV_HELP.zone,
    ...ENV_HELP.archive,
    ...ENV_HELP.airudder,
    ...ENV_HELP.monitor,
    ...ENV_HELP.slack,
    ...ENV_HELP.rules,
    ...ENV_HELP.failures,
    ...ENV_HELP.logs,
  ],
  json: true,
  async run(args, context) {
    const flags = parseFlags(args, { at: { type: 'string' }, explain: { type: 'boolean' } });
    const now = context.now();
    const at = flags.at === undefined ? now : parseInstant('--at', flags.at, now);
    const deps = await context.wiring.check(at);
    // Refused before any fetch: an instant the state has moved past would only say "nothing sent".
    refuseIfEarlier(at, await lastEvaluatedInstant(deps.store, deps.logger), now);
    // What Slack accepted, as it is accepted: a run that fails after posting (monitor degraded) still
    // says what it posted, so the console never shows less than the channel got.
    const delivered: Notification[] = [];
    const outcome = await runCheck(
      { ...deps, onDelivered: (notifications) => delivered.push(...notifications) },
      { scheduledTime: at, deadline: context.deadline },
    ).catch((error: unknown) => {
      if (delivered.length > 0) {
        const timeZone = context.config.airudder.timeZone;
        context.io.stdout(
          `Sent before the run failed: ${renderAlertLines(delivered, { at, timeZone }).join('; ')}`,
        );
      }
      throw error;
    });
    const active = deps.activeRules;
    const { window } = outcome;
    const lines = [
      `Check at ${at.toISOString()}: ${window.startTime} → ${window.endTime} (${window.timeZone})`,
      ...describeRulesInUse(active),
    ];
    const document: Record<string, unknown> = {
      ok: true,
      scheduledTime: at.toISOString(),
      window,
      ...(active === undefined ? {} : { rulesInUse: describeActiveRules(active) }),
      outcome: outcome.outcome,
    };
    const describe = { at, timeZone: window.timeZone };
    const rulesNotice = (deps.rulesNotices ?? []).map(unescapeMrkdwn);
    if (outcome.outcome === 'already-evaluated') {
      refuseIfEarlier(at, outcome.lastScheduledTime, now);
      lines.push(
        rulesNotice.length === 0
          ? 'Already evaluated for this time: nothing changed, nothing sent.'
          : `Already evaluated for this time: nothing changed. Sent: ${rulesNotice.join('; ')}`,
      );
      document.notices = rulesNotice;
    } else {
      Object.assign(document, {
        archive: outcome.archived,
        results: outcome.results.map((result) => ({
          ruleId: result.ruleId,
          status: statusLabel(result.after),
          measurement: result.measurement,
          muted: result.muted,
        })),
        sent: outcome.sent.map((notification) => ({
          ...notification,
          text: renderAlertLines([notification], describe)[0],
        })),
      });
      lines.push(`Archive: ${outcome.archived.key}`, 'Rules:');
      const byId = new Map(deps.rules.map((rule) => [rule.id, rule]));
      for (const result of outcome.results) {
        const rule = byId.get(result.ruleId);
        if (rule) lines.push(`  ${renderResultLine(rule, result)}`);
      }
      // Everything this run posted: the alerts, the rules notice, the notices riding with them.
      const notices = [...rulesNotice, ...outcome.notices];
      const posted = [...renderAlertLines(outcome.sent, describe), ...notices];
      lines.push(
        posted.length > 0
          ? `Sent: ${posted.join('; ')}`
          : outcome.held.length === 0
            ? 'Sent: nothing owed.'
            : 'Sent: nothing.',
      );
      document.notices = notices;
      if (flags.explain === true) {
        const explained = explainOutgoing(deps.rules, outcome.sent, outcome.held, window.timeZone);
        lines.push(
          "Why (mute, snooze, acknowledgement, claims, the group's next message, in that order):",
          ...explained.lines,
        );
        document.explain = explained.entries;
      }
    }
    context.report(lines.join('\n'), document);
  },
};

/** Per rule, then the monitor: what was sent of it, or what was held and why. */
function explainOutgoing(
  rules: readonly Rule[],
  sent: readonly Notification[],
  held: readonly Held[],
  timeZone: string,
): {
  lines: string[];
  entries: Array<{ target: string; sent: string[]; held: Array<{ kind: string; why: string }> }>;
} {
  const targetOf = (n: Notification) => (isRuleNotification(n) ? n.ruleId : 'monitor');
  const targets = [...rules.map((rule) => rule.id), 'monitor'];
  const entries = targets.map((target) => ({
    target,
    sent: sent.filter((n) => targetOf(n) === target).map((n) => n.kind),
    held: held
      .filter((h) => targetOf(h.notification) === target)
      .map((h) => ({ kind: h.notification.kind, why: describeHold(h.reason, timeZone) })),
  }));
  const width = Math.max(...targets.map((target) => target.length));
  const lines = entries.map(({ target, sent: kinds, held: holds }) => {
    const parts = [
      ...(kinds.length > 0 ? [`sent ${kinds.join(', ')}`] : []),
      ...holds.map((h) => `held ${h.kind}: ${h.why}`),
    ];
    return `  ${target.padEnd(width)}  ${parts.length === 0 ? 'nothing owed' : parts.join('; ')}`;
  });
  return { lines, entries };
}

function describeHold(reason: HoldReason, timeZone: string): string {
  switch (reason.stage) {
    case 'muted':
      return `muted ${reason.period.from}–${reason.period.to} (${timeZone})${reason.period.days ? ` on ${reason.period.days.join(', ')}` : ''}`;
    case 'snoozed':
      return `snoozed${reason.target === 'all' ? ' (all)' : ''} until ${reason.snooze.until}${reason.snooze.reason ? `: ${reason.snooze.reason}` : ''}`;
    case 'acknowledged':
      return `acknowledged by ${reason.acknowledgement.by} at ${reason.acknowledgement.at}`;
    case 'claimed':
      return `another run (${reason.claim.runId}) is delivering it since ${reason.claim.at}`;
    case 'waiting':
      return "waits for the group's next message (webhook mode: not worth a push of its own; at most one reminder interval after the group's last post)";
  }
}

function describeRulesInUse(active: ActiveRules | undefined): string[] {
  if (active === undefined) return [];
  const versionId = active.versionId === undefined ? '' : `, S3 version id ${active.versionId}`;
  const line = `Rules in use: ${active.version} from ${active.source}${versionId}`;
  if (!active.invalid) return [line];
  return [line, `  (${active.invalid.version} in the archive is INVALID: ${active.invalid.error})`];
}

/** The last instant the alert state evaluated; undefined when there is none or it cannot be read (the run then fails naming it). */
async function lastEvaluatedInstant(store: ObjectStore, logger: Logger): Promise<string | undefined> {
  try {
    return (await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value.lastScheduledTime;
  } catch (error) {
    logger.debug('Alert state unreadable before the check; the check reports it', { error: String(error) });
    return undefined;
  }
}

function refuseIfEarlier(at: Date, lastScheduledTime: string | undefined, now: Date): void {
  if (lastScheduledTime === undefined || at.getTime() >= Date.parse(lastScheduledTime)) return;
  if (tooFarAhead(new Date(lastScheduledTime), now) !== undefined) {
    throw new UsageError(
      `The alert state was evaluated up to ${lastScheduledTime}, which is in the future (now ${now.toISOString()}): ` +
        'a run from a fast clock or a future event moved it there, and checks evaluate nothing until then. ' +
        'Move it back with "watermark reset" (see "watermark --help").',
    );
  }
  throw new UsageError(
    `--at ${at.toISOString()} is earlier than the last evaluated instant ${lastScheduledTime}: the alert state only moves forward. ` +
      'To evaluate the past without changing the state, use "replay --from YYYY-MM-DD --to YYYY-MM-DD".',
  );
}
