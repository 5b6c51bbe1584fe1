import { tooFarAhead } from '../domain/shared/scheduled-time';
import { UsageError } from './usage-error';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?/;
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO-8601 instant with an offset, not in the future; `flag` names it in every error (exit 2). */
export function parseInstant(flag: string, text: string, now: Date): Date {
  const instant = new Date(text);
  if (!INSTANT.test(text) || Number.isNaN(instant.getTime())) {
    throw new UsageError(`${flag} "${text}" is not an ISO-8601 instant such as 2025-11-12T06:30:00Z`);
  }
  if (!OFFSET.test(text)) {
    throw new UsageError(
      `${flag} "${text}" has no UTC offset, so it would be read in this computer's time zone: add Z or an offset such as +07:00`,
    );
  }
  if (tooFarAhead(instant, now) !== undefined) {
    throw new UsageError(
      `${flag} ${instant.toISOString()} is in the future (now ${now.toISOString()}): a run can only evaluate what has happened`,
    );
  }
  return instant;
}
