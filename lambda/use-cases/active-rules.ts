import { createHash } from 'node:crypto';
import { parseRuleSet, type RuleSet, RulesFileError } from '../domain/alerts/rules';
import { RULES_LIMITS } from '../domain/alerts/rules-limits';
import type { ActiveRules, BundledRules, RulesCache, RulesSource } from '../domain/alerts/rules-source';
import {
  buildRulesNoticeMessage,
  emptyRulesState,
  markRulesNotified,
  observeRuleSet,
  observeRules,
  owedRulesNotices,
  RULES_KEY,
  RULES_STATE_KEY,
  type RuleSetFacts,
  type RulesNotice,
  type RulesObservation,
  type RulesState,
  RulesStateSchema,
  releaseRulesClaim,
} from '../domain/alerts/rules-status';
import { silentRuleProblems } from '../domain/alerts/silent-rules';
import type { ObjectStore } from '../domain/archive/object-store';
import { isHeldByAnother, newClaim } from '../domain/slack/claim';
import type { Notifier } from '../domain/slack/slack-message';
import type { Logger } from '../shared/logger';
import { deliverOnce, storeClock } from './deliver-once';
import { readDocument } from './json-document';

/**
 * Which alert rules a run uses. In order: a local RULES_FILE (an explicit override, for the CLI and
 * tests); else `config/rules.json` in the archive store when present; else the defaults bundled with
 * the function. A rules object that fails validation never stops a run: the run evaluates with the
 * last rules that validated (remembered in `state/rules.json`, else the bundled defaults) and the
 * check raises one "rules invalid" alert until the object is fixed.
 */

/**
 * Thrown by a check whose rules could not be read (the rules object or state/rules.json unreadable:
 * garbage, a folder, a refused read). The response was archived first; the run counts as failed.
 */
export class RulesUnavailableError extends Error {
  constructor(cause: unknown, archivedAt: string) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`alert rules unavailable: ${reason} (the response was archived at ${archivedAt})`, { cause });
    this.name = 'RulesUnavailableError';
  }
}

