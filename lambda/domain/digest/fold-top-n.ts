import type { Distribution } from '../statistics-schema';
import { numberOrUndefined } from './day-rows';

export interface ShareOfTotal {
  readonly count: number;
  /** count / total of the distribution, 0–1. */
  readonly share: number;
}

export interface RankedEntry extends ShareOfTotal {
  readonly name: string;
}

/** A distribution cut to its top entries, the rest summed into `others`. */
export interface FoldedDistribution {
  /** Sum of every counted entry: the base of the shares. */
  readonly total: number;
  readonly top: ReadonlyArray<RankedEntry>;
  /** What did not make the top, with how many names it holds; undefined when nothing was folded. */
  readonly others: (ShareOfTotal & { readonly names: number }) | undefined;
}

/**
 * The `n` largest entries of `distribution` and the rest folded into "others". Shares are of the
 * distribution's own sum, not of the calls: AIRUDDER's distributions do not always add up to the
 * call count. Entries of 0, null or garbage are left out (they carry no calls). Ties are broken by
 * name so the digest reads the same on every run; a tie across the cut still folds (N is a hard cap).
 * Throws a RangeError when `n` is not a whole number ≥ 0.
 */
export function foldTopN(distribution: Distribution | undefined, n: number): FoldedDistribution {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`foldTopN: n must be a whole number ≥ 0, got ${n}`);
  const entries = Object.entries(distribution ?? {})
    .map(([name, raw]) => ({ name, count: numberOrUndefined(raw) ?? 0 }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const total = entries.reduce((sum, entry) => sum + entry.count, 0);
  const shareOf = (count: number) => (total > 0 ? count / total : 0);
  const top = entries.slice(0, n).map((entry) => ({ ...entry, share: shareOf(entry.count) }));
  const rest = entries.slice(n);
  const restCount = rest.reduce((sum, entry) => sum + entry.count, 0);
  return {
    total,
    top,
    others: rest.length > 0 ? { names: rest.length, count: restCount, share: shareOf(restCount) } : undefined,
  };
}
