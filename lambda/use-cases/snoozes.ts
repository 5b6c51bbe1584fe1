import { activeSnoozes, endSnooze, heldMonitorHealth, setSnooze } from '../domain/alerts/snooze';
import {
  ALERT_STATE_KEY,
  type AlertState,
  AlertStateSchema,
  emptyAlertState,
  type Snooze,
} from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import { readDocument, updateDocument } from './json-document';

/**
 * Snoozes live in the alert state document and are written by compare-and-swap, so a snooze set
 * while a check runs is kept by both (the loser of the race re-reads and re-applies its change).
 */

export async function snoozeAlerts(store: ObjectStore, target: string, snooze: Snooze): Promise<void> {
  await updateDocument<AlertState, undefined>(store, ALERT_STATE_KEY, AlertStateSchema, (current) => ({
    value: setSnooze(current ?? emptyAlertState(), target, snooze),
    result: undefined,
  }));
}

/** Ends the snooze of `target` (`all`: every one) now; returns the targets ended. */
export async function unsnoozeAlerts(store: ObjectStore, target: string, at: Date): Promise<string[]> {
  const { result } = await updateDocument<AlertState, string[]>(
    store,
    ALERT_STATE_KEY,
    AlertStateSchema,
    (current) => {
      const { state, ended } = endSnooze(current ?? emptyAlertState(), target, at);
      return { value: ended.length === 0 ? undefined : state, result: ended };
    },
  );
  return result;
}

/** How far back `snoozes` looks for a `snooze all` that held the monitor's health. */
export const HELD_HEALTH_LOOKBACK_MS = 24 * 3_600_000;

/**
 * The snoozes running at `at`, and the `snooze all` entries of the last HELD_HEALTH_LOOKBACK_MS
 * that held a "monitor degraded" (a spell that began and ended inside one sent nothing).
 */
export async function readSnoozes(store: ObjectStore, at: Date) {
  const state = await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
  if (state === undefined) return { active: [], heldHealth: [] };
  const since = new Date(at.getTime() - HELD_HEALTH_LOOKBACK_MS);
  return { active: activeSnoozes(state.value, at), heldHealth: heldMonitorHealth(state.value, since, at) };
}
