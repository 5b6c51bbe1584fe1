/**
 * The Slack message the alerts and the digest produce: a notification fallback `text` plus the subset
 * of Block Kit we use. Plain data, so the domain can build and test messages without any I/O.
 */

/** Text shown as typed; the only kind a header accepts. */
export interface PlainTextObject {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}

/** Slack mrkdwn; escape every outside string with `escapeMrkdwn` before putting it here. */
export interface MrkdwnTextObject {
  readonly type: 'mrkdwn';
  readonly text: string;
  /** When true, Slack does not auto-link URLs, channel names or mentions. */
  readonly verbatim?: boolean;
}

export interface HeaderBlock {
  readonly type: 'header';
  readonly text: PlainTextObject;
  readonly block_id?: string;
}

/** Needs `text`, `fields` or both (checked by `checkBlockKitLimits`). */
export interface SectionBlock {
  readonly type: 'section';
  readonly text?: MrkdwnTextObject;
  /** Shown in two columns; by convention each is `*Label*\nvalue`. */
  readonly fields?: MrkdwnTextObject[];
  readonly block_id?: string;
}

export interface ContextBlock {
  readonly type: 'context';
  readonly elements: MrkdwnTextObject[];
  readonly block_id?: string;
}

export interface DividerBlock {
  readonly type: 'divider';
  readonly block_id?: string;
}

/** A button of an actions block: a click is sent to the app's interactivity URL with `action_id` and `value`. */
export interface ButtonElement {
  readonly type: 'button';
  readonly text: PlainTextObject;
  readonly action_id: string;
  /** Sent back with the click (at most 2000 characters). */
  readonly value?: string;
  readonly style?: 'primary' | 'danger';
}

/** Interactive elements (buttons only, here): Slack app mode's incident messages carry one. */
export interface ActionsBlock {
  readonly type: 'actions';
  readonly elements: ButtonElement[];
  readonly block_id?: string;
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

export interface SlackMessage {
  /** Fallback for notifications and clients that cannot show blocks; mrkdwn-escaped like the blocks. */
  readonly text: string;
  readonly blocks: Block[];
}

/** Where alerts and digests go: a Slack webhook in production, the terminal on a developer's machine. */
export interface Notifier {
  /** Resolves once the message is accepted; throws `SlackDeliveryError` otherwise. */
  send(message: SlackMessage): Promise<void>;
}
