import { describe, expect, it } from 'vitest';
import {
  acknowledgeIncident,
  acknowledgementHolding,
  acknowledgementOf,
  acknowledgementSpanMs,
  holdingAcknowledgement,
} from '../../../../lambda/domain/alerts/acknowledgement';
import { type Episode, openEpisode } from '../../../../lambda/domain/alerts/episode';
import type { SlackIncident } from '../../../../lambda/domain/alerts/incident';
import type { Notification } from '../../../../lambda/domain/alerts/notify';
import { type AlertState, emptyAlertState } from '../../../../lambda/domain/alerts/state';

const FIRED_AT = '2025-11-12T01:00:00.000Z';
const ACKNOWLEDGED = { by: 'U123', at: '2025-11-12T02:00:00.000Z' };
const ACK_MS = Date.parse(ACKNOWLEDGED.at);
const HOUR = 3_600_000;
const sinceAck = (ms: number) => new Date(ACK_MS + ms);

/** A fired episode of `ruleId` that reached `severity` at `peakAt`. */
const fired = (
  ruleId: string,
  peakAt = FIRED_AT,
  firedAt = FIRED_AT,
  severity = 'warn' as const,
): Episode => ({
  ...openEpisode(ruleId, 'threshold', firedAt, null),
  firedAt,
  severity,
  peak: { severity, at: peakAt },
});

const incident = (overrides: Partial<SlackIncident> = {}): SlackIncident => ({
  channel: 'C0123456789',
  ts: '1762909200.000100',
  openedAt: FIRED_AT,
  members: [
    { id: 'transfer-success', firedAt: FIRED_AT },
    { id: 'volume', firedAt: FIRED_AT },
  ],
  replies: 0,
  supersedes: [],
  acknowledged: ACKNOWLEDGED,
  ...overrides,
});

const stateWith = (episodes: Episode[], open: SlackIncident | null = incident()): AlertState => ({
  ...emptyAlertState(),
  episodes,
  ...(open === null ? {} : { incident: open }),
});

const calm = () => stateWith([fired('transfer-success'), fired('volume')]);

const reminder = (ruleId = 'volume', firedAt = FIRED_AT) =>
  ({ kind: 'repeat', key: `${ruleId}:repeat`, ruleId, firedAt }) as Notification;

describe('acknowledgementSpanMs', () => {
  it('is four reminder cadences: 4 h for the default hourly reminders, 2 h for half-hourly ones', () => {
    expect(acknowledgementSpanMs()).toBe(4 * HOUR);
    expect(acknowledgementSpanMs({ everyMinutes: 30, backoff: 2, maxEveryMinutes: 480 })).toBe(2 * HOUR);
  });
});

describe('acknowledgementOf', () => {
  it('holds from the acknowledgement until just before four cadences have passed, then reminders resume', () => {
    expect(acknowledgementOf(calm(), incident(), sinceAck(0))).toEqual(ACKNOWLEDGED);
    expect(acknowledgementOf(calm(), incident(), sinceAck(4 * HOUR - 1))).toEqual(ACKNOWLEDGED);
    expect(acknowledgementOf(calm(), incident(), sinceAck(4 * HOUR))).toBeUndefined();
    const halfHourly = { everyMinutes: 30, backoff: 2, maxEveryMinutes: 480 };
    expect(acknowledgementOf(calm(), incident(), sinceAck(2 * HOUR - 1), halfHourly)).toEqual(ACKNOWLEDGED);
    expect(acknowledgementOf(calm(), incident(), sinceAck(2 * HOUR), halfHourly)).toBeUndefined();
  });

  it('holds nothing for an incident nobody acknowledged, or one that has closed', () => {
    const { acknowledged: _none, ...unacknowledged } = incident();
    expect(acknowledgementOf(calm(), unacknowledged, sinceAck(HOUR))).toBeUndefined();
    const closed = incident({ closedAt: '2025-11-12T02:30:00.000Z' });
    expect(acknowledgementOf(calm(), closed, sinceAck(HOUR))).toBeUndefined();
  });

  it('ends when any one member reached its peak after the acknowledgement (escalated or joined)', () => {
    const escalated = stateWith([fired('transfer-success'), fired('volume', '2025-11-12T02:30:00.000Z')]);
    expect(acknowledgementOf(escalated, incident(), sinceAck(HOUR))).toBeUndefined();
    const firstEscalated = stateWith([
      fired('transfer-success', '2025-11-12T02:00:00.001Z'),
      fired('volume'),
    ]);
    expect(acknowledgementOf(firstEscalated, incident(), sinceAck(HOUR))).toBeUndefined();
  });

  it('still holds when the peak came at the very moment of the acknowledgement: that is what was acknowledged', () => {
    const atOnce = stateWith([fired('transfer-success'), fired('volume', ACKNOWLEDGED.at)]);
    expect(acknowledgementOf(atOnce, incident(), sinceAck(HOUR))).toEqual(ACKNOWLEDGED);
  });

  it('is not ended by episodes outside the incident: another rule, or a later episode of a member not yet joined', () => {
    const later = '2025-11-12T03:00:00.000Z';
    const state = stateWith([
      fired('transfer-success'),
      fired('volume'),
      fired('queue-time', later, later),
      fired('volume', later, later),
    ]);
    expect(acknowledgementOf(state, incident(), sinceAck(2 * HOUR))).toEqual(ACKNOWLEDGED);
  });

  it('is not ended by a rule outside the incident that fired at the same run (held, never announced)', () => {
    const heldBack = fired('queue-time', '2025-11-12T03:00:00.000Z');
    const state = stateWith([heldBack, fired('transfer-success'), fired('volume')]);
    expect(acknowledgementOf(state, incident(), sinceAck(2 * HOUR))).toEqual(ACKNOWLEDGED);
  });

  it('is not ended by an episode of a member that is still pending (it has no peak yet)', () => {
    const pending = openEpisode('volume', 'threshold', '2025-11-12T03:00:00.000Z', null);
    const state = stateWith([fired('transfer-success'), fired('volume'), pending]);
    expect(acknowledgementOf(state, incident(), sinceAck(2 * HOUR))).toEqual(ACKNOWLEDGED);
  });
});

