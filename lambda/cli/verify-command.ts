import { RAW_PREFIX } from '../domain/archive/raw-archive';
import { CURATED_PREFIX } from '../domain/curated/curated-tables';
import { ArchiveVerificationError, type VerifyReport, verifyArchive } from '../use-cases/verify-archive';
import type { Command } from './cli-types';
import { ENV_HELP } from './command-help';
import { dateRangeFromFlags } from './date-range-flags';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

export const verifyCommand: Command = {
  summary:
    'Check the raw archive (every sha256, the metadata, that it still parses, missing days) and the curated tables against it.',
  usage: 'verify [--from YYYY-MM-DD --to YYYY-MM-DD] [--json]',
  flags: [
    { flag: '--from YYYY-MM-DD', description: 'first local date to verify (with --to; default all of raw/)' },
    { flag: '--to YYYY-MM-DD', description: 'last local date to verify, included' },
  ],
  env: [...ENV_HELP.archive, ...ENV_HELP.zone, ...ENV_HELP.logs],
  json: true,
  async run(args, context) {
    const flags = parseFlags(args, { from: { type: 'string' }, to: { type: 'string' } });
    if ((flags.from === undefined) !== (flags.to === undefined)) {
      throw new UsageError(
        `--${flags.from === undefined ? 'from' : 'to'} is required with --${flags.from === undefined ? 'to' : 'from'} (YYYY-MM-DD)`,
      );
    }
    const range = flags.from === undefined ? undefined : dateRangeFromFlags(flags);
    const deps = context.wiring.verify();
    const report = await verifyArchive(deps, range === undefined ? {} : { from: range.from, to: range.to });
    const location = deps.store.describe(RAW_PREFIX);
    const text = [
      ...report.problems.map((problem) => `PROBLEM ${problem.subject}: ${problem.message}`),
      ...report.notes.map((note) => `NOTE ${note.subject}: ${note.message}`),
      summary(report, location),
      `Checked ${plural(report.curatedObjects, 'curated object')} in ${deps.store.describe(CURATED_PREFIX)} against the raw responses they were derived from.`,
    ];
    context.report(text.join('\n'), { ok: report.problems.length === 0, location, ...report });
    if (report.problems.length > 0) {
      throw new ArchiveVerificationError(
        `${plural(report.problems.length, 'problem')} in the archive (listed above, one line each)`,
      );
    }
  },
};

function summary(report: VerifyReport, location: string): string {
  const dates =
    report.dates === undefined ? 'no dates archived' : `dates ${report.dates.from} → ${report.dates.to}`;
  const verdict =
    report.problems.length === 0
      ? 'no problems'
      : `${plural(report.problems.length, 'problem')} (${plural(report.missingDays.length, 'missing day')})`;
  return `Verified ${plural(report.objects, 'raw object')} in ${location} (${dates}): ${verdict}, ${plural(report.notes.length, 'note')}.`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
