import { isKnownTimeZone } from '../domain/shared/local-time';
import * as z from '../domain/shared/zod';

/**
 * True when `zone` is an IANA time zone this runtime knows (Intl rejects anything else). Asks
 * through local-time's formatter cache: the formatter validating the zone at init is the one every
 * run then converts times with, so a cold start builds one `Intl.DateTimeFormat`, not two (in a
 * `node --cpu-prof` of a cold check, the first one, which loads ICU's zone data, took 4.8 % of the
 * samples; the second about 1 % more).
 */
export function isIanaTimeZone(zone: string): boolean {
  return zone.trim() !== '' && isKnownTimeZone(zone);
}

/** An IANA zone, shared by the function's environment and the stack's context. */
export const IanaTimeZoneSchema = z
  .string()
  .check(
    z.refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Asia/Jakarta or Europe/Berlin' }),
  );
