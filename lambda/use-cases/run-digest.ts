import { buildDigest } from '../domain/digest/build-digest';
import { previousDate, weekAgoDate } from '../domain/digest/day-data';
import { buildMissedDigestsMessage } from '../domain/digest/missed-digests';
import { localDate } from '../domain/shared/local-time';
import { claimEnd, isHeldByAnother, newClaim } from '../domain/slack/claim';
import type { Notifier, SlackMessage } from '../domain/slack/slack-message';
import {
  previousLocalDate,
  shiftDate,
  wholeDayWindow,
  windowEndInstant,
} from '../domain/statistics/query-window';
import type { StatisticsResponse } from '../domain/statistics/schema';
import type { Logger } from '../shared/logger';
import { readArchivedDay } from './archived-days';
import { curateFetchedDay } from './curate';
import type { AlertEpisodeCuration } from './curate-alert-episodes';
import { deliverOnce, storeClock } from './deliver-once';
import {
  DIGEST_RECORD_PREFIX,
  type DigestRecord,
  DigestRecordSchema,
  digestRecordKey,
  MISSED_NOTICE_KEY,
  type MissedNotice,
  MissedNoticeSchema,
} from './digest-record';
import { type FetchDeps, fetchAndArchive } from './fetch-and-archive';
import type { DayAlerts } from './fired-alerts';
import { DocumentCorruptError, readDocument, updateDocument } from './json-document';

export interface DigestDeps extends FetchDeps {
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly timeZone: string;
  readonly topN: number;
  /** MONITOR_NAME: heads the digest. */
  readonly monitorName?: string;
  /** Identifies this run in claims (the Lambda request id, or a random id). */
  readonly runId: string;
  readonly now: () => Date;
  /** Always add the full table (the digest goes to a console, where there is no phone screen to fit). */
  readonly fullTable?: boolean;
  /** The alerts that fired on a local date, from the alert state. */
  /** The alerts fired and the snoozes in force on a local date, from the alert state. */
  readonly dayAlerts: (date: string) => Promise<DayAlerts>;
  /**
   * Brings the curated `alert_episodes` table up to date with the alert state, once the digest is
   * done: the state keeps closed episodes two weeks, the daily digest keeps the table whole.
   */
  readonly curateAlertEpisodes?: () => Promise<AlertEpisodeCuration>;
  /** Waits between looks at a date another run holds (tests pass one that moves their clock). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * This host's clock in epoch ms, the one a request's `deadline` is on (as the HTTP clients read
   * it); default Date.now. Tests that sleep without waiting pass one their sleep moves.
   */
  readonly hostNow?: () => number;
}

export interface DigestRequest {
  /** The scheduled time (Lambda) or the time of the command (CLI): names the archived snapshot. */
  readonly scheduledTime: Date;
  /** Default: the local date before `scheduledTime`. */
  readonly date?: string;
  /** Post again even if this date's digest was posted already. */
  readonly force?: boolean;
  /** Add the full figure table and the breakdowns to the message. */
  readonly detail?: boolean;
  readonly deadline?: number;
}

/** What became of one date's digest. */
export type DateOutcome =
  | {
      readonly outcome: 'posted';
      readonly date: string;
      readonly rawKey: string;
      readonly message: SlackMessage;
    }
  | { readonly outcome: 'already-posted'; readonly date: string }
  | {
      readonly outcome: 'in-progress';
      readonly date: string;
      /** The run holding the date, and when its claim ends (ISO). */
      readonly heldBy?: string;
      readonly until?: string;
    };

/**
 * The run's own date, the earlier dates it caught up first (oldest first), and the dates too old to
 * catch up that it listed in one "never posted" message.
 */
export type DigestOutcome = DateOutcome & {
  readonly caughtUp: ReadonlyArray<DateOutcome>;
  readonly missed: readonly string[];
};

/** How far back a run looks for digests that were claimed or failed but never posted. */
export const CATCH_UP_DAYS = 7;
/** How far before the catch-up window a run looks for digests never posted, to say so once. */
export const MISSED_LOOKBACK_DAYS = 30;
/** While another run holds the date: how often to look again, and what to keep back from the deadline. */
export const CLAIM_POLL_MS = 1_000;
export const CLAIM_WAIT_MARGIN_MS = 5_000;

