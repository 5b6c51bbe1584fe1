import { describe, expect, it } from 'vitest';
import type { Episode } from '../../../../lambda/domain/alerts/episode';
import type { SlackIncident } from '../../../../lambda/domain/alerts/incident';
import { alertEpisodeRecords, mergeEpisodeRecords } from '../../../../lambda/domain/curated/alert-episodes';
import { TABLE_COLUMNS } from '../../../../lambda/domain/curated/curated-tables';
import { rates, rule, simulate } from '../alerts/alert-test-helpers';

const ZONE = 'Asia/Jakarta';

/** A fired and resolved episode, as the checks record it. */
const closed: Episode = {
  ruleId: 'transfer-success',
  condition: 'threshold',
  began: '2025-11-11T16:45:00.000Z', // 23:45 in Jakarta, the 11th
  firedAt: '2025-11-11T17:15:00.000Z', // 00:15 on the 12th
  severity: 'warn',
  peak: { severity: 'crit', at: '2025-11-11T17:30:00.000Z' },
  easedAt: '2025-11-11T17:45:00.000Z',
  worst: { value: 0.31, at: '2025-11-11T17:30:00.000Z' },
  reminders: 1,
  notified: [
    { kind: 'fired', key: 'k1', at: '2025-11-11T17:15:01.000Z', severity: 'warn', value: 0.5 },
    { kind: 'escalated', key: 'k2', at: '2025-11-11T17:30:01.000Z', severity: 'crit', value: 0.31 },
  ],
  ended: '2025-11-11T18:00:00.000Z',
  resolvedAt: '2025-11-11T18:30:00.000Z',
  resolvedValue: 0.7,
};

describe('alertEpisodeRecords', () => {
  it('gives one record per fired episode under the local date its condition began, every column set', () => {
    // Act
    const byDate = alertEpisodeRecords([closed], [rule()], ZONE);
    // Assess
    expect([...byDate.keys()]).toEqual(['2025-11-11']);
    const [record] = byDate.get('2025-11-11') ?? [];
    expect(Object.keys(record ?? {})).toEqual(TABLE_COLUMNS.alert_episodes.map((column) => column.name));
    expect(record).toEqual({
      date: '2025-11-11',
      time_zone: ZONE,
      rule_id: 'transfer-success',
      rule_title: 'Transfer success rate',
      condition: 'threshold',
      began: '2025-11-11T16:45:00.000Z',
      fired_at: '2025-11-11T17:15:00.000Z',
      ended: '2025-11-11T18:00:00.000Z',
      resolved_at: '2025-11-11T18:30:00.000Z',
      minutes_breaching: 75,
      minutes_to_resolve: 75,
      peak_severity: 'crit',
      peak_at: '2025-11-11T17:30:00.000Z',
      worst_value: 0.31,
      worst_at: '2025-11-11T17:30:00.000Z',
      messages: 2,
      reminders: 1,
      acknowledged_by: null,
      acknowledged_at: null,
    });
  });

  it('leaves out an episode that never fired, and keeps an open one with no end', () => {
    // Prepare
    const pendingOnly: Episode = {
      ruleId: 'x',
      condition: 'threshold',
      began: closed.began,
      worst: null,
      reminders: 0,
      notified: [],
    };
    const { ended: _e, resolvedAt: _r, resolvedValue: _v, ...open } = closed;
    // Act
    const records = alertEpisodeRecords([pendingOnly, open], [], ZONE).get('2025-11-11') ?? [];
    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      rule_id: 'transfer-success',
      rule_title: null,
      ended: null,
      resolved_at: null,
      minutes_breaching: null,
      minutes_to_resolve: null,
    });
  });

  it('records what a simulated day of checks recorded: fired, escalated, resolved', () => {
    // Prepare: a rate that sinks below warn, then crit, then recovers, checked every 15 minutes
    const { state } = simulate([rule()], rates(0.7, 0.5, 0.5, 0.3, 0.3, 0.7, 0.7, 0.7), {
      start: new Date('2025-11-12T02:00:00Z'),
      timeZone: ZONE,
      everyMinutes: 15,
    });
    // Act
    const records = [...alertEpisodeRecords(state.episodes, [rule()], ZONE).values()].flat();
    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      rule_id: 'transfer-success',
      began: '2025-11-12T02:15:00.000Z',
      peak_severity: 'crit',
      worst_value: 0.3,
      ended: expect.any(String),
    });
  });
});

describe('alertEpisodeRecords: who acknowledged (Slack app mode)', () => {
  const incident = (members: SlackIncident['members'], acknowledged?: SlackIncident['acknowledged']) =>
    ({
      channel: 'C0ALERTS00',
      ts: '1762880101.000100',
      openedAt: '2025-11-11T17:15:00.000Z',
      members,
      replies: 2,
      supersedes: [],
      ...(acknowledged === undefined ? {} : { acknowledged }),
    }) satisfies SlackIncident;
  const amira = { by: 'U0AMIRA00', at: '2025-11-11T17:27:00.000Z' };
  const columns = (incidents: readonly SlackIncident[], episodes: readonly Episode[] = [closed]) =>
    [...alertEpisodeRecords(episodes, [rule()], ZONE, incidents).values()]
      .flat()
      .map((record) => [record.rule_id, record.acknowledged_by, record.acknowledged_at]);

  it('fills acknowledged_by and _at from the incident the episode belongs to', () => {
    const acknowledged = incident([{ id: 'transfer-success', firedAt: closed.firedAt ?? '' }], amira);
    expect(columns([acknowledged])).toEqual([['transfer-success', 'U0AMIRA00', '2025-11-11T17:27:00.000Z']]);
  });

  it('leaves them null when the incident was not acknowledged, or holds another episode of the rule', () => {
    expect(columns([incident([{ id: 'transfer-success', firedAt: closed.firedAt ?? '' }])])).toEqual([
      ['transfer-success', null, null],
    ]);
    expect(
      columns([incident([{ id: 'transfer-success', firedAt: '2025-11-10T01:00:00.000Z' }], amira)]),
    ).toEqual([['transfer-success', null, null]]);
    expect(columns([])).toEqual([['transfer-success', null, null]]);
  });

  it('does not credit an alert that joined the incident after it was acknowledged', () => {
    // Prepare: a second rule fires at 17:45, after Amira acknowledged at 17:27
    const joined: Episode = { ...closed, ruleId: 'late-joiner', firedAt: '2025-11-11T17:45:00.000Z' };
    const both = incident(
      [
        { id: 'transfer-success', firedAt: closed.firedAt ?? '' },
        { id: 'late-joiner', firedAt: '2025-11-11T17:45:00.000Z' },
      ],
      amira,
    );
    // Act / Assess
    expect(columns([both], [closed, joined])).toEqual([
      ['late-joiner', null, null],
      ['transfer-success', 'U0AMIRA00', '2025-11-11T17:27:00.000Z'],
    ]);
  });
});

describe('mergeEpisodeRecords', () => {
  it('keeps records the state has dropped, replaces the ones it has again, adds new ones, in time order', () => {
    const record = (rule_id: string, began: string, ended: string | null) => ({ rule_id, began, ended });
    const merged = mergeEpisodeRecords(
      [record('a', 'T1', null), record('b', 'T0', 'T2')],
      [record('a', 'T1', 'T3'), record('c', 'T4', null)],
    );
    expect(merged).toEqual([record('b', 'T0', 'T2'), record('a', 'T1', 'T3'), record('c', 'T4', null)]);
  });
});
