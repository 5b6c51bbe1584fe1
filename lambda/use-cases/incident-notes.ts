import { buildIncidentHead, type IncidentPlan, recordIncident } from '../domain/alerts/incident-messages';
import type { RepeatPolicy, Rule } from '../domain/alerts/rules';
import { ALERT_STATE_KEY, type AlertState, AlertStateSchema } from '../domain/alerts/state';
import type { ObjectStore } from '../domain/archive/object-store';
import { newClaim } from '../domain/slack/claim';
import { claimIncidentNotes, type IncidentNote, settleIncidentNotes } from '../domain/slack/incident-notes';
import type { SlackAppChannel } from '../domain/slack/slack-app';
import type { Logger } from '../shared/logger';
import { deliverOnce, storeClock } from './deliver-once';
import { sendIncidentPlan } from './incident-delivery';
import type { VersionedDocument } from './json-document';

/**
 * Delivers the thread notes owed on the open incident (domain/slack/incident-notes.ts: a `snooze`
 * or `unsnooze` from the command line) the way a check delivers its changes in app mode: the head
 * edited (`chat.update`, re-rendered from the alert state, so it shows the snooze as a click's edit
 * would) and one reply in its thread, through the delivery protocol on the alert state — claimed
 * on the incident, recorded once Slack accepted, still owed (the next check tries again) when Slack
 * refused. The command runs it right after its change; every check in app mode runs it too.
 */

export interface IncidentNotesDeps {
  readonly store: ObjectStore;
  readonly slackApp: SlackAppChannel;
  readonly logger: Logger;
  /** The rules in use: the head shows each alert as the check last measured it. */
  readonly rules: readonly Rule[];
  readonly reminders?: RepeatPolicy;
  readonly timeZone: string;
  readonly monitorName?: string;
  readonly runId: string;
  readonly now: () => Date;
  readonly deadline?: number;
  /** The alert state as the caller just wrote or read it, to save the claim step's read. */
  readonly alreadyRead?: VersionedDocument<AlertState>;
}

/** What a run did with the owed notes. */
export type IncidentNotesOutcome =
  | { readonly outcome: 'none' }
  | { readonly outcome: 'sent'; readonly notes: readonly string[] }
  | { readonly outcome: 'owed'; readonly error: string };

/** Slack refused the head edit or the reply (caught in deliverIncidentNotes: the notes stay owed). */
class IncidentNotesRefusedError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'IncidentNotesRefusedError';
  }
}

interface NotesWork {
  readonly plan: Extract<IncidentPlan, { kind: 'update' }>;
  readonly notes: readonly IncidentNote[];
}

/** Sends what is owed; never throws for Slack's refusal (it stays owed), only for the store's failures. */
export async function deliverIncidentNotes(deps: IncidentNotesDeps): Promise<IncidentNotesOutcome> {
  const { store, logger, runId } = deps;
  const clock = storeClock(store, deps.now);
  const at = deps.now();
  const context = {
    at,
    timeZone: deps.timeZone,
    rules: deps.rules,
    ...(deps.monitorName === undefined ? {} : { monitorName: deps.monitorName }),
    ...(deps.reminders === undefined ? {} : { reminders: deps.reminders }),
  };
  try {
    const delivery = await deliverOnce<
      AlertState,
      NotesWork,
      Awaited<ReturnType<typeof sendIncidentPlan>>,
      undefined
    >({
      store,
      key: ALERT_STATE_KEY,
      schema: AlertStateSchema,
      now: clock.now,
      ...(deps.alreadyRead === undefined ? {} : { alreadyRead: deps.alreadyRead }),
      claim: (current, now) => {
        const claimed =
          current && claimIncidentNotes(current, newClaim(runId, now, clock.deadline(deps.deadline)), now);
        if (claimed === undefined) return { value: undefined, result: undefined };
        const { incident, notes } = claimed;
        const text = notes.map((note) => note.text).join('\n');
        const plan = {
          kind: 'update' as const,
          incident,
          members: incident.members,
          severity: incident.severity,
          head: buildIncidentHead(claimed.state, incident, context),
          reply: { text, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }] },
          broadcast: false,
          closes: false,
        };
        return { value: claimed.state, work: { plan, notes }, result: undefined };
      },
      send: (work) =>
        sendIncidentPlan(deps.slackApp, work.plan, logger).catch((error: unknown) => {
          throw new IncidentNotesRefusedError(error);
        }),
      confirm: (current, work, sent) => {
        if (current?.incident?.openedAt !== work.plan.incident.openedAt) return current;
        const recorded = recordIncident(current, work.plan, sent, at);
        return settleIncidentNotes(recorded, work.plan.incident.openedAt, work.notes, runId);
      },
      release: (current, work) =>
        current && settleIncidentNotes(current, work.plan.incident.openedAt, [], runId),
    });
    const sent = delivery.delivered?.work.notes.map((note) => note.text) ?? [];
    if (sent.length === 0) return { outcome: 'none' };
    logger.info('Incident notes sent: head edited, thread reply posted', { notes: sent.length });
    return { outcome: 'sent', notes: sent };
  } catch (error) {
    if (!(error instanceof IncidentNotesRefusedError)) throw error;
    logger.warn('Slack did not accept the incident notes; they stay owed for the next check', {
      error: error.message,
    });
    return { outcome: 'owed', error: error.message };
  }
}
