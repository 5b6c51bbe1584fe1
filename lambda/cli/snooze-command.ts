import { userInfo } from 'node:os';
import { formatSpan, localMinute, parseSnoozeDuration, SNOOZE_ALL } from '../domain/alerts/snooze';
import { SNOOZE_REASON_MAX } from '../domain/alerts/state';
import { formatWallClock, fromWallClock, parseWallClock, toWallClock } from '../domain/shared/local-time';
import {
  CLI_OPERATOR_MAX,
  cliOperator,
  cliSnoozeNote,
  cliUnsnoozeNote,
} from '../domain/slack/incident-notes';
import { deliverIncidentNotes } from '../use-cases/incident-notes';
import { readSnoozes, snoozeAlerts, unsnoozeAlerts } from '../use-cases/snoozes';
import type { Command, CommandContext } from './cli-types';
import { ENV_HELP, env } from './command-help';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

/** `snooze <rule-id|all> (--for 2h | --until "YYYY-MM-DD HH:mm") [--reason TEXT]`, `unsnooze`, `snoozes`. */

const ENV = [...ENV_HELP.zone, ...ENV_HELP.archive, ...ENV_HELP.rules, ...ENV_HELP.logs];
/** Slack app mode: a snooze that touches the open incident edits its message (tellIncident). */
const APP_MODE_ENV = [
  env('SLACK_ALERT_CHANNEL', 'Slack app mode: the incident message there is edited and replied to'),
  env('SLACK_BOT_TOKEN | MONITOR_SECRET_ARN', 'Slack app mode: the bot token, or the secret holding it'),
  env('SLACK_API_URL', 'Slack Web API base (default https://slack.com/api/)'),
];
const MAX_SNOOZE_MS = 7 * 24 * 3_600_000;

/** The rule id (or `all`) given as the one positional argument, checked against the active rules. */
async function targetOf(args: readonly string[], command: string, context: CommandContext) {
  const positionals = args.filter((arg) => !arg.startsWith('--'));
  const [target, ...extra] = positionals;
  if (target === undefined) throw new UsageError(`${command}: say what: a rule id or "all"`);
  if (extra.length > 0)
    throw new UsageError(`${command}: one rule id (or "all") only, got also "${extra.join('", "')}"`);
  if (target === SNOOZE_ALL) return target;
  const { rules } = await context.wiring.rules();
  if (!rules.some((rule) => rule.id === target)) {
    throw new UsageError(
      `${command}: no rule "${target}" in the active rules; known: ${rules.map((rule) => rule.id).join(', ')}, or "all"`,
    );
  }
  return target;
}

/** Flags come after the target; positional values of flags (--for 2h) are taken by parseFlags. */
function splitArgs(args: readonly string[], valued: readonly string[]) {
  const positionals: string[] = [];
  const flags: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg.startsWith('--')) {
      flags.push(arg);
      if (valued.includes(arg) && index + 1 < args.length) flags.push(args[++index] ?? '');
    } else positionals.push(arg);
  }
  return { positionals, flags };
}

/** `--by NAME`, else this login's name: who the change is recorded under, as "NAME (CLI)". */
function operatorOf(by: string | undefined): string {
  if (by !== undefined) {
    if (by.trim() === '') throw new UsageError('--by: give a name (who is snoozing), or leave it out');
    // Refused rather than cut: what is recorded and said in Slack is then what was typed.
    if (by.trim().length > CLI_OPERATOR_MAX) {
      throw new UsageError(`--by is ${by.trim().length} characters; at most ${CLI_OPERATOR_MAX} are kept`);
    }
    return cliOperator(by);
  }
  try {
    return cliOperator(userInfo().username);
  } catch {
    return cliOperator('');
  }
}

const BY_FLAG = {
  flag: '--by NAME',
  description: `who does it, said in the incident message's thread in Slack app mode (default: your login name; at most ${CLI_OPERATOR_MAX} characters)`,
};

/**
 * Slack app mode: edits the open incident's message and replies in its thread, as a button click
 * does, when the change owed it a note. A refusal leaves the note owed for the next check.
 */
