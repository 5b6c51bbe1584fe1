import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMessageAsText } from '../../../../lambda/domain/slack/render-text';
import { buildChecked, digestInput } from './digest-test-kit';

const golden = (name: string) =>
  readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'digest', name), 'utf8');

describe('the digest of the fixed fixture day', () => {
  // Prepare: each file was written from this output after reading it through; if a change to the
  // digest is intended, review the new text and replace the file with it.
  it('renders byte for byte as the reviewed golden file', () => {
    const rendered = `${renderMessageAsText(buildChecked(digestInput()))}\n`;
    expect(rendered).toBe(golden('golden-digest.txt'));
  });

  it('renders the full table (--detail) byte for byte as its reviewed golden file', () => {
    const rendered = `${renderMessageAsText(buildChecked(digestInput(), { detail: true }))}\n`;
    expect(rendered).toBe(golden('golden-digest-detail.txt'));
  });
});
