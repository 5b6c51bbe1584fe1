import { describe, expect, it } from 'vitest';
import {
  activeSnooze,
  activeSnoozes,
  clearEndedSnoozes,
  endedSnoozes,
  endSnooze,
  formatSpan,
  heldMonitorHealth,
  localMinute,
  monitorSpellsUnder,
  parseSnoozeDuration,
  SNOOZE_LOG_LIMIT,
  setSnooze,
  snoozeEndLines,
  snoozesOn,
  withSnoozeEnds,
} from '../../../../lambda/domain/alerts/snooze';
import { type AlertState, emptyAlertState } from '../../../../lambda/domain/alerts/state';
import { rule } from './alert-test-helpers';

const TIME_ZONE = 'Asia/Jakarta'; // UTC+7: local midnight of 11 Nov is 2025-11-10T17:00:00Z

describe('snoozesOn', () => {
  it('lists the snoozes that overlapped the local day, by title, and none that ended at its midnight or began after it', () => {
    // Prepare
    const state = {
      ...emptyAlertState(),
      snoozeLog: [
        // 10 Nov 20:00 → 11 Nov 02:00 local: across midnight into the day
        {
          target: 'transfer-success',
          at: '2025-11-10T13:00:00Z',
          until: '2025-11-10T19:00:00Z',
          reason: 'carrier',
        },
        // 10 Nov 22:00 → 11 Nov 00:00 local: ends exactly at the day's midnight
        { target: 'all', at: '2025-11-10T15:00:00Z', until: '2025-11-10T17:00:00Z' },
        // 11 Nov 14:00 → 16:00 local, a rule the rules no longer have
        { target: 'old-rule', at: '2025-11-11T07:00:00Z', until: '2025-11-11T09:00:00Z' },
        // 12 Nov 09:00 local: the next day
        { target: 'all', at: '2025-11-12T02:00:00Z', until: '2025-11-12T04:00:00Z' },
      ],
    };

    // Act
    const listed = snoozesOn(state, [rule()], '2025-11-11', TIME_ZONE);

    // Assess
    expect(listed).toEqual([
      {
        title: 'Transfer success rate',
        at: '2025-11-10T13:00:00Z',
        until: '2025-11-10T19:00:00Z',
        reason: 'carrier',
      },
      { title: 'old-rule', at: '2025-11-11T07:00:00Z', until: '2025-11-11T09:00:00Z' },
    ]);
  });

  it("names a snooze of every rule 'all rules'", () => {
    const state = {
      ...emptyAlertState(),
      snoozeLog: [{ target: 'all', at: '2025-11-11T01:00:00Z', until: '2025-11-11T03:00:00Z' }],
    };

    expect(snoozesOn(state, [rule()], '2025-11-11', TIME_ZONE).map((snooze) => snooze.title)).toEqual([
      'all rules',
    ]);
  });

  it('lists nothing without a snooze log', () => {
    expect(snoozesOn(emptyAlertState(), [rule()], '2025-11-11', TIME_ZONE)).toEqual([]);
  });
});

