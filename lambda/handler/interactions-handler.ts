import type { RepeatPolicy } from '../domain/alerts/rules';
import type { ObjectStore } from '../domain/archive/object-store';
import {
  INCIDENT_ACTIONS_BLOCK_ID,
  type IncidentActionId,
  isIncidentActionId,
} from '../domain/slack/incident-actions';
import {
  type BlockActionsPayload,
  headMessageOf,
  InteractionPayloadError,
  parseInteractionBody,
} from '../domain/slack/interaction-payload';
import type { Logger } from '../shared/logger';
import type { Redactor } from '../shared/redact';
import { verifySlackSignature } from '../shared/slack-signature';
import {
  handleIncidentClick,
  type IncidentClickResult,
  type IncidentSlack,
} from '../use-cases/incident-click';

/**
 * The interactions endpoint (Slack app mode): what Slack POSTs when someone clicks a button on an
 * incident message, served by the interactions Lambda behind its Function URL and, for development
 * and tests, by `serve-interactions` on 127.0.0.1. The same `handle` serves both.
 *
 * Order, each step refusing before the next costs anything:
 *   1. POST only (405); the request's raw bytes are kept as they came.
 *   2. Slack's signature over the raw body (401: missing, malformed, older than 5 minutes, or wrong).
 *   3. The payload (400: not a block_actions click we understand).
 *   4. The workspace: the click's team id must be the bot token's (auth.test, once per container) (403).
 *   5. The click, within ANSWER_BUDGET_MS: the allow-list, one compare-and-swap on the alert state,
 *      then the head edited and the thread told (or the clicker alone, ephemerally).
 *   6. 200 with an empty body: Slack shows nothing more; the message itself says what happened.
 *
 * Answer within 3 s, then nothing: a Function URL's answer ends the invocation (Lambda freezes the
 * sandbox), so "answer first, work after" would leave the work undone. The click is therefore
 * applied BEFORE the answer, with every Slack call bounded by the budget; the state write comes
 * first, so a click answered in time is a click applied even when Slack is slow.
 */

/** Slack gives up on an answer after 3 s; this leaves room for a cold start and the network. */
export const ANSWER_BUDGET_MS = 2_000;

/** A request as it came: the method, lower-case headers and the body's raw bytes. */
export interface RawRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface RawAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The Slack Web API calls the endpoint makes besides those of `IncidentSlack`. */
export interface InteractionsSlackApi {
  /** The workspace the bot token belongs to (auth.test). */
  authTest(): Promise<{ readonly teamId: string }>;
  /** Members of a user group (usergroups.users.list), for an allow-list that names one. */
  userGroupMembers(groupId: string): Promise<readonly string[]>;
}

/** What the endpoint needs from the outside, built once per container by the composition root. */
export interface InteractionsEdges {
  /** The app's signing secret (SLACK_SIGNING_SECRET, in the environment or the monitor's secret). */
  readonly signingSecret: () => Promise<string | undefined>;
  readonly store: ObjectStore;
  readonly api: InteractionsSlackApi;
  /** The Slack calls of one click, none of which may run past `deadline` (epoch ms). */
  readonly incidentSlack: (deadline: number) => IncidentSlack;
  /** The reminder cadence of the rules in use. */
  readonly reminders: () => Promise<RepeatPolicy>;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly timeZone: string;
  /** SLACK_OPERATORS: user ids (U…, W…) and user-group ids (S…); empty: everyone in the channel. */
  readonly operators: readonly string[];
  readonly now: () => Date;
}

/** How long a user group's members are trusted before usergroups.users.list is asked again. */
const GROUP_TTL_MS = 5 * 60_000;

const answer = (statusCode: number, text = ''): RawAnswer => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: text,
});

export interface InteractionsHandler {
  handle(request: RawRequest): Promise<RawAnswer>;
  /** Asks Slack for the workspace's id ahead of the first click (Lambda's init phase). */
  warm(): Promise<void>;
}

