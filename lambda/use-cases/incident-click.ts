import type { RepeatPolicy, Rule } from '../domain/alerts/rules';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema, emptyAlertState } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import {
  type ActionOutcome,
  applyIncidentAction,
  type IncidentActionId,
  incidentStanding,
} from '../domain/slack/incident-actions';
import type { Logger } from '../shared/logger';
import { updateDocument } from './json-document';

/**
 * A click on an incident message's button, once the interactions function has verified that Slack
 * sent it: who may click (the allow-list), the state update (one compare-and-swap on the alert state,
 * the same update the CLI's snooze makes, so a click during a check is kept by both), then the
 * Slack side: the head edited to the new truth and one thread reply saying who did what, or an
 * ephemeral answer to the clicker alone when nothing changed.
 *
 * The Slack calls run within the click's answer budget (`signal`): Slack wants its answer within
 * 3 s, and a Function URL's answer ends the invocation, so nothing may be left to run after it.
 * The state is written first; a Slack call that does not finish in time leaves the head one change
 * behind until its next edit (the next change a check announces), and the click is still applied.
 */

/** Where the incident's head message is: the channel and the `ts` Slack gave it. */
export interface IncidentMessageRef {
  readonly channel: string;
  readonly ts: string;
}

/** The Slack side of a click (Web API: chat.update, chat.postMessage in the thread, chat.postEphemeral). */
export interface IncidentSlack {
  /** Edits the head message so it shows `state`'s truth (chat.update). */
  refreshHead(
    head: IncidentMessageRef,
    state: AlertState,
    context: { readonly rules: readonly Rule[]; readonly at: Date },
    signal: AbortSignal,
  ): Promise<void>;
  /** One reply in the head's thread. */
  reply(head: IncidentMessageRef, text: string, signal: AbortSignal): Promise<void>;
  /** A message only `userId` sees, in the head's channel. */
  tell(head: IncidentMessageRef, userId: string, text: string, signal: AbortSignal): Promise<void>;
}

export interface IncidentClickDeps {
  readonly store: ObjectStore;
  readonly slack: IncidentSlack;
  readonly logger: Logger;
  readonly timeZone: string;
  /** The active rules and reminder cadence (the head shows the rules; acknowledgements last 4 cadences). */
  readonly rules: () => Promise<{ readonly rules: readonly Rule[]; readonly reminders: RepeatPolicy }>;
  /** SLACK_OPERATORS: true when `userId` may act (always true without an allow-list). */
  readonly mayAct: (userId: string, signal: AbortSignal) => Promise<boolean>;
  readonly now: () => Date;
}

export interface IncidentClickRequest {
  readonly action: IncidentActionId;
  readonly userId: string;
  /** The message the button is on. */
  readonly head: IncidentMessageRef;
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
  signal: AbortSignal,
): Promise<IncidentClickResult> {
  const { logger, slack } = deps;
  const rulesRead = deps.rules();
  // Until it is read, a failed rules read must not become an unhandled rejection.
  rulesRead.catch(() => {});
  if (!(await deps.mayAct(request.userId, signal))) {
    logger.warn('Click refused: the user is not on the allow-list', {
      userId: request.userId,
      action: request.action,
    });
    await settle(logger, 'chat.postEphemeral', () =>
      slack.tell(request.head, request.userId, NOT_ALLOWED_TEXT, signal),
    );
    return { outcome: 'not-allowed' };
  }
  const { reminders, rules } = await rulesRead;
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
      slack.tell(request.head, request.userId, outcome.ephemeral, signal),
    );
    return { outcome: 'unchanged', reason: outcome.ephemeral, slackDone };
  }
  logger.info('Click applied', { action: request.action, userId: request.userId, ruleIds: outcome.ruleIds });
  const state = document?.value ?? outcome.state;
  // The two edits are independent: side by side, so both fit in the answer budget.
  const [updated, replied] = await Promise.all([
    settle(logger, 'chat.update', () => slack.refreshHead(request.head, state, { rules, at }, signal)),
    settle(logger, 'chat.postMessage', () => slack.reply(request.head, outcome.thread, signal)),
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
