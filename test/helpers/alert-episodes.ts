import type { Incident } from '../../dev/stand-in/airudder-stand-in';

/**
 * Alert episodes made the way production makes them: the stand-in serves an incident, `check` runs
 * through it every 15 minutes (fired, escalated, resolved, recorded in the alert state), then
 * `curate` writes the `alert_episodes` table from that state.
 */

/** Two incidents in two Monday-started weeks, each over by the hour after it ends (Asia/Jakarta). */
export const EPISODE_INCIDENTS: readonly Incident[] = [
  { start: '2025-11-04 09:00:00', end: '2025-11-04 11:00:00', effect: 'agent-no-answer', severity: 0.9 },
  { start: '2025-11-10 06:00:00', end: '2025-11-10 09:00:00', effect: 'transfer-failure', severity: 0.9 },
];

/** Every 15 minutes from an hour before each incident to two hours after it (local +07:00). */
export function checkInstants(incidents: readonly Incident[] = EPISODE_INCIDENTS): string[] {
  const instants: string[] = [];
  for (const incident of incidents) {
    const toUtc = (local: string) => Date.parse(`${local.replace(' ', 'T')}+07:00`);
    for (let at = toUtc(incident.start) - 3_600_000; at <= toUtc(incident.end) + 7_200_000; at += 900_000) {
      instants.push(new Date(at).toISOString());
    }
  }
  return instants;
}

type Job = (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Runs the checks through the incidents, then `curate` over [from, to]; fails loudly on any exit ≠ 0. */
export async function recordEpisodes(job: Job, from: string, to: string): Promise<void> {
  for (const at of checkInstants()) {
    const check = await job(['check', '--at', at]);
    if (check.code !== 0) throw new Error(`check --at ${at} exited ${check.code}: ${check.stderr}`);
  }
  const curate = await job(['curate', '--from', from, '--to', to]);
  if (curate.code !== 0) throw new Error(`curate exited ${curate.code}: ${curate.stderr}`);
}
