/**
 * Deterministic pseudo-random numbers keyed by integers (seed, hour, salt), so a value depends only
 * on its keys and never on the order in which hours are generated.
 */

/** A source of numbers in [0, 1). */
export type Random = () => number;

function mix(hash: number, value: number): number {
  // Feed both 32-bit halves so keys like epoch minutes or large seeds keep all their bits.
  const low = value >>> 0;
  const high = Math.floor(value / 0x1_0000_0000) >>> 0;
  let h = Math.imul(hash ^ low, 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13) ^ high, 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A mulberry32 generator whose state is derived from `keys` (integers). */
export function createRandom(...keys: number[]): Random {
  let state = keys.reduce((hash, key) => mix(hash, Math.trunc(key)), 0x9e37_79b9);
  return () => {
    state = (state + 0x6d2b_79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** A number in [min, max). */
export function between(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** A stable 32-bit key for a string (FNV-1a), e.g. a local date. */
export function stringKey(text: string): number {
  let hash = 0x811c_9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x0100_0193);
  }
  return hash >>> 0;
}
