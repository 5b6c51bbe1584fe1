import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { curatedKey, RAW_CURATED_TABLES } from '../../../lambda/domain/curated/curated-tables';
import { parseStatistics } from '../../../lambda/domain/statistics/schema';
import { sha256Hex } from '../../../lambda/shared/sha256';
import { curateArchivedDay } from '../../../lambda/use-cases/curate';
import { TEST_ZONE } from '../../helpers/airudder';
import { fixtureBytes } from '../../helpers/fixtures';
import { recordingStore } from '../../helpers/recording-store';

const DATE = '2025-11-11';

describe('curating a whole day just archived', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'curate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes its tables together, not one round trip after another, and each once', async () => {
    // Prepare
    const bytes = fixtureBytes('statistics-example.json');
    const parsed = parseStatistics(bytes);
    if (parsed.verdict !== 'valid') throw new Error('the fixture must be a valid response');
    const source = { key: `raw/day/${DATE}/x.json`, sha256: sha256Hex(bytes), timeZone: TEST_ZONE };
    const { store, mostInFlight } = recordingStore(createFolderObjectStore(dir));
    // Act
    const first = await curateArchivedDay(store, DATE, parsed.value, source);
    const again = await curateArchivedDay(store, DATE, parsed.value, source);
    // Assess: every table's read and write in flight at once; a second run changes nothing
    expect(mostInFlight('get', 'curated/')).toBe(RAW_CURATED_TABLES.length);
    expect(mostInFlight('replace', 'curated/')).toBe(RAW_CURATED_TABLES.length);
    expect(first.status).toBe('written');
    expect(again.status).toBe('unchanged');
    const keys = await createFolderObjectStore(dir).list('curated/');
    expect(keys).toEqual(RAW_CURATED_TABLES.map((table) => curatedKey(table, DATE)).sort());
  });
});
