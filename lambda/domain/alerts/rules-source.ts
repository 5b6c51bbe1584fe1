import type { ObjectStore } from '../archive/object-store';
import type { RepeatPolicy, Rule, RuleSet } from './rules';

/**
 * Port: where a run's alert rules come from — a local RULES_FILE, else `config/rules.json` in the
 * archive store, else the defaults shipped with the function — and what a warm container remembers
 * of them. The adapter (adapters/rules/load-rules.ts) builds it; the use case (use-cases/
 * active-rules.ts) decides which rules are in use.
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

/** The sources of a run's rules, in the order they are tried. */
export interface RulesSource {
  readonly store: ObjectStore;
  readonly bundled: BundledRules;
  /** RULES_FILE: read from disk instead of the archive. */
  readonly readRulesFile?: () => Promise<{ readonly text: string; readonly path: string }>;
  readonly cache?: RulesCache;
}
