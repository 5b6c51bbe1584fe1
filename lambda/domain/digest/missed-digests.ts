import { DEFAULT_MONITOR_NAME } from '../alerts/render';
import { escapeMrkdwn } from '../slack/mrkdwn';
import type { SlackMessage } from '../slack/slack-message';

/**
 * Digests that can no longer be caught up — failed, claimed by a run that died, or never started,
 * and now older than the days a run catches up — are said once, in one message, instead of staying
 * "failed" in a record nobody reads. Headed by the monitor's name, like every message it sends.
 */
export function buildMissedDigestsMessage(
  dates: readonly string[],
  catchUpDays: number,
  monitorName: string = DEFAULT_MONITOR_NAME,
): SlackMessage {
  const text =
    `${escapeMrkdwn(monitorName)} · ⚠️ Daily digests never posted: ${dates.join(', ')}. ` +
    `A run catches up ${catchUpDays - 1} days only; ` +
    'post one with `npm run job -- digest --date YYYY-MM-DD`.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
