import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../lambda/adapters/rules/load-rules';
import { AlertStateSchema, emptyAlertState } from '../../lambda/domain/alerts/state';
import { incidentsOn, incidentsText } from '../../lambda/domain/digest/incidents-section';
import { incidentFigures } from './oracle';

/**
 * The digest's time to acknowledge and time to resolve (Slack app mode), against the oracle's
 * reading of the same alert state bytes: generated incident records (opened on the digest's day or
 * the day before, acknowledged or not, resolved or still open), serialized as the state is stored.
 */

const DATE = '2025-11-11';
const ZONE = 'Asia/Jakarta';
const DAY_START = Date.parse('2025-11-10T17:00:00Z');
const MINUTE = 60_000;

const incident = fc.record({
  openedMinute: fc.integer({ min: -600, max: 24 * 60 - 1 }),
  ackAfterSeconds: fc.option(fc.integer({ min: 0, max: 8 * 3600 }), { nil: undefined }),
  closeAfterMinutes: fc.option(fc.integer({ min: 1, max: 30 * 60 }), { nil: undefined }),
  by: fc.constantFrom('U0AMIRA00', 'U0BAYU000'),
});

describe('incident times in the digest, against the oracle', () => {
  it('shows each incident of the day with the time to acknowledge and to resolve the state bytes give', async () => {
    const { rules } = await loadRules({ rulesFile: undefined });
    fc.assert(
      fc.property(fc.array(incident, { minLength: 1, maxLength: 4 }), (generated) => {
        const records = generated.map((g, index) => {
          const openedAt = new Date(DAY_START + g.openedMinute * MINUTE + index).toISOString();
          const opened = Date.parse(openedAt);
          return {
            channel: 'C0ALERTS00',
            ts: `17628000${index}.000100`,
            openedAt,
            members: [{ id: 'transfer-success-rate', firedAt: openedAt }],
            replies: 0,
            supersedes: [],
            ...(g.ackAfterSeconds === undefined
              ? {}
              : {
                  acknowledged: { by: g.by, at: new Date(opened + g.ackAfterSeconds * 1000).toISOString() },
                }),
            ...(g.closeAfterMinutes === undefined
              ? {}
              : { closedAt: new Date(opened + g.closeAfterMinutes * MINUTE).toISOString() }),
          };
        });
        const open = records.filter((record) => record.closedAt === undefined);
        const closed = records.filter((record) => record.closedAt !== undefined);
        const document = {
          ...emptyAlertState(),
          incidents: closed,
          ...(open[0] ? { incident: open[0] } : {}),
        };
        const bytes = new TextEncoder().encode(JSON.stringify(document));
        const state = AlertStateSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
        const text = incidentsText(incidentsOn(state, rules, DATE, ZONE), DATE, ZONE);
        const expected = incidentFigures(bytes, DATE, ZONE);
        const lines = text.split('\n').slice(1);
        expect(text.split('\n')[0]).toBe(
          `*Incidents* · ${expected.length} (time to acknowledge, time to resolve)`,
        );
        expect(lines).toHaveLength(expected.length);
        expected.forEach((figures, index) => {
          const line = lines[index] ?? '';
          if (figures.opened !== '') expect(line.startsWith(`• ${figures.opened} `)).toBe(true);
          expect(line).toContain(figures.acknowledged);
          expect(line).toContain(figures.resolved);
        });
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
  });
});
