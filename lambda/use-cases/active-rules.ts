import { createHash } from 'node:crypto';
import {
  parseRuleSet,
  type RepeatPolicy,
  type Rule,
  type RuleSet,
  RulesFileError,
} from '../domain/alerts/rules';
import type { ObjectStore } from '../domain/object-store';
import {
  buildRulesNoticeMessage,
  emptyRulesState,
  markRulesNotified,
  observeRules,
  owedRulesNotice,
  RULES_KEY,
  RULES_STATE_KEY,
  type RulesObservation,
  RulesStateSchema,
} from '../domain/rules-status';
import type { Notifier } from '../domain/slack/slack-message';
import type { Logger } from '../shared/logger';
import { readDocument, updateDocument } from './json-document';

/**
 * Which alert rules a run uses. In order: a local RULES_FILE (an explicit override, for the CLI and
 * tests); else `config/rules.json` in the archive store when present; else the defaults bundled with
 * the function. A rules object that fails validation never stops a run: the run evaluates with the
 * last rules that validated (remembered in `state/rules.json`, else the bundled defaults) and the
 * check raises one "rules invalid" alert until the object is fixed.
 */

export interface ActiveRules {
  readonly rules: readonly Rule[];
  /** The group's reminder cadence from the same file. */
  readonly reminders: RepeatPolicy;
  /** `sha256:` and the first 12 hex digits of the exact bytes in use: the same in S3 and a folder. */
  readonly version: string;
  /** Where the rules in use came from: an s3:// or file location, or "bundled defaults". */
  readonly source: string;
  readonly origin: 'archive' | 'file' | 'bundled' | 'last-good';
  /** The exact text of the rules in use (kept as the last good copy). */
  readonly text: string;
  /** The S3 object version of the rules object in use, in a versioned bucket. */
  readonly versionId?: string;
  /** Set when config/rules.json exists but fails validation. */
  readonly invalid?: {
    readonly version: string;
    readonly error: string;
    readonly problems: readonly string[];
  };
}

/** The bundled defaults, as text, so they are hashed and parsed like any other rules object. */
export interface BundledRules {
  readonly text: string;
}

/** Remembers the last rules object read, so an unchanged object costs a 304 and no parse. */
export interface RulesCache {
  entry?: { readonly etag: string; readonly active: ActiveRules };
  /** The last rules parsed from text (RULES_FILE, the bundled defaults): the same text is not parsed again. */
  parsed?: { readonly text: string; readonly ruleSet: RuleSet };
  /** What `recordRulesHealth` last recorded with nothing left owed: the same again needs no state read. */
  recorded?: string;
}

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

export interface RulesSourceDeps {
  readonly store: ObjectStore;
  readonly bundled: BundledRules;
  /** RULES_FILE: read from disk instead of the archive. */
  readonly readRulesFile?: () => Promise<{ readonly text: string; readonly path: string }>;
  readonly cache?: RulesCache;
}

/** The rules a run uses now; throws only when the store cannot be read (or RULES_FILE is broken). */
export async function loadActiveRules(deps: RulesSourceDeps): Promise<ActiveRules> {
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
  const text = new TextDecoder().decode(read.bytes);
  const version = rulesVersion(read.bytes);
  const source = store.describe(RULES_KEY);
  let active: ActiveRules;
  try {
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

/** What the check run passes on to record the rules it used and announce a broken rules object. */
export interface RulesHealthDeps {
  readonly store: ObjectStore;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly cache?: RulesCache;
}

function observationOf(active: ActiveRules): RulesObservation {
  if (active.invalid)
    return { kind: 'invalid', version: active.invalid.version, error: active.invalid.error };
  if (active.origin === 'archive') return { kind: 'valid', version: active.version, text: active.text };
  return { kind: 'absent' };
}

/**
 * Records what this check saw of the rules object in `state/rules.json` (the last good copy, an
 * invalid episode) and sends the notice owed: "rules invalid" once per episode, "valid again" when
 * it ends. The notice is marked before it is sent and unmarked if Slack refuses it, so two
 * overlapping runs cannot both send it and a refused one is still owed. Returns the notice sent.
 */
export async function recordRulesHealth(
  deps: RulesHealthDeps,
  active: ActiveRules,
  at: Date,
): Promise<string | undefined> {
  if (active.origin === 'file') return undefined;
  const observation = observationOf(active);
  const { store, logger, cache } = deps;
  const recordKey = `${observation.kind} ${'version' in observation ? observation.version : ''}`;
  if (cache?.recorded === recordKey) return undefined;
  const { result: owed, document } = await updateDocument(
    store,
    RULES_STATE_KEY,
    RulesStateSchema,
    (current) => {
      const before = current ?? emptyRulesState();
      const observed = observeRules(before, observation, at);
      const notice = owedRulesNotice(observed, active.version, at);
      const next = notice ? markRulesNotified(observed, notice, at) : observed;
      return { value: next === current ? undefined : next, result: { notice, previous: before.notified } };
    },
  );
  if (!owed.notice) {
    if (cache) cache.recorded = recordKey;
    return undefined;
  }
  const message = buildRulesNoticeMessage(owed.notice, store.describe(RULES_KEY));
  try {
    await deps.notifier.send(message);
  } catch (error) {
    await updateDocument(
      store,
      RULES_STATE_KEY,
      RulesStateSchema,
      (current) => ({ value: current && { ...current, notified: owed.previous }, result: undefined }),
      { alreadyRead: document ?? null },
    );
    logger.error('Slack did not accept the rules notice; it stays owed for the next run', {
      notice: owed.notice.kind,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
  logger.info('Rules notice sent', { notice: owed.notice.kind });
  if (cache) cache.recorded = recordKey;
  return message.text;
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
