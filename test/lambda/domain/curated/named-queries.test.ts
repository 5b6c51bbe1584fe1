import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMED_QUERIES, namedQuery } from '../../../../lambda/domain/curated/named-queries';

const README = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');

describe('named queries', () => {
  it.each(NAMED_QUERIES.map((query) => [query.name, query.sql]))(
    'README shows %s word for word, as the stack installs it',
    (_name, sql) => {
      expect(README).toContain(`\`\`\`sql\n${sql}\n\`\`\``);
    },
  );

  it('are found by name, and an unknown name finds none', () => {
    expect(namedQuery('daily-trend')?.sql).toMatch(/FROM daily/);
    expect(namedQuery('weekly')).toBeUndefined();
  });
});
