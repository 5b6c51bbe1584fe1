import { renderAlertLines, renderResultLine } from '../domain/alerts/render';
import { runCheck } from '../use-cases/run-check';
import type { Command } from './cli-types';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const checkCommand: Command = {
  summary: "Fetch the local day so far, archive it, evaluate the alert rules and send what's owed.",
  usage: 'check [--at <ISO-8601 instant>]   (default now; the same instant always gives the same decisions)',
  async run(args, context) {
    const flags = parseFlags(args, { at: { type: 'string' } });
    const at = flags.at === undefined ? context.now() : parseInstant(flags.at);
    const deps = await context.wiring.check();
    const outcome = await runCheck(deps, { scheduledTime: at, deadline: context.deadline });
    const { window } = outcome;
    const lines = [
      `Check at ${at.toISOString()}: ${window.startTime} → ${window.endTime} (${window.timeZone})`,
    ];
    if (outcome.outcome === 'already-evaluated') {
      lines.push('Already evaluated for this time: nothing changed, nothing sent.');
    } else {
      lines.push(`Archive: ${outcome.archived.key}`, 'Rules:');
      const byId = new Map(deps.rules.map((rule) => [rule.id, rule]));
      for (const result of outcome.results) {
        const rule = byId.get(result.ruleId);
        if (rule) lines.push(`  ${renderResultLine(rule, result)}`);
      }
      lines.push(
        outcome.sent.length === 0
          ? 'Sent: nothing owed.'
          : `Sent: ${renderAlertLines(outcome.sent, { at, timeZone: window.timeZone }).join('; ')}`,
      );
    }
    context.io.stdout(lines.join('\n'));
  },
};

function parseInstant(text: string): Date {
  const instant = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) || Number.isNaN(instant.getTime())) {
    throw new UsageError(`--at "${text}" is not an ISO-8601 instant such as 2025-11-12T06:30:00Z`);
  }
  return instant;
}
