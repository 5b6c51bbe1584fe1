import { freshHeadNote, type IncidentPlan, type IncidentSent } from '../domain/alerts/incident-messages';
import { BLOCK_KIT_LIMITS } from '../domain/slack/block-kit-limits';
import { escapeMrkdwn, truncate } from '../domain/slack/mrkdwn';
import type { MessageRef, SlackAppChannel } from '../domain/slack/slack-app';
import { slackErrorCode } from '../domain/slack/slack-delivery-error';
import type { SlackMessage } from '../domain/slack/slack-message';
import type { Logger } from '../shared/logger';

/**
 * Sends an incident plan (domain/alerts/incident-messages.ts) in Slack app mode: runs as the `send`
 * step of the delivery protocol (deliver-once.ts), so what it returns (where the head is) is stored
 * by the confirm step, and a failure releases the claim and leaves everything owed.
 *
 *   open    → chat.postMessage (the head, top-level). Nothing else is sent for the incident until
 *             its ts is stored.
 *   update  → chat.update of the head, then one thread reply (broadcast on the rise to CRIT). When
 *             Slack no longer has the head (message_not_found, channel_not_found), a fresh head is
 *             posted in the alert channel and the reply in its thread starts by saying so.
 *   single  → one top-level message.
 *
 * Crash windows (a run killed mid-send; the claim then ends and the next run sends again):
 *   - after the head was posted, before its ts was stored: the next run posts the head again, so
 *     at most one duplicate head per crash, never a lost incident;
 *   - after an edit or a reply, before the confirm: the next run edits again (same content) and
 *     replies again: at most one duplicate reply.
 */

/** Slack's answers to chat.update that mean the head is gone, not the call refused. */
const HEAD_GONE = new Set(['message_not_found', 'channel_not_found']);

export async function sendIncidentPlan(
  channel: SlackAppChannel,
  plan: IncidentPlan,
  logger: Logger,
): Promise<IncidentSent> {
  switch (plan.kind) {
    case 'single':
      await channel.post(plan.message);
      return {};
    case 'open': {
      const head = await channel.post(plan.head);
      logger.info('Incident message posted', { channel: head.channel, ts: head.ts });
      return { head };
    }
    case 'update': {
      const stored: MessageRef = { channel: plan.incident.channel, ts: plan.incident.ts };
      const { head, replaced, reason } = await editHead(channel, stored, plan.head, logger);
      const reply = reason === undefined ? plan.reply : withNote(plan.reply, freshHeadNote(stored, reason));
      await channel.post(reply, { head, broadcast: plan.broadcast });
      return replaced === undefined ? {} : { head, replaced };
    }
  }
}

/** Edits the head; posts a fresh one when Slack no longer has it. */
async function editHead(
  channel: SlackAppChannel,
  stored: MessageRef,
  head: SlackMessage,
  logger: Logger,
): Promise<{ head: MessageRef; replaced?: MessageRef; reason?: string }> {
  try {
    await channel.update(stored, head);
    return { head: stored };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === undefined || !HEAD_GONE.has(code)) throw error;
    const fresh = await channel.post(head);
    logger.warn("Slack no longer has the incident's message; posted a fresh one", {
      reason: code,
      lost: stored.ts,
      ts: fresh.ts,
      channel: fresh.channel,
    });
    return { head: fresh, replaced: stored, reason: code };
  }
}

/** The reply with the note on top (in place of the last block when the message is at Slack's block limit). */
function withNote(message: SlackMessage, note: string): SlackMessage {
  const context = {
    type: 'context' as const,
    elements: [{ type: 'mrkdwn' as const, text: escapeMrkdwn(note) }],
  };
  const blocks =
    message.blocks.length < BLOCK_KIT_LIMITS.blocks ? message.blocks : message.blocks.slice(0, -1);
  return { text: truncate(`${escapeMrkdwn(note)} · ${message.text}`, 3000), blocks: [context, ...blocks] };
}
