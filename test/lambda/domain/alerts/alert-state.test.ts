import { describe, expect, it } from 'vitest';
import {
  AlertStateError,
  emptyAlertState,
  HISTORY_LIMIT,
  parseAlertState,
} from '../../../../lambda/domain/alerts/alert-state';
import { recordRunFailure } from '../../../../lambda/domain/alerts/monitor-health';
import { EXAMPLE_AT, rates, rule, simulate } from './alert-test-helpers';

describe('alert state document', () => {
  it('round-trips an evaluated state through JSON unchanged', () => {
    // Prepare: firing, notified, with history and a failing monitor
    const { state } = simulate([rule()], rates(0.5, 0.5, 0.3, 0.7, 0.5));
    const withMonitor = recordRunFailure(state, new Date('2025-11-12T09:00:00Z'), 'API down: HTTP 503', 3);
    // Act
    const parsed = parseAlertState(JSON.stringify(withMonitor), 'state.json');
    // Assess
    expect(parsed).toEqual(withMonitor);
  });

  it('accepts the empty state and a claim left by a run delivering a notification', () => {
    const state = emptyAlertState();
    expect(parseAlertState(JSON.stringify(state), 'state.json')).toEqual(state);
    const { state: evaluated } = simulate([rule()], rates(0.5));
    const claimed = structuredClone(evaluated);
    const ruleState = claimed.rules['transfer-success'];
    if (ruleState) ruleState.claim = { runId: 'run-1', at: EXAMPLE_AT.toISOString() };
    expect(
      parseAlertState(JSON.stringify(claimed), 'state.json').rules['transfer-success']?.claim?.runId,
    ).toBe('run-1');
  });

  it.each([
    { name: 'invalid JSON', text: '{', expected: 'state.json: not valid JSON' },
    {
      name: 'a future version',
      text: JSON.stringify({ ...emptyAlertState(), version: 2 }),
      expected: 'version',
    },
    {
      name: 'an unknown status',
      text: JSON.stringify({ ...emptyAlertState(), rules: { a: { status: 'burning' } } }),
      expected: 'rules.a.status',
    },
  ])('rejects $name with an AlertStateError naming the problem', ({ text, expected }) => {
    expect(() => parseAlertState(text, 'state.json')).toThrow(AlertStateError);
    expect(() => parseAlertState(text, 'state.json')).toThrow(expected);
  });

  it(`keeps the last ${HISTORY_LIMIT} transitions of a flapping rule, enough to explain each`, () => {
    // Act: 30 alternations between crit and OK, each a transition
    const values = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.3 : 0.9));
    const { state } = simulate([rule({ pendingRuns: 1 })], rates(...values));
    // Assess
    const history = state.rules['transfer-success']?.history ?? [];
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.at(-1)).toMatchObject({ from: 'firing:crit', to: 'ok', value: 0.9, threshold: 0.65 });
    expect(history.at(-2)).toMatchObject({ from: 'ok', to: 'firing:crit', value: 0.3, threshold: 0.4 });
  });
});
