import { resolve } from 'node:path';
import { ALERT_STATE_KEY } from '../domain/alerts/state';
import { RAW_PREFIX } from '../domain/archive/raw-archive';
import { CURATED_PREFIX } from '../domain/curated/curated-tables';
import {
  CurateIncompleteError,
  type CurateOutcome,
  type CurateRangeResult,
  curateRange,
} from '../use-cases/curate';
import { curateAlertEpisodes } from '../use-cases/curate-alert-episodes';
import type { Command } from './cli-types';
import { ENV_HELP } from './command-help';
import { dateRangeFromFlags } from './date-range-flags';
import { parseFlags } from './parse-flags';
import { createProgressReporter, type DayOutcomes } from './progress-reporter';
import { UsageError } from './usage-error';

const CURATE_DAYS: DayOutcomes<CurateOutcome> = {
  statuses: ['written', 'unchanged', 'no-response', 'failed'],
  free: [],
  describe: (outcome, redact) => {
    switch (outcome.status) {
      case 'written':
      case 'unchanged': {
        const { daily, hourly, distributions } = outcome.records;
        return `${outcome.date} ${outcome.status} (${daily} daily, ${hourly} hourly, ${distributions} distribution records)`;
      }
      case 'no-response':
        return `${outcome.date} no-response (no valid whole-day response archived; backfill it first)`;
      case 'failed':
        return `${outcome.date} FAILED: ${redact(outcome.reason)}`;
    }
  },
};

export const curateCommand: Command = {
  summary:
    'Rebuild the curated tables (for Athena and sql) from the raw whole-day responses, and alert_episodes from the alert state; idempotent.',
  usage:
    'curate --from YYYY-MM-DD --to YYYY-MM-DD [--to-dir FOLDER (write curated/ there, not into the archive)] [--json]',
  flags: [
    { flag: '--from YYYY-MM-DD', description: 'first local day to curate' },
    { flag: '--to YYYY-MM-DD', description: 'last local day to curate, included' },
    { flag: '--to-dir FOLDER', description: 'write curated/ into FOLDER instead of the archive' },
  ],
  env: [...ENV_HELP.zone, ...ENV_HELP.archive, ...ENV_HELP.logs],
  json: true,
  async run(args, context) {
    const flags = parseFlags(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      'to-dir': { type: 'string' },
    });
    const { from, to, dates } = dateRangeFromFlags(flags);
    const toDir = flags['to-dir'];
    if (toDir !== undefined && toDir.trim() === '') throw new UsageError('--to-dir: expected a folder');
    const deps = context.wiring.curate(toDir === undefined ? undefined : resolve(toDir));
    const { store } = deps;
    const target = deps.target ?? store;
    const { io } = context;
    io.stdout(
      `Curate ${from} → ${to}: ${dates.length} days from ${store.describe(`${RAW_PREFIX}day/`)} into ${target.describe(CURATED_PREFIX)}`,
    );
    const reporter = createProgressReporter(
      io,
      { now: Date.now, redact: (text) => context.redactor.redact(text) },
      CURATE_DAYS,
    );
    let result: CurateRangeResult;
    try {
      result = await curateRange(deps, { from, to, onProgress: (progress) => reporter.report(progress) });
    } finally {
      reporter.finish();
    }
    const { counts } = result;
    // The alert episodes the state records for the range: from the alert state, not raw.
    const episodes = await curateAlertEpisodes(deps, {
      rules: (await context.wiring.rules()).rules,
      timeZone: context.config.airudder.timeZone,
      from,
      to,
    });
    context.report(
      `Done: ${counts.written} written, ${counts.unchanged} unchanged, ${counts['no-response']} without a whole-day response, ${counts.failed} failed.\n` +
        `Alert episodes: ${episodes.episodes} began in the range (from ${store.describe(ALERT_STATE_KEY)}); ` +
        `${episodes.written.length} dates written, ${episodes.unchanged.length} unchanged.`,
      {
        alertEpisodes: episodes,
        ok: counts.failed + result.notStarted.length === 0,
        from,
        to,
        target: target.describe(CURATED_PREFIX),
        counts,
        days: result.days.map((day) =>
          day.status === 'failed' ? { ...day, reason: context.redactor.redact(day.reason) } : day,
        ),
        notStarted: result.notStarted,
      },
    );
    if (counts.failed + result.notStarted.length > 0) {
      throw new CurateIncompleteError(
        `${counts.failed} of ${dates.length} days failed; run the same command again (it rewrites only what differs)`,
      );
    }
  },
};
