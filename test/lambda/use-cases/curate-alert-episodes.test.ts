import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import type { Episode } from '../../../lambda/domain/alerts/episode';
import { ALERT_STATE_KEY, type AlertState, emptyAlertState } from '../../../lambda/domain/alerts/state';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import { curateAlertEpisodes } from '../../../lambda/use-cases/curate-alert-episodes';
import { DocumentCorruptError } from '../../../lambda/use-cases/json-document';
import { rule } from '../domain/alerts/alert-test-helpers';

const ZONE = 'Asia/Jakarta';

/** A fired episode of `ruleId` that began at `began` (UTC), resolved an hour later unless `open`. */
function episode(ruleId: string, began: string, open = false): Episode {
  const at = (minutes: number) => new Date(Date.parse(began) + minutes * 60_000).toISOString();
  return {
    ruleId,
    condition: 'threshold',
    began,
    firedAt: at(15),
    severity: 'warn',
    peak: { severity: 'warn', at: at(15) },
    worst: { value: 0.5, at: at(15) },
    reminders: 0,
    notified: [{ kind: 'fired', key: `${ruleId}-${began}`, at: at(15), severity: 'warn', value: 0.5 }],
    ...(open ? {} : { ended: at(45), resolvedAt: at(75), resolvedValue: 0.8 }),
  };
}

describe('curating the alert episodes of the alert state', () => {
  let dir: string;
  let store: ObjectStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'curate-episodes-'));
    store = createFolderObjectStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const saveState = async (episodes: Episode[]) => {
    const state: AlertState = { ...emptyAlertState(), episodes };
    await mkdir(join(dir, 'state'), { recursive: true });
    await writeFile(join(dir, ALERT_STATE_KEY), JSON.stringify(state));
  };
  const curated = async (date: string) =>
    (await readFile(join(dir, 'curated', 'alert_episodes', `date=${date}`, 'alert_episodes.ndjson'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const curate = (range: { from?: string; to?: string } = {}) =>
    curateAlertEpisodes({ store }, { rules: [rule()], timeZone: ZONE, ...range });

  it('writes one object per local date an episode began, and a second run changes nothing', async () => {
    // Prepare: 18:00 UTC on the 3rd is 01:00 on the 4th in Jakarta
    await saveState([
      episode('transfer-success', '2025-11-03T18:00:00.000Z'),
      episode('transfer-success', '2025-11-10T02:00:00.000Z', true),
    ]);
    // Act
    const first = await curate();
    const again = await curate();
    // Assess
    expect(first).toEqual({ written: ['2025-11-04', '2025-11-10'], unchanged: [], episodes: 2 });
    expect(again).toEqual({ written: [], unchanged: ['2025-11-04', '2025-11-10'], episodes: 2 });
    expect(await curated('2025-11-04')).toMatchObject([
      {
        date: '2025-11-04',
        rule_id: 'transfer-success',
        minutes_to_resolve: 60,
        resolved_at: expect.any(String),
      },
    ]);
    expect(await curated('2025-11-10')).toMatchObject([{ resolved_at: null, minutes_to_resolve: null }]);
  });

  it('keeps an episode the state has since dropped, and updates one that has since resolved', async () => {
    // Prepare: curated while the second episode was open; then the state let the first go
    await saveState([
      episode('transfer-success', '2025-11-10T02:00:00.000Z'),
      episode('transfer-success', '2025-11-10T05:00:00.000Z', true),
    ]);
    await curate();
    await saveState([episode('transfer-success', '2025-11-10T05:00:00.000Z')]);
    // Act
    const result = await curate();
    // Assess
    expect(result.written).toEqual(['2025-11-10']);
    const records = await curated('2025-11-10');
    expect(records.map((record) => [record.began, record.minutes_to_resolve])).toEqual([
      ['2025-11-10T02:00:00.000Z', 60],
      ['2025-11-10T05:00:00.000Z', 60],
    ]);
  });

  it('curates only the dates in the range asked for', async () => {
    // Prepare
    await saveState([
      episode('transfer-success', '2025-11-03T02:00:00.000Z'),
      episode('transfer-success', '2025-11-10T02:00:00.000Z'),
    ]);
    // Act
    const result = await curate({ from: '2025-11-05', to: '2025-11-12' });
    // Assess
    expect(result).toEqual({ written: ['2025-11-10'], unchanged: [], episodes: 1 });
    expect(await store.list('curated/')).toEqual([
      'curated/alert_episodes/date=2025-11-10/alert_episodes.ndjson',
    ]);
  });

  it('stops on a curated line that is not a record, naming the object and line, and leaves it as it was', async () => {
    // Prepare
    await saveState([episode('transfer-success', '2025-11-10T02:00:00.000Z')]);
    await curate();
    const file = join(dir, 'curated', 'alert_episodes', 'date=2025-11-10', 'alert_episodes.ndjson');
    const damaged = `${await readFile(file, 'utf8')}not json\n`;
    await writeFile(file, damaged);
    // Act
    const result = curate();
    // Assess
    await expect(result).rejects.toThrow(DocumentCorruptError);
    await expect(result).rejects.toThrow(/alert_episodes\.ndjson line 2 is not a curated record/);
    expect(await readFile(file, 'utf8')).toBe(damaged);
  });
});
