import { activeSnoozes, endSnooze, heldMonitorHealth, setSnooze } from '../domain/alerts/snooze';
import {
  ALERT_STATE_KEY,
  type AlertState,
  AlertStateSchema,
  emptyAlertState,
  type Snooze,
} from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import { oweIncidentNote } from '../domain/slack/incident-notes';
import { readDocument, updateDocument } from './json-document';

/**
 * Snoozes live in the alert state document and are written by compare-and-swap, so a snooze set
 * while a check runs is kept by both (the loser of the race re-reads and re-applies its change).
 * In Slack app mode the same write owes the open incident a thread note (`note`) when the snooze
 * touches it; use-cases/incident-notes.ts delivers it.
 */

/** Snoozes `target`; returns true when the open incident now owes a thread note. */
export async function snoozeAlerts(
  store: ObjectStore,
  target: string,
  snooze: Snooze,
  note?: string,
): Promise<boolean> {
  const { result } = await updateDocument<AlertState, boolean>(
    store,
    ALERT_STATE_KEY,
    AlertStateSchema,
    (current) => {
      const snoozed = setSnooze(current ?? emptyAlertState(), target, snooze);
      const noted =
        note === undefined ? snoozed : oweIncidentNote(snoozed, [target], note, new Date(snooze.at));
      return { value: noted, result: noted !== snoozed };
    },
  );
  return result;
}

/**
 * Ends the snooze of `target` (`all`: every one) now; returns the targets ended, and whether the
 * open incident now owes a thread note (`note` of those ended).
 */
export async function unsnoozeAlerts(
  store: ObjectStore,
  target: string,
  at: Date,
  note?: (ended: readonly string[]) => string,
): Promise<{ readonly ended: string[]; readonly noted: boolean }> {
  const { result } = await updateDocument<AlertState, { ended: string[]; noted: boolean }>(
    store,
    ALERT_STATE_KEY,
    AlertStateSchema,
    (current) => {
      const { state, ended } = endSnooze(current ?? emptyAlertState(), target, at);
      if (ended.length === 0) return { value: undefined, result: { ended, noted: false } };
      const noted = note === undefined ? state : oweIncidentNote(state, ended, note(ended), at);
      return { value: noted, result: { ended, noted: noted !== state } };
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
