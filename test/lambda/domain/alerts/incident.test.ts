import { describe, expect, it } from 'vitest';
import {
  findIncident,
  INCIDENT_LIMIT,
  INCIDENT_NOTE_MAX,
  INCIDENT_NOTES_LIMIT,
  IncidentAcknowledgementSchema,
  IncidentMemberSchema,
  MONITOR_MEMBER,
  retainIncidents,
  type SlackIncident,
  SlackIncidentSchema,
} from '../../../../lambda/domain/alerts/incident';

const CHANNEL = 'C0123456789';

const incident = (ts: string, overrides: Partial<SlackIncident> = {}): SlackIncident => ({
  channel: CHANNEL,
  ts,
  openedAt: '2025-11-12T01:00:00.000Z',
  members: [{ id: 'volume', firedAt: '2025-11-12T01:00:00.000Z' }],
  replies: 0,
  supersedes: [],
  ...overrides,
});

describe('SlackIncidentSchema: the incident record as the state document stores it', () => {
  it('reads a stored incident back exactly, every field kept', () => {
    const stored = incident('1762909200.000100', {
      members: [
        { id: 'volume', firedAt: '2025-11-12T01:00:00.000Z' },
        { id: MONITOR_MEMBER, firedAt: '2025-11-12T00:45:00+07:00' },
      ],
      severity: 'crit',
      replies: 3,
      supersedes: [{ channel: 'C0999', ts: '1762900000.000100' }],
      acknowledged: { by: 'U123', at: '2025-11-12T02:00:00Z' },
      notes: [{ text: 'Snoozed by U123 until 16:00', at: '2025-11-12T02:10:00.000Z' }],
      notesClaim: { runId: 'run-1', at: '2025-11-12T02:11:00.000Z' },
      closedAt: '2025-11-12T04:00:00.000Z',
    });
    expect(SlackIncidentSchema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('reads a record written before replies and superseded heads were kept as none of either', () => {
    const { replies: _replies, supersedes: _supersedes, ...older } = incident('1762909200.000100');
    expect(SlackIncidentSchema.parse(older)).toEqual({ ...older, replies: 0, supersedes: [] });
  });

  it('refuses a record that is not one: a negative or fractional reply count, a time that is not an instant', () => {
    const good = incident('1762909200.000100');
    expect(SlackIncidentSchema.safeParse({ ...good, replies: -1 }).success).toBe(false);
    expect(SlackIncidentSchema.safeParse({ ...good, replies: 1.5 }).success).toBe(false);
    expect(SlackIncidentSchema.safeParse({ ...good, openedAt: '12 Nov 2025' }).success).toBe(false);
    expect(SlackIncidentSchema.safeParse({ ...good, severity: 'info' }).success).toBe(false);
    const note = { text: 'Snoozed', at: '2025-11-12T02:10:00.000Z' };
    expect(SlackIncidentSchema.safeParse({ ...good, notes: [{ ...note, at: 'soon' }] }).success).toBe(false);
    const long = { ...note, text: 'x'.repeat(INCIDENT_NOTE_MAX + 1) };
    expect(SlackIncidentSchema.safeParse({ ...good, notes: [long] }).success).toBe(false);
    const many = Array.from({ length: INCIDENT_NOTES_LIMIT + 1 }, () => note);
    expect(SlackIncidentSchema.safeParse({ ...good, notes: many }).success).toBe(false);
    expect(IncidentMemberSchema.safeParse({ id: 'volume', firedAt: '2025-11-12' }).success).toBe(false);
    expect(IncidentAcknowledgementSchema.safeParse({ by: 'U123' }).success).toBe(false);
  });

  it('accepts instants with an offset, as the record may hold a time written in local time', () => {
    const member = { id: 'volume', firedAt: '2025-11-12T08:00:00+07:00' };
    expect(IncidentMemberSchema.parse(member)).toEqual(member);
  });

  it("stores the monitor's degraded spell under the member id 'monitor'", () => {
    expect(MONITOR_MEMBER).toBe('monitor');
  });
});

describe('findIncident: what a clicked message is to the incident record', () => {
  const open = incident('1762909200.000300', {
    supersedes: [
      { channel: CHANNEL, ts: '1762909200.000100' },
      { channel: CHANNEL, ts: '1762909200.000200' },
    ],
  });
  const closed = incident('1762800000.000100', { closedAt: '2025-11-11T04:00:00.000Z' });
  const record = { incident: open, incidents: [closed] };

  it('finds the open incident by its head, and a closed one kept in the record by its head', () => {
    expect(findIncident(record, CHANNEL, open.ts)).toEqual({ status: 'open', incident: open });
    expect(findIncident(record, CHANNEL, closed.ts)).toEqual({ status: 'closed', incident: closed });
  });

  it('says a head replaced by a fresh one is superseded, whichever of the earlier heads was clicked', () => {
    expect(findIncident(record, CHANNEL, '1762909200.000100')).toEqual({
      status: 'superseded',
      incident: open,
    });
    expect(findIncident(record, CHANNEL, '1762909200.000200')).toEqual({
      status: 'superseded',
      incident: open,
    });
  });

  it('knows nothing of another message, or of the same ts in another channel', () => {
    expect(findIncident(record, CHANNEL, '1762909200.000999')).toEqual({ status: 'unknown' });
    expect(findIncident(record, 'C0OTHER', open.ts)).toEqual({ status: 'unknown' });
    expect(findIncident(record, 'C0OTHER', '1762909200.000100')).toEqual({ status: 'unknown' });
    expect(findIncident({}, CHANNEL, open.ts)).toEqual({ status: 'unknown' });
  });

  it('finds a closed incident when no incident is open', () => {
    expect(findIncident({ incidents: [closed] }, CHANNEL, closed.ts)).toEqual({
      status: 'closed',
      incident: closed,
    });
  });
});

describe('retainIncidents: the closed incidents a record keeps', () => {
  const at = new Date('2025-11-30T00:00:00.000Z');

  it('keeps those closed within 15 days, the boundary included, and drops older ones', () => {
    const kept = incident('1.1', { closedAt: '2025-11-15T00:00:00.000Z' });
    const dropped = incident('1.2', { closedAt: '2025-11-14T23:59:59.999Z' });
    const recent = incident('1.3', { closedAt: '2025-11-29T00:00:00.000Z' });
    expect(retainIncidents([dropped, kept, recent], at)).toEqual([kept, recent]);
  });

  it('judges an incident without a closing time by when it opened', () => {
    const old = incident('1.1', { openedAt: '2025-11-01T00:00:00.000Z' });
    const young = incident('1.2', { openedAt: '2025-11-20T00:00:00.000Z' });
    expect(retainIncidents([old, young], at)).toEqual([young]);
  });

  it('keeps at most 200, the newest', () => {
    const many = Array.from({ length: INCIDENT_LIMIT + 2 }, (_, index) =>
      incident(`1.${index}`, { closedAt: '2025-11-29T00:00:00.000Z' }),
    );
    const kept = retainIncidents(many, at);
    expect(kept).toHaveLength(200);
    expect(kept[0]).toBe(many[2]);
    expect(kept.at(-1)).toBe(many.at(-1));
  });
});
