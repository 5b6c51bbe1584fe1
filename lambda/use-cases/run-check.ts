import { claim, releaseClaims } from '../domain/alerts/claims';
import { type Evaluation, evaluateRules, type RuleResult } from '../domain/alerts/evaluate';
import {
  type IncidentPlan,
  type IncidentSent,
  planIncident,
  recordIncident,
} from '../domain/alerts/incident-messages';
import type { Notification } from '../domain/alerts/notify';
import {
  type DeliveryMode,
  isRuleNotification,
  markNotified,
  owedNotifications,
} from '../domain/alerts/notify';
import { type Held, type OutgoingContext, outgoing } from '../domain/alerts/outgoing';
import { buildAlertMessage, DEFAULT_MONITOR_NAME } from '../domain/alerts/render';
import { DEFAULT_REMINDERS, type RepeatPolicy, type Rule } from '../domain/alerts/rules';
import type { ActiveRules } from '../domain/alerts/rules-source';
import {
  clearEndedSnoozes,
  endedSnoozes,
  type SnoozeEnd,
  snoozeEndLines,
  withSnoozeEnds,
} from '../domain/alerts/snooze';
import {
  ALERT_STATE_KEY,
  type AlertState,
  AlertStateSchema,
  emptyAlertState,
  recordRunFailure,
  recordRunSuccess,
} from '../domain/alerts/state';
import { newClaim } from '../domain/slack/claim';
import type { SlackAppChannel } from '../domain/slack/slack-app';
import { isSlackAuthFailure, slackErrorCode } from '../domain/slack/slack-delivery-error';
import type { Notifier, SlackMessage } from '../domain/slack/slack-message';
import {
  daySoFarWindow,
  isAskable,
  type QueryWindow,
  rollingWindow,
} from '../domain/statistics/query-window';
import { RulesUnavailableError } from './active-rules';
import { type ClaimStep, deliverOnce, storeClock } from './deliver-once';
import { createArchiveReader, readEvaluationInput } from './evaluation-input';
import { type ArchivedResponse, type FetchDeps, fetchAndArchive } from './fetch-and-archive';
import { sendIncidentPlan } from './incident-delivery';
import { deliverIncidentNotes } from './incident-notes';
import {
  DocumentCorruptError,
  lastKnownDocument,
  readDocument,
  serializeDocument,
  updateDocument,
  type VersionedDocument,
} from './json-document';
import { describeRunFailure } from './run-failure';

export interface CheckDeps extends FetchDeps {
  readonly notifier: Notifier;
  /**
   * Slack app mode: the alert channel over the Web API. Set, each incident gets one head message,
   * edited as it evolves, with its history in the thread (domain/alerts/incident.ts); `notifier`
   * then serves only single posts (the rules notice).
   */
  readonly slackApp?: SlackAppChannel;
  readonly rules: readonly Rule[];
  /** The rules in use with their version and source (the composition root sets it). */
  readonly activeRules?: ActiveRules;
  /**
   * Why the rules could not be read (the rules object or state/rules.json unreadable). The check
   * still fetches and archives, then counts as a failed run towards "monitor degraded".
   */
  readonly rulesFailure?: unknown;
  /** The rules notices ("rules invalid", "valid again", "rules changed") this run posted before the check, as sent. */
  readonly rulesNotices?: readonly string[];
  /** The group's reminder cadence (the rules file's `reminders`); default hourly with back-off. */
  readonly reminders?: RepeatPolicy;
  readonly timeZone: string;
  /** MONITOR_NAME: heads every alert message. */
  readonly monitorName?: string;
  readonly lineCapacity: number | undefined;
  /** Consecutive failed runs before "monitor degraded" is sent. */
  readonly failureThreshold: number;
  /** Identifies this run in claims (Lambda request id, or a random id). */
  readonly runId: string;
  /**
   * This host's clock: never for windows or decisions; claims use the store's clock (deliver-once.ts),
   * this one only when the store tells no time, and to turn the deadline into time left.
   */
  readonly now: () => Date;
  /**
   * Told every time Slack accepted an alert message of this run, with its notifications: also on a
   * run that then fails (a failed run still delivers what is owed, "monitor degraded" among it),
   * whose error carries no outcome.
   */
  readonly onDelivered?: (notifications: readonly Notification[]) => void;
}

export interface CheckRequest {
  /** The scheduled time: it alone decides the window, the archive key and every decision. */
  readonly scheduledTime: Date;
  readonly deadline?: number;
}

