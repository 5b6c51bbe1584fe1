import { describe, expect, it } from 'vitest';
import { answerIssues, judgeAnswer, parseAnswer } from '../../../../lambda/domain/archive/answer-fit';
import { checkRawObject } from '../../../../lambda/domain/archive/check-raw-object';
import { parseRawKey } from '../../../../lambda/domain/archive/raw-archive';
import { parseStatistics, type StatisticsResponse } from '../../../../lambda/domain/statistics/schema';
import { sha256Hex } from '../../../../lambda/shared/sha256';
import { encodeJson, fixtureJson } from '../../../helpers/fixtures';

const HOUR = { startTime: '2025-11-12 13:30:00', endTime: '2025-11-12 14:30:00' };

/** The example response, covering `start` to `end` as AIRUDDER echoes them. */
function answering(start = HOUR.startTime, end = HOUR.endTime) {
  const json = fixtureJson('statistics-example.json');
  json.request_params = { start_time: start, end_time: end };
  json.data.realtime.time_range = { start_time: start, end_time: end };
  return json;
}
function parsed(json: unknown): StatisticsResponse {
  const result = parseStatistics(encodeJson(json));
  if (result.verdict !== 'valid') throw result.error;
  return result.value;
}

describe('answerIssues', () => {
  it('finds nothing wrong with a response that covers the window asked for and has its total', () => {
    expect(answerIssues(parsed(answering()), { kind: 'window', window: HOUR })).toEqual([]);
  });

  it.each([
    ['no data at all: {"code":200,"data":{}}', { code: 200, data: {} }],
    ['a realtime section without its total', { code: 200, data: { realtime: { daily: null } } }],
    ['a total without total_calls', { code: 200, data: { realtime: { total: { valid_calls: 3 } } } }],
    ['a null realtime section', { code: 200, data: { realtime: null } }],
  ])('calls %s a response without the figures a check needs', (_name, json) => {
    for (const kind of ['check', 'window'] as const)
      expect(answerIssues(parsed(json), { kind, window: HOUR })).toEqual([
        {
          path: 'data.realtime.total.total_calls',
          message: `missing: a ${kind} needs the realtime total of the window it asked for`,
        },
      ]);
  });

  it('names the window a day-so-far answer covers when a 60-minute window was asked for', () => {
    const issues = answerIssues(parsed(answering('2025-11-12 00:00:00')), { kind: 'window', window: HOUR });
    expect(issues).toEqual([
      {
        path: 'data.realtime.time_range',
        message:
          'covers 2025-11-12 00:00:00 to 2025-11-12 14:30:00, not the window asked for (2025-11-12 13:30:00 to 2025-11-12 14:30:00)',
      },
    ]);
  });

  it('falls back to request_params when the realtime section has no time_range', () => {
    const json = answering('2025-11-12 00:00:00');
    delete json.data.realtime.time_range;
    expect(answerIssues(parsed(json), { kind: 'check', window: HOUR }).map((i) => i.path)).toEqual([
      'request_params',
    ]);
  });

  it('accepts an ISO-style echo of the same window, and a response that echoes no window at all', () => {
    const iso = answering('2025-11-12T13:30:00', '2025-11-12T14:30:00.000+07:00');
    expect(answerIssues(parsed(iso), { kind: 'window', window: HOUR })).toEqual([]);
    const silent = answering();
    delete silent.request_params;
    delete silent.data.realtime.time_range;
    expect(answerIssues(parsed(silent), { kind: 'window', window: HOUR })).toEqual([]);
  });

  it.each(['day', 'fetch'] as const)(
    'leaves a %s response to the readers that know how to judge it',
    (kind) => {
      expect(answerIssues(parsed({ code: 200, data: {} }), { kind, window: HOUR })).toEqual([]);
    },
  );
});

describe('judgeAnswer', () => {
  it('turns a valid verdict invalid, with the issues, when the response does not answer', () => {
    const verdict = judgeAnswer(parseStatistics(encodeJson({ code: 200, data: {} })), {
      kind: 'check',
      window: HOUR,
    });
    expect(verdict.verdict).toBe('invalid');
    if (verdict.verdict === 'valid') return;
    expect(verdict.error.name).toBe('UnansweredRequestError');
    expect(verdict.error.message).toMatch(/^Statistics response does not answer the request: data\.realtime/);
  });

  it('keeps a verdict that was not valid as it was', () => {
    const malformed = parseStatistics(Buffer.from('{'));
    expect(judgeAnswer(malformed, { kind: 'check', window: HOUR })).toBe(malformed);
  });
});

describe('verify of a window response that does not answer its key', () => {
  const key = 'raw/window/2025-11-12/20251112T073000Z_20251112T133000_20251112T143000.json';
  const bytes = encodeJson(answering('2025-11-12 00:00:00'));
  const metadata = (verdict: string) => ({
    sha256: sha256Hex(bytes),
    'run-kind': 'window',
    'reference-time': '2025-11-12T07:30:00.000Z',
    'window-start': HOUR.startTime,
    'window-end': HOUR.endTime,
    'time-zone': 'Asia/Jakarta',
    'fetched-at': '2025-11-12T07:30:01.000Z',
    'http-status': '200',
    'schema-verdict': verdict,
    'schema-issues': verdict === 'valid' ? '0' : '1',
  });
  const verify = (verdict: string) =>
    checkRawObject(
      parseRawKey(key)!,
      { bytes, metadata: metadata(verdict), contentType: 'application/json', version: 'v1' },
      sha256Hex(bytes),
      'Asia/Jakarta',
    );

  it('agrees with the invalid verdict recorded when it was archived', () => {
    expect(parseAnswer(bytes, parseRawKey(key)!).verdict).toBe('invalid');
    const result = verify('invalid');
    expect(result.problems).toEqual([]);
    expect(result.notes).toEqual([expect.stringMatching(/^recorded invalid and still does not parse/)]);
  });

  it('notes, without failing, an older copy recorded valid before answers were judged', () => {
    const result = verify('valid');
    expect(result.problems).toEqual([]);
    expect(result.notes).toEqual([expect.stringMatching(/^recorded valid, but does not answer its request/)]);
    expect(result.valid).toBe(false);
  });
});
