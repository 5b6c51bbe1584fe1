import { wholeDayWindow } from '../domain/query-window';
import { assertDayIsOver, runDigest } from '../use-cases/run-digest';
import type { Command } from './cli-types';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const digestCommand: Command = {
  summary: "Post the daily digest (default: yesterday in the account's zone), once per date.",
  usage:
    'digest [--date YYYY-MM-DD] [--force] [--detail]   (--force posts again a digest already posted; --detail adds the full figure table)',
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
    for (const earlier of result.caughtUp) {
      if (earlier.outcome === 'posted')
        context.io.stdout(`Digest for ${earlier.date} posted (owed by an earlier run).`);
    }
    context.io.stdout(
      result.outcome === 'posted'
        ? `Digest for ${result.date} posted (raw data: ${result.rawKey}).`
        : result.outcome === 'already-posted'
          ? `Digest for ${result.date} was already posted; nothing sent (use --force to post it again).`
          : `Another run is posting the digest for ${result.date}; nothing sent.`,
    );
  },
};