describe('the snooze-ended notice (#27: monitor name, the rule by its label, its value, once)', () => {
  const AT = new Date('2025-11-12T09:00:00Z'); // 16:00 in Jakarta
  const transfer = rule();
  const firing = {
    status: 'firing' as const,
    severity: 'crit' as const,
    condition: 'threshold' as const,
    since: '2025-11-12T07:00:00Z',
    firedAt: '2025-11-12T07:00:00Z',
    breachedAt: '2025-11-12T06:45:00Z',
    pendingCount: 0,
    lastValue: 0.352,
    lastEvaluatedAt: AT.toISOString(),
    healthyCount: 0,
    history: [],
  };
  const snoozed = (target: string) => ({
    ...emptyAlertState(),
    rules: { 'transfer-success': firing },
    snoozes: {
      [target]: { at: '2025-11-12T06:00:00Z', until: AT.toISOString(), reason: 'carrier maintenance' },
    },
  });

  it('names the rule by its title with its severity and current value, and the monitor in a message of its own', () => {
    // Act
    const lines = snoozeEndLines(endedSnoozes(snoozed('transfer-success'), [transfer], AT), TIME_ZONE);
    const message = withSnoozeEnds(undefined, lines, 'Jakarta inbound');
    // Assess
    expect(lines).toEqual([
      '⏰ Snooze of Transfer success rate (carrier maintenance) ended at 2025-11-12 16:00; still firing: 35.2% (CRIT)',
    ]);
    expect(message?.text).toBe(`Jakarta inbound: ${lines[0]}`);
    expect(message?.blocks[0]).toStrictEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Jakarta inbound — ⏰ snooze ended', emoji: true },
    });
  });

  it.each([
    {
      name: 'inside the crit hysteresis band: CRIT until it eases',
      state: { lastValue: 0.42 },
      says: '42% (CRIT until ≥ 45%)',
    },
    {
      name: 'inside the warn hysteresis band: WARN until it recovers',
      state: { severity: 'warn' as const, lastValue: 0.62 },
      says: '62% (WARN until ≥ 65%)',
    },
    {
      name: 'back past recovery, counting its healthy runs: recovering',
      state: { severity: 'warn' as const, lastValue: 0.7, healthyCount: 1, healthySince: AT.toISOString() },
      says: '70% (WARN, recovering)',
    },
    {
      name: 'measured by an earlier run (this one had too few calls): dated',
      state: { lastValue: 0.352, lastValueAt: '2025-11-12T08:30:00Z' },
      says: '35.2% at 15:30 (CRIT)',
    },
  ])('never calls a value breaching that no longer is: $name', ({ state, says }) => {
    const rules = { 'transfer-success': { ...firing, ...state } };
    const ended = endedSnoozes({ ...snoozed('transfer-success'), rules }, [transfer], AT);
    expect(snoozeEndLines(ended, TIME_ZONE)).toEqual([
      `⏰ Snooze of Transfer success rate (carrier maintenance) ended at 2025-11-12 16:00; still firing: ${says}`,
    ]);
  });

  it('lists each rule of a snooze of all alerts by title and value', () => {
    const lines = snoozeEndLines(endedSnoozes(snoozed('all'), [transfer], AT), TIME_ZONE);
    expect(lines).toEqual([
      '⏰ Snooze of all alerts (carrier maintenance) ended at 2025-11-12 16:00; still firing: Transfer success rate 35.2% (CRIT)',
    ]);
  });

  it('says it once: a rule whose own line is in the same message is not described again', () => {
    const ended = endedSnoozes(snoozed('transfer-success'), [transfer], AT);
    expect(snoozeEndLines(ended, TIME_ZONE, new Set(['transfer-success']))).toEqual([
      '⏰ Snooze of Transfer success rate (carrier maintenance) ended at 2025-11-12 16:00',
    ]);
  });

  it('says nothing when nothing the snooze covered still fires', () => {
    const state = { ...snoozed('transfer-success'), rules: {} };
    expect(snoozeEndLines(endedSnoozes(state, [transfer], AT), TIME_ZONE)).toEqual([]);
    expect(withSnoozeEnds(undefined, [], 'Jakarta inbound')).toBeUndefined();
  });
});

