import * as z from '../shared/zod';
import { ClaimSchema } from '../slack/claim';
import { escapeMrkdwn, truncate } from '../slack/mrkdwn';
import type { Block, SlackMessage } from '../slack/slack-message';
import { formatLocalTime } from './format-value';
import { DEFAULT_MONITOR_NAME } from './render';
import { RULES_LIMITS } from './rules-limits';

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
  /**
   * The rule set Slack was last told about (or found on the first run, told nothing): its rules' ids
   * and titles (a removed rule is named by its title when it is gone), why it could not fire, and
   * its version. Absent in documents written before it existed: the next run records it silently.
   */
  announced: z.optional(
    z.object({
      rules: z
        .array(z.object({ id: z.string(), title: z.string() }))
        .check(z.maxLength(RULES_LIMITS.maxRules)),
      silent: z.array(z.string()).check(z.maxLength(RULES_LIMITS.maxRules + 1)),
      version: z.string(),
      at: Instant,
    }),
  ),
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

/** A rule as a notice names it. */
export interface RuleName {
  readonly id: string;
  readonly title: string;
}

/** What Slack is told about the rule set in use. */
export interface RuleSetFacts {
  readonly rules: readonly RuleName[];
  /** Why the set can never fire (silent-rules.ts); empty when it can. */
  readonly silent: readonly string[];
  readonly version: string;
}

/** A rules notice owed now: the rules object invalid, valid again, or a change of the rule set. */
export type RulesNotice =
  | {
      readonly kind: 'rules-invalid';
      readonly since: string;
      readonly version: string;
      readonly error: string;
      /** The version the monitor evaluates with meanwhile. */
      readonly inUse: string;
    }
  | { readonly kind: 'rules-valid'; readonly since: string; readonly at: string; readonly inUse: string }
  | {
      readonly kind: 'rules-changed';
      readonly added: readonly RuleName[];
      readonly removed: readonly RuleName[];
      /** The set in use now: recorded as announced once Slack accepted the notice. */
      readonly now: RuleSetFacts;
      /** The set last announced could not fire either. */
      readonly wasSilent: boolean;
    };

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

const sameMembers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

const announcedOf = (facts: RuleSetFacts, at: Date): NonNullable<RulesState['announced']> => ({
  rules: facts.rules.map(({ id, title }) => ({ id, title })),
  silent: [...facts.silent],
  version: facts.version,
  at: at.toISOString(),
});

/**
 * The notice owed because the set of rule ids in use is not the one Slack was last told about, or
 * the set can no longer (or again) fire; undefined when neither changed. The first run ever (no
 * record) owes nothing, unless its set cannot fire: there is nothing it was added to or removed from.
 */
export function owedRuleSetNotice(state: RulesState, now: RuleSetFacts): RulesNotice | undefined {
  const before = state.announced;
  const ids = (rules: readonly RuleName[]) => rules.map((rule) => rule.id);
  const wasSilent = (before?.silent.length ?? 0) > 0;
  const sameIds = before === undefined || sameMembers(ids(before.rules), ids(now.rules));
  if (sameIds && sameMembers(before?.silent ?? [], now.silent)) return undefined;
  const known = new Set(ids(before?.rules ?? []));
  const kept = new Set(ids(now.rules));
  return {
    kind: 'rules-changed',
    added: before === undefined ? [] : now.rules.filter((rule) => !known.has(rule.id)),
    removed: (before?.rules ?? []).filter((rule) => !kept.has(rule.id)),
    now,
    wasSilent,
  };
}

/**
 * The state once a run saw `now` in use: a first run records it (announcing nothing), and a new
 * version with the same ids and the same silence refreshes the record (titles, version) without a
 * notice. Returns the same object when nothing is to be written.
 */
export function observeRuleSet(state: RulesState, now: RuleSetFacts, at: Date): RulesState {
  const before = state.announced;
  if (before === undefined) {
    return now.silent.length === 0 ? { ...state, announced: announcedOf(now, at) } : state;
  }
  if (before.version === now.version || owedRuleSetNotice(state, now) !== undefined) return state;
  return { ...state, announced: announcedOf(now, at) };
}

/** Every notice owed now, in the order they are sent: the rules object's health, then the set's change. */
export function owedRulesNotices(state: RulesState, now: RuleSetFacts, at: Date): RulesNotice[] {
  return [owedRulesNotice(state, now.version, at), owedRuleSetNotice(state, now)].filter(
    (notice): notice is RulesNotice => notice !== undefined,
  );
}