export type CheckOutcome =
  | {
      readonly outcome: 'evaluated';
      readonly window: QueryWindow;
      readonly archived: ArchivedResponse;
      /** The rolling-window responses this run fetched and archived, one per distinct window length. */
      readonly windows: readonly ArchivedResponse[];
      readonly results: readonly RuleResult[];
      /** What this run sent, in one message (empty: nothing was owed). */
      readonly sent: readonly Notification[];
      /** Notices posted in that message besides `sent` (a snooze that ended), one plain line each. */
      readonly notices: readonly string[];
      /** What was owed but held, and why (domain/alerts/outgoing.ts): muted, snoozed, claimed. */
      readonly held: readonly Held[];
      readonly apiLatencyMs: number;
    }
  | {
      readonly outcome: 'already-evaluated';
      readonly window: QueryWindow;
      /** The instant the state was last evaluated for: this one, or a later one. */
      readonly lastScheduledTime: string;
    };

/** Thrown when Slack refused the run's message; the state keeps the notifications owed. */
export class AlertDeliveryError extends Error {
  readonly notifications: readonly Notification[];
  constructor(message: string, notifications: readonly Notification[], options?: ErrorOptions) {
    super(message, options);
    this.name = 'AlertDeliveryError';
    this.notifications = notifications;
  }
}

/**
 * The scheduled check: fetch and archive the local day so far and every distinct rolling window the
 * rules judge (one call each, each archived under raw/window/), evaluate the rules, send what is owed
 * in one message, persist the state. The same scheduled time always gives the same window, keys and
 * decisions; a repeated one evaluates the archived bytes, changes nothing and sends nothing.
 */
export async function runCheck(deps: CheckDeps, request: CheckRequest): Promise<CheckOutcome> {
  const { store, logger, timeZone } = deps;
  const at = request.scheduledTime;
  const window = daySoFarWindow(at, timeZone);

  // Archive first: nothing in the state (not even a corrupt document) may stop the response being kept.
  let fetched: Awaited<ReturnType<typeof fetchAndArchive>>;
  let windowed: Array<Awaited<ReturnType<typeof fetchAndArchive>> | undefined>;
  const minutes = windowLengths(deps.rules);
  try {
    const fetch = (kind: 'check' | 'window', query: QueryWindow) =>
      fetchAndArchive(deps, { kind, window: query, referenceTime: at, deadline: request.deadline });
    // One after the other: a failing API fails the run on its first call, not on several at once.
    fetched = await fetch('check', window);
    windowed = [];
    for (const length of minutes) {
      const query = rollingWindow(at, length, timeZone);
      if (!isAskable(query)) {
        logger.info('Rolling window not asked: it reaches back across the hour a DST change repeats', {
          minutes: length,
          startTime: query.startTime,
          endTime: query.endTime,
        });
      }
      windowed.push(isAskable(query) ? await fetch('window', query) : undefined);
    }
  } catch (error) {
    await recordFailure(deps, at, describeRunFailure(error), request.deadline).catch(
      (stateError: unknown) => {
        logger.error('Could not record the failed run in the alert state', { error: String(stateError) });
      },
    );
    throw error;
  }

  if (deps.rulesFailure !== undefined) {
    const failure = new RulesUnavailableError(deps.rulesFailure, fetched.archived.location);
    await recordFailure(deps, at, describeRunFailure(failure), request.deadline);
    throw failure;
  }

  const before = await readAlertState(deps, at, request.deadline);
  const last = before?.value.lastScheduledTime;
  if (before !== undefined && last !== undefined && evaluatedBy(before.value, at)) {
    logger.info('Check already evaluated for this scheduled time; nothing to do', {
      scheduledTime: at.toISOString(),
      lastScheduledTime: last,
    });
    return { outcome: 'already-evaluated', window, lastScheduledTime: last };
  }

  // Earlier responses are read only when a rule in use can use them, as replay reads them.
  const windows = new Map(minutes.map((length, index) => [length, windowed[index]?.statistics]));
  const reading = await readEvaluationInput(createArchiveReader(store), deps, at, {
    statistics: fetched.statistics,
    windows: definedValues(windows),
  });
  const clock = storeClock(store, deps.now);
  const {
    result: evaluation,
    delivered,
    document: after,
  } = await deliverAlerts<Evaluation & { readonly held?: readonly Held[] }>(
    deps,
    at,
    (current, now) => {
      const evaluated = evaluateRules({
        ...reading,
        state: recordRunSuccess(current ?? emptyAlertState(), at),
        reminders: deps.reminders ?? DEFAULT_REMINDERS,
        delivery: deliveryMode(deps),
      });
      if (evaluated.outcome === 'already-evaluated') return { value: undefined, result: evaluated };
      // Mute periods, snoozes and other runs' claims hold what they cover; held stays owed.
      const { send: notifications, held } = outgoing(
        evaluated.state,
        evaluated.notifications,
        at,
        suppression(deps, now),
      );
      const snoozeEnds = endedSnoozes(evaluated.state, deps.rules, at);
      const stamp = newClaim(deps.runId, now, clock.deadline(request.deadline));
      return {
        value: claim(evaluated.state, notifications, stamp),
        result: { ...evaluated, notifications, held },
        ...(notifications.length > 0 || snoozeEnds.length > 0 ? { work: { notifications, snoozeEnds } } : {}),
      };
    },
    // The state read above saves a read; if another run wrote since, the CAS conflict re-reads it.
    before ?? null,
  ).catch(async (error: unknown) => {
    if (error instanceof AlertDeliveryError && isSlackAuthFailure(error))
      await recordSlackRefusal(deps, at, error);
    throw error;
  });
  if (evaluation.outcome === 'already-evaluated') {
    const lastScheduledTime = evaluation.state.lastScheduledTime ?? at.toISOString();
    logger.info('Another run evaluated this scheduled time first; nothing to do', {
      scheduledTime: at.toISOString(),
      lastScheduledTime,
    });
    return { outcome: 'already-evaluated', window, lastScheduledTime };
  }
  // App mode: notes a command-line snooze left owed (Slack refused them then) go with the check;
  // the state this run just wrote says whether any are, so a check with none pays no extra read.
  if (deps.slackApp !== undefined && (after?.value.incident?.notes?.length ?? 0) > 0)
    await deliverOwedNotes(deps, request.deadline, after);
  if (evaluation.droppedRuleIds.length > 0) {
    logger.warn('Rules no longer in the rules file; their state was dropped', {
      ruleIds: evaluation.droppedRuleIds,
    });
  }
  return {
    outcome: 'evaluated',
    window,
    archived: fetched.archived,
    windows: windowed.flatMap((response) => (response === undefined ? [] : [response.archived])),
    results: evaluation.results,
    sent: evaluation.notifications,
    // The snooze-end lines the message carried (only when it was sent).
    notices: delivered === undefined ? [] : snoozeEndLines(delivered.work.snoozeEnds, timeZone),
    held: evaluation.held ?? [],
    apiLatencyMs: fetched.fetched.latencyMs,
  };
}

