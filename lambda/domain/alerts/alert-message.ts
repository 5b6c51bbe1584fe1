import { formatDate, toWallClock } from '../local-time';
import { BLOCK_KIT_LIMITS } from '../slack/block-kit-limits';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { Block, MrkdwnTextObject, SlackMessage } from '../slack/slack-message';
import {
  type DescribeContext,
  describeNotification,
  isClosing,
  type NotificationText,
  orderNotifications,
} from './describe-notification';
import type { Notification } from './notification';

export interface AlertMessageContext extends DescribeContext {
  /** Who speaks, shown in the footer; default "AIRUDDER stats monitor". */
  readonly source?: string;
}

/** Thrown by `buildAlertMessage` when there is nothing to say: a run owing nothing sends nothing. */
export class EmptyAlertMessageError extends Error {
  constructor(options?: ErrorOptions) {
    super('buildAlertMessage needs at least one notification', options);
    this.name = 'EmptyAlertMessageError';
  }
}

const L = BLOCK_KIT_LIMITS;
/** Header and footer take two blocks; the rest hold one notification each. */
const ITEM_BLOCKS = L.blocks - 2;
const TITLE_MAX = 200;
const RUNBOOK_MAX = 500;
const FALLBACK_MAX = 300;

const mrkdwn = (text: string): MrkdwnTextObject => ({ type: 'mrkdwn', text, verbatim: true });

/**
 * ONE message for everything a run owes, most important first. Every string that came from the API,
 * the rules or the config is escaped, so `<!channel>` in a title pings nobody; the only markup is
 * ours. Stays within Block Kit limits for any number of notifications and any text length: past 48
 * notifications the rest fold into a final "…and N more" section.
 */
export function buildAlertMessage(
  notifications: readonly Notification[],
  context: AlertMessageContext,
): SlackMessage {
  if (notifications.length === 0) throw new EmptyAlertMessageError();
  const ordered = orderNotifications(notifications);
  const texts = ordered.map((notification) => describeNotification(notification, context));
  const fits = texts.length <= ITEM_BLOCKS;
  const shown = fits ? texts : texts.slice(0, ITEM_BLOCKS - 1);
  const hidden = fits ? [] : texts.slice(ITEM_BLOCKS - 1);
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(headerText(ordered), L.headerText), emoji: true },
    },
    ...shown.map((text): Block => ({ type: 'section', text: mrkdwn(sectionText(text)) })),
  ];
  if (hidden.length > 0) blocks.push({ type: 'section', text: mrkdwn(overflowText(hidden)) });
  const footer = `${context.source ?? 'AIRUDDER stats monitor'} · run ${localRunTime(context)}`;
  blocks.push({ type: 'context', elements: [mrkdwn(truncate(escapeMrkdwn(footer), L.contextElementText))] });
  return { text: fallbackText(ordered, texts), blocks };
}

function sectionText(text: NotificationText): string {
  const title = truncate(escapeMrkdwn(text.title), TITLE_MAX);
  const lines = [
    `${text.icon} *${text.label}* · *${title}* — ${escapeMrkdwn(text.event)}`,
    escapeMrkdwn(text.measure),
    escapeMrkdwn(text.details.join(' · ')),
  ];
  if (text.runbook !== undefined) lines.push(`Runbook: ${renderRunbook(text.runbook)}`);
  return truncate(lines.filter((line) => line !== '').join('\n'), L.sectionText);
}

/** A link only for a plain https URL; anything else is shown as escaped text. */
export function renderRunbook(runbook: string): string {
  if (isSafeHttpsUrl(runbook)) return `<${escapeMrkdwn(runbook)}|runbook>`;
  return truncate(escapeMrkdwn(runbook), RUNBOOK_MAX);
}

function isSafeHttpsUrl(text: string): boolean {
  // `|` and `>` would end Slack's <url|label> early; whitespace or `<` means it is not one URL.
  if (text.length > RUNBOOK_MAX || /[\s|<>]/.test(text)) return false;
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

function overflowText(hidden: readonly NotificationText[]): string {
  const names = hidden.map((text) => `${text.label} ${truncate(text.title, 80)} (${text.event})`).join(', ');
  return truncate(`…and ${hidden.length} more: ${escapeMrkdwn(names)}`, L.sectionText);
}

function headerText(ordered: readonly Notification[]): string {
  const count = (test: (n: Notification) => boolean) => ordered.filter(test).length;
  const severity = (n: Notification) => (isClosing(n) || !('severity' in n) ? undefined : n.severity);
  const parts: Array<readonly [number, string]> = [
    [count((n) => n.kind === 'monitor-degraded'), '🛑 monitor degraded'],
    [count((n) => severity(n) === 'crit'), `🔴 ${count((n) => severity(n) === 'crit')} critical`],
    [count((n) => severity(n) === 'warn'), `🟠 ${count((n) => severity(n) === 'warn')} warning`],
    [count((n) => n.kind === 'resolved'), `✅ ${count((n) => n.kind === 'resolved')} resolved`],
    [count((n) => n.kind === 'monitor-recovered'), '✅ monitor recovered'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([, text]) => text)
    .join(' · ');
}

/** Reads well on a phone: the most important line, then how much else there is. */
function fallbackText(ordered: readonly Notification[], texts: readonly NotificationText[]): string {
  const [lead] = texts;
  if (lead === undefined) return 'No alerts';
  const leadLine = `${lead.icon} ${lead.label} ${truncate(lead.title, 100)} ${lead.measure}`;
  const rest = ordered.slice(1);
  const closing = rest.filter(isClosing).length;
  const open = rest.length - closing;
  const tail = [open > 0 ? `+${open} more` : '', closing > 0 ? `${closing} resolved` : ''].filter(Boolean);
  return truncate(escapeMrkdwn([leadLine, ...tail].join(' · ')), FALLBACK_MAX);
}

function localRunTime(context: DescribeContext): string {
  const clock = toWallClock(context.at, context.timeZone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${formatDate(clock)} ${pad(clock.hour)}:${pad(clock.minute)} ${context.timeZone}`;
}