export const rulesVersion = (bytes: Uint8Array | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;

/** The rules a run uses now; throws only when the store cannot be read (or RULES_FILE is broken). */
export async function loadActiveRules(deps: RulesSource): Promise<ActiveRules> {
  const { store, cache } = deps;
  if (deps.readRulesFile) {
    const { text, path } = await deps.readRulesFile();
    return {
      ...parseOnce(text, path, cache),
      version: rulesVersion(text),
      source: path,
      origin: 'file',
      text,
    };
  }
  const read = await store.getIfChanged(RULES_KEY, cache?.entry?.etag);
  if (read === 'unchanged' && cache?.entry) return cache.entry.active;
  if (read === undefined || read === 'unchanged') {
    if (cache) cache.entry = undefined;
    return bundledRules(deps.bundled, cache);
  }
  const version = rulesVersion(read.bytes);
  const source = store.describe(RULES_KEY);
  // An oversized object is refused before it is decoded: a 66 MB one cost a check 615 MB.
  const oversize = read.bytes.byteLength > RULES_LIMITS.maxBytes;
  const text = oversize ? '' : new TextDecoder().decode(read.bytes);
  let active: ActiveRules;
  try {
    if (oversize) {
      const problem = `file: ${read.bytes.byteLength} bytes; at most ${RULES_LIMITS.maxBytes} are allowed`;
      throw new RulesFileError(`${RULES_KEY}: ${problem}`, [problem]);
    }
    active = {
      ...parseRuleSet(text, RULES_KEY),
      version,
      source,
      origin: 'archive',
      text,
      ...(read.versionId ? { versionId: read.versionId } : {}),
    };
  } catch (error) {
    if (!(error instanceof RulesFileError)) throw error;
    const fallback = await lastGoodRules(store, deps.bundled);
    active = { ...fallback, invalid: { version, error: error.message, problems: error.problems } };
  }
  if (cache) cache.entry = { etag: read.version, active };
  return active;
}

/** Parses `text`, or returns what the cache parsed from the very same text (a warm container). */
function parseOnce(text: string, where: string, cache: RulesCache | undefined): RuleSet {
  if (cache?.parsed?.text === text) return cache.parsed.ruleSet;
  const ruleSet = parseRuleSet(text, where);
  if (cache) cache.parsed = { text, ruleSet };
  return ruleSet;
}

function bundledRules(bundled: BundledRules, cache?: RulesCache): ActiveRules {
  return {
    ...parseOnce(bundled.text, 'bundled default-rules.json', cache),
    version: rulesVersion(bundled.text),
    source: 'bundled defaults',
    origin: 'bundled',
    text: bundled.text,
  };
}

/** The last archived rules that validated, else the bundled defaults. */
async function lastGoodRules(store: ObjectStore, bundled: BundledRules): Promise<ActiveRules> {
  const state = await readDocument(store, RULES_STATE_KEY, RulesStateSchema);
  const lastGood = state?.value.lastGood;
  if (lastGood !== undefined) {
    try {
      return {
        ...parseRuleSet(lastGood.text, `${RULES_STATE_KEY} lastGood`),
        version: lastGood.version,
        source: `${store.describe(RULES_KEY)} as of ${lastGood.seenAt} (kept in ${RULES_STATE_KEY})`,
        origin: 'last-good',
        text: lastGood.text,
      };
    } catch {
      // A copy that no longer validates (the schema grew stricter): the defaults are safer.
    }
  }
  return bundledRules(bundled);
}

/**
 * Thrown inside recordRulesHealth when Slack refused a notice (caught there: the check goes on).
 * Keeps the notices Slack accepted before it, so they are recorded and not sent again.
 */
class RulesNoticeRefusedError extends Error {
  constructor(
    cause: unknown,
    readonly accepted: readonly RulesNotice[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RulesNoticeRefusedError';
  }
}

/** What the check run passes on to record the rules it used and announce a broken rules object. */
export interface RulesHealthDeps {
  readonly store: ObjectStore;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly cache?: RulesCache;
  /** Identifies this run in the notice's claim. */
  readonly runId: string;
  /** This host's clock (claims use the store's; deliver-once.ts). */
  readonly now: () => Date;
  /** Epoch ms by which the run must be done: the claim ends with it. */
  readonly deadline?: number;
  /** MONITOR_NAME: heads the "rules changed" notice. */
  readonly monitorName?: string;
  /** The account's IANA zone: a notice's times are local. */
  readonly timeZone?: string;
}

function observationOf(active: ActiveRules): RulesObservation {
  if (active.invalid)
    return { kind: 'invalid', version: active.invalid.version, error: active.invalid.error };
  if (active.origin === 'archive') return { kind: 'valid', version: active.version, text: active.text };
  return { kind: 'absent' };
}

const ruleSetFacts = (active: ActiveRules): RuleSetFacts => ({
  rules: active.rules.map((rule) => ({ id: rule.id, title: rule.title })),
  silent: silentRuleProblems(active.rules),
  version: active.version,
});

/**
 * Records what this check saw of the rules in `state/rules.json` (the last good copy, an invalid
 * episode, the rule set in use) and sends the notices owed: "rules invalid" once per episode, "valid
 * again" when it ends, and "rules changed" once per change of the set of rule ids in use (or of
 * whether it can fire) — a push, or a deploy shipping other bundled defaults. They go through the
 * delivery protocol (deliver-once.ts): claimed in the same write that records the observation,
 * marked notified once Slack accepted them, released (still owed) if Slack refused. Returns the
 * texts of the notices sent, in order.
 */
export async function recordRulesHealth(
  deps: RulesHealthDeps,
  active: ActiveRules,
  at: Date,
): Promise<readonly string[]> {
  if (active.origin === 'file') return [];
  const observation = observationOf(active);
  const facts = ruleSetFacts(active);
  const { store, logger, cache, runId } = deps;
  const recordKey = `${observation.kind} ${'version' in observation ? observation.version : ''} ${active.version}`;
  if (cache?.recorded === recordKey) return [];
  const clock = storeClock(store, deps.now);
  const markAll = (current: RulesState, notices: readonly RulesNotice[]) =>
    notices.reduce((state, notice) => markRulesNotified(state, notice, at), current);
  const delivery = await deliverOnce<RulesState, RulesNotice[], string[], 'owed' | 'held' | 'none'>({
    store,
    key: RULES_STATE_KEY,
    schema: RulesStateSchema,
    now: clock.now,
    claim: (current, now) => {
      const observed = observeRuleSet(observeRules(current ?? emptyRulesState(), observation, at), facts, at);
      const value = observed === current ? undefined : observed;
      const notices = owedRulesNotices(observed, facts, at);
      if (notices.length === 0) return { value, result: 'none' };
      if (isHeldByAnother(observed.claim, runId, now)) return { value, result: 'held' };
      const claimed = { ...observed, claim: newClaim(runId, now, clock.deadline(deps.deadline)) };
      return { value: claimed, work: notices, result: 'owed' };
    },
    send: async (notices) => {
      const sent: string[] = [];
      for (const [index, notice] of notices.entries()) {
        const clock = deps.timeZone === undefined ? undefined : { timeZone: deps.timeZone, at };
        const message = buildRulesNoticeMessage(notice, store.describe(RULES_KEY), deps.monitorName, clock);
        await deps.notifier.send(message).catch((error: unknown) => {
          throw new RulesNoticeRefusedError(error, notices.slice(0, index));
        });
        sent.push(message.text);
      }
      return sent;
    },
    confirm: (current, notices) => current && releaseRulesClaim(markAll(current, notices), runId),
    release: (current, _notices, error) =>
      current &&
      releaseRulesClaim(
        error instanceof RulesNoticeRefusedError ? markAll(current, error.accepted) : current,
        runId,
      ),
  }).catch((error: unknown) => {
    // A refused notice must not fail the check: it stays owed, and the next run sends it.
    if (!(error instanceof RulesNoticeRefusedError)) throw error;
    logger.error('Slack did not accept a rules notice; it stays owed for the next run', {
      error: error.message,
      accepted: error.accepted.map((notice) => notice.kind),
    });
    return undefined;
  });
  if (delivery === undefined) return [];
  // Nothing owed: the same observation again needs no state read (a notice another run holds may
  // still come back owed, so that is not remembered).
  if (delivery.result === 'none' && cache) cache.recorded = recordKey;
  if (delivery.delivered === undefined) return [];
  logger.info('Rules notices sent', { notices: delivery.delivered.work.map((notice) => notice.kind) });
  if (cache) cache.recorded = recordKey;
  return delivery.delivered.sent;
}

/** The facts about the rules in use that logs and the check output report. */
export const describeActiveRules = (active: ActiveRules) => ({
  version: active.version,
  source: active.source,
  origin: active.origin,
  rules: active.rules.length,
  ...(active.versionId ? { versionId: active.versionId } : {}),
  ...(active.invalid ? { invalid: { version: active.invalid.version, error: active.invalid.error } } : {}),
});
