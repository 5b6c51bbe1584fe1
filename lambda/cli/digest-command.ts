import { renderMessageAsText } from '../domain/slack/render-text';
import { wholeDayWindow } from '../domain/statistics/query-window';
import { assertDayIsOver, type DateOutcome, DigestInProgressError, runDigest } from '../use-cases/run-digest';
import type { Command } from './cli-types';
import { ENV_HELP } from './command-help';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const digestCommand: Command = {
  summary: "Post the daily digest (default: yesterday in the account's zone), once per date.",
  usage: 'digest [--date YYYY-MM-DD] [--force] [--detail] [--json]',
  flags: [
    {
      flag: '--date YYYY-MM-DD',
      description: "the local day to digest (default yesterday in the account's zone)",
    },
    { flag: '--force', description: 'post again a digest already posted for that date' },
    { flag: '--detail', description: 'add the full figure table to the digest' },
  ],
  env: [
    ...ENV_HELP.zone,
    ...ENV_HELP.archive,
    ...ENV_HELP.airudder,
    ...ENV_HELP.monitor,
    ...ENV_HELP.slack,
    ...ENV_HELP.digestSlack,
    ...ENV_HELP.rules,
    ...ENV_HELP.digest,
    ...ENV_HELP.logs,
  ],
  json: true,
  async run(args, context) {
    const flags = parseFlags(args, {
      date: { type: 'string' },
      force: { type: 'boolean' },
      detail: { type: 'boolean' },
    });
    const { config } = context;
    if (flags.date !== undefined) {
      try {
        wholeDayWindow(flags.date, config.airudder.timeZone);
      } catch (error) {
        throw new UsageError(`--date: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
      try {
        assertDayIsOver('--date', flags.date, config.airudder.timeZone, context.now());
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
      }
    }
    const result = await runDigest(await context.wiring.digest(), {
      scheduledTime: context.now(),
      date: flags.date,
      force: flags.force ?? false,
      detail: flags.detail ?? false,
      deadline: context.deadline,
    });
    // A retry inside the claim of a run that died must not end quietly with exit 0.
    if (result.outcome === 'in-progress') throw new DigestInProgressError(result);
    const lines = result.caughtUp.flatMap((earlier) =>
      earlier.outcome === 'posted' ? [`Digest for ${earlier.date} posted (owed by an earlier run).`] : [],
    );
    if (result.missed.length > 0) {
      lines.push(
        `Digests never posted and too old to catch up, listed in one message: ${result.missed.join(', ')}.`,
      );
    }
    lines.push(
      result.outcome === 'posted'
        ? `Digest for ${result.date} posted (raw data: ${result.rawKey}).`
        : `Digest for ${result.date} was already posted; nothing sent (use --force to post it again).`,
    );
    context.report(lines.join('\n'), {
      ...describeOutcome(result),
      caughtUp: result.caughtUp.map(describeOutcome),
      missed: result.missed,
    });
  },
};

/** A date's outcome for --json: the message as the text a reader sees, not Block Kit. */
function describeOutcome(outcome: DateOutcome) {
  return outcome.outcome === 'posted'
    ? {
        date: outcome.date,
        outcome: outcome.outcome,
        rawKey: outcome.rawKey,
        text: renderMessageAsText(outcome.message),
      }
    : { date: outcome.date, outcome: outcome.outcome };
}
