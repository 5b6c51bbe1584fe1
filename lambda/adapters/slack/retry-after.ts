/**
 * How long a `Retry-After` header asks us to wait, in ms: delay-seconds (what Slack sends on 429)
 * or an HTTP-date. `undefined` when the header is missing or unreadable, so the caller backs off.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return undefined; // "1.5", "-1": not a valid header value
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
