import { ALERT_STATE_KEY, AlertStateSchema } from '../domain/alerts/state';
import { rewindWatermark } from '../domain/alerts/watermark';
import type { ObjectStore } from '../domain/archive/object-store';
import { readDocument, updateDocument } from './json-document';

/** The instant the alert state was last evaluated for; undefined before the first check. */
export async function readWatermark(store: ObjectStore): Promise<string | undefined> {
  return (await readDocument(store, ALERT_STATE_KEY, AlertStateSchema))?.value.lastScheduledTime;
}

export interface WatermarkReset {
  readonly before: string | undefined;
  /** Instants moved back to `to`; 0 when nothing in the state was after it (nothing written). */
  readonly moved: number;
}

/** Moves every evaluation instant after `to` back to `to` (compare-and-swap, like every state change). */
export async function resetWatermark(store: ObjectStore, to: Date): Promise<WatermarkReset> {
  const { result } = await updateDocument(store, ALERT_STATE_KEY, AlertStateSchema, (current) => {
    if (current === undefined) return { value: undefined, result: { before: undefined, moved: 0 } };
    const { state, moved } = rewindWatermark(current, to);
    return {
      value: moved === 0 ? undefined : state,
      result: { before: current.lastScheduledTime, moved },
    };
  });
  return result;
}
