import { renderAlertLines, renderResultLine } from '../domain/alerts/render';
import { ALERT_STATE_KEY, AlertStateSchema, statusLabel } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/object-store';
import { tooFarAhead } from '../domain/scheduled-time';
import type { Logger } from '../shared/logger';
import { type ActiveRules, describeActiveRules } from '../use-cases/active-rules';
import { readDocument } from '../use-cases/json-document';
import { runCheck } from '../use-cases/run-check';
import type { Command } from './cli-types';
import { ENV_HELP } from './command-help';
import { parseInstant } from './instant-flag';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const checkCommand: Command = {
  summary: "Fetch the local day so far, archive it, evaluate the alert rules and send what's owed.",
  usage: 'check [--at <ISO-8601 instant>] [--json]',
  flags: [
    {
      flag: '--at INSTANT',
      description:
        'the scheduled time to check, e.g. 2025-11-12T06:30:00Z (default now); the same instant always gives the same decisions',
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
    const flags = parseFlags(args, { at: { type: 'string' } });
    const now = context.now();
    const at = flags.at === undefined ? now : parseInstant('--at', flags.at, now);
    const deps = await context.wiring.check(at);
    // Refused before any fetch: an instant the state has moved past would only say "nothing sent".
    refuseIfEarlier(at, await lastEvaluatedInstant(deps.store, deps.logger), now);
    const outcome = await runCheck(deps, { scheduledTime: at, deadline: context.deadline });
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
    if (outcome.outcome === 'already-evaluated') {
      refuseIfEarlier(at, outcome.lastScheduledTime, now);
      lines.push('Already evaluated for this time: nothing changed, nothing sent.');
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
      lines.push(
        outcome.sent.length === 0
          ? 'Sent: nothing owed.'
          : `Sent: ${renderAlertLines(outcome.sent, describe).join('; ')}`,
      );
    }
    context.report(lines.join('\n'), document);
  },
};

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
