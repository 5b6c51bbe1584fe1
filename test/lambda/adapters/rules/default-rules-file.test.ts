import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../../../lambda/adapters/rules/load-rules';
import { RulesFileError } from '../../../../lambda/domain/alerts/rules';

const work = mkdtempSync(path.join(tmpdir(), 'airudder-default-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('DEFAULT_RULES_FILE, set by the construct prop rulesFile', () => {
  it('replaces the bundled defaults', async () => {
    const file = path.join(work, 'rules.json');
    const rule = {
      id: 'tsr',
      title: 'Transfer success',
      metric: 'transfer_success_rate',
      scope: 'day-so-far',
    };
    writeFileSync(file, JSON.stringify({ version: 1, rules: [{ ...rule, comparison: 'below', warn: 0.7 }] }));

    const rules = await loadRules({ rulesFile: undefined, defaultRulesFile: file });

    expect(rules.rules.map((r) => [r.id, r.warn])).toEqual([['tsr', 0.7]]);
  });

  it('names the variable and the path when the file is missing', async () => {
    const missing = path.join(work, 'missing.json');
    await expect(loadRules({ rulesFile: undefined, defaultRulesFile: missing })).rejects.toThrow(
      RulesFileError,
    );
    await expect(loadRules({ rulesFile: undefined, defaultRulesFile: missing })).rejects.toThrow(
      `DEFAULT_RULES_FILE ${missing} cannot be read (ENOENT)`,
    );
  });
});
