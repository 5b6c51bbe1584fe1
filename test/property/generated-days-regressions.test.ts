import fc from 'fast-check';
import { describe, it } from 'vitest';
import { everyMessageTrue } from './generated-days';

/**
 * Days the generated runs once failed on, replayed exactly (fast-check's seed and path). Each names
 * what it caught. They are tied to the generator: when day-generator.ts changes, re-derive them.
 */
const REGRESSIONS = [
  {
    seed: 1,
    path: '45',
    caught:
      'a peak-concurrency alert fired at 08:30 on the spring-forward day, reading the day before archived at that same minute (the oracle compared whole key names, not their instants)',
  },
  {
    seed: 1,
    path: '0',
    caught:
      "a group reminder cadence restarted by another rule firing: reminders are bounded per group after each news, not per rule; and (with today's shipped rules, webhook mode) changes held for hours behind a voice that did not speak: peak concurrency, CRIT all day, had its reminder backed off to 8 h, so agent reception's resolution at 19:00 and its return at CRIT waited for it and no message said them that day. What waits now goes out at the latest one reminder interval after the group's last post",
  },
  {
    seed: 27_029,
    path: '7',
    caught:
      'a WARN volume drop that joined a firing group and ended before its next message is said once, as a resolution "not announced before" (webhook mode), not taken for a resolution without its alert',
  },
  {
    seed: 27_027,
    path: '2',
    caught:
      'a 45-minute window asked for at 02:15 on the fall-back day started at 02:30 on the clock (before the change): a window AIRUDDER cannot be asked in local times is now not asked',
  },
  {
    seed: 27_027,
    path: '32',
    caught:
      'a WARN alert that joined a firing group at 16:30 and was said in its next message at 17:00 quoted its value at 17:00, back inside the hysteresis band ("32.7% is not beyond the warn threshold it announces", webhook mode): a fired or escalated message said after its run quotes the reading that breached, dated',
  },
  {
    seed: 27_030,
    path: '172',
    caught:
      'the same as seed 27027 path 32 on another day: a joining WARN said later quoted 37%, not beyond its 40% threshold',
  },
  {
    seed: 27_028,
    path: '149',
    caught:
      "a joining WARN posted alone 45 minutes after the group's last post: that post re-escalated an alert that had escalated, eased and escalated again in one episode; the second escalation had the first one's key, so the episode record dropped it and the group looked silent since 13:30",
  },
  {
    seed: 27_027,
    path: '231',
    caught:
      "a post that resolved the incident's last announced alert (transfers, 08:30) and announced the WARN that had waited to join it (satisfaction, firing since 08:00) was counted as a post of its own inside the incident: it closes that incident and opens the next, as the product records it (resolutions first, the reminder cadence restarting there)",
  },
  {
    seed: 27_027,
    path: '408',
    caught:
      "a CRIT volume spike that waited to join a CRIT group went out at 12:30 in a run whose AIRUDDER call failed (a failed run still delivers what is owed); the harness took a failed run's sends as none, so its resolution at 15:15 looked like one without its alert: runCheck now tells what each delivery got through (onDelivered), failed runs included",
  },
] as const;

describe('generated days that once failed', () => {
  it.each(REGRESSIONS)(
    'holds again: $caught',
    async ({ seed, path }) => {
      await fc.assert(everyMessageTrue, { seed, path, numRuns: 1, endOnFailure: true });
    },
    60_000,
  );
});
