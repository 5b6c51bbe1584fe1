import { parseRuleSet, type Rule } from '../domain/alerts/rules';
import { fieldsIn, type UnseenMetric, unseenMetrics } from '../domain/alerts/rules-history';
import { RULES_KEY } from '../domain/alerts/rules-status';
import { type ObjectStore, PreconditionFailedError } from '../domain/archive/object-store';
import { RAW_PREFIX, RUN_KINDS } from '../domain/archive/raw-archive';
import { shiftDate } from '../domain/statistics/query-window';
import { parseStatistics } from '../domain/statistics/schema';
import { rulesVersion } from './active-rules';

/** What the operator's `rules` commands do to the archive: check rules against history, push them. */

export const HISTORY_DAYS = 7;

export interface HistoryCheck {
  /** Archived responses read (the newest valid one per kind and date). */
  readonly responses: number;
  readonly from: string;
  readonly to: string;
  readonly unseen: readonly UnseenMetric[];
}

/**
 * Which rules measure something that never appeared in the archived responses of the `days` local
 * dates up to `today`. Reads the newest valid response of each kind per date: a later day-so-far
 * response holds every field an earlier one did.
 */
export async function checkRulesAgainstHistory(
  store: ObjectStore,
  rules: readonly Rule[],
  today: string,
  days = HISTORY_DAYS,
): Promise<HistoryCheck> {
  const dates = Array.from({ length: days }, (_, index) => shiftDate(today, index - days + 1));
  const seen = new Set<string>();
  let responses = 0;
  for (const date of dates) {
    for (const kind of RUN_KINDS) {
      const keys = await store.list(`${RAW_PREFIX}${kind}/${date}/`);
      for (const key of keys.toReversed()) {
        const object = await store.get(key);
        const parsed = object && parseStatistics(object.bytes);
        if (parsed?.verdict !== 'valid') continue;
        fieldsIn(parsed.value, seen);
        responses += 1;
        break;
      }
    }
  }
  return {
    responses,
    from: dates[0] ?? today,
    to: today,
    unseen: responses === 0 ? [] : unseenMetrics(rules, seen),
  };
}

/** The rules object as stored now, with what a conditional write needs. */
export interface StoredRules {
  readonly text: string;
  readonly version: string;
  /** The store's version (ETag) for the compare-and-swap. */
  readonly etag: string;
  readonly versionId?: string;
}

export async function readStoredRules(store: ObjectStore): Promise<StoredRules | undefined> {
  const object = await store.get(RULES_KEY);
  if (!object) return undefined;
  return {
    text: new TextDecoder().decode(object.bytes),
    version: rulesVersion(object.bytes),
    etag: object.version,
    ...(object.versionId ? { versionId: object.versionId } : {}),
  };
}

/** Thrown when the rules object changed between reading it (for the diff) and writing. */
export class ConcurrentRulesPushError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConcurrentRulesPushError';
  }
}

/**
 * Writes `text` as the rules object only if it is still the one the diff was made against
 * (`expected`; undefined: only if there is none), so of two concurrent pushes one loses, clearly.
 */
export async function pushRules(
  store: ObjectStore,
  text: string,
  expected: StoredRules | undefined,
): Promise<StoredRules> {
  // What is written is what every check will parse: never write an object that would not validate.
  parseRuleSet(text, RULES_KEY);
  const bytes = Buffer.from(text);
  let etag: string;
  try {
    etag = await store.replace(RULES_KEY, bytes, {
      contentType: 'application/json',
      metadata: { 'rules-version': rulesVersion(bytes) },
      expectedVersion: expected?.etag,
    });
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
    const now = await readStoredRules(store).catch(() => undefined);
    const was = expected === undefined ? 'there was none' : `it was ${expected.version}`;
    throw new ConcurrentRulesPushError(
      `${store.describe(RULES_KEY)} changed while you were pushing (${was}, now ${now?.version ?? 'being written by the other push'}): ` +
        'someone else pushed first. Nothing was written; run the push again to see the diff against their version.',
      { cause: error },
    );
  }
  // Read back for the S3 version id, unless someone else has written since.
  const written = await readStoredRules(store).catch(() => undefined);
  return written?.etag === etag ? written : { text, version: rulesVersion(bytes), etag };
}