describe('holdingAcknowledgement', () => {
  it("is the open incident's acknowledgement while it holds, and nothing without an open incident", () => {
    expect(holdingAcknowledgement(calm(), sinceAck(HOUR))).toEqual(ACKNOWLEDGED);
    expect(holdingAcknowledgement(calm(), sinceAck(4 * HOUR))).toBeUndefined();
    const halfHourly = { everyMinutes: 30, backoff: 2, maxEveryMinutes: 480 };
    expect(holdingAcknowledgement(calm(), sinceAck(3 * HOUR), halfHourly)).toBeUndefined();
    expect(holdingAcknowledgement(stateWith([], null), sinceAck(HOUR))).toBeUndefined();
  });
});

describe('acknowledgementHolding', () => {
  it("holds a reminder of one of the incident's alerts (same rule, same episode)", () => {
    expect(acknowledgementHolding(calm(), reminder('volume'), sinceAck(HOUR))).toEqual(ACKNOWLEDGED);
    expect(acknowledgementHolding(calm(), reminder('transfer-success'), sinceAck(HOUR))).toEqual(
      ACKNOWLEDGED,
    );
  });

  it('never holds news: fired, escalated, eased and resolved go out', () => {
    for (const kind of ['fired', 'escalated', 'de-escalated', 'resolved']) {
      const news = { ...reminder('volume'), kind } as Notification;
      expect(acknowledgementHolding(calm(), news, sinceAck(HOUR))).toBeUndefined();
    }
  });

  it("does not hold a reminder of a rule outside the incident, or of another episode of a member's rule", () => {
    expect(acknowledgementHolding(calm(), reminder('queue-time'), sinceAck(HOUR))).toBeUndefined();
    const otherEpisode = reminder('volume', '2025-11-12T03:00:00.000Z');
    expect(acknowledgementHolding(calm(), otherEpisode, sinceAck(HOUR))).toBeUndefined();
  });

  it('holds nothing without an open incident, nor once the acknowledgement ran out', () => {
    expect(acknowledgementHolding(stateWith([], null), reminder(), sinceAck(HOUR))).toBeUndefined();
    expect(acknowledgementHolding(calm(), reminder(), sinceAck(4 * HOUR))).toBeUndefined();
    const halfHourly = { everyMinutes: 30, backoff: 2, maxEveryMinutes: 480 };
    expect(acknowledgementHolding(calm(), reminder(), sinceAck(3 * HOUR), halfHourly)).toBeUndefined();
  });
});

describe('acknowledgeIncident', () => {
  it('records who acknowledged the open incident and when', () => {
    const { acknowledged: _none, ...unacknowledged } = incident();
    const state = stateWith([fired('volume')], unacknowledged);
    const at = new Date('2025-11-12T02:10:00Z');
    expect(acknowledgeIncident(state, 'U999', at)).toEqual({
      ...state,
      incident: { ...unacknowledged, acknowledged: { by: 'U999', at: '2025-11-12T02:10:00.000Z' } },
    });
  });

  it('keeps the first acknowledgement while it holds: a second click changes nothing', () => {
    expect(acknowledgeIncident(calm(), 'U999', sinceAck(HOUR))).toBeUndefined();
  });

  it('acknowledges anew once the first one ended, by running out or by things getting worse', () => {
    const ranOut = acknowledgeIncident(calm(), 'U999', sinceAck(4 * HOUR));
    expect(ranOut?.incident?.acknowledged).toEqual({ by: 'U999', at: sinceAck(4 * HOUR).toISOString() });
    const halfHourly = { everyMinutes: 30, backoff: 2, maxEveryMinutes: 480 };
    const ranOutSooner = acknowledgeIncident(calm(), 'U999', sinceAck(3 * HOUR), halfHourly);
    expect(ranOutSooner?.incident?.acknowledged?.by).toBe('U999');
    const worse = stateWith([fired('transfer-success'), fired('volume', '2025-11-12T02:30:00.000Z')]);
    expect(acknowledgeIncident(worse, 'U999', sinceAck(HOUR))?.incident?.acknowledged?.by).toBe('U999');
  });

  it('changes nothing without an open incident', () => {
    expect(acknowledgeIncident(stateWith([], null), 'U999', sinceAck(HOUR))).toBeUndefined();
    const closed = incident({ closedAt: '2025-11-12T02:30:00.000Z' });
    expect(acknowledgeIncident(stateWith([], closed), 'U999', sinceAck(HOUR))).toBeUndefined();
  });
});
