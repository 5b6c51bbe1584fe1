import type { FetchResult } from '../use-cases/fetch-and-archive';

/** The few lines a person wants after a fetch: window, calls, where it went, its fingerprint. */
export function describeFetch(result: FetchResult): string {
  const { window, archived, statistics } = result;
  const calls = statistics.data.realtime?.total?.total_calls;
  return [
    `Window:   ${window.startTime} → ${window.endTime} (${window.timeZone})`,
    `Calls:    ${calls ?? 'n/a'}`,
    `Archive:  ${archived.key}${archived.created ? '' : ' (already archived; kept the first copy)'}`,
    `Location: ${archived.location}`,
    `SHA-256:  ${archived.sha256}`,
  ].join('\n');
}
