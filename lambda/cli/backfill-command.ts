import { RAW_PREFIX } from '../domain/archive/raw-archive';
import { localDate } from '../domain/shared/local-time';
import { BackfillIncompleteError, type BackfillResult, backfill } from '../use-cases/backfill';
import type { Command } from './cli-types';
import { ENV_HELP } from './command-help';
import { dateRangeFromFlags } from './date-range-flags';
import { InterruptedError } from './interrupted-error';
import { parseFlags } from './parse-flags';
import { createProgressReporter } from './progress-reporter';
import { UsageError } from './usage-error';

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
export const DEFAULT_RATE = 5;

export const backfillCommand: Command = {
  summary: 'Archive whole past days (history for comparisons); skips days already archived, so it resumes.',
  usage: 'backfill --from YYYY-MM-DD --to YYYY-MM-DD [--concurrency N] [--rate R] [--json]',
  flags: [
    { flag: '--from YYYY-MM-DD', description: 'first local day to archive' },
    { flag: '--to YYYY-MM-DD', description: 'last local day to archive, included; must be over' },
    {
      flag: '--concurrency N',
      description: `days fetched at a time, 1-${MAX_CONCURRENCY} (default ${DEFAULT_CONCURRENCY})`,
    },
    { flag: '--rate R', description: `requests started per second at most (default ${DEFAULT_RATE})` },
  ],
  env: [...ENV_HELP.zone, ...ENV_HELP.archive, ...ENV_HELP.airudder, ...ENV_HELP.logs],
  json: true,
  async run(args, context) {
    const flags = parseFlags(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
    });
    const { config, io } = context;
    const timeZone = config.airudder.timeZone;
    const { from, to, dates } = dateRangeFromFlags(flags);
    const today = localDate(context.now(), timeZone);
    if (to >= today) {
      throw new UsageError(
        `--to: ${to} is not over yet in ${timeZone} (today is ${today}); a backfill archives whole days that have ended`,
      );
    }
    const concurrency = parseConcurrency(flags.concurrency);
    const rate = parseRate(flags.rate);

    const deps = await context.wiring.backfill();
    io.stdout(
      `Backfill ${from} → ${to} (${timeZone}): ${dates.length} days into ${deps.store.describe(`${RAW_PREFIX}day/`)}, ` +
        `${concurrency} at a time, at most ${rate} requests/s`,
    );
    const reporter = createProgressReporter(io, {
      now: Date.now,
      redact: (text) => context.redactor.redact(text),
    });
    // The first Ctrl-C lets the days in flight finish and prints the summary; a second one quits at once.
    const stop = new AbortController();
    const onInterrupt = () => {
      stop.abort();
      io.stderr('Stopping after the days in flight (Ctrl-C again to quit at once)…');
    };
    process.once('SIGINT', onInterrupt);
    let result: BackfillResult;
    try {
      result = await backfill(deps, {
        from,
        to,
        concurrency,
        ratePerSecond: rate,
        signal: stop.signal,
        onProgress: (progress) => reporter.report(progress),
      });
    } finally {
      reporter.finish();
      process.off('SIGINT', onInterrupt);
    }
    const redact = (text: string) => context.redactor.redact(text);
    const unfinished = result.failed + result.notStarted.length;
    context.report(summarise(result, redact).join('\n'), {
      ok: unfinished === 0,
      from,
      to,
      timeZone,
      concurrency,
      rate,
      fetched: result.fetched,
      skipped: result.skipped,
      failed: result.failed,
      notStarted: result.notStarted,
      days: result.days.map((day) =>
        day.status === 'failed' ? { ...day, reason: redact(day.reason) } : day,
      ),
    });
    if (stop.signal.aborted) {
      throw new InterruptedError(
        `${result.notStarted.length} days not started; run the same command again to fetch only what is missing`,
      );
    }
    if (unfinished > 0) {
      const what = [
        result.failed > 0 ? `${result.failed} of ${dates.length} days failed` : '',
        result.notStarted.length > 0 ? `${result.notStarted.length} not started` : '',
      ].filter(Boolean);
      throw new BackfillIncompleteError(
        `${what.join(', ')}; run the same command again to fetch only what is missing`,
      );
    }
  },
};

function summarise(result: BackfillResult, redact: (text: string) => string): string[] {
  const lines = [
    `Done: ${result.fetched} fetched, ${result.skipped} skipped (already archived), ${result.failed} failed.`,
  ];
  const failed = result.days.flatMap((day) => (day.status === 'failed' ? [day] : []));
  if (failed.length > 0) {
    lines.push('Failed days:');
    for (const day of failed) lines.push(`  ${day.date}  ${redact(day.reason)}`);
  }
  const { notStarted } = result;
  if (notStarted.length > 0) {
    lines.push(`Stopped before ${notStarted.length} days (${notStarted[0]} … ${notStarted.at(-1)}).`);
  }
  return lines;
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(number >= 1 && number <= MAX_CONCURRENCY)) {
    throw new UsageError(
      `--concurrency: expected a whole number from 1 to ${MAX_CONCURRENCY}, got "${value}"`,
    );
  }
  return number;
}

function parseRate(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RATE;
  const number = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(number > 0)) {
    throw new UsageError(
      `--rate: expected requests per second, a number > 0 (e.g. 5 or 0.5), got "${value}"`,
    );
  }
  return number;
}
