import { describe, expect, it } from 'vitest';
import { digestFigures } from '../../../../lambda/domain/digest/day-data';
import { DAY, loadResponse, offlineDailyRow, realtimeDailyRow, realtimeTotal } from './digest-test-kit';

const day = () => loadResponse(`day-${DAY}`);

describe('digestFigures', () => {
  it('takes the headline figures of the day from its realtime and offline rows', () => {
    // Act
    const figures = digestFigures(day(), DAY);
    // Assess
    expect(figures.values).toMatchObject({
      totalCalls: 966,
      validCalls: 822,
      users: 723,
      newUsers: 461,
      returningUsers: 262,
      transferSuccessRate: 0.8476,
      oneCallSolveRate: 0.5706,
      evaluationRate: 0.472,
      satisfiedRate: 0.7912,
      averageScore: 4.1108,
      peakConcurrentCalls: 6,
      agentDuration: 85,
    });
    expect(figures.realtimeIn).toBe(true);
    expect(figures.offlineIn).toBe(true);
  });

  it('prefers the realtime daily row to the total', () => {
    const response = day();
    realtimeDailyRow(response).total_calls = 1234;
    const figures = digestFigures(response, DAY);
    expect(figures.values.totalCalls).toBe(1234);
    expect(figures.sources.totalCalls).toBe('realtime-daily');
  });

  it('uses the total for what daily rows lack, when the window is exactly the day', () => {
    const figures = digestFigures(day(), DAY);
    expect(figures.sources.duplicateCallRate).toBe('realtime-total');
    expect(figures.values.duplicateCallRate).toBe(0.2516);
  });

  it('does not use a total that covers more than the day', () => {
    // Prepare: the window runs into the next day, so the total mixes two days.
    const response = day();
    const range = response.data.realtime?.time_range;
    if (!range) throw new Error('fixture has no time_range');
    range.end_time = '2025-11-12 09:00:00';
    // Act
    const figures = digestFigures(response, DAY);
    // Assess
    expect(figures.values.duplicateCallRate).toBeUndefined();
    expect(figures.sources.users).toBe('offline-daily');
    expect(figures.values.totalCalls).toBe(966);
  });

  it('takes one-call solve from the offline row when realtime lacks it', () => {
    const response = day();
    realtimeTotal(response).one_call_problem_solve_rate = null;
    offlineDailyRow(response).one_call_problem_solve_rate = 0.61;
    const figures = digestFigures(response, DAY);
    expect(figures.values.oneCallSolveRate).toBe(0.61);
    expect(figures.sources.oneCallSolveRate).toBe('offline-daily');
  });

  it('derives transfer success from its counts when the rate is missing', () => {
    const response = day();
    realtimeDailyRow(response).transfer_success_rate = null;
    realtimeTotal(response).transfer_success_rate = undefined;
    const figures = digestFigures(response, DAY);
    expect(figures.values.transferSuccessRate).toBe(Math.round((178 / 210) * 10_000) / 10_000);
    expect(figures.sources.transferSuccessRate).toBe('derived');
  });

  it('derives the average score from the 1–5 ratings when no score is published', () => {
    const response = day();
    realtimeTotal(response).avg_robot_score = null;
    realtimeDailyRow(response).satisfied_distribution = { '1': 1, '5': 3, robot_evaluation_rate: 0.5 };
    const figures = digestFigures(response, DAY);
    expect(figures.values.averageScore).toBe(4);
    expect(figures.sources.averageScore).toBe('derived');
  });

  it('derives the evaluation and satisfied rates from the ratings when no rate is published', () => {
    // Prepare: 4 ratings of 822 valid calls, 3 of them 4 or 5.
    const response = day();
    realtimeTotal(response).robot_evaluation_rate = null;
    realtimeTotal(response).robot_satisfied_rate = null;
    realtimeDailyRow(response).satisfied_distribution = { '1': 1, '4': 1, '5': 2 };
    // Act
    const figures = digestFigures(response, DAY);
    // Assess
    expect(figures.values.evaluationRate).toBe(Math.round((4 / 822) * 10_000) / 10_000);
    expect(figures.values.satisfiedRate).toBe(0.75);
    expect(figures.sources.satisfiedRate).toBe('derived');
  });

  it('leaves a rate undefined rather than deriving it from a zero divisor', () => {
    const response = day();
    const row = realtimeDailyRow(response);
    row.transfer_success_rate = null;
    row.attempted_transfer_calls = 0;
    realtimeTotal(response).transfer_success_rate = null;
    expect(digestFigures(response, DAY).values.transferSuccessRate).toBeUndefined();
  });

  it('finds nothing for a date the response does not hold', () => {
    const figures = digestFigures(day(), '2025-11-09');
    expect(figures.realtimeIn).toBe(false);
    expect(figures.offlineIn).toBe(false);
    expect(Object.values(figures.values).every((value) => value === undefined)).toBe(true);
  });
});
