import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import { rawKey } from '../../../lambda/domain/archive/raw-archive';
import { daySoFarWindow, rollingWindow } from '../../../lambda/domain/statistics/query-window';
import { silentLogger } from '../../../lambda/shared/logger';
import { createArchiveReader, daySoFarAt, windowsAt } from '../../../lambda/use-cases/evaluation-input';
import { fetchAndArchive } from '../../../lambda/use-cases/fetch-and-archive';
import { startTestStandIn, TEST_ZONE, testClient } from '../../helpers/airudder';
import { recordingStore } from '../../helpers/recording-store';

/** Archives, through the stand-in as the live runs do, a check's or a window's answer at each instant. */
async function archiveAnswers(
  store: ObjectStore,
  kind: 'check' | 'window',
  instants: readonly Date[],
): Promise<void> {
  const standIn = await startTestStandIn();
  try {
    const source = testClient(standIn.url).client;
    for (const referenceTime of instants) {
      const window =
        kind === 'check'
          ? daySoFarWindow(referenceTime, TEST_ZONE)
          : rollingWindow(referenceTime, 60, TEST_ZONE);
      await fetchAndArchive({ source, store, logger: silentLogger }, { kind, window, referenceTime });
    }
  } finally {
    await standIn.close();
  }
}

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

describe('daySoFarAt', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evaluation-input-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The day so far of 2025-11-04 at 10:05 local, and the raw/check/ objects read to find it. */
  const daySoFarAtTenPastTen = async (folder: ObjectStore) => {
    const read: string[] = [];
    const store: ObjectStore = {
      ...folder,
      get: (key) => {
        if (key.startsWith('raw/check/')) read.push(key);
        return folder.get(key);
      },
    };
    const at = new Date('2025-11-04T10:05:00+07:00');
    const found = await daySoFarAt(createArchiveReader(store), '2025-11-04', at, TEST_ZONE);
    return { found, read };
  };

  it("reads only the checks of the hour before, not the whole day's 96", async () => {
    // Prepare: the 96 checks a deployment archived on 2025-11-04
    const folder = createFolderObjectStore(dir);
    const start = Date.parse('2025-11-04T00:15:00+07:00');
    await archiveAnswers(
      folder,
      'check',
      Array.from({ length: 96 }, (_, index) => new Date(start + index * 900_000)),
    );
    // Act: the day so far at 10:05 local, as a check a week later compares with it
    const { found, read } = await daySoFarAtTenPastTen(folder);
    // Assess: the 10:00 check, the latest at or before 10:05, read alone
    expect(found?.request_params).toEqual({
      start_time: '2025-11-04 00:00:00',
      end_time: '2025-11-04 10:00:00',
    });
    expect(read).toHaveLength(1);
  });

  it('passes over an invalid newest check to the one before it, within the hour', async () => {
    // Prepare: the 09:45 check archived; the 10:00 key holds bytes that are not its answer
    const folder = createFolderObjectStore(dir);
    await archiveAnswers(folder, 'check', [
      new Date('2025-11-04T09:45:00+07:00'),
      new Date('2025-11-04T10:00:00+07:00'),
    ]);
    const keys = await folder.list('raw/check/2025-11-04/');
    const newest = keys.at(-1) ?? '';
    const first = await folder.get(keys[0] ?? '');
    await folder.replace(newest, first?.bytes ?? new Uint8Array(), {
      expectedVersion: (await folder.get(newest))?.version,
      contentType: 'application/json',
      metadata: {},
    });
    // Act
    const { found, read } = await daySoFarAtTenPastTen(folder);
    // Assess: the 09:45 check stands for it; both keys of the hour were read, newest first
    expect(found?.request_params).toEqual({
      start_time: '2025-11-04 00:00:00',
      end_time: '2025-11-04 09:45:00',
    });
    expect(read).toEqual([newest, keys[0]]);
  });
});

describe('createArchiveReader with listFoldersFirst (replay)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evaluation-input-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists each folder once and reads only the keys the listing holds', async () => {
    // Prepare: the 10:00 window of 2025-11-04 archived; its 10:15 neighbour never was
    const folder = createFolderObjectStore(dir);
    await archiveAnswers(folder, 'window', [new Date('2025-11-04T10:00:00+07:00')]);
    const calls: string[] = [];
    const store: ObjectStore = {
      ...folder,
      get: (key) => {
        calls.push(`get ${key}`);
        return folder.get(key);
      },
      list: (prefix) => {
        calls.push(`list ${prefix}`);
        return folder.list(prefix);
      },
    };
    const [archivedKey] = await folder.list('raw/window/2025-11-04/');
    const reader = createArchiveReader(store, { listFoldersFirst: true });
    const keyAt = (time: string) => {
      const at = new Date(time);
      return rawKey({
        kind: 'window',
        date: '2025-11-04',
        referenceTime: at,
        window: rollingWindow(at, 60, TEST_ZONE),
      });
    };
    // Act
    const missing = await reader.response(keyAt('2025-11-04T10:15:00+07:00'));
    const found = await reader.response(keyAt('2025-11-04T10:00:00+07:00'));
    // Assess: one listing, one read, of the archived window alone
    expect(missing).toBeUndefined();
    expect(found?.request_params).toEqual({
      start_time: '2025-11-04 09:00:00',
      end_time: '2025-11-04 10:00:00',
    });
    expect(calls).toEqual(['list raw/window/2025-11-04/', `get ${archivedKey}`]);
  });
});
