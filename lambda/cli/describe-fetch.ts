import type { FetchResult } from '../use-cases/fetch-and-archive';

/** The few lines a person wants after a fetch: window, calls, where it went, its fingerprint. */
export function describeFetch(result: FetchResult): string {
  const { window, archived, statistics, repeat } = result;
  const calls = statistics.data.realtime?.total?.total_calls;
  const lines = [
    `Window:   ${window.startTime} → ${window.endTime} (${window.timeZone})`,
    `Calls:    ${calls ?? 'n/a'}${repeat ? ' (from the archived copy)' : ''}`,
    `Archive:  ${archived.key}${repeat ? ' (already archived; kept the first copy)' : ''}`,
    `Location: ${archived.location}`,
    `SHA-256:  ${archived.sha256}${repeat ? ' (the stored object)' : ''}`,
  ];
  if (repeat) {
    lines.push(
      repeat.differed
        ? `New:      the response just fetched differed (SHA-256 ${repeat.fetchedSha256}); it was not archived`
        : 'New:      the response just fetched was identical',
    );
  }
  return lines.join('\n');
}
