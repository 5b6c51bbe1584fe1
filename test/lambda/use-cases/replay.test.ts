import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createFolderObjectStore } from '../../../lambda/adapters/archive/folder-object-store';
import { loadRules } from '../../../lambda/adapters/rules/load-rules';
import type { Notification } from '../../../lambda/domain/alerts/notify';
import { RuleSchema } from '../../../lambda/domain/alerts/rules';
import type { ObjectStore } from '../../../lambda/domain/archive/object-store';
import {
  daySoFarWindow,
  rollingWindow,
  wholeDayWindow,
} from '../../../lambda/domain/statistics/query-window';
import { silentLogger } from '../../../lambda/shared/logger';
import { fetchAndArchive } from '../../../lambda/use-cases/fetch-and-archive';
import {
  hourEnds,
  NoiseCounter,
  REPLAY_READ_CONCURRENCY,
  type ReplayEvent,
  replay,
} from '../../../lambda/use-cases/replay';
import { startTestStandIn, TEST_ZONE, testClient } from '../../helpers/airudder';
import { MECHANICS_RULES_FILE } from '../../helpers/check-run';

describe('hourEnds', () => {
  it.each([
    [
      'a normal day',
      '2025-10-14',
      'Asia/Jakarta',
      24,
      '2025-10-13T18:00:00.000Z',
      '2025-10-14T16:59:59.000Z',
    ],
    [
      'the spring-forward day',
      '2025-03-30',
      'Europe/Berlin',
      23,
      '2025-03-30T00:00:00.000Z',
      '2025-03-30T21:59:59.000Z',
    ],
    [
      'the fall-back day',
      '2025-10-26',
      'Europe/Berlin',
      25,
      '2025-10-25T23:00:00.000Z',
      '2025-10-26T22:59:59.000Z',
    ],
  ])(
    'gives every local hour of %s, the last ending at the day’s last second',
    (_name, date, zone, count, first, last) => {
      const ends = hourEnds(date, zone);
      expect(ends).toHaveLength(count);
      expect(ends[0]?.toISOString()).toBe(new Date(first).toISOString());
      expect(ends.at(-1)?.toISOString()).toBe(last);
    },
  );

  it('steps exactly one hour at a time until the last', () => {
    const ends = hourEnds('2025-10-26', 'Europe/Berlin').map((end) => end.getTime());
    const steps = ends.slice(1, -1).map((end, index) => end - (ends[index] ?? 0));
    expect(new Set(steps)).toEqual(new Set([3_600_000]));
  });
});

