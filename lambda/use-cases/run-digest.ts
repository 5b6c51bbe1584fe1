import { buildDigest } from '../domain/digest/build-digest';
import { previousDate, weekAgoDate } from '../domain/digest/digest-dates';
import type { FiredAlert } from '../domain/digest/digest-input';
import { previousLocalDate, wholeDayWindow, windowEndInstant } from '../domain/query-window';
import type { Notifier, SlackMessage } from '../domain/slack/slack-message';
import type { StatisticsResponse } from '../domain/statistics-schema';
import type { Logger } from '../shared/logger';
import { readArchivedDay } from './archived-days';
import { CLAIM_TTL_MS, type DigestRecord, DigestRecordSchema, digestRecordKey } from './digest-record';
import { type FetchDeps, fetchAndArchive } from './fetch-and-archive';
import { updateDocument } from './json-document';

export interface DigestDeps extends FetchDeps {
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly timeZone: string;
  readonly topN: number;
  /** Identifies this run in claims (the Lambda request id, or a random id). */
  readonly runId: string;
  readonly now: () => Date;
  /** The alerts that fired on a local date, from the alert state. */
  readonly firedAlerts: (date: string) => Promise<FiredAlert[]>;
}

export interface DigestRequest {
  /** The scheduled time (Lambda) or the time of the command (CLI): names the archived snapshot. */
  readonly scheduledTime: Date;
  /** Default: the local date before `scheduledTime`. */
  readonly date?: string;
  /** Post again even if this date's digest was posted already. */
  readonly force?: boolean;
  readonly deadline?: number;
}

export type DigestOutcome =
  | {
      readonly outcome: 'posted';
      readonly date: string;
      readonly rawKey: string;
      readonly message: SlackMessage;
    }
  | { readonly outcome: 'already-posted' | 'in-progress'; readonly date: string };

/** Thrown when Slack did not take the digest; the date stays unposted, so the next invocation posts it. */
export class DigestDeliveryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DigestDeliveryError';
  }
}

/** Fetches and archives a whole local day, builds its digest and posts it exactly once per date. */
export async function runDigest(deps: DigestDeps, request: DigestRequest): Promise<DigestOutcome> {
  const { store, logger, timeZone, runId } = deps;
  const date = request.date ?? previousLocalDate(request.scheduledTime, timeZone);
  const window = wholeDayWindow(date, timeZone);
  const key = digestRecordKey(date);
  const blocked = await updateDocument(store, key, DigestRecordSchema, (record) => {
    const claimAge = record?.claim
      ? deps.now().getTime() - Date.parse(record.claim.at)
      : Number.POSITIVE_INFINITY;
    if (record?.status === 'posted' && !request.force)
      return { value: undefined, result: 'already-posted' as const };
    if (record?.claim && record.claim.runId !== runId && claimAge < CLAIM_TTL_MS) {
      return { value: undefined, result: 'in-progress' as const };
    }
    const claimed: DigestRecord = {
      ...(record ?? { date, posts: 0 }),
      status: 'claimed',
      claim: { runId, at: deps.now().toISOString() },
    };
    return { value: claimed, result: undefined };
  });
  if (blocked) {
    logger.info(
      blocked === 'already-posted'
        ? 'Digest already posted for this date'
        : 'Another run is posting this digest',
      {
        date,
      },
    );
    return { outcome: blocked, date };
  }

  const release = (change: Partial<DigestRecord>) =>
    updateDocument(store, key, DigestRecordSchema, (record) => {
      if (!record || record.claim?.runId !== runId) return { value: undefined, result: undefined };
      const { claim: _released, ...rest } = record;
      return { value: { ...rest, ...change }, result: undefined };
    });

  let message: SlackMessage;
  let rawKey: string;
  try {
    const day = await fetchAndArchive(deps, {
      kind: 'day',
      window,
      referenceTime: request.scheduledTime,
      deadline: request.deadline,
    });
    rawKey = day.archived.key;
    const [previousDay, weekAgo, alertsFired] = await Promise.all([
      earlierDay(deps, previousDate(date), timeZone, request.deadline, logger),
      earlierDay(deps, weekAgoDate(date), timeZone, request.deadline, logger),
      deps.firedAlerts(date),
    ]);
    message = buildDigest({
      date,
      timeZone,
      day: day.statistics,
      previousDay,
      weekAgo,
      alertsFired,
      archiveLocation: day.archived.location,
      topN: deps.topN,
    });
  } catch (error) {
    await release({ status: 'failed', lastError: error instanceof Error ? error.message : String(error) });
    throw error;
  }

  try {
    await deps.notifier.send(message);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await release({ status: 'failed', lastError: reason, rawKey });
    throw new DigestDeliveryError(
      `Slack did not accept the digest for ${date}; it will be posted next time: ${reason}`,
      {
        cause: error,
      },
    );
  }
  await updateDocument(store, key, DigestRecordSchema, (record) => {
    const { claim: _released, ...rest } = record ?? { date, posts: 0, status: 'posted' as const };
    const posted: DigestRecord = {
      ...rest,
      status: 'posted',
      posts: (record?.posts ?? 0) + 1,
      postedAt: deps.now().toISOString(),
      rawKey,
      lastError: undefined,
    };
    return { value: posted, result: undefined };
  });
  logger.info('Digest posted', { date, rawKey });
  return { outcome: 'posted', date, rawKey, message };
}

/**
 * An earlier day for comparisons: from the archive when it is there, otherwise fetched (and
 * archived, with the day's end as its reference time, so a backfill would find it too). Undefined,
 * with a warning, when neither works: a comparison is worth less than the run.
 */
export async function earlierDay(
  deps: FetchDeps,
  date: string,
  timeZone: string,
  deadline: number | undefined,
  logger: Logger,
): Promise<StatisticsResponse | undefined> {
  const archived = await readArchivedDay(deps.store, date);
  if (archived) return archived.statistics;
  const window = wholeDayWindow(date, timeZone);
  try {
    const fetched = await fetchAndArchive(deps, {
      kind: 'day',
      window,
      referenceTime: windowEndInstant(window),
      deadline,
    });
    return fetched.statistics;
  } catch (error) {
    logger.warn('Could not get an earlier day for comparison; the digest shows no comparison for it', {
      date,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
