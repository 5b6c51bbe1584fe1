import { addDays, toWallClock, weekday } from '../local-time';
import { type MuteWindow, WEEKDAYS } from './rules-schema';

/**
 * Mute windows are judged on the account's local wall clock, never on a UTC offset, so "22:00–06:00"
 * means 22:00 to 06:00 as the call centre's clocks show it on every day, including the nights the
 * clocks change (the window is then 7 or 9 real hours long).
 */

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The first window open at `at` in `timeZone`, or undefined. */
export function openMuteWindow(
  windows: readonly MuteWindow[],
  at: Date,
  timeZone: string,
): MuteWindow | undefined {
  if (windows.length === 0) return undefined;
  const clock = toWallClock(at, timeZone);
  const minute = clock.hour * 60 + clock.minute;
  const today = WEEKDAYS[weekday(clock)];
  const yesterday = WEEKDAYS[weekday(addDays(clock, -1))];
  return windows.find((window) => {
    const from = minutesOf(window.from);
    const to = minutesOf(window.to);
    const startsOn = (day: string | undefined) =>
      window.days === undefined || (day !== undefined && window.days.some((name) => name === day));
    if (from < to) return startsOn(today) && minute >= from && minute < to;
    // Crosses midnight: the evening part belongs to today's window, the morning part to yesterday's.
    return (startsOn(today) && minute >= from) || (startsOn(yesterday) && minute < to);
  });
}

export const isMuted = (windows: readonly MuteWindow[], at: Date, timeZone: string): boolean =>
  openMuteWindow(windows, at, timeZone) !== undefined;
