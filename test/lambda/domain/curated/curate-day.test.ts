import { describe, expect, it } from 'vitest';
import { curateDay, encodeNdjson } from '../../../../lambda/domain/curated/curate-day';
import { parseCuratedKey, TABLE_COLUMNS } from '../../../../lambda/domain/curated/curated-tables';
import { parseStatistics, type StatisticsResponse } from '../../../../lambda/domain/statistics/schema';

const DATE = '2025-11-11';
const SOURCE = { key: 'raw/day/2025-11-11/x.json', sha256: 'ab'.repeat(32), timeZone: 'Asia/Jakarta' };

/** A whole-day response for DATE, shaped as AIRUDDER documents it. */
function wholeDay(overrides: { offlineDate?: string } = {}): StatisticsResponse {
  const parsed = parseStatistics(
    new TextEncoder().encode(
      JSON.stringify({
        code: 200,
        request_params: { start_time: `${DATE} 00:00:00`, end_time: `${DATE} 23:59:59` },
        data: {
          realtime: {
            time_range: { start_time: `${DATE} 00:00:00`, end_time: `${DATE} 23:59:59` },
            total: { total_calls: 999, call_users: 700, duplicate_call_rate: 0.31, avg_robot_score: '3.9' },
            daily: {
              total_count: 1,
              data_list: [
                {
                  date: DATE,
                  total_calls: 900,
                  valid_calls: 12.5,
                  story_distribution: { complain: 40, entrance: 7 },
                  hangup_type_distribution: { by_user: 30 },
                  satisfied_distribution: {
                    '5': 3,
                    '1': 1,
                    robot_evaluation_rate: 0.5,
                    robot_satisfied_rate: 0.75,
                  },
                },
              ],
            },
            hourly: {
              total_count: 3,
              data_list: [
                { time: `${DATE} 00:00:00`, total_calls: 10 },
                { time: `${DATE} 13:00:00`, total_calls: '25' },
                { time: '2025-11-12 00:00:00', total_calls: 4 },
              ],
            },
          },
          offline: {
            total: { ticket_count: 0, deduplicated_fake_receipts_count: 0 },
            daily: {
              total_count: 1,
              data_list: [
                {
                  date: overrides.offlineDate ?? DATE,
                  max_concurrent_call_count: 144,
                  transfer_reason_distribution: { entrance: 5 },
                  user_distribution: { call_users: 650 },
                },
              ],
            },
          },
        },
      }),
    ),
  );
  if (parsed.verdict !== 'valid') throw parsed.error;
  return parsed.value;
}

