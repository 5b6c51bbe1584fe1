/**
 * A run evaluates what has happened. An instant from the future — a mistyped `--at`, a scheduler
 * event built by hand, a host whose clock runs fast — would move the alert state's watermark ahead,
 * and every later run would archive but evaluate nothing until that date. So the CLI and the Lambda
 * handler refuse an instant more than FUTURE_TOLERANCE_MS past their own clock (a few seconds of
 * skew are allowed, not more).
 */
export const FUTURE_TOLERANCE_MS = 60_000;

/** How far `instant` lies past `now` beyond the tolerance, in ms; undefined when it may be evaluated. */
export function tooFarAhead(instant: Date, now: Date): number | undefined {
  const ahead = instant.getTime() - now.getTime();
  return ahead > FUTURE_TOLERANCE_MS ? ahead : undefined;
}