describe('the snooze notice inside an alert message, and the snoozed rules it names', () => {
  const AT = new Date('2025-11-12T09:00:00Z');
  const transfer = rule();
  const volume = rule({ id: 'volume', title: 'Call volume' });
  const firing = (condition: 'threshold' | 'no-data' = 'threshold') => ({
    status: 'firing' as const,
    severity: 'warn' as const,
    condition,
    since: '2025-11-12T07:00:00Z',
    firedAt: '2025-11-12T07:00:00Z',
    breachedAt: '2025-11-12T06:45:00Z',
    pendingCount: 0,
    lastValue: 0.5,
    lastEvaluatedAt: AT.toISOString(),
    healthyCount: 0,
    history: [],
  });
  const snooze = (until: string, reason?: string) => ({
    at: '2025-11-12T06:00:00Z',
    until,
    ...(reason === undefined ? {} : { reason }),
  });

  it('puts the lines right under the alert message header (the monitor name stays its head), the first one leading its text after the name', () => {
    const header = {
      type: 'header' as const,
      text: { type: 'plain_text' as const, text: 'Jakarta inbound — 🟠 1 warning', emoji: true },
    };
    const item = { type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'fired' } };
    const message = { text: 'Jakarta inbound: Transfer success rate fired', blocks: [header, item] };
    const combined = withSnoozeEnds(message, ['⏰ Snooze of <all> ended', 'second'], 'Jakarta inbound');
    expect(combined).toEqual({
      text: 'Jakarta inbound: ⏰ Snooze of &lt;all&gt; ended · Transfer success rate fired',
      blocks: [
        header,
        { type: 'section', text: { type: 'mrkdwn', text: '⏰ Snooze of &lt;all&gt; ended\nsecond' } },
        item,
      ],
    });
    expect(withSnoozeEnds(message, [], 'Jakarta inbound')).toBe(message);
  });

  it('leads a message without a header with the lines, its text with the monitor name', () => {
    const message = {
      text: 'Transfer success rate fired',
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'fired' } }],
    };
    expect(withSnoozeEnds(message, ['⏰ Snooze ended'], 'Jakarta inbound')).toEqual({
      text: 'Jakarta inbound: ⏰ Snooze ended · Transfer success rate fired',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '⏰ Snooze ended' } }, ...message.blocks],
    });
  });

  it('joins the lines of a message of its own, escaped, after the monitor name', () => {
    const own = withSnoozeEnds(undefined, ['one & two', 'three'], 'A<B');
    expect(own?.text).toBe('A&lt;B: one &amp; two · three');
    expect(own?.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'one &amp; two\nthree' },
    });
  });

  it('leaves out a reason the snooze was not given, and reads a no-data alert as "no data"', () => {
    const state: AlertState = {
      ...emptyAlertState(),
      rules: { 'transfer-success': firing('no-data') },
      snoozes: { 'transfer-success': snooze(AT.toISOString()) },
    };
    expect(snoozeEndLines(endedSnoozes(state, [transfer], AT), TIME_ZONE)).toEqual([
      '⏰ Snooze of Transfer success rate ended at 2025-11-12 16:00; still firing: no data (WARN)',
    ]);
  });

  it('names only what the ended snooze covered, still fires and no other snooze still holds', () => {
    const state: AlertState = {
      ...emptyAlertState(),
      rules: { 'transfer-success': firing(), volume: firing() },
      snoozes: {
        'transfer-success': snooze(AT.toISOString()),
        // Still running: not over, and it still holds volume below.
        all: snooze('2025-11-12T10:00:00Z'),
      },
    };
    const ended = endedSnoozes(state, [transfer, volume], AT);
    // transfer-success is still under the running `all`: its end is said when `all` ends.
    expect(ended).toEqual([
      { target: 'transfer-success', snooze: state.snoozes?.['transfer-success'], firing: [] },
    ]);
    const later = new Date('2025-11-12T10:00:00Z');
    expect(
      endedSnoozes(state, [transfer, volume], later).map((end) => [end.target, end.firing.length]),
    ).toEqual([
      ['transfer-success', 1],
      ['all', 2],
    ]);
    expect(snoozeEndLines(endedSnoozes(state, [transfer, volume], later), TIME_ZONE)[1]).toBe(
      '⏰ Snooze of all alerts ended at 2025-11-12 17:00; still firing: Transfer success rate 50% (WARN), Call volume 50% (WARN)',
    );
    // A snooze of one rule does not name another firing rule.
    const own = { ...state, snoozes: { volume: snooze(AT.toISOString()) } };
    expect(endedSnoozes(own, [transfer, volume], AT)[0]?.firing.map((f) => f.ruleId)).toEqual(['volume']);
  });
});