async function tellIncident(
  noted: boolean,
  context: CommandContext,
): Promise<{ line: string; slack: string }> {
  if (!noted) return { line: '', slack: 'none' };
  const deps = await context.wiring.incidentNotes();
  if (deps === undefined) return { line: '', slack: 'none' };
  const delivered = await deliverIncidentNotes(deps);
  if (delivered.outcome === 'sent')
    return { line: "\nSlack: the incident's message now shows it, and its thread says so.", slack: 'sent' };
  if (delivered.outcome === 'owed')
    return {
      line: `\nSlack did not take the incident message's update (${delivered.error}); the next check sends it.`,
      slack: 'owed',
    };
  return { line: '', slack: 'none' };
}

export const snoozeCommand: Command = {
  summary: 'Hold the fired and reminder messages of a rule (or all) for a while; resolutions still go out.',
  usage: 'snooze <rule-id|all> (--for 2h | --until "YYYY-MM-DD HH:mm") [--reason TEXT] [--by NAME] [--json]',
  flags: [
    {
      flag: '<rule-id|all>',
      description: 'the rule to snooze (see "rules show"), or every rule and the monitor',
    },
    { flag: '--for DURATION', description: 'how long: 30m, 2h, 1h30m, 1d (at most 7 days)' },
    { flag: '--until "YYYY-MM-DD HH:mm"', description: 'until when, on the account-local clock' },
    {
      flag: '--reason TEXT',
      description: `why, shown by "snoozes" and in the digest (at most ${SNOOZE_REASON_MAX} characters)`,
    },
    BY_FLAG,
  ],
  env: [...ENV, ...APP_MODE_ENV],
  json: true,
  async run(args, context) {
    const { positionals, flags: flagArgs } = splitArgs(args, ['--for', '--until', '--reason', '--by']);
    const flags = parseFlags(flagArgs, {
      for: { type: 'string' },
      until: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
    });
    const now = context.now();
    const timeZone = context.config.airudder.timeZone;
    const until = untilOf(flags, now, timeZone);
    const reason = reasonOf(flags.reason);
    const by = operatorOf(flags.by);
    const target = await targetOf(positionals, 'snooze', context);
    const span = formatSpan(until.getTime() - now.getTime());
    const untilLocal = localMinute(until, timeZone);
    const note = cliSnoozeNote({ target, by, span, untilLocal, ...(reason ? { reason } : {}) });
    const noted = await snoozeAlerts(
      context.wiring.archive(),
      target,
      { until: until.toISOString(), at: now.toISOString(), ...(reason ? { reason } : {}), by },
      note,
    );
    const told = await tellIncident(noted, context);
    const what = target === SNOOZE_ALL ? 'All alerts' : `Rule ${target}`;
    context.report(
      `${what} snoozed until ${untilLocal} ${timeZone} (${span} from now)` +
        `${reason ? `: ${reason}` : ''}. Fired and reminder messages are held; resolutions still go out.${told.line}`,
      {
        ok: true,
        target,
        until: until.toISOString(),
        untilLocal,
        timeZone,
        ...(reason ? { reason } : {}),
        by,
        slack: told.slack,
      },
    );
  },
};

/** The reason as stored; refused (exit 2) when the alert state could not keep it. */
function reasonOf(text: string | undefined): string | undefined {
  const reason = text?.trim();
  if (reason !== undefined && reason.length > SNOOZE_REASON_MAX) {
    throw new UsageError(
      `--reason is ${reason.length} characters; at most ${SNOOZE_REASON_MAX} are kept (put a longer note in a ticket and link it)`,
    );
  }
  return reason;
}

