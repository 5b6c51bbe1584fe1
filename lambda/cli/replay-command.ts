import { readFile } from 'node:fs/promises';
import type { Config } from '../config';
import { renderAlertLines } from '../domain/alerts/render';
import { parseRuleSet, type RuleSet, RulesFileError } from '../domain/alerts/rules';
import { formatWallClock, toWallClock } from '../domain/shared/local-time';
import { unescapeMrkdwn } from '../domain/slack/mrkdwn';
import { renderMessageAsText } from '../domain/slack/render-text';
import { type ReplayEvent, type ReplayResult, replay } from '../use-cases/replay';
import type { Command, CommandContext } from './cli-types';
import { ENV_HELP } from './command-help';
import { dateRangeFromFlags } from './date-range-flags';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const replayCommand: Command = {
  summary:
    'Re-evaluate alert rules and digests over archived days (no API call); posts nothing unless --post.',
  usage: 'replay --from YYYY-MM-DD --to YYYY-MM-DD [--rules FILE] [--post] [--json]',
  flags: [
    { flag: '--from YYYY-MM-DD', description: 'first archived local day to replay' },
    { flag: '--to YYYY-MM-DD', description: 'last archived local day to replay, included' },
    { flag: '--rules FILE', description: 'candidate rules to try (default: the active rules)' },
    { flag: '--post', description: 'post the replayed messages to Slack (default: print only)' },
  ],
  env: [
    ...ENV_HELP.zone,
    ...ENV_HELP.archive,
    ...ENV_HELP.rules,
    ...ENV_HELP.digest,
    ...ENV_HELP.monitor,
    ...ENV_HELP.slack,
    ...ENV_HELP.logs,
  ],
  json: true,
  async run(args, context) {
    const flags = parseFlags(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      rules: { type: 'string' },
      post: { type: 'boolean' },
    });
    const { config, io } = context;
    const timeZone = config.airudder.timeZone;
    const { from, to } = dateRangeFromFlags(flags);
    const post = flags.post === true;
    if (post && !hasSlack(config)) {
      throw new UsageError(
        '--post: no Slack webhook is configured (SLACK_WEBHOOK_URL or MONITOR_SECRET_ARN)',
      );
    }
    const { source, ...ruleSet } = await rulesFor(flags.rules, context);
    const { rules } = ruleSet;

    // Only the archive and (with --post) the notifiers are used: the replay never calls AIRUDDER.
    const deps = await context.wiring.replay(ruleSet, { post });
    io.stdout(
      `Replay ${from} → ${to} (${timeZone}) with ${plural(rules.length, 'rule')} from ${source}, from ${deps.store.describe('raw/')}; ` +
        (post ? 'posting to Slack.' : 'nothing is posted (--post sends it).'),
    );
    const events: Array<Record<string, unknown>> = [];
    const result = await replay(deps, {
      from,
      to,
      onEvent: (event) => {
        events.push(eventDocument(event, timeZone));
        printEvent(event, timeZone, io.stdout);
      },
    });
    context.report(`${summary(result)}\n${noiseReport(result)}`, {
      ok: true,
      from,
      to,
      timeZone,
      rules: source,
      ...result,
      events,
    });
  },
};

const hasSlack = (config: Config) =>
  [config.slack.alertWebhookUrl, config.slack.digestWebhookUrl, config.secretArn].some(
    (value) => value !== undefined,
  );

