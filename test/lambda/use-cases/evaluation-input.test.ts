import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { createArchiveReader, windowsAt } from '../../../lambda/use-cases/evaluation-input';
import { recordingStore } from '../../helpers/recording-store';

describe('windowsAt', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evaluation-input-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the rolling windows of every length side by side, one round trip for all', async () => {
    // Prepare: an archive without them (a young deployment), each read held 20 ms
    const { store, mostInFlight } = recordingStore(createFolderObjectStore(dir), 20);
    const counts = { archived: 0, derived: 0, missing: 0 };
    // Act: 05:15 local ends no hour, so nothing is derived from a whole-day response
    const found = await windowsAt(
      createArchiveReader(store),
      new Date('2025-11-04T05:15:00+07:00'),
      [15, 30, 60],
      'Asia/Jakarta',
      counts,
    );
    // Assess
    expect(mostInFlight('get', 'raw/')).toBe(3);
    expect([...found.keys()]).toEqual([]);
    expect(counts).toEqual({ archived: 0, derived: 0, missing: 3 });
  });
});