/** Thrown by the edges when another run held the date for longer than this run could wait. */
export class DigestInProgressError extends Error {
  constructor(outcome: Extract<DateOutcome, { outcome: 'in-progress' }>) {
    super(
      `the digest for ${outcome.date} is claimed by run ${outcome.heldBy} until ${outcome.until}; not posted by this run. ` +
        'If that run died, a later run posts it once the claim ends.',
    );
    this.name = 'DigestInProgressError';
  }
}

/** Thrown when Slack did not take the digest; the date stays unposted, so the next invocation posts it. */
export class DigestDeliveryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DigestDeliveryError';
  }
}

/** Thrown for a date whose day is not over yet in the account's zone: its digest would be partial. */
export class DigestDateError extends RangeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DigestDateError';
  }
}

/**
 * `date` must be over in `timeZone` at `now`. The wording is the backfill's, so both commands
 * refuse the same way.
 */
export function assertDayIsOver(flag: string, date: string, timeZone: string, now: Date): void {
  const today = localDate(now, timeZone);
  if (date >= today) {
    throw new DigestDateError(
      `${flag}: ${date} is not over yet in ${timeZone} (today is ${today}); a digest covers a whole day that has ended`,
    );
  }
}

/**
 * Posts the digest of a whole local day, exactly once per date. First, oldest first, every date of
 * the last CATCH_UP_DAYS whose digest was claimed or failed but never posted (a claim past its end
 * belongs to a run that died); then its own date. When an earlier date cannot be
 * posted, the own date is recorded as owed too and the error is thrown, so the next run posts both,
 * in order. Refuses (DigestDateError) a date that is not over yet, before anything is archived or
 * recorded.
 */
export async function runDigest(deps: DigestDeps, request: DigestRequest): Promise<DigestOutcome> {
  const date = request.date ?? previousLocalDate(request.scheduledTime, deps.timeZone);
  assertDayIsOver('date', date, deps.timeZone, deps.now());
  const caughtUp: DateOutcome[] = [];
  for (const owed of await owedDates(deps, date)) {
    try {
      deps.logger.info('Posting a digest an earlier run owed', { date: owed });
      caughtUp.push(await postDigest(deps, owed, { ...request, force: false }));
    } catch (error) {
      await recordOwed(deps, date, `waiting for the digest of ${owed}`);
      throw error;
    }
  }
  const own = await waitWhileClaimed(deps, date, request, await postDigest(deps, date, request));
  const missed = await reportMissed(deps, date, request.deadline);
  await curateAlertEpisodesQuietly(deps);
  return { ...own, caughtUp, missed };
}

