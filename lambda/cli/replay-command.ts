import { readFile } from 'node:fs/promises';
import { loadRules } from '../adapters/rules/load-rules';
import type { Config } from '../config';
import { renderAlertLines } from '../domain/alerts/render';
import type { Rule } from '../domain/alerts/rules';
import { parseRules, RulesFileError } from '../domain/alerts/rules';
import { formatWallClock, toWallClock } from '../domain/local-time';
import { unescapeMrkdwn } from '../domain/slack/mrkdwn';
import { renderMessageAsText } from '../domain/slack/render-text';
import { type ReplayEvent, type ReplayResult, replay } from '../use-cases/replay';
import type { Command } from './cli-types';
import { dateRangeFromFlags } from './date-range-flags';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const replayCommand: Command = {
  summary:
    'Re-evaluate alert rules and digests over archived days (no API call); posts nothing unless --post.',
  usage: 'replay --from YYYY-MM-DD --to YYYY-MM-DD [--rules FILE] [--post]',
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
    const { rules, source } = await rulesFor(flags.rules, config);

    // Only the archive and (with --post) the notifiers are used: the replay never calls AIRUDDER.
    const deps = await context.wiring.replay(rules, { post });
    io.stdout(
      `Replay ${from} → ${to} (${timeZone}) with ${plural(rules.length, 'rule')} from ${source}, from ${deps.store.describe('raw/')}; ` +
        (post ? 'posting to Slack.' : 'nothing is posted (--post sends it).'),
    );
    const result = await replay(deps, {
      from,
      to,
      onEvent: (event) => printEvent(event, timeZone, io.stdout),
    });
    io.stdout(summary(result));
  },
};

const hasSlack = (config: Config) =>
  [config.slack.alertWebhookUrl, config.slack.digestWebhookUrl, config.secretArn].some(
    (value) => value !== undefined,
  );

async function rulesFor(
  file: string | undefined,
  config: Config,
): Promise<{ rules: Rule[]; source: string }> {
  try {
    if (file === undefined) {
      return { rules: await loadRules(config), source: config.rulesFile ?? 'the default rules' };
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
    return { rules: parseRules(text, file), source: file };
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
      const hours = `${event.hours.derived + event.hours.check} hours: ${event.hours.derived} derived from the day's response, ${event.hours.check} from archived checks`;
      if (event.posted)
        print(`${event.date} digest posted (${hours}):\n${renderMessageAsText(event.message)}`);
      else print(`${event.date} digest (${hours}): ${unescapeMrkdwn(event.message.text)}`);
      return;
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
    `Replayed ${plural(result.days, 'day')}${missing}: ${plural(evaluations, 'hourly evaluation')} ` +
    `(${result.hours.derived} derived, ${result.hours.check} from archived checks); ` +
    `notifications: ${kinds === '' ? 'none' : kinds}; ${plural(result.posted, 'message')} posted.`
  );
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