/** Records that Slack accepted `notice`. */
export function markRulesNotified(state: RulesState, notice: RulesNotice, at: Date): RulesState {
  if (notice.kind === 'rules-changed') return { ...state, announced: announcedOf(notice.now, at) };
  return {
    ...state,
    notified: {
      status: notice.kind === 'rules-invalid' ? 'invalid' : 'ok',
      since: notice.since,
      at: at.toISOString(),
    },
  };
}

/** Drops the claim `runId` holds on the notice (one another run took over since stays). */
export function releaseRulesClaim(state: RulesState, runId: string): RulesState {
  if (state.claim?.runId !== runId) return state;
  const { claim: _released, ...rest } = state;
  return rest;
}

const FIX =
  'Check a file with `airudder-monitor rules validate FILE`, then `airudder-monitor rules push FILE`.';

/** One short Slack message; every outside string escaped. */
export function buildRulesNoticeMessage(
  notice: RulesNotice,
  location: string,
  monitorName: string = DEFAULT_MONITOR_NAME,
  /** The account's zone and this run: times read "08:00 (Asia/Jakarta)", not as stored instants. */
  clock?: { readonly timeZone: string; readonly at: Date },
): SlackMessage {
  if (notice.kind === 'rules-changed') return buildRuleSetChangeMessage(notice, location, monitorName);
  const where = escapeMrkdwn(location);
  // Headed by the monitor's name like every message it sends, so centres sharing a channel can be told apart.
  const name = escapeMrkdwn(monitorName);
  const header = (headline: string): Block => ({
    type: 'header',
    text: { type: 'plain_text', text: truncate(`${monitorName} — ${headline}`, 150), emoji: true },
  });
  if (notice.kind === 'rules-invalid') {
    const text = `${name}: ⚠️ Alert rules invalid: ${where} (${notice.version}) — still evaluating with ${notice.inUse}`;
    return {
      text,
      blocks: [
        header('⚠️ Alert rules invalid'),
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
  const text = `${name}: ✅ Alert rules valid again: ${where} — evaluating with ${notice.inUse}`;
  return {
    text,
    blocks: [
      header('✅ Alert rules valid again'),
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Alerts are evaluated with ${escapeMrkdwn(notice.inUse)} (invalid since ${escapeMrkdwn(
            clock === undefined
              ? notice.since
              : `${formatLocalTime(notice.since, clock.timeZone, clock.at)} (${clock.timeZone})`,
          )}).`,
        },
      },
    ],
  };
}

const named = (rules: readonly RuleName[]) => rules.map((rule) => `${rule.id} (${rule.title})`).join(', ');

/**
 * "Rules changed: added X (Title), removed Y (Title)", headed by the monitor's name, with how many
 * rules are now in use and where from; and, when the set can never fire (pushed with
 * `--allow-silent`), why, until a set that can fire is back.
 */
function buildRuleSetChangeMessage(
  notice: Extract<RulesNotice, { kind: 'rules-changed' }>,
  location: string,
  monitorName: string,
): SlackMessage {
  const { added, removed, now } = notice;
  const changes = [
    ...(added.length > 0 ? [`added ${named(added)}`] : []),
    ...(removed.length > 0 ? [`removed ${named(removed)}`] : []),
  ];
  const silent = now.silent.length > 0;
  const headline =
    changes.length > 0
      ? `📋 Rules changed: ${changes.join(', ')}`
      : silent
        ? '⚠️ The rules in use can never fire'
        : '✅ The rules in use can fire again';
  const count = `${now.rules.length} ${now.rules.length === 1 ? 'rule' : 'rules'}`;
  const inUse = `Now ${count} in use (${now.version}) from ${location}.`;
  const silence = silent
    ? `⚠️ This set can never fire (accepted with --allow-silent): ${now.silent.join('; ')}`
    : notice.wasSilent
      ? '✅ The set can fire again.'
      : '';
  const text = [`${monitorName} · ${headline}.`, inUse, silence].filter((part) => part !== '').join(' ');
  const section = (mrkdwn: string): Block => ({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(mrkdwn, 2900) },
  });
  return {
    text: truncate(escapeMrkdwn(text), 2900),
    blocks: [
      section(`*${escapeMrkdwn(monitorName)}* · ${escapeMrkdwn(headline)}`),
      ...(silence === '' ? [] : [section(escapeMrkdwn(silence))]),
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(inUse), 2000) }] },
    ],
  };
}