export function createInteractionsHandler(edges: InteractionsEdges): InteractionsHandler {
  const { logger } = edges;
  let team: Promise<string> | undefined;
  const teamId = () => {
    team ??= edges.api.authTest().then(
      (identity) => identity.teamId,
      (error: unknown) => {
        team = undefined;
        throw error;
      },
    );
    return team;
  };
  const groups = new Map<string, { readonly members: Promise<readonly string[]>; readonly until: number }>();
  const groupMembers = (groupId: string): Promise<readonly string[]> => {
    const known = groups.get(groupId);
    if (known !== undefined && known.until > Date.now()) return known.members;
    const members = edges.api.userGroupMembers(groupId).catch((error: unknown) => {
      groups.delete(groupId);
      throw error;
    });
    groups.set(groupId, { members, until: Date.now() + GROUP_TTL_MS });
    return members;
  };
  const mayAct = async (userId: string): Promise<boolean> => {
    const { operators } = edges;
    if (operators.length === 0 || operators.includes(userId)) return true;
    for (const groupId of operators.filter((id) => id.startsWith('S'))) {
      if ((await groupMembers(groupId)).includes(userId)) return true;
    }
    return false;
  };

  async function handle(request: RawRequest): Promise<RawAnswer> {
    const started = Date.now();
    if (request.method !== 'POST') return answer(405, 'POST only');
    const signingSecret = await edges.signingSecret();
    if (signingSecret === undefined) {
      logger.error('Click refused: SLACK_SIGNING_SECRET is not configured (environment or monitor secret)');
      return answer(503, 'not configured');
    }
    edges.redactor.add(signingSecret);
    const refusal = verifySlackSignature(
      signingSecret,
      {
        timestamp: request.headers['x-slack-request-timestamp'],
        signature: request.headers['x-slack-signature'],
      },
      request.body,
      Math.floor(edges.now().getTime() / 1000),
    );
    if (refusal !== undefined) {
      logger.warn('Request refused: not signed by Slack', { reason: refusal });
      return answer(401, refusal);
    }
    let payload: BlockActionsPayload;
    try {
      payload = parseInteractionBody(request.body.toString('utf8'));
    } catch (error) {
      if (!(error instanceof InteractionPayloadError)) throw error;
      logger.warn('Signed request refused: not a click we understand', { reason: error.message });
      return answer(400, error.message);
    }
    const expectedTeam = await teamId();
    if (payload.team.id !== expectedTeam) {
      logger.warn('Click refused: from another workspace than the bot token’s', {
        teamId: payload.team.id,
        expected: expectedTeam,
      });
      return answer(403, 'wrong workspace');
    }
    const action = payload.actions.find(
      (candidate) =>
        candidate.block_id === INCIDENT_ACTIONS_BLOCK_ID && isIncidentActionId(candidate.action_id),
    );
    if (action === undefined) {
      logger.info('Click ignored: no incident button in it', {
        actionIds: payload.actions.map((candidate) => candidate.action_id),
      });
      return answer(200);
    }
    const result = await click(payload, action.action_id as IncidentActionId, started);
    logger.info('Click answered', { ...result, elapsedMs: Date.now() - started });
    return answer(200);
  }

  async function click(
    payload: BlockActionsPayload,
    action: IncidentActionId,
    started: number,
  ): Promise<IncidentClickResult> {
    const head = { channel: payload.container.channel_id, ts: payload.container.message_ts };
    const message = headMessageOf(payload);
    return handleIncidentClick(
      {
        store: edges.store,
        slack: edges.incidentSlack(started + ANSWER_BUDGET_MS),
        logger,
        timeZone: edges.timeZone,
        reminders: edges.reminders,
        mayAct,
        now: edges.now,
      },
      { action, userId: payload.user.id, head, ...(message === undefined ? {} : { message }) },
    );
  }

  return {
    handle,
    warm: async () => {
      await teamId();
    },
  };
}

/** The Lambda Function URL event (payload format 2.0), as far as the endpoint reads it. */
export interface FunctionUrlEvent {
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

/** The Function URL event as a raw request: the body's bytes exactly as Slack signed them. */
export function fromFunctionUrlEvent(event: FunctionUrlEvent): RawRequest {
  const body = event.body ?? '';
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    method: event.requestContext?.http?.method ?? 'POST',
    headers,
    body: Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8'),
  };
}