/** Delivers the owed incident notes (use-cases/incident-notes.ts); a failure is logged, never the check's. */
async function deliverOwedNotes(
  deps: CheckDeps,
  deadline: number | undefined,
  alreadyRead: VersionedDocument<AlertState> | undefined,
): Promise<void> {
  if (deps.slackApp === undefined) return;
  await deliverIncidentNotes({
    ...(alreadyRead === undefined ? {} : { alreadyRead }),
    store: deps.store,
    slackApp: deps.slackApp,
    logger: deps.logger,
    rules: deps.rules,
    ...(deps.reminders === undefined ? {} : { reminders: deps.reminders }),
    timeZone: deps.timeZone,
    monitorName: monitorNameOf(deps),
    runId: deps.runId,
    now: deps.now,
    ...(deadline === undefined ? {} : { deadline }),
  }).catch((error: unknown) => {
    deps.logger.error('Could not deliver the owed incident notes; they stay owed', { error: String(error) });
  });
}

/** The distinct rolling-window lengths the rules judge (short windows of two-window rules too), shortest first. */
export const windowLengths = (rules: readonly Rule[]): number[] =>
  [
    ...new Set(
      rules.flatMap((rule) =>
        rule.window === undefined
          ? []
          : rule.window.short === undefined
            ? [rule.window.minutes]
            : [rule.window.short, rule.window.minutes],
      ),
    ),
  ].sort((a, b) => a - b);

const definedValues = <K, V>(map: ReadonlyMap<K, V | undefined>): Map<K, V> =>
  new Map([...map].filter((entry): entry is [K, V] => entry[1] !== undefined));

/**
 * Thrown when the alert state could not be read: it was set aside (`aside`), a fresh state records
 * the monitor as degraded, and the next check starts afresh (firing alerts are announced again).
 */
export class AlertStateCorruptError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AlertStateCorruptError';
  }
}

