import { wholeDayWindow } from '../domain/query-window';
import { runDigest } from '../use-cases/run-digest';
import type { Command } from './cli-types';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const digestCommand: Command = {
  summary: "Post the daily digest (default: yesterday in the account's zone), once per date.",
  usage: 'digest [--date YYYY-MM-DD] [--force]   (--force posts again a digest already posted)',
  async run(args, context) {
    const flags = parseFlags(args, { date: { type: 'string' }, force: { type: 'boolean' } });
    const { config } = context;
    if (flags.date !== undefined) {
      try {
        wholeDayWindow(flags.date, config.airudder.timeZone);
      } catch (error) {
        throw new UsageError(`--date: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    }
    const result = await runDigest(await context.wiring.digest(), {
      scheduledTime: context.now(),
      date: flags.date,
      force: flags.force ?? false,
      deadline: context.deadline,
    });
    context.io.stdout(
      result.outcome === 'posted'
        ? `Digest for ${result.date} posted (raw data: ${result.rawKey}).`
        : result.outcome === 'already-posted'
          ? `Digest for ${result.date} was already posted; nothing sent (use --force to post it again).`
          : `Another run is posting the digest for ${result.date}; nothing sent.`,
    );
  },
};