function untilOf(flags: { for?: string; until?: string }, now: Date, timeZone: string): Date {
  if ((flags.for === undefined) === (flags.until === undefined)) {
    throw new UsageError('snooze: give either --for DURATION (e.g. 2h) or --until "YYYY-MM-DD HH:mm"');
  }
  let until: Date;
  if (flags.for !== undefined) {
    const ms = parseSnoozeDuration(flags.for);
    if (ms === undefined)
      throw new UsageError(`--for "${flags.for}": expected a duration such as 30m, 2h, 1h30m or 1d`);
    until = new Date(now.getTime() + ms);
  } else {
    const text = flags.until ?? '';
    const clock = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(text.trim())
      ? parseWallClock(`${text.trim()}:00`)
      : undefined;
    if (clock === undefined) {
      throw new UsageError(
        `--until "${text}": expected an account-local time "YYYY-MM-DD HH:mm" (${timeZone})`,
      );
    }
    until = fromWallClock(clock, timeZone);
    if (formatWallClock(toWallClock(until, timeZone)).slice(0, 16) !== text.trim()) {
      throw new UsageError(
        `--until "${text}": that time does not exist in ${timeZone} (a daylight-saving gap)`,
      );
    }
  }
  if (until.getTime() <= now.getTime()) {
    throw new UsageError(
      `snooze: ${localMinute(until, timeZone)} is not in the future (now ${localMinute(now, timeZone)} ${timeZone})`,
    );
  }
  if (until.getTime() - now.getTime() > MAX_SNOOZE_MS) {
    throw new UsageError('snooze: at most 7 days; a longer silence belongs in the rules (mute periods)');
  }
  return until;
}

export const unsnoozeCommand: Command = {
  summary: 'End the snooze of a rule (or all) now; what is still firing is announced at the next check.',
  usage: 'unsnooze <rule-id|all> [--by NAME] [--json]',
  flags: [{ flag: '<rule-id|all>', description: 'the rule whose snooze ends, or every snooze' }, BY_FLAG],
  env: [...ENV, ...APP_MODE_ENV],
  json: true,
  async run(args, context) {
    const { positionals, flags: flagArgs } = splitArgs(args, ['--by']);
    const flags = parseFlags(flagArgs, { by: { type: 'string' } });
    const by = operatorOf(flags.by);
    const target = await targetOf(positionals, 'unsnooze', context);
    const { ended, noted } = await unsnoozeAlerts(context.wiring.archive(), target, context.now(), (done) =>
      cliUnsnoozeNote(done, by),
    );
    const told = await tellIncident(noted, context);
    context.report(
      ended.length === 0
        ? `Nothing to unsnooze: ${target === SNOOZE_ALL ? 'no snooze is running' : `rule ${target} is not snoozed on its own`}.`
        : `Ended: ${ended.join(', ')}. The next check announces what is still firing.${told.line}`,
      { ok: true, target, ended, slack: told.slack },
    );
  },
};

export const snoozesCommand: Command = {
  summary:
    'List what is snoozed, until when and why, and any "monitor degraded" a snooze of all held in the last 24 h.',
  usage: 'snoozes [--json]',
  flags: [],
  env: ENV,
  json: true,
  async run(args, context) {
    parseFlags(args, {});
    const now = context.now();
    const timeZone = context.config.airudder.timeZone;
    const { active: snoozes, heldHealth } = await readSnoozes(context.wiring.archive(), now);
    const lines =
      snoozes.length === 0
        ? ['Nothing is snoozed.']
        : snoozes.map(
            (snooze) =>
              `${snooze.target.padEnd(28)} until ${localMinute(snooze.until, timeZone)} (${formatSpan(Date.parse(snooze.until) - now.getTime())} left)` +
              `${snooze.reason ? `  ${snooze.reason}` : ''}${snooze.by ? `  (by ${snooze.by})` : ''}`,
          );
    // What a snooze of all held of the monitor's own health: no message said it.
    if (heldHealth.length > 0) lines.push('', 'Held by "snooze all" in the last 24 h:');
    for (const { snooze, spells } of heldHealth)
      for (const spell of spells)
        lines.push(
          `  monitor degraded ${localMinute(spell.since, timeZone)} → ${spell.until ? localMinute(spell.until, timeZone) : 'still degraded'}` +
            ` (snooze ${localMinute(snooze.at, timeZone)} → ${localMinute(snooze.until, timeZone)})` +
            `${spell.error ? `: ${spell.error}` : ''}`,
        );
    context.report(lines.join('\n'), {
      ok: true,
      timeZone,
      snoozes: snoozes.map((snooze) => ({ ...snooze, untilLocal: localMinute(snooze.until, timeZone) })),
      heldMonitorHealth: heldHealth.flatMap(({ snooze, spells }) =>
        spells.map((spell) => ({ ...spell, snooze: { target: 'all', ...snooze } })),
      ),
    });
  },
};
