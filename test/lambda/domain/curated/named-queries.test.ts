import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMED_QUERIES, namedQuery } from '../../../../lambda/domain/curated/named-queries';

const ARCHIVE_AND_SQL = readFileSync(
  join(__dirname, '..', '..', '..', '..', 'docs', 'archive-and-sql.md'),
  'utf8',
);

describe('named queries', () => {
  it.each(NAMED_QUERIES.map((query) => [query.name, query.sql]))(
    'docs/archive-and-sql.md shows %s word for word, as the stack installs it',
    (_name, sql) => {
      expect(ARCHIVE_AND_SQL).toContain(`\`\`\`sql\n${sql}\n\`\`\``);
    },
  );

  it('are found by name, and an unknown name finds none', () => {
    expect(namedQuery('daily-trend')?.sql).toMatch(/FROM daily/);
    expect(namedQuery('weekly')).toBeUndefined();
  });
});
