import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMessageAsText } from '../../../../lambda/domain/slack/render-text';
import { buildChecked, digestInput } from './digest-test-kit';

const GOLDEN = join(__dirname, '..', '..', '..', 'fixtures', 'digest', 'golden-digest.txt');

describe('the digest of the fixed fixture day', () => {
  it('renders byte for byte as the reviewed golden file', () => {
    // Prepare: the file was written once from this output after reading it through; if a change to
    // the digest is intended, review the new text and replace the file with it.
    const golden = readFileSync(GOLDEN, 'utf8');
    // Act
    const rendered = `${renderMessageAsText(buildChecked(digestInput()))}\n`;
    // Assess
    expect(rendered).toBe(golden);
  });
});