describe('snoozes in the state', () => {
  const AT = new Date('2025-11-12T03:00:00.000Z');
  const until = (iso: string, reason?: string) => ({
    at: '2025-11-12T01:00:00.000Z',
    until: iso,
    ...(reason === undefined ? {} : { reason }),
  });
  const withSnoozes = (snoozes: AlertState['snoozes'], snoozeLog?: AlertState['snoozeLog']): AlertState => ({
    ...emptyAlertState(),
    snoozes,
    ...(snoozeLog === undefined ? {} : { snoozeLog }),
  });

  it('covers a rule with its own snooze or `all`, whichever lasts longer, and only until it ends', () => {
    const own = until('2025-11-12T05:00:00.000Z');
    const all = until('2025-11-12T04:00:00.000Z');
    const state = withSnoozes({ volume: own, all });
    expect(activeSnooze(state, 'volume', AT)).toEqual(own);
    expect(activeSnooze(state, 'transfer-success', AT)).toEqual(all);
    expect(activeSnooze(withSnoozes({ volume: all, all: own }), 'volume', AT)).toEqual(own);
    expect(activeSnooze(state, 'transfer-success', new Date('2025-11-12T04:00:00.000Z'))).toBeUndefined();
    expect(activeSnooze(emptyAlertState(), 'volume', AT)).toBeUndefined();
  });

  it('lists the snoozes still running, soonest end first, with their targets', () => {
    const state = withSnoozes({
      late: until('2025-11-12T09:00:00.000Z'),
      over: until('2025-11-12T03:00:00.000Z'),
      soon: until('2025-11-12T04:00:00.000Z'),
    });
    expect(activeSnoozes(state, AT)).toEqual([
      { target: 'soon', ...until('2025-11-12T04:00:00.000Z') },
      { target: 'late', ...until('2025-11-12T09:00:00.000Z') },
    ]);
    expect(activeSnoozes(emptyAlertState(), AT)).toEqual([]);
  });

  it("sets a snooze, replacing the target's earlier one, and logs each for the digest, the latest 50", () => {
    const first = setSnooze(emptyAlertState(), 'volume', until('2025-11-12T05:00:00.000Z', 'carrier'));
    const second = setSnooze(first, 'volume', until('2025-11-12T06:00:00.000Z'));
    expect(second.snoozes).toEqual({ volume: until('2025-11-12T06:00:00.000Z') });
    expect(second.snoozeLog).toEqual([
      { target: 'volume', ...until('2025-11-12T05:00:00.000Z', 'carrier') },
      { target: 'volume', ...until('2025-11-12T06:00:00.000Z') },
    ]);
    const targets = Array.from({ length: SNOOZE_LOG_LIMIT + 1 }, (_, index) => `rule-${index}`);
    const full = targets.reduce(
      (state, target) => setSnooze(state, target, until('2025-11-12T05:00:00.000Z')),
      second,
    );
    expect(full.snoozeLog).toHaveLength(50);
    expect(full.snoozeLog?.[0]?.target).toBe('rule-1');
    expect(full.snoozeLog?.at(-1)?.target).toBe('rule-50');
  });

  it('ends a running snooze now, in the state and in its log entry, and says which it ended', () => {
    const running = until('2025-11-12T05:00:00.000Z');
    const earlier = { target: 'volume', ...until('2025-11-12T02:00:00.000Z') };
    const queue = { target: 'queue', ...running };
    const state = withSnoozes({ volume: running, queue: running }, [
      earlier,
      { target: 'volume', ...running },
      queue,
    ]);
    const { state: after, ended } = endSnooze(state, 'volume', AT);
    expect(ended).toEqual(['volume']);
    expect(after.snoozes).toEqual({ volume: { ...running, until: AT.toISOString() }, queue: running });
    // The queue's snooze ends at the same time, but it is not the one ended.
    expect(after.snoozeLog).toEqual([
      earlier,
      { target: 'volume', ...running, until: AT.toISOString() },
      queue,
    ]);
    // One that ends at this very moment is over already: nothing to end.
    expect(endSnooze(state, 'volume', new Date(running.until))).toEqual({ state, ended: [] });
  });

  it('ends every running snooze for `all`, and nothing that is over already', () => {
    const running = until('2025-11-12T05:00:00.000Z');
    const over = until('2025-11-12T02:00:00.000Z');
    const log = [
      { target: 'volume', ...running },
      { target: 'queue', ...running },
    ];
    const state = withSnoozes({ volume: running, queue: running, old: over }, log);
    const { state: after, ended } = endSnooze(state, 'all', AT);
    expect(ended).toEqual(['volume', 'queue']);
    expect(after.snoozes?.old).toEqual(over);
    expect(after.snoozeLog).toEqual(log.map((entry) => ({ ...entry, until: AT.toISOString() })));
    expect(endSnooze(withSnoozes({ volume: running }), 'all', AT).state.snoozeLog).toEqual([]);
    expect(endSnooze(state, 'old', AT)).toEqual({ state, ended: [] });
    expect(endSnooze(emptyAlertState(), 'all', AT)).toEqual({ state: emptyAlertState(), ended: [] });
  });

  it('clears an ended snooze once its notice went out, but not one set again since', () => {
    const ended = until('2025-11-12T03:00:00.000Z');
    const state = withSnoozes({ volume: ended, queue: until('2025-11-12T09:00:00.000Z') });
    const ends = endedSnoozes(state, [], AT);
    expect(clearEndedSnoozes(state, ends).snoozes).toEqual({ queue: until('2025-11-12T09:00:00.000Z') });
    const setAgain = withSnoozes({ volume: until('2025-11-12T08:00:00.000Z') });
    expect(clearEndedSnoozes(setAgain, ends).snoozes).toEqual(setAgain.snoozes);
    const endedSince = withSnoozes({ queue: until('2025-11-12T09:00:00.000Z') });
    expect(clearEndedSnoozes(endedSince, ends).snoozes).toEqual(endedSince.snoozes);
    expect(clearEndedSnoozes(state, [])).toBe(state);
    expect(clearEndedSnoozes(emptyAlertState(), ends)).toEqual(emptyAlertState());
  });
});