describe('replay over an archive with a check and its window every hour', () => {
  const DATE = '2025-10-14';
  let standIn: StandIn;
  let dir: string;
  beforeAll(async () => {
    standIn = await startTestStandIn({
      incidents: [
        { start: `${DATE} 09:00:00`, end: `${DATE} 12:00:00`, effect: 'transfer-failure', severity: 1 },
      ],
    });
    dir = await mkdtemp(join(tmpdir(), 'replay-reads-'));
    const deps = {
      source: testClient(standIn.url).client,
      store: createFolderObjectStore(dir),
      logger: silentLogger,
    };
    const day = new Date('2025-10-15T01:30:00Z');
    await fetchAndArchive(deps, { kind: 'day', window: wholeDayWindow(DATE, TEST_ZONE), referenceTime: day });
    for (const at of hourEnds(DATE, TEST_ZONE).slice(6, 16)) {
      await fetchAndArchive(deps, {
        kind: 'check',
        window: daySoFarWindow(at, TEST_ZONE),
        referenceTime: at,
      });
      await fetchAndArchive(deps, {
        kind: 'window',
        window: rollingWindow(at, 60, TEST_ZONE),
        referenceTime: at,
      });
    }
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the hours several at a time, yet evaluates them in order, as the checks ran', async () => {
    // Prepare: a store that takes 5 ms a read and counts the reads in flight
    const inner = createFolderObjectStore(dir);
    let inFlight = 0;
    let most = 0;
    const store: ObjectStore = {
      ...inner,
      get: async (key) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        try {
          return await inner.get(key);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const events: ReplayEvent[] = [];
    // (the archive here holds 60-minute windows: the mechanics rules judge those)
    const rules = await loadRules({ rulesFile: MECHANICS_RULES_FILE });
    // Act
    const result = await replay(
      { store, ...rules, timeZone: TEST_ZONE, lineCapacity: undefined, topN: 5 },
      { from: DATE, to: DATE, onEvent: (event) => events.push(event) },
    );
    // Assess: concurrent reads, bounded; every archived check and window used; alerts in time order
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(REPLAY_READ_CONCURRENCY * 2);
    expect(result.hours).toEqual({ check: 10, derived: 14 });
    expect(result.windows).toMatchObject({ archived: 10 });
    const times = events.flatMap((event) => (event.kind === 'alerts' ? [event.at.getTime()] : []));
    expect(times.length).toBeGreaterThan(1);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events.at(-1)?.kind).toBe('digest');
  });

  it('reports each rule in the detection benchmark’s columns: delays, messages per episode, alerts at night', async () => {
    // Prepare: a rule that breaches from the first hour of the day (any call at all), two runs pending
    const rule = RuleSchema.parse({
      id: 'any-calls',
      title: 'Any calls',
      metric: 'total_calls',
      scope: 'day-so-far',
      comparison: 'above',
      warn: 0,
      pendingRuns: 2,
    });
    // Act
    const result = await replay(
      {
        store: createFolderObjectStore(dir),
        rules: [rule],
        timeZone: TEST_ZONE,
        lineCapacity: undefined,
        topN: 5,
      },
      { from: DATE, to: DATE },
    );
    // Assess: breached at 01:00, fired at 02:00 (night), never resolved; one episode
    expect(result.noise).toEqual([
      expect.objectContaining({
        ruleId: 'any-calls',
        episodes: 1,
        nightAlerts: 1,
        detectionMedianMinutes: 60,
        detectionP90Minutes: 60,
      }),
    ]);
    const [noise] = result.noise;
    expect(noise?.messagesPerEpisode).toBe(noise?.messages);
    expect(noise?.messagesPerEpisodeMax).toBe(noise?.messages);
    expect(noise?.resolutionMedianMinutes).toBeUndefined();
    // One episode in one replayed day is 30 a month; it never resolved, so it cannot have flapped.
    expect(noise?.episodesPer30Days).toBe(30);
    expect(noise?.flaps).toBe(0);
  });

  it('counts an alert that fires again within an hour of resolving as a flap, and the most messages one episode cost', () => {
    // Prepare: fired 08:00, reminded 09:00, resolved 10:00, fired again 10:45 (a flap), resolved
    // 11:00, fired again 13:00 (two hours later: a new episode, not a flap)
    const rule = RuleSchema.parse({
      id: 'flappy',
      title: 'Flappy',
      metric: 'total_calls',
      window: { minutes: 60 },
      comparison: 'above',
      warn: 0,
    });
    const counter = new NoiseCounter('UTC');
    const note = (kind: 'fired' | 'repeat' | 'resolved', at: string) => {
      const iso = `2025-10-14T${at}:00.000Z`;
      counter.count(new Date(iso), [
        {
          kind,
          ruleId: 'flappy',
          severity: 'warn',
          title: 'Flappy',
          firedAt: iso,
          breachedAt: iso,
          endedAt: iso,
        } as Notification,
      ]);
    };
    // Act
    note('fired', '08:00');
    note('repeat', '09:00');
    note('resolved', '10:00');
    note('fired', '10:45');
    note('resolved', '11:00');
    note('fired', '13:00');
    const [noise] = counter.report([rule], new Date('2025-10-15T00:00:00.000Z'), 3);
    // Assess
    expect(noise).toEqual(
      expect.objectContaining({ episodes: 3, flaps: 1, messagesPerEpisodeMax: 3, episodesPer30Days: 30 }),
    );
  });
});

describe('replay measures the week-over-week rules as the check does (#27)', () => {
  const DATE = '2025-10-14';
  const WEEK_AGO = '2025-10-07';
  let standIn: StandIn;
  let dir: string;
  beforeAll(async () => {
    // Calls in the morning of DATE are far above a week before: the shipped volume-spike rule's case
    standIn = await startTestStandIn({
      incidents: [
        { start: `${DATE} 09:00:00`, end: `${DATE} 13:00:00`, effect: 'volume-spike', severity: 1 },
      ],
    });
    dir = await mkdtemp(join(tmpdir(), 'replay-wow-'));
    const deps = {
      source: testClient(standIn.url).client,
      store: createFolderObjectStore(dir),
      logger: silentLogger,
    };
    for (const date of [WEEK_AGO, DATE]) {
      const window = wholeDayWindow(date, TEST_ZONE);
      await fetchAndArchive(deps, { kind: 'day', window, referenceTime: new Date(`${date}T23:00:00Z`) });
    }
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the hour a week earlier, so volume-spike fires on a day whose calls doubled', async () => {
    // Act
    const rules = await loadRules({ rulesFile: undefined });
    const result = await replay(
      {
        store: createFolderObjectStore(dir),
        ...rules,
        timeZone: TEST_ZONE,
        lineCapacity: undefined,
        topN: 5,
      },
      { from: DATE, to: DATE },
    );
    // Assess
    const noise = (id: string) => result.noise.find((rule) => rule.ruleId === id);
    expect(noise('volume-spike')?.messages).toBeGreaterThan(0);
    expect(noise('volume-spike')?.episodes).toBe(1);
  });
});
