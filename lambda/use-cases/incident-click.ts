import type { RepeatPolicy } from '../domain/alerts/rules';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema, emptyAlertState } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import {
  type ActionOutcome,
  applyIncidentAction,
  type IncidentActionId,
  incidentStanding,
  withIncidentControls,
} from '../domain/slack/incident-actions';
import type { SlackMessage } from '../domain/slack/slack-message';
import type { Logger } from '../shared/logger';
import { updateDocument } from './json-document';

/**
 * A click on an incident message's button, once the interactions function has verified that Slack
 * sent it: who may click (the allow-list), the state update (one compare-and-swap on the alert state,
 * the same update the CLI's snooze makes, so a click during a check is kept by both), then the
 * Slack side: the head edited to the new truth and one thread reply saying who did what, or an
 * ephemeral answer to the clicker alone when nothing changed.
 *
 * The Slack calls run within the click's answer budget (IncidentSlack's deadline): Slack wants its answer within
 * 3 s, and a Function URL's answer ends the invocation, so nothing may be left to run after it.
 * The state is written first; a Slack call that does not finish in time leaves the head one change
 * behind until its next edit (the next change a check announces), and the click is still applied.
 */

/** Where the incident's head message is: the channel and the `ts` Slack gave it. */
export interface IncidentMessageRef {
  readonly channel: string;
  readonly ts: string;
}

/**
 * The Slack side of a click (Web API: chat.update, chat.postMessage in the thread,
 * chat.postEphemeral), bounded by the click's answer budget: a call still running at its end fails.
 */
export interface IncidentSlack {
  /** Replaces the head message (chat.update). */
  update(head: IncidentMessageRef, message: SlackMessage): Promise<void>;
  /** One reply in the head's thread. */
  reply(head: IncidentMessageRef, text: string): Promise<void>;
  /** A message only `userId` sees, in the head's channel. */
  tell(head: IncidentMessageRef, userId: string, text: string): Promise<void>;
}

export interface IncidentClickDeps {
  readonly store: ObjectStore;
  readonly slack: IncidentSlack;
  readonly logger: Logger;
  readonly timeZone: string;
  /** The reminder cadence in use (an acknowledgement holds reminders for 4 of its cadences). */
  readonly reminders: () => Promise<RepeatPolicy>;
  /** SLACK_OPERATORS: true when `userId` may act (always true without an allow-list). */
  readonly mayAct: (userId: string) => Promise<boolean>;
  readonly now: () => Date;
}

export interface IncidentClickRequest {
  readonly action: IncidentActionId;
  readonly userId: string;
  /** The message the button is on. */
  readonly head: IncidentMessageRef;
  /** That message as Slack shows it now (from the payload), to put back with new controls. */
  readonly message?: SlackMessage;
}

export type IncidentClickResult =
  | { readonly outcome: 'not-allowed' }
  | { readonly outcome: 'applied'; readonly ruleIds: readonly string[]; readonly slackDone: boolean }
  | { readonly outcome: 'unchanged'; readonly reason: string; readonly slackDone: boolean };

export const NOT_ALLOWED_TEXT =
  '⛔ You are not on this monitor’s list of operators (SLACK_OPERATORS), so this click changed nothing.';

export async function handleIncidentClick(
  deps: IncidentClickDeps,
  request: IncidentClickRequest,
): Promise<IncidentClickResult> {
  const { logger, slack } = deps;
  const remindersRead = deps.reminders();
  // Until it is awaited, a failed rules read must not become an unhandled rejection.
  remindersRead.catch(() => {});
  if (!(await deps.mayAct(request.userId))) {
    logger.warn('Click refused: the user is not on the allow-list', {
      userId: request.userId,
      action: request.action,
    });
    await settle(logger, 'chat.postEphemeral', () =>
      slack.tell(request.head, request.userId, NOT_ALLOWED_TEXT),
    );
    return { outcome: 'not-allowed' };
  }
  const reminders = await remindersRead;
  const at = deps.now();
  const { result: outcome, document } = await updateDocument<AlertState, ActionOutcome>(
    deps.store,
    ALERT_STATE_KEY,
    AlertStateSchema,
    (current) => {
      const state = current ?? emptyAlertState();
      const standing = incidentStanding(state, request.head.channel, request.head.ts);
      const applied = applyIncidentAction(
        state,
        standing,
        { action: request.action, userId: request.userId, at },
        { timeZone: deps.timeZone, reminders },
      );
      return { value: applied.kind === 'applied' ? applied.state : undefined, result: applied };
    },
    // A click must be answered within 3 s: a few quick attempts, not the check's eight.
    { attempts: 4 },
  );
  if (outcome.kind === 'unchanged') {
    logger.info('Click changed nothing', {
      action: request.action,
      userId: request.userId,
      reason: outcome.ephemeral,
    });
    const slackDone = await settle(logger, 'chat.postEphemeral', () =>
      slack.tell(request.head, request.userId, outcome.ephemeral),
    );
    return { outcome: 'unchanged', reason: outcome.ephemeral, slackDone };
  }
  logger.info('Click applied', { action: request.action, userId: request.userId, ruleIds: outcome.ruleIds });
  const state = document?.value ?? outcome.state;
  const edited =
    request.message === undefined
      ? undefined
      : withIncidentControls(request.message, state, request.head, at, {
          timeZone: deps.timeZone,
          reminders,
        });
  // The two calls are independent: side by side, so both fit in the answer budget.
  const [updated, replied] = await Promise.all([
    edited === undefined
      ? Promise.resolve(false)
      : settle(logger, 'chat.update', () => slack.update(request.head, edited)),
    settle(logger, 'chat.postMessage', () => slack.reply(request.head, outcome.thread)),
  ]);
  return { outcome: 'applied', ruleIds: outcome.ruleIds, slackDone: updated && replied };
}

/** Runs one Slack call; a failure (or the budget running out) is logged, not thrown: the state is already written. */
async function settle(logger: Logger, method: string, call: () => Promise<void>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    logger.warn(
      'Slack call after a click failed; the click is applied, the head shows it from its next edit',
      {
        method,
        error: error instanceof Error ? error.message : String(error),
      },
    );
    return false;
  }
}