describe("a `snooze all` and the monitor's health it held", () => {
  const snooze = { at: '2025-11-12T01:00:00.000Z', until: '2025-11-12T03:00:00.000Z' };
  const spell = (since: string, until?: string) => ({ since, ...(until === undefined ? {} : { until }) });
  const inside = spell('2025-11-12T01:30:00.000Z', '2025-11-12T02:00:00.000Z');
  const ongoing = spell('2025-11-12T00:00:00.000Z');
  const state: AlertState = {
    ...emptyAlertState(),
    monitorLog: [
      spell('2025-11-12T00:00:00.000Z', '2025-11-12T01:00:00.000Z'),
      inside,
      spell('2025-11-12T03:00:00.000Z', '2025-11-12T04:00:00.000Z'),
      ongoing,
    ],
    snoozeLog: [
      { target: 'all', ...snooze, reason: 'maintenance' },
      { target: 'volume', ...snooze },
      { target: 'all', at: '2025-11-12T05:00:00.000Z', until: '2025-11-12T06:00:00.000Z' },
    ],
  };

  it('finds the degraded spells that overlapped the snooze, not those that ended as it began or began as it ended', () => {
    expect(monitorSpellsUnder(state, snooze)).toEqual([inside, ongoing]);
    expect(monitorSpellsUnder(emptyAlertState(), snooze)).toEqual([]);
  });

  it('lists the `snooze all` entries overlapping a period that held a spell, without their target', () => {
    const held = heldMonitorHealth(state, new Date('2025-11-12T00:00:00Z'), new Date('2025-11-13T00:00:00Z'));
    expect(held).toEqual([
      { snooze: { ...snooze, reason: 'maintenance' }, spells: [inside, ongoing] },
      { snooze: { at: '2025-11-12T05:00:00.000Z', until: '2025-11-12T06:00:00.000Z' }, spells: [ongoing] },
    ]);
    // A period that begins as the snooze ends, or ends as it begins, does not overlap it.
    expect(heldMonitorHealth(state, new Date(snooze.until), new Date('2025-11-12T04:00:00Z'))).toEqual([]);
    expect(heldMonitorHealth(state, new Date('2025-11-11T00:00:00Z'), new Date(snooze.at))).toEqual([]);
    const quiet = { ...state, monitorLog: [] };
    expect(
      heldMonitorHealth(quiet, new Date('2025-11-12T00:00:00Z'), new Date('2025-11-13T00:00:00Z')),
    ).toEqual([]);
    expect(heldMonitorHealth(emptyAlertState(), new Date(0), new Date())).toEqual([]);
  });

  it("lists those spells with a digest day's snooze of all rules, and none with a rule's own snooze", () => {
    const listed = snoozesOn(state, [rule({ id: 'volume', title: 'Call volume' })], '2025-11-12', TIME_ZONE);
    expect(listed).toEqual([
      { title: 'all rules', ...snooze, reason: 'maintenance', monitorDegraded: [inside, ongoing] },
      { title: 'Call volume', ...snooze },
      {
        title: 'all rules',
        at: '2025-11-12T05:00:00.000Z',
        until: '2025-11-12T06:00:00.000Z',
        monitorDegraded: [ongoing],
      },
    ]);
  });
});

describe('snooze times and durations as people write them', () => {
  it('shows an instant as the local minute', () => {
    expect(localMinute('2025-11-12T09:00:59.999Z', TIME_ZONE)).toBe('2025-11-12 16:00');
    expect(localMinute(new Date('2025-11-12T17:30:00Z'), TIME_ZONE)).toBe('2025-11-13 00:30');
  });

  it.each([
    [0, '0 min'],
    [-60_000, '0 min'],
    [29_999, '0 min'],
    [30_000, '1 min'],
    [45 * 60_000, '45 min'],
    [59 * 60_000, '59 min'],
    [60 * 60_000, '1 h'],
    [120 * 60_000, '2 h'],
    [90 * 60_000, '1 h 30 min'],
    [25 * 60 * 60_000 + 60_000, '25 h 1 min'],
  ])('formats %i ms as "%s"', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });

  it.each([
    ['2h', 2 * 3_600_000],
    ['90m', 90 * 60_000],
    ['1h30m', 90 * 60_000],
    ['1d', 86_400_000],
    ['1d2h3m', 86_400_000 + 2 * 3_600_000 + 3 * 60_000],
    [' 2h ', 2 * 3_600_000],
    ['12h', 12 * 3_600_000],
    ['14d', 14 * 86_400_000],
    ['120m', 120 * 60_000],
  ])('reads "%s" as %i ms', (text, ms) => {
    expect(parseSnoozeDuration(text)).toBe(ms);
  });

  it.each(['', '  ', '0m', '0h0m', '2x', 'h', '2h 30m', '30m2h', '-2h', '1.5h'])('refuses "%s"', (text) => {
    expect(parseSnoozeDuration(text)).toBeUndefined();
  });
});
