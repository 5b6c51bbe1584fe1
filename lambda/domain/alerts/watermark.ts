import type { AlertState } from './state';

/**
 * The evaluation watermark: `lastScheduledTime`, the instant the alert state was last evaluated for.
 * A check at or before it does nothing (that makes retries safe). When it was moved into the future
 * — a host whose clock ran a year fast, an event from the future before the handler refused those —
 * every later check archives but evaluates nothing until that date. `rewindWatermark` moves it back.
 *
 * Every instant the state keeps past `to` is moved back to `to`, not only the watermark: a failure
 * recorded "in the future" would stop later failures from counting, a reminder clock set in the
 * future would hold every reminder until then. Snoozes keep their times (their end is meant to be in
 * the future) and claims keep theirs (they end by themselves).
 */

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** Parts of the state whose instants are not evaluation times. */
const KEPT = new Set(['snoozes', 'snoozeLog', 'claim']);

export interface Rewound {
  readonly state: AlertState;
  /** How many instants were moved back to `to` (0: the state was not ahead, nothing changes). */
  readonly moved: number;
}

export function rewindWatermark(state: AlertState, to: Date): Rewound {
  const limit = to.getTime();
  const target = to.toISOString();
  let moved = 0;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (INSTANT.test(value) && Date.parse(value) > limit) {
        moved += 1;
        return target;
      }
      return value;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [key, KEPT.has(key) ? inner : walk(inner)]),
      );
    }
    return value;
  };
  const rewound = walk(state) as AlertState;
  return { state: moved === 0 ? state : rewound, moved };
}
