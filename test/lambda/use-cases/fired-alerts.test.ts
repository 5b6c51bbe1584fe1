import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../lambda/domain/alerts/rules';
import { type AlertState, emptyAlertState, type Transition } from '../../../lambda/domain/alerts/state';
import { firedAlertsOn } from '../../../lambda/use-cases/fired-alerts';

const ZONE = 'Asia/Jakarta'; // UTC+7
const rules = [
  {
    id: 'transfer',
    title: 'Transfer success rate',
    metric: { kind: 'field', field: 'transfer_success_rate' },
    comparison: 'below',
  },
] as unknown as Rule[];

const step = (at: string, from: Transition['from'], to: Transition['to'], value = 0.5): Transition => ({
  at,
  from,
  to,
  value,
  threshold: 0.75,
});

function stateWith(history: Transition[], ruleId = 'transfer'): AlertState {
  const state = emptyAlertState();
  return {
    ...state,
    rules: {
      [ruleId]: {
        status: 'ok',
        since: '2025-11-11T00:00:00Z',
        pendingCount: 0,
        lastValue: null,
        lastEvaluatedAt: '2025-11-11T00:00:00Z',
        healthyCount: 0,
        history,
      },
    },
  };
}

describe('firedAlertsOn', () => {
  it('lists an episode that started on the local date, with when it resolved, its highest severity and worst value', () => {
    const state = stateWith([
      step('2025-11-11T01:00:00Z', 'ok', 'pending', 0.7),
      step('2025-11-11T02:00:00Z', 'pending', 'firing:warn', 0.6),
      step('2025-11-11T03:00:00Z', 'firing:warn', 'firing:crit', 0.41),
      step('2025-11-11T05:00:00Z', 'firing:crit', 'ok', 0.85),
    ]);
    expect(firedAlertsOn(state, rules, '2025-11-11', ZONE)).toEqual([
      {
        ruleId: 'transfer',
        title: 'Transfer success rate',
        severity: 'crit',
        at: '2025-11-11T02:00:00Z',
        resolvedAt: '2025-11-11T05:00:00Z',
        worst: { value: 0.41, unit: 'rate' },
      },
    ]);
  });

  it('uses the local date, not the UTC date, and leaves an unresolved episode open', () => {
    // 18:30 UTC on the 10th is 01:30 on the 11th in Jakarta
    const state = stateWith([step('2025-11-10T18:30:00Z', 'pending', 'firing:warn')]);
    expect(firedAlertsOn(state, rules, '2025-11-11', ZONE)).toEqual([
      {
        ruleId: 'transfer',
        title: 'Transfer success rate',
        severity: 'warn',
        at: '2025-11-10T18:30:00Z',
        worst: { value: 0.5, unit: 'rate' },
      },
    ]);
    expect(firedAlertsOn(state, rules, '2025-11-10', ZONE)).toEqual([]);
  });

  it('names a rule no longer in the rules file by its id', () => {
    const state = stateWith([step('2025-11-11T02:00:00Z', 'ok', 'firing:crit')], 'removed-rule');
    expect(firedAlertsOn(state, rules, '2025-11-11', ZONE)[0]?.title).toBe('removed-rule');
  });
});
