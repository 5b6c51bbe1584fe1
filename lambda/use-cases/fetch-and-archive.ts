import { judgeAnswer, parseAnswer, UnansweredRequestError } from '../domain/archive/answer-fit';
import type { ObjectStore } from '../domain/archive/object-store';
import { type ArchiveRequest, type RunKind, rawKeyOf, rawMetadata } from '../domain/archive/raw-archive';
import type { QueryWindow } from '../domain/statistics/query-window';
import { ResponseValidationError, type StatisticsResponse } from '../domain/statistics/schema';
import type { FetchedStatistics, StatsSource } from '../domain/statistics/stats-source';
import type { Logger } from '../shared/logger';
import { sha256Hex } from '../shared/sha256';

export interface FetchDeps {
  readonly source: StatsSource;
  readonly store: ObjectStore;
  readonly logger: Logger;
}

export interface FetchRequest {
  readonly kind: RunKind;
  readonly window: QueryWindow;
  /** The scheduled time of the run, or the window's end when there is no schedule. */
  readonly referenceTime: Date;
  readonly deadline?: number;
  /**
   * For an ad-hoc fetch: when the key already holds a copy that is not valid, archive this response
   * under this reference time (the fetch's own) instead of evaluating the invalid copy again.
   */
  readonly retryInvalidAt?: Date;
}

export interface ArchivedResponse {
  readonly key: string;
  readonly location: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  /** False when an object for this key already existed: nothing was written. */
  readonly created: boolean;
}

export interface FetchResult {
  readonly window: QueryWindow;
  /** The archived object the run evaluated: this fetch's, or the one already stored under the key. */
  readonly archived: ArchivedResponse;
  readonly fetched: FetchedStatistics;
  readonly statistics: StatisticsResponse;
  /** Set when the key already held a response: this fetch was not archived, the stored bytes were used. */
  readonly repeat?: { readonly fetchedSha256: string; readonly differed: boolean };
}

/**
 * Fetches one window and archives the exact bytes before anything else looks at them. A response
 * that is not JSON or does not fit the schema is still archived (marked so), and then the run fails.
 * When the key already holds a response (a repeated run), the stored bytes are what the run
 * evaluates, never the new, unarchived ones; the result says whether the new response differed.
 */
export async function fetchAndArchive(deps: FetchDeps, request: FetchRequest): Promise<FetchResult> {
  const { window } = request;
  const received = await deps.source.fetchStatistics(window, { deadline: request.deadline });
  // Valid but not an answer to this request (no figures, another window): archived as invalid.
  const fetched = { ...received, parsed: judgeAnswer(received.parsed, request) };
  let archived = await archiveResponse(deps.store, { ...request, fetched });
  let stored = archived.created ? undefined : await deps.store.get(archived.key);
  if (stored && request.retryInvalidAt && parseAnswer(stored.bytes, request).verdict !== 'valid') {
    // The first copy is invalid and is kept as it is; this answer is archived beside it, keyed by
    // the time of this fetch, instead of the invalid copy being evaluated (and failing) forever.
    const retry = { ...request, referenceTime: request.retryInvalidAt, fetched };
    archived = await archiveResponse(deps.store, retry);
    stored = archived.created ? undefined : await deps.store.get(archived.key);
  }
  const evaluated: ArchivedResponse = stored
    ? { ...archived, sha256: sha256Hex(stored.bytes), sizeBytes: stored.bytes.byteLength }
    : archived;
  const repeat = archived.created
    ? undefined
    : { fetchedSha256: archived.sha256, differed: evaluated.sha256 !== archived.sha256 };
  const parsed = stored ? parseAnswer(stored.bytes, request) : fetched.parsed;
  deps.logger.info(
    archived.created
      ? 'Response archived'
      : 'Response for this run was already archived; the archived copy is evaluated',
    {
      kind: request.kind,
      windowStart: window.startTime,
      windowEnd: window.endTime,
      timeZone: window.timeZone,
      key: evaluated.key,
      sha256: evaluated.sha256,
      bytes: evaluated.sizeBytes,
      ...(repeat && { fetchedSha256: repeat.fetchedSha256, fetchedDiffered: repeat.differed }),
      httpStatus: fetched.httpStatus,
      verdict: parsed.verdict,
      latencyMs: fetched.latencyMs,
      attempts: fetched.attempts,
    },
  );
  if (parsed.verdict !== 'valid') {
    const { error } = parsed;
    const Failure =
      error instanceof UnansweredRequestError ? UnansweredRequestError : ResponseValidationError;
    throw new Failure(`${error.message} (raw response archived at ${evaluated.location})`, error.issues, {
      cause: error,
    });
  }
  return {
    window,
    archived: evaluated,
    fetched,
    statistics: parsed.value,
    ...(repeat && { repeat }),
  };
}

/** Stores the exact response bytes, whatever the schema said of them; never overwrites. */
export async function archiveResponse(
  store: ObjectStore,
  request: ArchiveRequest,
): Promise<ArchivedResponse> {
  const { bytes } = request.fetched;
  const key = rawKeyOf(request);
  const sha256 = sha256Hex(bytes);
  const created = await store.createIfAbsent(key, bytes, {
    contentType: 'application/json',
    metadata: rawMetadata(request, sha256),
  });
  return { key, location: store.describe(key), sha256, sizeBytes: bytes.byteLength, created };
}
