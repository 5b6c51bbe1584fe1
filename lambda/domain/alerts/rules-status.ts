import * as z from '../shared/zod';
import { ClaimSchema } from '../slack/claim';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { SlackMessage } from '../slack/slack-message';

/**
 * The active rules live in the archive store (`config/rules.json`), so an operations lead can change a
 * threshold without a deploy. What the monitor remembers of them across runs lives in
 * `state/rules.json`: the last object that validated (so a hand-edited, broken object never leaves
 * the monitor without rules) and whether a "rules invalid" alert is open and announced.
 */

export const RULES_KEY = 'config/rules.json';
export const RULES_STATE_KEY = 'state/rules.json';

const Instant = z.iso.datetime({ offset: true });

export const RulesStateSchema = z.object({
  version: z.literal(1),
  /** The last rules object read from the archive that validated: its version and exact text. */
  lastGood: z.optional(z.object({ version: z.string(), text: z.string(), seenAt: Instant })),
  /** Set while the rules object fails validation. */
  invalid: z.optional(z.object({ version: z.string(), since: Instant, error: z.string() })),
  /** What Slack last accepted: the invalid episode that began at `since`, or that it was over. */
  notified: z.optional(z.object({ status: z.enum(['invalid', 'ok']), since: Instant, at: Instant })),
  /** The run delivering the notice right now (use-cases/deliver-once.ts). */
  claim: z.optional(ClaimSchema),
});
export type RulesState = z.infer<typeof RulesStateSchema>;

export const emptyRulesState = (): RulesState => ({ version: 1 });

/** What a run found at `config/rules.json`. */
export type RulesObservation =
  | { readonly kind: 'absent' }
  | { readonly kind: 'valid'; readonly version: string; readonly text: string }
  | { readonly kind: 'invalid'; readonly version: string; readonly error: string };

/**
 * The state after a run saw `observation` at `at`. Returns the same object when nothing changed, so
 * a run with unchanged rules writes nothing. An invalid object opens one episode that lasts until a
 * valid object (or none) is back, whatever other invalid versions come and go meanwhile.
 */
export function observeRules(state: RulesState, observation: RulesObservation, at: Date): RulesState {
  if (observation.kind === 'invalid') {
    const { invalid } = state;
    if (invalid?.version === observation.version && invalid.error === observation.error) return state;
    const since = invalid?.since ?? at.toISOString();
    return { ...state, invalid: { version: observation.version, since, error: observation.error } };
  }
  let next = state;
  if (state.invalid !== undefined) next = { ...next, invalid: undefined };
  if (observation.kind === 'valid' && state.lastGood?.version !== observation.version) {
    next = {
      ...next,
      lastGood: { version: observation.version, text: observation.text, seenAt: at.toISOString() },
    };
  }
  return next;
}

/** A rules notice owed now: the alert that the rules object is invalid, or that it is over. */
export type RulesNotice =
  | {
      readonly kind: 'rules-invalid';
      readonly since: string;
      readonly version: string;
      readonly error: string;
      /** The version the monitor evaluates with meanwhile. */
      readonly inUse: string;
    }
  | { readonly kind: 'rules-valid'; readonly since: string; readonly at: string; readonly inUse: string };

/** Compares the state with what Slack last accepted: at most one notice per change of status. */
export function owedRulesNotice(state: RulesState, inUse: string, at: Date): RulesNotice | undefined {
  const { invalid, notified } = state;
  if (invalid !== undefined) {
    if (notified?.status === 'invalid' && notified.since === invalid.since) return undefined;
    return {
      kind: 'rules-invalid',
      since: invalid.since,
      version: invalid.version,
      error: invalid.error,
      inUse,
    };
  }
  if (notified?.status === 'invalid') {
    return { kind: 'rules-valid', since: notified.since, at: at.toISOString(), inUse };
  }
  return undefined;
}

/** Records that Slack accepted `notice`. */
export const markRulesNotified = (state: RulesState, notice: RulesNotice, at: Date): RulesState => ({
  ...state,
  notified: {
    status: notice.kind === 'rules-invalid' ? 'invalid' : 'ok',
    since: notice.since,
    at: at.toISOString(),
  },
});

/** Drops the claim `runId` holds on the notice (one another run took over since stays). */
export function releaseRulesClaim(state: RulesState, runId: string): RulesState {
  if (state.claim?.runId !== runId) return state;
  const { claim: _released, ...rest } = state;
  return rest;
}

const FIX =
  'Check a file with `airudder-monitor rules validate FILE`, then `airudder-monitor rules push FILE`.';

/** One short Slack message; every outside string escaped. */
export function buildRulesNoticeMessage(notice: RulesNotice, location: string): SlackMessage {
  const where = escapeMrkdwn(location);
  if (notice.kind === 'rules-invalid') {
    const text = `⚠️ Alert rules invalid: ${where} (${notice.version}) — still evaluating with ${notice.inUse}`;
    return {
      text,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '⚠️ Alert rules invalid', emoji: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: truncate(
              `*${where}* (${escapeMrkdwn(notice.version)}) fails validation:\n${escapeMrkdwn(notice.error)}`,
              2900,
            ),
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `Archiving goes on; alerts are evaluated with the last rules that validated (${escapeMrkdwn(notice.inUse)}). ${FIX}`,
            },
          ],
        },
      ],
    };
  }
  const text = `✅ Alert rules valid again: ${where} — evaluating with ${notice.inUse}`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: '✅ Alert rules valid again', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Alerts are evaluated with ${escapeMrkdwn(notice.inUse)} (invalid since ${escapeMrkdwn(notice.since)}).`,
        },
      },
    ],
  };
}
