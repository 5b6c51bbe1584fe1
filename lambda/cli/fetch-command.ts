import { explicitWindow, InvalidWindowError, windowEndInstant } from '../domain/statistics/query-window';
import { fetchAndArchive } from '../use-cases/fetch-and-archive';
import type { Command } from './cli-types';
import { ENV_HELP } from './command-help';
import { describeFetch } from './describe-fetch';
import { parseFlags, requireFlag } from './parse-flags';
import { UsageError } from './usage-error';

export const fetchCommand: Command = {
  summary: 'Fetch one window of statistics and archive the exact response.',
  usage: 'fetch --from "YYYY-MM-DD HH:mm:ss" --to "YYYY-MM-DD HH:mm:ss" [--json]',
  flags: [
    { flag: '--from "YYYY-MM-DD HH:mm:ss"', description: 'start of the window, account-local' },
    { flag: '--to "YYYY-MM-DD HH:mm:ss"', description: 'end of the window, account-local' },
  ],
  env: [...ENV_HELP.zone, ...ENV_HELP.archive, ...ENV_HELP.airudder, ...ENV_HELP.logs],
  json: true,
  async run(args, context) {
    const flags = parseFlags(args, { from: { type: 'string' }, to: { type: 'string' } });
    const from = requireFlag(flags.from, 'from', 'YYYY-MM-DD HH:mm:ss');
    const to = requireFlag(flags.to, 'to', 'YYYY-MM-DD HH:mm:ss');
    let window: ReturnType<typeof explicitWindow>;
    try {
      window = explicitWindow(from, to, context.config.airudder.timeZone);
    } catch (error) {
      if (error instanceof InvalidWindowError)
        throw new UsageError(`--from/--to: ${error.message}`, { cause: error });
      throw error;
    }
    const now = context.now();
    const end = windowEndInstant(window);
    if (end.getTime() > now.getTime()) {
      // AIRUDDER would answer with the figures so far, which would be archived as the whole window.
      throw new UsageError(
        `--to ${to} is in the future (it is ${end.toISOString()}, now ${now.toISOString()}): only a window that has ended can be fetched and archived`,
      );
    }
    const result = await fetchAndArchive(await context.wiring.fetch(), {
      kind: 'fetch',
      window,
      referenceTime: end,
      retryInvalidAt: now,
      deadline: context.deadline,
    });
    context.report(describeFetch(result), {
      ok: true,
      window,
      calls: result.statistics.data.realtime?.total?.total_calls ?? null,
      archive: result.archived,
    });
  },
};