describe('curateDay', () => {
  it('takes each realtime figure from the daily row, then the whole-day total, never derived', () => {
    // Act
    const [daily] = curateDay(wholeDay(), DATE, SOURCE).daily;
    // Assess
    expect(daily).toMatchObject({
      date: DATE,
      time_zone: 'Asia/Jakarta',
      total_calls: 900,
      call_users: 700,
      duplicate_call_rate: 0.31,
      avg_robot_score: 3.9,
      robot_evaluation_rate: 0.5,
      robot_satisfied_rate: 0.75,
      transfer_success_rate: null,
      realtime_in: true,
      source_key: SOURCE.key,
      source_sha256: SOURCE.sha256,
    });
  });

  it('records a count that is not a whole number as null rather than a wrong bigint', () => {
    expect(curateDay(wholeDay(), DATE, SOURCE).daily[0]?.valid_calls).toBeNull();
  });

  it("takes offline figures only from the date's offline row: before the batch they are null, not zero", () => {
    // Act
    const [inRow] = curateDay(wholeDay(), DATE, SOURCE).daily;
    const [before] = curateDay(wholeDay({ offlineDate: '2025-11-10' }), DATE, SOURCE).daily;
    // Assess
    expect(inRow).toMatchObject({
      max_concurrent_call_count: 144,
      offline_call_users: 650,
      ticket_count: 0,
      offline_in: true,
    });
    expect(before).toMatchObject({ max_concurrent_call_count: null, ticket_count: null, offline_in: false });
  });

  it('keeps the hourly rows of the date with their local hour, dropping rows of other dates', () => {
    const hourly = curateDay(wholeDay(), DATE, SOURCE).hourly;
    expect(hourly.map((row) => [row.hour, row.time, row.total_calls])).toEqual([
      [0, `${DATE} 00:00:00`, 10],
      [13, `${DATE} 13:00:00`, 25],
    ]);
  });

  it('gives each hourly row its UTC start and the zone offset, from the zone the archive recorded', () => {
    const hourly = curateDay(wholeDay(), DATE, SOURCE).hourly;
    expect(hourly.map((row) => [row.hour, row.hour_start_utc, row.utc_offset])).toEqual([
      [0, '2025-11-10T17:00:00Z', '+07:00'],
      [13, '2025-11-11T06:00:00Z', '+07:00'],
    ]);
  });

  it.each([
    // New York falls back at 02:00 EDT on 2 Nov 2025: 01:00 comes twice, first at -04:00, then at -05:00.
    [
      'America/New_York',
      '2025-11-02',
      ['00', '01', '01', '02'],
      [
        [0, '2025-11-02T04:00:00Z', '-04:00'],
        [1, '2025-11-02T05:00:00Z', '-04:00'],
        [1, '2025-11-02T06:00:00Z', '-05:00'],
        [2, '2025-11-02T07:00:00Z', '-05:00'],
      ],
    ],
    // Berlin springs forward on 30 Mar 2025: 02:00 never happens, so a row for it has no start.
    [
      'Europe/Berlin',
      '2025-03-30',
      ['01', '02', '03'],
      [
        [1, '2025-03-30T00:00:00Z', '+01:00'],
        [2, null, null],
        [3, '2025-03-30T01:00:00Z', '+02:00'],
      ],
    ],
  ])('in %s on %s, tells the hours apart by their UTC start', (timeZone, date, hours, expected) => {
    // Prepare: the day's response with its hourly rows as AIRUDDER lists them, in time order
    const response = structuredClone(wholeDay());
    if (response.data.realtime?.hourly) {
      response.data.realtime.hourly.data_list = hours.map((hour) => ({
        time: `${date} ${hour}:00:00`,
        total_calls: 1,
      }));
    }
    // Act
    const hourly = curateDay(response, date, { ...SOURCE, timeZone }).hourly;
    // Assess
    expect(hourly.map((row) => [row.hour, row.hour_start_utc, row.utc_offset])).toEqual(expected);
    expect(new Set(hourly.map((row) => row.hour_start_utc)).size).toBe(hours.length);
  });

  it('leaves the UTC start empty when the archive recorded no time zone', () => {
    const hourly = curateDay(wholeDay(), DATE, { ...SOURCE, timeZone: '' }).hourly;
    expect(hourly.map((row) => [row.hour_start_utc, row.utc_offset])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('flattens stories, hangups, ratings 1–5 (not the rates beside them) and transfer reasons', () => {
    const rows = curateDay(wholeDay(), DATE, SOURCE).distributions.map((row) => [
      row.kind,
      row.key,
      row.count,
    ]);
    expect(rows).toEqual([
      ['story', 'complain', 40],
      ['story', 'entrance', 7],
      ['hangup', 'by_user', 30],
      ['satisfaction', '1', 1],
      ['satisfaction', '5', 3],
      ['transfer_reason', 'entrance', 5],
    ]);
  });

  it('writes every column in table order on one line per record, so the same raw gives the same bytes', () => {
    // Act
    const day = curateDay(wholeDay(), DATE, SOURCE);
    const text = new TextDecoder().decode(encodeNdjson(day.hourly));
    // Assess
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(Object.keys(JSON.parse(lines[0] ?? '{}'))).toEqual(
      TABLE_COLUMNS.hourly.map((column) => column.name),
    );
    expect(encodeNdjson(curateDay(wholeDay(), DATE, SOURCE).hourly)).toEqual(encodeNdjson(day.hourly));
  });
});

describe('parseCuratedKey', () => {
  it('reads table and date, and rejects keys of another layout', () => {
    expect(parseCuratedKey('curated/hourly/date=2025-11-11/hourly.ndjson')).toEqual({
      table: 'hourly',
      date: DATE,
    });
    expect(parseCuratedKey('curated/hourly/date=2025-11-11/daily.ndjson')).toBeUndefined();
    expect(parseCuratedKey('curated/hourly/2025-11-11/hourly.ndjson')).toBeUndefined();
  });
});
