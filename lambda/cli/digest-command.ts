import { randomUUID } from 'node:crypto';
import { loadRules } from '../adapters/rules/load-rules';
import { wholeDayWindow } from '../domain/query-window';
import { readFiredAlerts } from '../use-cases/fired-alerts';
import { runDigest } from '../use-cases/run-digest';
import type { Command } from './commands';
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
    const { rules } = await loadRules(config);
    const deps = await context.runDeps();
    const result = await runDigest(
      {
        ...deps,
        notifier: deps.digestNotifier,
        timeZone: config.airudder.timeZone,
        topN: config.digestTopN,
        runId: randomUUID(),
        now: context.now,
        firedAlerts: (date) => readFiredAlerts(deps.store, rules, date, config.airudder.timeZone),
      },
      {
        scheduledTime: context.now(),
        date: flags.date,
        force: flags.force ?? false,
        deadline: context.deadline,
      },
    );
    context.io.stdout(
      result.outcome === 'posted'
        ? `Digest for ${result.date} posted (raw data: ${result.rawKey}).`
        : result.outcome === 'already-posted'
          ? `Digest for ${result.date} was already posted; nothing sent (use --force to post it again).`
          : `Another run is posting the digest for ${result.date}; nothing sent.`,
    );
  },
};