/** Derived and rebuildable (`curate`): a failure here is a warning, never a failed digest. */
async function curateAlertEpisodesQuietly(deps: DigestDeps): Promise<void> {
  if (deps.curateAlertEpisodes === undefined) return;
  try {
    const curation = await deps.curateAlertEpisodes();
    deps.logger.debug('Curated alert episodes updated', { written: curation.written });
  } catch (error) {
    deps.logger.warn('Could not update the curated alert episodes; run curate', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * A retry inside the claim of a run that died must not end quietly: while another run holds the
 * date, look again every CLAIM_POLL_MS until it is posted (a live run), its claim ends (take it
 * over) or this run's deadline comes (then 'in-progress' is returned, and the edges fail loudly).
 */
async function waitWhileClaimed(
  deps: DigestDeps,
  date: string,
  request: DigestRequest,
  first: DateOutcome,
): Promise<DateOutcome> {
  let outcome = first;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  while (
    outcome.outcome === 'in-progress' &&
    request.deadline !== undefined &&
    (deps.hostNow ?? Date.now)() + CLAIM_POLL_MS < request.deadline - CLAIM_WAIT_MARGIN_MS
  ) {
    await sleep(CLAIM_POLL_MS);
    outcome = await postDigest(deps, date, request);
  }
  return outcome;
}

/**
 * Dates before the catch-up window (up to MISSED_LOOKBACK_DAYS back) whose digest was never posted —
 * failed, claimed by a run that died, or with no record although the monitor was running (an earlier
 * date has one) — are listed in one message, then marked `missed` so they are listed once. The
 * message goes through the delivery protocol on `digest/missed.json` (claim, send, record the dates
 * listed): two runs never both send it, a run killed before Slack accepted it loses nothing (the
 * next run lists the dates once the claim ends), one killed after Slack accepted and before the
 * record was written sends it once more (the protocol's at-least-once window), and one killed after
 * that record but before the dates were marked only marks them. If Slack refuses the message the
 * run fails and the next one lists them again. Returns the dates this run listed.
 */
async function reportMissed(deps: DigestDeps, date: string, deadline: number | undefined): Promise<string[]> {
  const windowStart = shiftDate(date, -(CATCH_UP_DAYS - 1));
  const recorded = await recordedDates(deps);
  const earliest = recorded.values().next().value;
  if (earliest === undefined || earliest >= windowStart) return [];
  const lookbackStart = shiftDate(windowStart, -MISSED_LOOKBACK_DAYS);
  const from = [earliest, lookbackStart].sort()[1] ?? earliest;
  const dates: string[] = [];
  for (let day = from; day < windowStart; day = shiftDate(day, 1)) dates.push(day);
  const clock = storeClock(deps.store, deps.now);
  const now = clock.now();
  const candidates = (
    await Promise.all(
      dates.map(async (day) => {
        if (!recorded.has(day)) return day > earliest ? day : undefined;
        const record = await readOwnRecord(deps, day);
        return record !== undefined && isUnposted(record, now) ? day : undefined;
      }),
    )
  ).filter((day): day is string => day !== undefined);
  if (candidates.length === 0) return [];
  const { runId } = deps;
  const delivery = await deliverOnce<MissedNotice, string[], undefined, 'held' | 'listed'>({
    store: deps.store,
    key: MISSED_NOTICE_KEY,
    schema: MissedNoticeSchema,
    now: clock.now,
    claim: (current, at) => {
      const listed = new Set(current?.listed ?? []);
      const owed = candidates.filter((day) => !listed.has(day));
      if (owed.length === 0) return { value: undefined, result: 'listed' };
      if (isHeldByAnother(current?.claim, runId, at)) return { value: undefined, result: 'held' };
      const claim = newClaim(runId, at, clock.deadline(deadline));
      return { value: { ...(current ?? { listed: [] }), claim }, work: owed, result: 'listed' };
    },
    send: async (owed) => {
      await deps.notifier.send(buildMissedDigestsMessage(owed, CATCH_UP_DAYS, deps.monitorName));
      return undefined;
    },
    confirm: (current, owed, _sent, at) => {
      const listed = [...new Set([...(current?.listed ?? []), ...owed])]
        .filter((day) => day >= lookbackStart)
        .sort();
      // Our claim is dropped; one another run took over since stays.
      const claim = current?.claim?.runId === runId ? undefined : current?.claim;
      return { listed, sentAt: at.toISOString(), ...(claim ? { claim } : {}) };
    },
    release: (current) => {
      if (current?.claim?.runId !== runId) return undefined;
      const { claim: _released, ...rest } = current;
      return rest;
    },
  });
  // Another run holds the message: it lists and marks these dates.
  if (delivery.result === 'held') return [];
  const listed = new Set(delivery.document?.value.listed ?? []);
  for (const day of candidates.filter((candidate) => listed.has(candidate))) {
    await updateDocument(deps.store, digestRecordKey(day), DigestRecordSchema, (record) => ({
      value: {
        ...(record ?? { date: day, posts: 0 }),
        status: 'missed' as const,
        lastError: `listed as never posted on ${date}`,
      },
      result: undefined,
    }));
  }
  const sent = delivery.delivered?.work ?? [];
  if (sent.length > 0) deps.logger.warn('Digests never posted, listed in one message', { dates: sent });
  return sent;
}

/** Failed, or claimed by a run whose claim has ended: owed and not being posted. */
const isUnposted = (record: DigestRecord, now: Date): boolean =>
  record.status === 'failed' ||
  (record.status === 'claimed' && (record.claim === undefined || now.getTime() >= claimEnd(record.claim)));

/** The dates with a digest record, oldest first. */
async function recordedDates(deps: DigestDeps): Promise<Set<string>> {
  const keys = await deps.store.list(DIGEST_RECORD_PREFIX);
  const dates = keys.flatMap((key) => {
    const match = /^digest\/(\d{4}-\d{2}-\d{2})\.json$/.exec(key);
    return match?.[1] === undefined ? [] : [match[1]];
  });
  return new Set(dates.sort());
}

/**
 * Dates before `date` (within CATCH_UP_DAYS) whose digest was claimed, failed or missed and never
 * posted, or that have no record at all although an earlier date has one (their run never started).
 */
async function owedDates(deps: DigestDeps, date: string): Promise<string[]> {
  const clock = storeClock(deps.store, deps.now);
  const earlier = Array.from({ length: CATCH_UP_DAYS - 1 }, (_, index) =>
    shiftDate(date, index - (CATCH_UP_DAYS - 1)),
  );
  // Read together (one round trip, not six one after another), judged oldest first.
  const [records, recorded] = await Promise.all([
    Promise.all(earlier.map((day) => readOwnRecord(deps, day))),
    recordedDates(deps),
  ]);
  const earliest = recorded.values().next().value;
  const now = clock.now().getTime();
  return earlier.filter((day, index) => {
    const record = records[index];
    // No record although the monitor ran before it: its run never started; owed like a failed one.
    if (record === undefined) return earliest !== undefined && day > earliest && !recorded.has(day);
    if (record.status === 'posted') return false;
    const claimEnded = record.claim === undefined || now >= claimEnd(record.claim);
    return record.status === 'failed' || claimEnded;
  });
}

/** The digest record of `date`; undefined when there is none, or it is unreadable (logged). */
async function readOwnRecord(deps: DigestDeps, date: string): Promise<DigestRecord | undefined> {
  try {
    return (await readDocument(deps.store, digestRecordKey(date), DigestRecordSchema))?.value;
  } catch (error) {
    if (!(error instanceof DocumentCorruptError)) throw error;
    // A damaged record must not block every later digest; it is left for a person to look at.
    deps.logger.warn('Digest record unreadable; not catching up its date', { date, error: error.message });
    return undefined;
  }
}

/** Records `date` as owed (failed, unclaimed) unless it was posted or another run is on it. */
async function recordOwed(deps: DigestDeps, date: string, reason: string): Promise<void> {
  await updateDocument(deps.store, digestRecordKey(date), DigestRecordSchema, (record) => {
    if (record?.status === 'posted' || record?.claim) return { value: undefined, result: undefined };
    const owed: DigestRecord = { ...(record ?? { date, posts: 0 }), status: 'failed', lastError: reason };
    return { value: owed, result: undefined };
  });
}

/** What a posted digest leaves: the archived day it was built from, and the message. */
interface PostedDigest {
  readonly rawKey: string;
  readonly message: SlackMessage;
}

/**
 * Fetches and archives the whole day, builds its digest and posts it, once per date, through the
 * delivery protocol (deliver-once.ts): the date's record is claimed, the digest built and sent, the
 * record marked posted; a failure anywhere between records the date as failed, owed to a later run.
 */
async function postDigest(deps: DigestDeps, date: string, request: DigestRequest): Promise<DateOutcome> {
  const { store, logger, runId } = deps;
  const clock = storeClock(store, deps.now);
  let rawKey: string | undefined;
  const delivery = await deliverOnce<
    DigestRecord,
    string,
    PostedDigest,
    | { readonly outcome: 'already-posted' }
    | { readonly outcome: 'in-progress'; heldBy: string; until: string }
    | undefined
  >({
    store,
    key: digestRecordKey(date),
    schema: DigestRecordSchema,
    now: clock.now,
    claim: (record, now) => {
      if (record?.status === 'posted' && !request.force)
        return { value: undefined, result: { outcome: 'already-posted' } };
      if (record?.claim !== undefined && isHeldByAnother(record.claim, runId, now)) {
        const until = new Date(claimEnd(record.claim)).toISOString();
        return { value: undefined, result: { outcome: 'in-progress', heldBy: record.claim.runId, until } };
      }
      const claimed: DigestRecord = {
        ...(record ?? { date, posts: 0 }),
        status: 'claimed',
        claim: newClaim(runId, now, clock.deadline(request.deadline)),
      };
      return { value: claimed, work: date, result: undefined };
    },
    send: async () => {
      const built = await buildDayDigest(deps, date, request);
      rawKey = built.rawKey;
      try {
        await deps.notifier.send(built.message);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DigestDeliveryError(
          `Slack did not accept the digest for ${date}; it will be posted next time: ${reason}`,
          { cause: error },
        );
      }
      return built;
    },
    confirm: (record, _date, posted, now) => {
      const { claim: _released, ...rest } = record ?? { date, posts: 0, status: 'posted' as const };
      return {
        ...rest,
        status: 'posted',
        posts: (record?.posts ?? 0) + 1,
        postedAt: now.toISOString(),
        rawKey: posted.rawKey,
        lastError: undefined,
      };
    },
    release: (record, _date, error) => {
      if (!record || record.claim?.runId !== runId) return undefined;
      const { claim: _released, ...rest } = record;
      // Slack's own words, not the wrapper's; a failure to build says what failed.
      const failure = error instanceof DigestDeliveryError ? error.cause : error;
      const lastError = failure instanceof Error ? failure.message : String(failure);
      return { ...rest, status: 'failed', lastError, ...(rawKey === undefined ? {} : { rawKey }) };
    },
  });
  const blocked = delivery.result;
  if (blocked !== undefined || delivery.delivered === undefined) {
    const outcome = blocked ?? { outcome: 'in-progress' as const };
    logger.info(
      outcome.outcome === 'already-posted'
        ? 'Digest already posted for this date'
        : 'Another run is posting this digest',
      { date, ...outcome },
    );
    return { ...outcome, date };
  }
  const posted = delivery.delivered.sent;
  logger.info('Digest posted', { date, rawKey: posted.rawKey });
  return { outcome: 'posted', date, rawKey: posted.rawKey, message: posted.message };
}

/** Fetches and archives the whole day, and builds its digest. */
async function buildDayDigest(deps: DigestDeps, date: string, request: DigestRequest): Promise<PostedDigest> {
  const { logger, timeZone } = deps;
  const day = await fetchAndArchive(deps, {
    kind: 'day',
    window: wholeDayWindow(date, timeZone),
    referenceTime: request.scheduledTime,
    deadline: request.deadline,
  });
  await curateFetchedDay(deps, day);
  const [previousDay, weekAgo, dayAlerts] = await Promise.all([
    earlierDay(deps, previousDate(date), timeZone, request.deadline, logger),
    earlierDay(deps, weekAgoDate(date), timeZone, request.deadline, logger),
    deps.dayAlerts(date),
  ]);
  const message = buildDigest(
    {
      date,
      timeZone,
      day: day.statistics,
      previousDay,
      weekAgo,
      alertsFired: dayAlerts.fired,
      snoozes: dayAlerts.snoozes,
      ...(dayAlerts.incidents === undefined ? {} : { incidents: dayAlerts.incidents }),
      archiveLocation: day.archived.location,
      topN: deps.topN,
      ...(deps.monitorName === undefined ? {} : { monitorName: deps.monitorName }),
    },
    { detail: (request.detail ?? false) || (deps.fullTable ?? false) },
  );
  return { rawKey: day.archived.key, message };
}

/**
 * An earlier day for comparisons: from the archive when it is there, otherwise fetched, archived
 * (with the day's end as its reference time, so a backfill would find it too) and curated. Undefined,
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
    await curateFetchedDay(deps, fetched);
    return fetched.statistics;
  } catch (error) {
    logger.warn('Could not get an earlier day for comparison; the digest shows no comparison for it', {
      date,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
