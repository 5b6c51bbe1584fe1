import { describe, expect, it } from 'vitest';
import { fieldsIn, unseenMetrics } from '../../../../lambda/domain/alerts/rules-history';
import type { StatisticsResponse } from '../../../../lambda/domain/statistics/schema';
import { rule } from './alert-test-helpers';

/** A response with only the parts `fieldsIn` reads. */
const response = (data: Record<string, unknown>) => ({ data }) as unknown as StatisticsResponse;

describe('fieldsIn', () => {
  it('collects every field path with a value in the totals and the daily and hourly rows, nested ones dotted', () => {
    const seen = fieldsIn(
      response({
        realtime: {
          total: { total_calls: 10, user_distribution: { call_users: 4, gone: null } },
          daily: { data_list: [{ valid_calls: 8 }, null] },
          hourly: { data_list: [{ transfer_success_calls: 1 }] },
        },
        offline: { total: { new_users: 2, empty: undefined }, daily: { data_list: [{ old_users: 1 }] } },
      }),
    );
    expect([...seen].sort()).toEqual([
      'new_users',
      'old_users',
      'total_calls',
      'transfer_success_calls',
      'user_distribution',
      'user_distribution.call_users',
      'valid_calls',
    ]);
  });

  it("reads a section with totals but no daily or hourly rows as its totals' fields", () => {
    const seen = fieldsIn(
      response({
        realtime: { total: { total_calls: 3 }, daily: null },
        offline: { total: { ticket_count: 1 } },
      }),
    );
    expect([...seen].sort()).toEqual(['ticket_count', 'total_calls']);
  });

  it('names a text field once, never the characters in it', () => {
    const seen = fieldsIn(
      response({ offline: { daily: { data_list: [{ date: '2025-11-12', max_concurrent_call_count: 4 }] } } }),
    );
    expect([...seen].sort()).toEqual(['date', 'max_concurrent_call_count']);
  });

  it('adds to the set it is given, and reads a response without sections as no fields', () => {
    const seen = new Set(['earlier']);
    expect(fieldsIn(response({}), seen)).toBe(seen);
    expect([...seen]).toEqual(['earlier']);
  });
});

describe('unseenMetrics', () => {
  const seen = new Set([
    'total_calls',
    'transfer_success_calls',
    'attempted_transfer_calls',
    'hangup_type_distribution',
  ]);

  it('accepts a metric its field or the counts it is derived from give', () => {
    expect(unseenMetrics([rule({ metric: 'total_calls' })], seen)).toEqual([]);
    // transfer_success_rate itself never appeared, its two counts did.
    expect(unseenMetrics([rule({ metric: 'transfer_success_rate' })], seen)).toEqual([]);
    expect(
      unseenMetrics([rule({ metric: { share: { of: 'hangup_type_distribution', key: 'by_user' } } })], seen),
    ).toEqual([]);
  });

  it('names each rule whose metric no field seen gives, with the fields looked for', () => {
    const rules = [
      rule({ id: 'rate', metric: 'transfer_success_rate' }),
      rule({ id: 'plain', metric: 'valid_calls' }),
      rule({ id: 'ratio', metric: { ratio: { numerator: 'valid_calls', denominator: 'total_calls' } } }),
      rule({
        id: 'capacity',
        comparison: 'above',
        warn: 0.8,
        crit: 0.9,
        recovery: 0.7,
        metric: { capacityUtilisation: true },
        scope: 'latest-offline-day',
      }),
    ];
    expect(unseenMetrics(rules, new Set(['total_calls', 'transfer_success_calls']))).toEqual([
      {
        ruleId: 'rate',
        fields: 'transfer_success_rate (or transfer_success_calls + attempted_transfer_calls)',
      },
      { ruleId: 'plain', fields: 'valid_calls' },
      { ruleId: 'ratio', fields: 'valid_calls + total_calls' },
      { ruleId: 'capacity', fields: 'max_concurrent_call_count' },
    ]);
  });

  it('reads a week-on-week metric by the field it compares', () => {
    const weekly = rule({
      id: 'weekly',
      metric: { weekOverWeek: 'valid_calls' },
      scope: 'last-complete-hour',
      warn: -0.3,
      crit: -0.5,
      recovery: -0.1,
    });
    expect(unseenMetrics([weekly], seen)).toEqual([{ ruleId: 'weekly', fields: 'valid_calls' }]);
    expect(unseenMetrics([weekly], new Set(['valid_calls']))).toEqual([]);
  });
});