/**
 * The alert state, or — when it cannot be read (not JSON, not its schema) — a loud restart instead of
 * a silent stop: the document is copied aside as `state/alerts.corrupt-<instant>.json`, replaced
 * (compare-and-swap against the corrupt copy, so a hand fix made meanwhile wins) by a fresh state
 * whose monitor is degraded at once, the "monitor degraded" alert goes out naming where the copy is,
 * and the run fails. The next check evaluates from the fresh state and sends "recovered".
 */
async function readAlertState(deps: CheckDeps, at: Date, deadline: number | undefined) {
  const { store } = deps;
  // A warm container saves the read: the state as its last run wrote it starts the claim, a
  // compare-and-swap on that version, so a change by another writer since makes S3 refuse the write
  // and the state is read again. Only to go ahead: a state that says this instant is done is read
  // afresh, since only the stored one may say so (a `watermark reset` moves it back).
  const known = lastKnownDocument(store, ALERT_STATE_KEY, AlertStateSchema);
  if (known !== undefined && !evaluatedBy(known.value, at)) return known;
  try {
    return await readDocument(store, ALERT_STATE_KEY, AlertStateSchema);
  } catch (error) {
    if (!(error instanceof DocumentCorruptError)) throw error;
    const corrupt = await store.get(ALERT_STATE_KEY);
    if (!corrupt) throw error;
    const aside = `state/alerts.corrupt-${at.toISOString().replace(/[-:.]/g, '')}.json`;
    await store.createIfAbsent(aside, corrupt.bytes, { contentType: 'application/json', metadata: {} });
    const fresh = emptyAlertState();
    await store.replace(ALERT_STATE_KEY, serializeDocument(store, ALERT_STATE_KEY, AlertStateSchema, fresh), {
      contentType: 'application/json',
      metadata: {},
      expectedVersion: corrupt.version,
    });
    const reason = `alert state unreadable (${error.message}); set aside as ${aside}, started afresh`;
    await recordFailure({ ...deps, failureThreshold: 1 }, at, reason, deadline);
    throw new AlertStateCorruptError(
      `${error.message}. It was set aside as ${store.describe(aside)} and a fresh state started; ` +
        'firing alerts are announced again by the next check.',
      { cause: error },
    );
  }
}

/** Whether `state` was already evaluated for `at` or a later instant. */
const evaluatedBy = (state: AlertState, at: Date): boolean =>
  state.lastScheduledTime !== undefined && at.getTime() <= Date.parse(state.lastScheduledTime);

/** Counts a failed run towards "monitor degraded", and sends that alert once it is owed. */
async function recordFailure(
  deps: CheckDeps,
  at: Date,
  reason: string,
  deadline: number | undefined,
): Promise<void> {
  const clock = storeClock(deps.store, deps.now);
  await deliverAlerts(deps, at, (current, now) => {
    const failed = recordRunFailure(current ?? emptyAlertState(), at, reason, deps.failureThreshold);
    const owed = owedNotifications(failed, deps.rules, at, deps.timeZone, deps.reminders, deliveryMode(deps));
    const { send: notifications } = outgoing(failed, owed, at, suppression(deps, now));
    const stamp = newClaim(deps.runId, now, clock.deadline(deadline));
    return {
      value: claim(failed, notifications, stamp),
      result: undefined,
      ...(notifications.length > 0 ? { work: { notifications, snoozeEnds: [] } } : {}),
    };
  });
}

/**
 * Slack refused the bot token even after the secret was read again (app mode): no later attempt in
 * this run can pass, so the run counts as failed and the monitor as degraded at once (state and the
 * RunFailed/SlackFailures metrics say so; Slack itself cannot be told). The alerts stay owed.
 */
async function recordSlackRefusal(deps: CheckDeps, at: Date, error: AlertDeliveryError): Promise<void> {
  const reason = `Slack refused the bot token (${slackErrorCode(error) ?? 'invalid_auth'}): alerts are owed until it is fixed`;
  await updateDocument(deps.store, ALERT_STATE_KEY, AlertStateSchema, (current) => ({
    value: current && recordRunFailure(current, at, reason, 1),
    result: undefined,
  })).catch((stateError: unknown) => {
    deps.logger.error('Could not record the refused Slack token in the alert state', {
      error: String(stateError),
    });
  });
}

/** The suppression stage's context for this run: its rules, zone, and its claims on the store's clock. */
const suppression = (deps: CheckDeps, now: Date): OutgoingContext => ({
  rules: deps.rules,
  timeZone: deps.timeZone,
  ...(deps.reminders === undefined ? {} : { reminders: deps.reminders }),
  claims: { runId: deps.runId, now },
  delivery: deliveryMode(deps),
});