async function rulesFor(
  file: string | undefined,
  context: CommandContext,
): Promise<RuleSet & { source: string }> {
  try {
    if (file === undefined) {
      const active = await context.wiring.rules();
      return {
        rules: [...active.rules],
        reminders: active.reminders,
        source: `${active.source} (${active.version})`,
      };
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--rules: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
        {
          cause: error,
        },
      );
    }
    return { ...parseRuleSet(text, file), source: file };
  } catch (error) {
    if (error instanceof RulesFileError) {
      throw new UsageError(`${file === undefined ? 'RULES_FILE' : '--rules'}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** 'YYYY-MM-DD HH:mm' in the account's zone. */
const localStamp = (at: Date, timeZone: string) => formatWallClock(toWallClock(at, timeZone)).slice(0, 16);

function printEvent(event: ReplayEvent, timeZone: string, print: (text: string) => void): void {
  switch (event.kind) {
    case 'day-missing':
      print(`${event.date} SKIPPED: no valid whole-day response archived under raw/day/${event.date}/`);
      return;
    case 'alerts': {
      const stamp = `${localStamp(event.at, timeZone)}${event.source === 'check' ? ' (archived check)' : ''}`;
      for (const line of renderAlertLines(event.notifications, { at: event.at, timeZone })) {
        print(`${stamp}  ${line}`);
      }
      return;
    }
    case 'digest': {
      const hours = `${event.hours.derived + event.hours.check} evaluations: ${event.hours.derived} hourly from the day's response, ${event.hours.check} at archived checks`;
      if (event.posted)
        print(`${event.date} digest posted (${hours}):\n${renderMessageAsText(event.message)}`);
      else print(`${event.date} digest (${hours}): ${unescapeMrkdwn(event.message.text)}`);
      return;
    }
  }
}

/** An event as data for `--json`: notifications as they are plus their one-line text, digests as text. */
function eventDocument(event: ReplayEvent, timeZone: string): Record<string, unknown> {
  switch (event.kind) {
    case 'day-missing':
      return { ...event };
    case 'alerts':
      return {
        ...event,
        at: event.at.toISOString(),
        notifications: event.notifications.map((notification) => ({
          ...notification,
          text: renderAlertLines([notification], { at: event.at, timeZone })[0],
        })),
      };
    case 'digest': {
      const { message, ...rest } = event;
      return { ...rest, text: unescapeMrkdwn(message.text) };
    }
  }
}

function summary(result: ReplayResult): string {
  const kinds = Object.entries(result.notifications)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  const missing =
    result.missingDays.length === 0
      ? ''
      : ` (${result.missingDays.length} missing: ${result.missingDays.join(', ')})`;
  const evaluations = result.hours.derived + result.hours.check;
  return (
    `Replayed ${plural(result.days, 'day')}${missing}: ${plural(evaluations, 'evaluation')} ` +
    `(${result.hours.derived} hourly from the day's response, ${result.hours.check} at archived checks); ` +
    `notifications: ${kinds === '' ? 'none' : kinds}; ${plural(result.posted, 'message')} posted.`
  );
}

/**
 * The tuning report, in the detection benchmark's columns: per rule, what it would have cost
 * (messages, per episode on average and at most, alert-hours, episodes per 30 days, alerts announced
 * 22:00–06:00), how fast it caught and cleared (detection: first breaching run → fired, median and
 * 90th percentile; resolution: first healthy run → resolved, median) and how often it fired again
 * within an hour of resolving (flaps). Replay evaluates at every archived check, and hourly where none
 * was archived.
 */
export function noiseReport(result: ReplayResult): string {
  const minutes = (value: number | undefined) => (value === undefined ? '—' : `${value} min`);
  const header = [
    'rule',
    'messages',
    'per day',
    'alert-hours',
    'episodes',
    'msg/episode',
    'max',
    'per 30 days',
    'night',
    'detection p50/p90',
    'resolution p50',
    'flaps',
  ];
  const rows = result.noise.map((rule) => [
    rule.ruleId,
    String(rule.messages),
    String(rule.messagesPerDay),
    String(rule.alertHours),
    String(rule.episodes),
    rule.messagesPerEpisode === undefined ? '—' : String(rule.messagesPerEpisode),
    rule.messagesPerEpisodeMax === undefined ? '—' : String(rule.messagesPerEpisodeMax),
    String(rule.episodesPer30Days),
    String(rule.nightAlerts),
    `${minutes(rule.detectionMedianMinutes)} / ${minutes(rule.detectionP90Minutes)}`,
    minutes(rule.resolutionMedianMinutes),
    String(rule.flaps),
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const { archived, derived, missing } = result.windows;
  const windows =
    archived + derived + missing === 0
      ? ''
      : `\nRolling windows: ${archived} from archived checks, ${derived} derived from hourly rows, ${missing} missing (rules on them had no data).`;
  return ['Noise report per rule:', line(header), ...rows.map(line)].join('\n') + windows;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
