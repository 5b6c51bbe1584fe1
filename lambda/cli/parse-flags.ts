import { parseArgs } from 'node:util';
import { UsageError } from './usage-error';

type FlagSpec = Record<string, { type: 'string' | 'boolean' }>;

/** node:util parseArgs with errors that name the flag, as UsageError. */
export function parseFlags<Spec extends FlagSpec>(args: ReadonlyArray<string>, spec: Spec) {
  try {
    return parseArgs({ args: [...args], options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** The value of a required string flag, or a UsageError naming it. */
export function requireFlag(value: string | boolean | undefined, flag: string, form: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`--${flag} is required (${form})`);
  return value;
}

/** The `--name`s a command takes, read from what its --help lists (so help and the check agree). */
export function knownFlags(helpFlags: ReadonlyArray<{ readonly flag: string }>): string[] {
  return [...new Set(helpFlags.flatMap((entry) => entry.flag.match(/--[a-z][a-z0-9-]*/g) ?? []))];
}

/**
 * Refuses a `--flag` the command does not take before anything else is read, so a typo is named
 * first (not after a missing variable), with the nearest flag it may stand for and the full list.
 */
export function refuseUnknownFlags(
  command: string,
  args: ReadonlyArray<string>,
  known: ReadonlyArray<string>,
): void {
  const end = args.indexOf('--');
  for (const arg of end === -1 ? args : args.slice(0, end)) {
    const name = /^--[A-Za-z0-9][A-Za-z0-9-]*(?==|$)/.exec(arg)?.[0];
    if (name === undefined || known.includes(name)) continue;
    const nearest = closest(name, known);
    throw new UsageError(
      [
        `Unknown option '${name}' for ${command}.${nearest ? ` Did you mean ${nearest}?` : ''}`,
        `${command} takes: ${known.join(', ')}`,
      ].join('\n'),
    );
  }
}

/**
 * The candidate a typo most likely meant: one it is the start of, or one a few edits away (one per
 * three letters typed, at most two: "--x" stands for nothing).
 */
export function closest(typed: string, candidates: ReadonlyArray<string>): string | undefined {
  const letters = typed.replace(/^-+/, '').length;
  const allowed = Math.min(2, Math.floor(letters / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = letters >= 2 && candidate.startsWith(typed) ? 1 : editDistance(typed, candidate);
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
}

/** Levenshtein distance with transpositions counted as one edit (--explian → --explain). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
