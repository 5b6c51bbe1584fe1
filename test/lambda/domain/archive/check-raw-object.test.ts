import { describe, expect, it } from 'vitest';
import { checkRawObject } from '../../../../lambda/domain/archive/check-raw-object';
import type { StoredObject } from '../../../../lambda/domain/archive/object-store';
import { parseRawKey, type RawMetadata } from '../../../../lambda/domain/archive/raw-archive';
import { sha256Hex } from '../../../../lambda/shared/sha256';
import { encodeJson, fixtureBytes, fixtureJson } from '../../../helpers/fixtures';

const KEY = 'raw/day/2025-11-11/20251111T165959Z_20251111T000000_20251111T235959.json';

/** An object exactly as the fetch-and-archive use case writes it; each case changes one thing. */
function archived(bytes: Uint8Array = fixtureBytes('statistics-example.json')): {
  bytes: Uint8Array;
  metadata: Record<string, string>;
} {
  const metadata: RawMetadata = {
    sha256: sha256Hex(bytes),
    'run-kind': 'day',
    'reference-time': '2025-11-11T16:59:59.000Z',
    'window-start': '2025-11-11 00:00:00',
    'window-end': '2025-11-11 23:59:59',
    'time-zone': 'Asia/Jakarta',
    'fetched-at': '2025-11-12T00:00:01.234Z',
    'http-status': '200',
    'schema-verdict': 'valid',
    'schema-issues': '0',
  };
  return { bytes, metadata: { ...metadata } };
}

const check = (object: { bytes: Uint8Array; metadata: Record<string, string> }, zone?: string, key = KEY) =>
  checkRawObject(
    parseRawKey(key)!,
    { ...object, contentType: 'application/json', version: 'v1' } satisfies StoredObject,
    sha256Hex(object.bytes),
    zone,
  );

/** The example response, saying it covers `start` to `end` (as AIRUDDER echoes the window asked for). */
function answering(start: string, end: string): Uint8Array {
  const json = fixtureJson('statistics-example.json');
  json.request_params = { start_time: start, end_time: end };
  json.data.realtime.time_range = { start_time: start, end_time: end };
  return encodeJson(json);
}

describe('checkRawObject', () => {
  it('builds no Intl formatter per object: a zone is tried once, however many objects carry it', () => {
    // Prepare: a zone no other case uses, so nothing is cached for it yet
    const object = archived();
    object.metadata['time-zone'] = 'Asia/Makassar';
    const Original = Intl.DateTimeFormat;
    let constructed = 0;
    Intl.DateTimeFormat = class extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        super(...args);
        constructed++;
      }
    } as typeof Intl.DateTimeFormat;
    try {
      // Act
      for (let index = 0; index < 20; index++) check(object);
      // Assess: one to try the zone, one to read wall clocks in it
      expect(constructed).toBeGreaterThanOrEqual(1);
      expect(constructed).toBeLessThanOrEqual(2);
    } finally {
      Intl.DateTimeFormat = Original;
    }
  });

  it('finds nothing wrong with an object as it was archived', () => {
    expect(check(archived())).toEqual({ problems: [], notes: [], valid: true });
  });

  it('reports a changed byte as a sha256 mismatch, with both hashes', () => {
    const object = archived();
    const recorded = object.metadata.sha256;
    const bytes = new Uint8Array(object.bytes);
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    expect(check({ ...object, bytes }).problems).toContain(
      `sha256 mismatch (recorded ${recorded}, actual ${sha256Hex(bytes)})`,
    );
  });

  it.each([
    [
      'a missing field',
      (m: Record<string, string>) => delete m['time-zone'],
      'metadata incomplete: missing time-zone',
    ],
    [
      'an empty field',
      (m: Record<string, string>) => (m['fetched-at'] = ' '),
      'metadata incomplete: empty fetched-at',
    ],
    [
      'an unknown zone',
      (m: Record<string, string>) => (m['time-zone'] = 'Mars/Base'),
      'time-zone "Mars/Base" is not an IANA time zone',
    ],
    [
      'a non-numeric status',
      (m: Record<string, string>) => (m['http-status'] = 'OK'),
      'http-status "OK" is not numeric',
    ],
    [
      'an unknown verdict',
      (m: Record<string, string>) => (m['schema-verdict'] = 'fine'),
      'schema-verdict "fine" is not one of valid, invalid, malformed-json',
    ],
    [
      'another kind',
      (m: Record<string, string>) => (m['run-kind'] = 'check'),
      'run-kind "check" does not match the key (day)',
    ],
    [
      'another window start',
      (m: Record<string, string>) => (m['window-start'] = '2025-11-11 01:00:00'),
      'window-start "2025-11-11 01:00:00" does not match the key (2025-11-11 00:00:00)',
    ],
    [
      'another window end',
      (m: Record<string, string>) => (m['window-end'] = '2025-11-11 12:00:00'),
      'window-end "2025-11-11 12:00:00" does not match the key (2025-11-11 23:59:59)',
    ],
    [
      'another reference time',
      (m: Record<string, string>) => (m['reference-time'] = '2025-11-11T17:00:00.000Z'),
      'reference-time "2025-11-11T17:00:00.000Z" does not match the key (2025-11-11T16:59:59.000Z)',
    ],
  ])('reports %s in the metadata', (_name, change, problem) => {
    const object = archived();
    change(object.metadata);
    expect(check(object).problems).toEqual([problem]);
  });

  it('reports a recorded zone other than the configured one', () => {
    expect(check(archived(), 'Asia/Jakarta').problems).toEqual([]);
    expect(check(archived(), 'Asia/Makassar').problems).toEqual([
      'time-zone "Asia/Jakarta" is not the configured AIRUDDER_TIMEZONE "Asia/Makassar"',
    ]);
  });

  it('reports a recorded zone that does not turn the key into its window', () => {
    // A check at 10:00 Jakarta (03:00Z): the day so far ends at 10:00:00 local
    const checkKey = 'raw/check/2025-11-11/20251111T030000Z_20251111T000000_20251111T100000.json';
    const object = archived(answering('2025-11-11 00:00:00', '2025-11-11 10:00:00'));
    Object.assign(object.metadata, {
      'run-kind': 'check',
      'reference-time': '2025-11-11T03:00:00.000Z',
      'window-end': '2025-11-11 10:00:00',
    });
    expect(check(object, undefined, checkKey).problems).toEqual([]);
    object.metadata['time-zone'] = 'Asia/Tokyo';
    expect(check(object, undefined, checkKey).problems).toEqual([
      'time-zone "Asia/Tokyo" does not fit the key: its reference time 2025-11-11T03:00:00.000Z is 2025-11-11 12:00:00 there, not the window end 2025-11-11 10:00:00',
    ]);
  });

  it('reports a response recorded valid that no longer parses', () => {
    const json = fixtureJson('statistics-example.json');
    json.data = 'gone';
    const object = archived(encodeJson(json));
    expect(check(object).problems).toEqual([
      expect.stringMatching(/^recorded valid but no longer parses: .*data/),
    ]);
  });

  it.each(['invalid', 'malformed-json'])(
    'notes, without a problem, a response recorded %s that still does not parse',
    (verdict) => {
      const object = archived(Buffer.from('{"code": 200, "data": '));
      object.metadata['schema-verdict'] = verdict;
      expect(check(object)).toEqual({
        problems: [],
        valid: false,
        notes: [
          expect.stringMatching(new RegExp(`^recorded ${verdict} and still does not parse \\(consistent\\)`)),
        ],
      });
    },
  );
});
