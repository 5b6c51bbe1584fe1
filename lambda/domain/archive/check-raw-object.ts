import { compactUtc, formatWallClock, isKnownTimeZone, toWallClock } from '../shared/local-time';
import type { SchemaVerdict } from '../statistics/schema';
import { parseAnswer, UnansweredRequestError } from './answer-fit';
import type { StoredObject } from './object-store';
import { RAW_METADATA_FIELDS, type RawKeyParts } from './raw-archive';

/**
 * What an auditor asks of one archived raw response: are these the bytes that were received (their
 * sha256 against the one recorded at write time), is the record about them complete and consistent
 * with the key, and do they still read as what they were recorded as. Pure.
 */
export interface RawObjectCheck {
  /** Something is wrong: the archive cannot be trusted for this object. */
  readonly problems: string[];
  /** Worth knowing, not wrong (a response that was invalid when received and still is). */
  readonly notes: string[];
  /** The bytes parse as a valid response today (whatever was recorded). */
  readonly valid: boolean;
}

const VERDICTS: readonly SchemaVerdict[] = ['valid', 'invalid', 'malformed-json'];
const DETAIL_MAX = 200;

/**
 * `actualSha256`: the SHA-256 (hex) of `object.bytes`, computed by the caller (the domain hashes
 * nothing). `configuredZone` is AIRUDDER_TIMEZONE: a recorded zone that differs from it is a problem
 * (the archive then mixes zones), as is one that does not turn the key's reference time into its window.
 */
export function checkRawObject(
  parts: RawKeyParts,
  object: StoredObject,
  actualSha256: string,
  configuredZone?: string,
): RawObjectCheck {
  const problems: string[] = [];
  const notes: string[] = [];
  const meta = object.metadata;
  const missing = RAW_METADATA_FIELDS.filter((field) => meta[field] === undefined);
  const empty = RAW_METADATA_FIELDS.filter(
    (field) => meta[field] !== undefined && meta[field]?.trim() === '',
  );
  if (missing.length > 0) problems.push(`metadata incomplete: missing ${missing.join(', ')}`);
  if (empty.length > 0) problems.push(`metadata incomplete: empty ${empty.join(', ')}`);
  const present = (field: (typeof RAW_METADATA_FIELDS)[number]) => {
    const value = meta[field];
    return value === undefined || value.trim() === '' ? undefined : value;
  };

  const recorded = present('sha256');
  const actual = actualSha256;
  if (recorded !== undefined && recorded !== actual) {
    problems.push(`sha256 mismatch (recorded ${recorded}, actual ${actual})`);
  }

  const zone = present('time-zone');
  if (zone !== undefined && !isKnownTimeZone(zone)) {
    problems.push(`time-zone "${zone}" is not an IANA time zone`);
  } else if (zone !== undefined) {
    if (configuredZone !== undefined && zone !== configuredZone)
      problems.push(`time-zone "${zone}" is not the configured AIRUDDER_TIMEZONE "${configuredZone}"`);
    const problem = zoneAgainstKey(parts, zone);
    if (problem) problems.push(problem);
  }
  const status = present('http-status');
  if (status !== undefined && !/^\d{3}$/.test(status))
    problems.push(`http-status "${status}" is not numeric`);
  const issues = present('schema-issues');
  if (issues !== undefined && !/^\d+$/.test(issues))
    problems.push(`schema-issues "${issues}" is not a count`);
  const fetchedAt = present('fetched-at');
  if (fetchedAt !== undefined && Number.isNaN(Date.parse(fetchedAt))) {
    problems.push(`fetched-at "${fetchedAt}" is not an instant`);
  }

  const kind = present('run-kind');
  if (kind !== undefined && kind !== parts.kind)
    problems.push(`run-kind "${kind}" does not match the key (${parts.kind})`);
  const start = present('window-start');
  if (start !== undefined && start !== parts.window.startTime) {
    problems.push(`window-start "${start}" does not match the key (${parts.window.startTime})`);
  }
  const end = present('window-end');
  if (end !== undefined && end !== parts.window.endTime) {
    problems.push(`window-end "${end}" does not match the key (${parts.window.endTime})`);
  }
  const reference = present('reference-time');
  if (reference !== undefined && !sameSecond(reference, parts.referenceTime)) {
    problems.push(
      `reference-time "${reference}" does not match the key (${parts.referenceTime.toISOString()})`,
    );
  }
  if (parts.window.startTime.slice(0, 10) !== parts.date) {
    problems.push(
      `the key's date folder ${parts.date} is not the date of its window start ${parts.window.startTime}`,
    );
  }

  const verdict = present('schema-verdict');
  // Judged as the answer to the request its key names, exactly as when it was archived.
  const parsed = parseAnswer(object.bytes, parts);
  if (verdict !== undefined && !VERDICTS.includes(verdict as SchemaVerdict)) {
    problems.push(`schema-verdict "${verdict}" is not one of ${VERDICTS.join(', ')}`);
  } else if (verdict !== undefined) {
    const detail = parsed.verdict === 'valid' ? '' : shorten(parsed.error.message);
    if (verdict === 'valid' && parsed.verdict !== 'valid' && parsed.error instanceof UnansweredRequestError) {
      // Archived before answers were judged against their request: the bytes are intact, not trusted.
      notes.push(`recorded valid, but does not answer its request (judged since): ${detail}`);
    } else if (verdict === 'valid' && parsed.verdict !== 'valid') {
      problems.push(`recorded valid but no longer parses: ${detail}`);
    } else if (verdict !== 'valid' && parsed.verdict !== 'valid') {
      notes.push(`recorded ${verdict} and still does not parse (consistent): ${detail}`);
    } else if (verdict !== 'valid') {
      notes.push(`recorded ${verdict} but parses now (the schema has become more tolerant since)`);
    }
  }
  return { problems, notes, valid: parsed.verdict === 'valid' };
}

/**
 * The key's reference time, read in the recorded zone, must be where its window says: the window's
 * end for a check, at or after it for a whole day (posted or backfilled later) and for an ad-hoc
 * fetch (its end, or the time of a fetch that followed an invalid first copy).
 */
function zoneAgainstKey(parts: RawKeyParts, zone: string): string | undefined {
  const local = formatWallClock(toWallClock(parts.referenceTime, zone));
  const end = parts.window.endTime;
  // A day, or an ad-hoc fetch archived again after an invalid first copy, is keyed at or after its end.
  const atOrAfter = parts.kind === 'day' || parts.kind === 'fetch';
  const consistent = atOrAfter ? local >= end : local === end;
  if (consistent) return undefined;
  return `time-zone "${zone}" does not fit the key: its reference time ${parts.referenceTime.toISOString()} is ${local} there, ${atOrAfter ? 'before' : 'not'} the window end ${end}`;
}

/** Keys carry whole seconds; the metadata the full ISO instant. */
function sameSecond(iso: string, instant: Date): boolean {
  const parsed = new Date(iso);
  return !Number.isNaN(parsed.getTime()) && compactUtc(parsed) === compactUtc(instant);
}

const shorten = (text: string) => (text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX - 1)}…` : text);