/** Slack app mode edits one message per incident, so it says every change at once; webhook mode batches. */
const deliveryMode = (deps: CheckDeps): DeliveryMode => (deps.slackApp === undefined ? 'webhook' : 'app');

/** What one alert message delivers: the notifications it announces and the snoozes it says ended. */
interface AlertWork {
  readonly notifications: readonly Notification[];
  readonly snoozeEnds: readonly SnoozeEnd[];
  /** Slack app mode: how the incident's head and thread carry it (domain/alerts/incident-messages.ts). */
  readonly incident?: IncidentPlan;
}

/**
 * Alerts through the delivery protocol (deliver-once.ts): `decide` evaluates and claims in one
 * write; one message goes out (in app mode: the incident's head posted, or edited with a reply in
 * its thread); only once Slack accepted it are the notifications recorded as notified (and the
 * ended snoozes cleared, and where the incident's head is). Slack refusing it releases the claims:
 * they stay owed.
 */
function deliverAlerts<R>(
  deps: CheckDeps,
  at: Date,
  decide: (current: AlertState | undefined, now: Date) => ClaimStep<AlertState, AlertWork, R>,
  alreadyRead?: VersionedDocument<AlertState> | null,
) {
  const { store, logger, runId, slackApp } = deps;
  return deliverOnce<AlertState, AlertWork, IncidentSent, R>({
    store,
    key: ALERT_STATE_KEY,
    schema: AlertStateSchema,
    now: storeClock(store, deps.now).now,
    ...(alreadyRead === undefined ? {} : { alreadyRead }),
    claim: (current, now) => {
      const step = decide(current, now);
      if (slackApp === undefined || step.work === undefined || step.value === undefined) return step;
      const message = alertMessage(deps, step.work, at);
      if (message === undefined) return step;
      const context = {
        at,
        timeZone: deps.timeZone,
        monitorName: monitorNameOf(deps),
        rules: deps.rules,
        ...(deps.reminders === undefined ? {} : { reminders: deps.reminders }),
      };
      const incident = planIncident(step.value, step.work.notifications, message, context);
      return { ...step, work: { ...step.work, incident } };
    },
    send: (work) =>
      deliverMessage(deps, work, async () => {
        if (slackApp !== undefined && work.incident !== undefined) {
          return sendIncidentPlan(slackApp, work.incident, logger);
        }
        const message = alertMessage(deps, work, at);
        if (message !== undefined) await deps.notifier.send(message);
        return {};
      }),
    confirm: (current, { notifications, snoozeEnds, incident }, sent) => {
      if (current === undefined) return current;
      const notified = clearEndedSnoozes(
        releaseClaims(markNotified(current, notifications, at), notifications, runId),
        snoozeEnds,
      );
      return incident === undefined ? notified : recordIncident(notified, incident, sent, at);
    },
    release: (current, { notifications }) => current && releaseClaims(current, notifications, runId),
  }).then((delivery) => {
    const sent = delivery.delivered?.work.notifications ?? [];
    if (sent.length > 0) {
      logger.info('Alert message sent', { notifications: sent.map((n) => n.key) });
      deps.onDelivered?.(sent);
    }
    return delivery;
  });
}

const monitorNameOf = (deps: CheckDeps) => deps.monitorName ?? DEFAULT_MONITOR_NAME;

/** The one message for `work`, as webhook mode posts it; none when there is nothing to say. */
function alertMessage(deps: CheckDeps, work: AlertWork, at: Date): SlackMessage | undefined {
  const { notifications, snoozeEnds } = work;
  const monitorName = monitorNameOf(deps);
  const announced = new Set(notifications.flatMap((n) => (isRuleNotification(n) ? [n.ruleId] : [])));
  return withSnoozeEnds(
    notifications.length === 0
      ? undefined
      : buildAlertMessage(notifications, { at, timeZone: deps.timeZone, monitorName }),
    snoozeEndLines(snoozeEnds, deps.timeZone, announced),
    monitorName,
  );
}

/** Runs `send`; Slack refusing becomes AlertDeliveryError (the alerts stay owed). */
async function deliverMessage<D>(deps: CheckDeps, work: AlertWork, send: () => Promise<D>): Promise<D> {
  const { notifications } = work;
  try {
    return await send();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.logger.error('Slack did not accept the alert message; the alerts stay owed for the next run', {
      notifications: notifications.map((n) => n.key),
      error: reason,
    });
    throw new AlertDeliveryError(
      `Slack did not accept ${notifications.length} alert notification(s): ${reason}`,
      notifications,
      { cause: error },
    );
  }
}
