import { checkRawObject } from '../domain/archive/check-raw-object';
import type { ObjectStore } from '../domain/archive/object-store';
import { parseRawKey, RAW_PREFIX } from '../domain/archive/raw-archive';
import { sha256Hex } from '../shared/sha256';
import { datesBetween } from './date-range';
import { forEachConcurrently } from './run-concurrently';
import { type Finding, verifyCurated } from './verify-curated';

export type { Finding };

/**
 * Verify: proof that the raw archive is complete and untouched. Re-reads every raw object (or those
 * whose local date is in a range) through the ObjectStore port, so S3 and the folder archive are
 * checked alike, and reports problems (wrong bytes, incomplete or inconsistent metadata, a valid
 * response that no longer parses, keys that are not raw keys, days with nothing archived) and notes.
 *
 * A day counts as missing when it has neither a whole-day (`raw/day/<date>/`) nor a check
 * (`raw/check/<date>/`) object: either proves the monitor saw that day, and a deployment that runs
 * checks but no digest writes only checks. A day with checks but no whole-day response is a note,
 * since its digest and replay have nothing to read. A day whose responses are all invalid or
 * malformed is a problem: the monitor has nothing true for it (backfill fetches it again).
 *
 * The curated tables are checked against the raw they are derived from (see verifyCurated).
 */

export interface VerifyDeps {
  readonly store: ObjectStore;
  /** AIRUDDER_TIMEZONE: every recorded zone must be this one. */
  readonly timeZone?: string;
}

export interface VerifyRequest {
  /** Both or neither: only objects whose local date is in [from, to], and missing days in it. */
  readonly from?: string;
  readonly to?: string;
  /** Objects read at a time. @default 8 */
  readonly concurrency?: number;
}

export interface VerifyReport {
  readonly objects: number;
  /** Curated objects checked against raw. */
  readonly curatedObjects: number;
  readonly problems: readonly Finding[];
  readonly notes: readonly Finding[];
  readonly missingDays: readonly string[];
  /** The dates checked for gaps: the request's range, or the first to the last archived date. */
  readonly dates: { readonly from: string; readonly to: string } | undefined;
}

export async function verifyArchive(deps: VerifyDeps, request: VerifyRequest = {}): Promise<VerifyReport> {
  const { store } = deps;
  const range =
    request.from !== undefined && request.to !== undefined
      ? { from: request.from, to: request.to }
      : undefined;
  const inRange = (date: string) => range === undefined || (date >= range.from && date <= range.to);
  const problems: Finding[] = [];
  const notes: Finding[] = [];

  const missing = await store.missing?.();
  if (missing !== undefined) {
    // Nothing to verify is not "no problems": the archive is not where the configuration says.
    const problem = { subject: 'archive', message: missing };
    return { objects: 0, curatedObjects: 0, problems: [problem], notes: [], missingDays: [], dates: range };
  }
  for (const stray of (await store.strays?.(RAW_PREFIX)) ?? []) {
    // Residue of a crash after the object was complete is noted; anything else is a problem.
    if (stray.residue)
      notes.push({
        subject: stray.key,
        message: `crash residue (harmless, may be deleted): ${stray.reason}`,
      });
    else problems.push({ subject: stray.key, message: `stray file: ${stray.reason}` });
  }

  const raws: Array<{ key: string; parts: NonNullable<ReturnType<typeof parseRawKey>> }> = [];
  const validDates = new Set<string>();
  for (const key of await store.list(RAW_PREFIX)) {
    const parts = parseRawKey(key);
    if (parts === undefined) {
      problems.push({
        subject: key,
        message: 'not a raw archive key (raw/<check|day|fetch>/<date>/<refUTC>_<start>_<end>.json)',
      });
    } else if (inRange(parts.date)) {
      raws.push({ key, parts });
    }
  }

  await forEachConcurrently(raws, request.concurrency ?? 8, async ({ key, parts }) => {
    let object: Awaited<ReturnType<ObjectStore['get']>>;
    try {
      object = await store.get(key);
    } catch (error) {
      problems.push({
        subject: key,
        message: `cannot be read: ${error instanceof Error ? error.message : error}`,
      });
      return;
    }
    if (object === undefined) {
      problems.push({ subject: key, message: 'listed but gone when read' });
      return;
    }
    const check = checkRawObject(parts, object, sha256Hex(object.bytes), deps.timeZone);
    if (check.valid) validDates.add(parts.date);
    problems.push(...check.problems.map((message) => ({ subject: key, message })));
    notes.push(...check.notes.map((message) => ({ subject: key, message })));
  });

  const seen = (kind: 'day' | 'check') =>
    new Set(raws.filter(({ parts }) => parts.kind === kind).map(({ parts }) => parts.date));
  const days = seen('day');
  const checks = seen('check');
  const archivedDates = [...new Set([...days, ...checks])].sort();
  const first = archivedDates[0];
  const last = archivedDates.at(-1);
  const dates = range ?? (first !== undefined && last !== undefined ? { from: first, to: last } : undefined);
  const missingDays: string[] = [];
  for (const date of dates === undefined
    ? []
    : datesBetween(dates.from, dates.to, Number.POSITIVE_INFINITY)) {
    if (!days.has(date) && !checks.has(date)) {
      missingDays.push(date);
      problems.push({
        subject: date,
        message: `missing day: nothing under ${RAW_PREFIX}day/${date}/ or ${RAW_PREFIX}check/${date}/`,
      });
    } else if (!validDates.has(date)) {
      problems.push({
        subject: date,
        message: `no valid response: every object under ${RAW_PREFIX}day/${date}/ and ${RAW_PREFIX}check/${date}/ is invalid or malformed (run backfill for the day)`,
      });
    } else if (!days.has(date)) {
      notes.push({
        subject: date,
        message: `checks only: no whole-day response under ${RAW_PREFIX}day/${date}/`,
      });
    }
  }

  const curated = await verifyCurated(store, {
    inRange,
    daysArchived: days,
    concurrency: request.concurrency ?? 8,
  });
  problems.push(...curated.problems);
  notes.push(...curated.notes);

  const byKey = (a: Finding, b: Finding) => a.subject.localeCompare(b.subject);
  return {
    objects: raws.length,
    curatedObjects: curated.objects,
    problems: problems.sort(byKey),
    notes: notes.sort(byKey),
    missingDays,
    dates,
  };
}

/** Thrown by the CLI when verify found problems; the report has already listed them. */
export class ArchiveVerificationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ArchiveVerificationError';
  }
}
