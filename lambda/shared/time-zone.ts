import * as z from '../domain/shared/zod';

/** True when `zone` is an IANA time zone this runtime knows (Intl rejects anything else). */
export function isIanaTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

/** An IANA zone, shared by the function's environment and the stack's context. */
export const IanaTimeZoneSchema = z
  .string()
  .check(
    z.refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Asia/Jakarta or Europe/Berlin' }),
  );
