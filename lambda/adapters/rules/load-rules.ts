import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Config } from '../../config';
import { parseRuleSet, type RuleSet, RulesFileError } from '../../domain/alerts/rules';
import type { BundledRules, RulesCache, RulesSource } from '../../domain/alerts/rules-source';
import type { ObjectStore } from '../../domain/archive/object-store';
import defaultRules from '../../rules/default-rules.json';

/**
 * The alert rules: RULES_FILE when set, otherwise the defaults shipped in lambda/rules (imported, so
 * the Lambda bundle carries them). Both go through the same schema; errors name the rule and field.
 */
export async function loadRules(
  config: Pick<Config, 'rulesFile'> & Partial<Pick<Config, 'defaultRulesFile'>>,
): Promise<RuleSet> {
  if (!config.rulesFile) return parseRuleSet(defaultRulesFor(config).text, 'default-rules.json');
  return parseRuleSet(await readRulesFile(config.rulesFile), config.rulesFile);
}

let bundledText: string | undefined;
/** The shipped defaults as text: hashed and parsed like a rules object from the archive. */
export const bundledRules = (): BundledRules => {
  bundledText ??= `${JSON.stringify(defaultRules, null, 2)}\n`;
  return { text: bundledText };
};

/**
 * The defaults of this deployment: DEFAULT_RULES_FILE (shipped beside the function by the
 * construct's `rulesFile`) when set, else the bundled ones. Read at each run: it is a few KB.
 */
export function defaultRulesFor(config: Partial<Pick<Config, 'defaultRulesFile'>>): BundledRules {
  const path = config.defaultRulesFile;
  if (!path) return bundledRules();
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RulesFileError(`DEFAULT_RULES_FILE ${path} cannot be read (${reason})`, [reason], {
      cause: error,
    });
  }
}

async function readRulesFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RulesFileError(`RULES_FILE ${path} cannot be read (${reason})`, [reason], { cause: error });
  }
}

/** Where a run's rules come from: RULES_FILE, else config/rules.json in `store`, else the defaults. */
export function rulesSourceFor(
  config: Pick<Config, 'rulesFile'> & Partial<Pick<Config, 'defaultRulesFile'>>,
  store: ObjectStore,
  cache?: RulesCache,
): RulesSource {
  const path = config.rulesFile;
  return {
    store,
    bundled: defaultRulesFor(config),
    ...(path ? { readRulesFile: async () => ({ text: await readRulesFile(path), path }) } : {}),
    ...(cache ? { cache } : {}),
  };
}
