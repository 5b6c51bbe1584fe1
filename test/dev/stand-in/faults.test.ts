import { describe, expect, it } from 'vitest';
import { applyDrift, errorEnvelope, truncateJson } from '../../../dev/stand-in/faults';
import { generateStatisticsBody } from '../../../dev/stand-in/statistics-generator';
import { StatisticsResponseSchema } from '../../../lambda/domain/statistics/schema';

const JSON_BODY = JSON.stringify(
  generateStatisticsBody({
    seed: 1,
    timeZone: 'Asia/Jakarta',
    startTime: '2026-03-02 00:00:00',
    endTime: '2026-03-04 00:00:00',
    now: new Date('2026-03-10T00:00:00Z'),
  }),
);
const drifted = (drift: Parameters<typeof applyDrift>[2]) =>
  JSON.parse(applyDrift('statistics', JSON_BODY, drift));

describe('applyDrift on a statistics body', () => {
  it('numbers-as-strings sends counts and rates as numeric strings the schema still reads', () => {
    const body = drifted('numbers-as-strings');
    expect(typeof body.data.realtime.total.total_calls).toBe('string');
    expect(body.data.realtime.total.transfer_success_rate).toMatch(/^0\.\d+$/);
    expect(typeof body.data.realtime.hourly.data_list[0].total_calls).toBe('string');
    const parsed = StatisticsResponseSchema.parse(body);
    expect(parsed.data.realtime?.total?.total_calls).toBe(Number(body.data.realtime.total.total_calls));
  });

  it('missing-sections drops data.offline and realtime.hourly', () => {
    const body = drifted('missing-sections');
    expect(body.data.offline).toBeUndefined();
    expect(body.data.realtime.hourly).toBeUndefined();
    expect(body.data.realtime.total).toBeDefined();
    expect(StatisticsResponseSchema.safeParse(body).success).toBe(true);
  });

  it('unknown-keys adds new keys at the envelope, data, total and row levels, which the schema keeps', () => {
    const body = drifted('unknown-keys');
    expect(body.trace_id).toBeDefined();
    expect(body.data.x_new_metric).toBeDefined();
    expect(body.data.realtime.total.x_new_metric).toBeDefined();
    expect(body.data.realtime.hourly.data_list[0].x_new_metric).toBeDefined();
    const parsed = StatisticsResponseSchema.parse(body);
    expect(parsed.data.realtime?.total).toHaveProperty('x_new_metric', 7);
  });

  it('nulls puts null where numbers were', () => {
    const body = drifted('nulls');
    expect(body.data.realtime.total.avg_robot_score).toBeNull();
    expect(body.data.realtime.hourly.data_list[0].agent_reception_rate).toBeNull();
    expect(StatisticsResponseSchema.safeParse(body).success).toBe(true);
  });

  it('invalid sends something the schema must reject', () => {
    expect(StatisticsResponseSchema.safeParse(drifted('invalid')).success).toBe(false);
  });
});

describe('applyDrift on an auth body', () => {
  const auth = JSON.stringify({ data: { token: 'abc+/=' }, status: 'OK', code: 200 });

  it.each([
    ['numbers-as-strings', (body: Record<string, unknown>) => expect(body.code).toBe('200')],
    ['missing-sections', (body: Record<string, unknown>) => expect(body.data).toBeUndefined()],
    ['nulls', (body: Record<string, unknown>) => expect(body.data).toEqual({ token: null })],
    ['invalid', (body: Record<string, unknown>) => expect(typeof body.data).toBe('string')],
  ] as const)('%s changes the token answer', (drift, check) => {
    check(JSON.parse(applyDrift('auth', auth, drift)));
  });
});

describe('fault bodies', () => {
  it('truncates JSON into text that no longer parses', () => {
    expect(() => JSON.parse(truncateJson(JSON_BODY))).toThrow(SyntaxError);
    expect(() => JSON.parse(truncateJson('{"a":1}'))).toThrow(SyntaxError);
  });

  it('writes error envelopes with the code, its status word and a message', () => {
    expect(JSON.parse(errorEnvelope(429, 'slow down'))).toEqual({
      code: 429,
      status: 'Too Many Requests',
      message: 'slow down',
    });
  });
});
