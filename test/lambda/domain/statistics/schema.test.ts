import { describe, expect, it } from 'vitest';
import { parseStatistics } from '../../../../lambda/domain/statistics/schema';
import { encodeJson, fixtureBytes, fixtureJson } from '../../../helpers/fixtures';

const example = () => fixtureJson('statistics-example.json');

/** Changes the example, then expects it invalid with an issue at `path` and `message` in the error. */
function expectInvalid(change: (body: any) => unknown, path: string, message: string | RegExp) {
  const body = example();
  change(body);
  const parsed = parseStatistics(encodeJson(body));
  expect(parsed.verdict).toBe('invalid');
  if (parsed.verdict === 'valid') return;
  expect(parsed.error.issues.map((issue) => issue.path)).toContain(path);
  expect(parsed.error.message).toMatch(message);
}

describe('parseStatistics', () => {
  it('accepts the documented example kept in test/fixtures', () => {
    // Prepare: the repository's own copy; nothing outside the clone is read
    const bytes = fixtureBytes('statistics-example.json');
    // Act
    const parsed = parseStatistics(bytes);
    // Assess
    expect(parsed.verdict).toBe('valid');
    if (parsed.verdict !== 'valid') return;
    expect(parsed.value.data.realtime?.total?.total_calls).toBe(892);
    expect(parsed.value.data.realtime?.hourly?.data_list).toHaveLength(2);
    expect(parsed.value.data.offline?.daily?.data_list[2]?.one_call_problem_solve_rate).toBe(0.3786);
  });

  it('accepts numbers sent as strings and gives them back as numbers', () => {
    const body = example();
    body.data.realtime.total.total_calls = '901';
    body.data.realtime.hourly.data_list[0].transfer_success_rate = '0.9333';
    body.code = '200';
    const parsed = parseStatistics(encodeJson(body));
    expect(parsed.verdict).toBe('valid');
    if (parsed.verdict !== 'valid') return;
    expect(parsed.value.data.realtime?.total?.total_calls).toBe(901);
    expect(parsed.value.data.realtime?.hourly?.data_list[0]?.transfer_success_rate).toBe(0.9333);
    expect(parsed.value.code).toBe(200);
  });

  it('keeps unknown keys at every level', () => {
    const body = example();
    body.new_top = 1;
    body.data.realtime.total.brand_new_metric = 0.5;
    body.data.offline.daily.data_list[0].extra = { nested: true };
    const parsed = parseStatistics(encodeJson(body));
    expect(parsed.verdict).toBe('valid');
    if (parsed.verdict !== 'valid') return;
    expect(parsed.value).toMatchObject({ new_top: 1 });
    expect(parsed.value.data.realtime?.total).toMatchObject({ brand_new_metric: 0.5 });
    expect(parsed.value.data.offline?.daily?.data_list[0]).toMatchObject({ extra: { nested: true } });
  });

  it.each([
    ['offline section missing', (b: any) => delete b.data.offline],
    ['realtime hourly missing', (b: any) => delete b.data.realtime.hourly],
    ['null where a number was expected', (b: any) => (b.data.realtime.total.agent_reception_rate = null)],
    ['null data_list', (b: any) => (b.data.offline.hourly.data_list = null)],
    ['a whole section null', (b: any) => (b.data.realtime = null)],
  ])('tolerates %s', (_name, change) => {
    const body = example();
    change(body);
    expect(parseStatistics(encodeJson(body)).verdict).toBe('valid');
  });

  it.each([
    [
      'a count that is not a number',
      (b: any) => (b.data.realtime.total.total_calls = 'lots'),
      'data.realtime.total.total_calls',
    ],
    [
      'a row without its date',
      (b: any) => delete b.data.realtime.daily.data_list[1].date,
      'data.realtime.daily.data_list[1].date',
    ],
    ['data that is not an object', (b: any) => (b.data = []), 'data'],
    ['a missing body code', (b: any) => delete b.code, 'code'],
    [
      'a distribution value that is text',
      (b: any) => (b.data.realtime.total.story_distribution.complain = 'many'),
      'data.realtime.total.story_distribution.complain',
    ],
  ])('rejects %s and names the path', (_name, change, path) => expectInvalid(change, path, path));

  it.each([
    [
      'a negative call count',
      (b: any) => (b.data.realtime.total.total_calls = -3611),
      'data.realtime.total.total_calls',
      /-3611 is negative: a count cannot be/,
    ],
    [
      'a negative count sent as a string',
      (b: any) => (b.data.realtime.hourly.data_list[0].valid_calls = '-2'),
      'data.realtime.hourly.data_list[0].valid_calls',
      /-2 is negative/,
    ],
    [
      'a rate above 1',
      (b: any) => (b.data.realtime.total.transfer_success_rate = 1.2),
      'data.realtime.total.transfer_success_rate',
      /1\.2 is outside 0–1/,
    ],
    [
      'a negative rate in an offline row',
      (b: any) => (b.data.offline.daily.data_list[0].one_call_problem_solve_rate = -0.1),
      'data.offline.daily.data_list[0].one_call_problem_solve_rate',
      /-0\.1 is outside 0–1/,
    ],
    [
      'more successful transfers than attempts',
      (b: any) => {
        b.data.realtime.daily.data_list[0].attempted_transfer_calls = 10;
        b.data.realtime.daily.data_list[0].transfer_success_calls = 11;
      },
      'data.realtime.daily.data_list[0].transfer_success_calls',
      /11 successful transfers exceed the 10 attempted/,
    ],
    [
      'a satisfied rate of 700% inside satisfied_distribution',
      (b: any) => (b.data.realtime.daily.data_list[0].satisfied_distribution.robot_satisfied_rate = 7),
      'data.realtime.daily.data_list[0].satisfied_distribution.robot_satisfied_rate',
      /7 is outside 0–1/,
    ],
    [
      'a negative rating count inside satisfied_distribution',
      (b: any) => (b.data.realtime.daily.data_list[0].satisfied_distribution['5'] = -30),
      'data.realtime.daily.data_list[0].satisfied_distribution.5',
      /-30 is negative/,
    ],
    [
      'more valid calls than calls',
      (b: any) => (b.data.realtime.total.valid_calls = 893),
      'data.realtime.total.valid_calls',
      /893 valid calls exceed the 892 calls/,
    ],
    [
      'more attempted transfers than calls in an hour',
      (b: any) => {
        b.data.realtime.hourly.data_list[1].valid_calls = 10;
        b.data.realtime.hourly.data_list[1].total_calls = 10;
        b.data.realtime.hourly.data_list[1].attempted_transfer_calls = 12;
        b.data.realtime.hourly.data_list[1].transfer_success_calls = 1;
      },
      'data.realtime.hourly.data_list[1].attempted_transfer_calls',
      /12 attempted transfers exceed the 10 calls/,
    ],
    [
      'more valid users than users',
      (b: any) => (b.data.realtime.total.valid_users = 2199),
      'data.realtime.total.valid_users',
      /2199 valid users exceed the 2198 users/,
    ],
    [
      'a negative distribution count',
      (b: any) => (b.data.realtime.total.story_distribution.complain = -1),
      'data.realtime.total.story_distribution.complain',
      /-1 is negative/,
    ],
    [
      'a negative peak concurrency',
      (b: any) => (b.data.offline.daily.data_list[1].max_concurrent_call_count = -4),
      'data.offline.daily.data_list[1].max_concurrent_call_count',
      /-4 is negative/,
    ],
  ])('rejects the implausible %s as invalid and names the path', (_name, change, path, message) =>
    expectInvalid(change, path, message),
  );

  it('accepts the edges of plausibility: zero counts, rates of exactly 0 and 1, parts equal to their wholes', () => {
    const body = example();
    body.data.realtime.daily.data_list[0].satisfied_distribution.robot_satisfied_rate = 1;
    body.data.realtime.daily.data_list[0].satisfied_distribution['1'] = 0;
    Object.assign(body.data.realtime.total, {
      new_users: 0,
      valid_calls: 892,
      valid_users: 2198,
      transfer_success_rate: 1,
      agent_reception_rate: 0,
      attempted_transfer_calls: 5,
      transfer_success_calls: 5,
    });
    expect(parseStatistics(encodeJson(body)).verdict).toBe('valid');
  });

  it('calls a body that is not JSON malformed', () => {
    const parsed = parseStatistics(Buffer.from('{"code": 200, "data": {'));
    expect(parsed.verdict).toBe('malformed-json');
    if (parsed.verdict === 'valid') return;
    expect(parsed.error.message).toMatch(/not valid JSON/);
  });
});
