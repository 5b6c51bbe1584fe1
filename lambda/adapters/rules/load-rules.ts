import { readFile } from 'node:fs/promises';
import type { Config } from '../../config';
import type { Rule } from '../../domain/alerts/rules';
import { parseRules, RulesFileError } from '../../domain/alerts/rules';
import defaultRules from '../../rules/default-rules.json';

/**
 * The alert rules: RULES_FILE when set, otherwise the defaults shipped in lambda/rules (imported, so
 * the Lambda bundle carries them). Both go through the same schema; errors name the rule and field.
 */
export async function loadRules(config: Pick<Config, 'rulesFile'>): Promise<Rule[]> {
  if (!config.rulesFile) return parseRules(JSON.stringify(defaultRules), 'default-rules.json');
  let text: string;
  try {
    text = await readFile(config.rulesFile, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RulesFileError(`RULES_FILE ${config.rulesFile} cannot be read (${reason})`, [reason], {
      cause: error,
    });
  }
  return parseRules(text, config.rulesFile);
}
