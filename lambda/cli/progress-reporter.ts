import type { BackfillProgress, DayOutcome } from '../use-cases/backfill';
import type { CliIo } from './cli-types';
import { CLEAR_LINE } from './share-terminal';

/**
 * Shows a day-by-day job's progress (backfill, curate). On a terminal (`io.isTTY` with `io.write`): one line redrawn in place
 * with `\r` — a bar, counts and an ETA — with failures printed above it as they happen. Anywhere
 * else (a pipe, a log file, CI): one plain line per day, which reads well in a log and greps well.
 */
export interface ProgressReporter<Progress = BackfillProgress> {
  report(progress: Progress): void;
  /** Ends the redrawn line, so what follows starts on a fresh one. */
  finish(): void;
}

/** A day-by-day job's outcomes: how each reads, which count as failures and which cost nothing. */
export interface DayOutcomes<Outcome extends { readonly date: string; readonly status: string }> {
  /** The statuses, in the order the bar counts them. */
  readonly statuses: ReadonlyArray<Outcome['status']>;
  /** Statuses that took no work (left out of the ETA). */
  readonly free: ReadonlyArray<Outcome['status']>;
  readonly describe: (outcome: Outcome, redact: (text: string) => string) => string;
}

/** Backfill's outcomes; the default. */
export const BACKFILL_DAYS: DayOutcomes<DayOutcome> = {
  statuses: ['fetched', 'skipped', 'failed'],
  free: ['skipped'],
  describe: (outcome, redact) => describeDay(outcome, redact),
};

type DayProgress<Outcome> =
  | { readonly kind: 'planned'; readonly total: number; readonly toFetch: number }
  | { readonly kind: 'day'; readonly outcome: Outcome };

export interface ProgressReporterOptions {
  /** Epoch ms: for the ETA. */
  readonly now: () => number;
  /** Applied to failure reasons, which may quote a server's answer. */
  readonly redact: (text: string) => string;
  /** Bar width in characters. @default 24 */
  readonly barWidth?: number;
}

/** When the terminal does not say how wide it is. */
const DEFAULT_COLUMNS = 80;
/** A narrower bar says nothing: drop it instead. */
const MIN_BAR = 8;

/**
 * The progress line at most `columns - 1` wide (a line that reaches the last column wraps on many
 * terminals, and `\r` then redraws only its second half). The counts matter more than the bar: the
 * bar shrinks first, then goes, then the counts between the first part (done/total) and the last
 * (ETA) go, the last count (failures, which also print above the line) last of all; as a last resort
 * the text is cut.
 */
export function fitLine(
  parts: readonly string[],
  bar: (width: number) => string,
  preferredBarWidth: number,
  columns: number,
): string {
  const max = Math.max(1, columns - 1);
  const all = parts.join(' · ');
  const room = max - all.length - 3; // "[" + "] "
  if (room >= MIN_BAR) return `[${bar(Math.min(preferredBarWidth, room))}] ${all}`;
  const kept = [...parts];
  const middle = Array.from({ length: Math.max(0, parts.length - 2) }, (_, index) => index + 1);
  const dropOrder = [...middle.slice(0, -1).reverse(), ...middle.slice(-1)];
  for (const index of [-1, ...dropOrder]) {
    if (index >= 0) kept[index] = '';
    const text = kept.filter(Boolean).join(' · ');
    if (text.length <= max) return text;
  }
  return kept.filter(Boolean).join(' · ').slice(0, max);
}

export function createProgressReporter(io: CliIo, options: ProgressReporterOptions): ProgressReporter;
export function createProgressReporter<Outcome extends { readonly date: string; readonly status: string }>(
  io: CliIo,
  options: ProgressReporterOptions,
  days: DayOutcomes<Outcome>,
): ProgressReporter<DayProgress<Outcome>>;
export function createProgressReporter(
  io: CliIo,
  options: ProgressReporterOptions,
  // Each overload pairs outcomes with their own describe; inside, only date and status are read.
  days: DayOutcomes<AnyOutcome> = BACKFILL_DAYS as unknown as DayOutcomes<AnyOutcome>,
): ProgressReporter<DayProgress<AnyOutcome>> {
  const write = io.isTTY ? io.write : undefined;
  return write === undefined ? plainReporter(io, options, days) : terminalReporter(io, write, options, days);
}

/** "2025-08-01 fetched (12 KB)", "… skipped (already archived)", "… FAILED: reason". */
export function describeDay(outcome: DayOutcome, redact: (text: string) => string = (text) => text): string {
  switch (outcome.status) {
    case 'fetched':
      return `${outcome.date} fetched (${formatBytes(outcome.sizeBytes)})`;
    case 'skipped':
      return `${outcome.date} skipped (already archived)`;
    case 'failed':
      return `${outcome.date} FAILED: ${redact(outcome.reason)}`;
  }
}

type AnyOutcome = { readonly date: string; readonly status: string };

function plainReporter(
  io: CliIo,
  options: ProgressReporterOptions,
  days: DayOutcomes<AnyOutcome>,
): ProgressReporter<DayProgress<AnyOutcome>> {
  return {
    report(progress) {
      if (progress.kind === 'day') io.stdout(days.describe(progress.outcome, options.redact));
    },
    finish() {},
  };
}

function terminalReporter(
  io: CliIo,
  write: (text: string) => void,
  options: ProgressReporterOptions,
  days: DayOutcomes<AnyOutcome>,
): ProgressReporter<DayProgress<AnyOutcome>> {
  const width = options.barWidth ?? 24;
  const counts = new Map(days.statuses.map((status) => [status, 0]));
  const count = (statuses: ReadonlyArray<string>) =>
    statuses.reduce((sum, status) => sum + (counts.get(status) ?? 0), 0);
  let total = 0;
  let toFetch = 0;
  let started = options.now();
  let drawn = false;

  const draw = () => {
    const done = count(days.statuses);
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const bar = (barWidth: number) => {
      const filled = total === 0 ? barWidth : Math.round((done / total) * barWidth);
      return `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
    };
    const parts = [
      `${done}/${total} days ${String(percent).padStart(3)}%`,
      ...days.statuses.map((status) => `${status} ${counts.get(status) ?? 0}`),
      `ETA ${eta()}`,
    ];
    write(`${CLEAR_LINE}${fitLine(parts, bar, width, io.columns?.() ?? DEFAULT_COLUMNS)}`);
    drawn = true;
  };

  /** From the pace of the days worked on (fetched, failed…) so far; skipped days cost nothing. */
  const eta = () => {
    const attempted = count(days.statuses.filter((status) => !days.free.includes(status)));
    const remaining = toFetch - attempted;
    if (remaining <= 0) return '0:00';
    if (attempted === 0) return '--:--';
    return formatDuration(((options.now() - started) / attempted) * remaining);
  };

  return {
    report(progress) {
      if (progress.kind === 'planned') {
        total = progress.total;
        toFetch = progress.toFetch;
        started = options.now();
      } else {
        const { status } = progress.outcome;
        counts.set(status, (counts.get(status) ?? 0) + 1);
        if (status === 'failed') {
          if (drawn) write(CLEAR_LINE);
          io.stdout(days.describe(progress.outcome, options.redact));
        }
      }
      draw();
    },
    finish() {
      if (drawn) write('\n');
      drawn = false;
    },
  };
}

/** "812 B", "12 KB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "0:07", "12:30", "1:02:03". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const pad = (value: number) => String(value).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
