import * as z from '../shared/zod';
import type { Measurement } from './measure';
import { type Comparison, type Severity, SeveritySchema } from './rules';

/**
 * The episode record: one stretch of a rule's condition, from its first breaching run to its first
 * healthy run, kept in the alert state as the checks run. It is the one account of an alert that
 * every later reader uses: the fired, reminder and resolved messages, the digest's alert list and the
 * curated `alert_episodes` table all take their times, severities and values from here, so they
 * cannot disagree.
 *
 * - `began` is the first breaching run (before pendingRuns made it fire), `ended` the first healthy
 *   run (before recoveryRuns resolved it): the condition's own span, which every message shows.
 * - `worst` is the worst value any check judged from `began` until the episode closed: pending runs
 *   and firing runs alike (a run with too few calls to judge, or no data, measures nothing).
 * - `peak` is the highest severity and the run that reached it (fired or escalated); `easedAt` the
 *   run that last eased below it, absent while the episode stands at its peak.
 * - `notified` lists every message Slack accepted about it, with the value it quoted.
 *
 * An episode opens at the first breaching run; one that never fires (back to ok while pending) is
 * dropped: it was never an alert. An open episode has no `ended`; a closed one always fired.
 */

const Instant = z.iso.datetime({ offset: true });

export const EpisodeConditionSchema = z.enum(['threshold', 'no-data']);

export const EpisodeMessageKindSchema = z.enum(['fired', 'escalated', 'de-escalated', 'repeat', 'resolved']);

/** A message Slack accepted about the episode. */
export const EpisodeMessageSchema = z.object({
  kind: EpisodeMessageKindSchema,
  /** The notification's key: recording the same message twice adds nothing. */
  key: z.string(),
  /** When Slack accepted it. */
  at: Instant,
  severity: SeveritySchema,
  /** The value the message quoted; null when it quoted none (no data). */
  value: z.nullable(z.number()),
});
export type EpisodeMessage = z.infer<typeof EpisodeMessageSchema>;

const ValueAtSchema = z.object({ value: z.number(), at: Instant });

export const EpisodeSchema = z.object({
  ruleId: z.string(),
  condition: EpisodeConditionSchema,
  /** First breaching run of the condition. */
  began: Instant,
  /** The run at which pendingRuns breaching runs made it fire; absent while it is only pending. */
  firedAt: z.optional(Instant),
  /** The severity now (open) or when it ended (closed); absent while only pending. */
  severity: z.optional(SeveritySchema),
  /** The highest severity reached and the run that first reached it. */
  peak: z.optional(z.object({ severity: SeveritySchema, at: Instant })),
  /** The run that last eased it below its peak; absent while at its peak. */
  easedAt: z.optional(Instant),
  /** The worst value a check judged during the episode, and that run; null when none was judged. */
  worst: z.nullable(ValueAtSchema),
  /** Reminders Slack accepted: the next reminder is number `reminders + 1`. */
  reminders: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  /** Messages Slack accepted (the first and the latest MESSAGE_LIMIT − 1 when there were more). */
  notified: z._default(z.array(EpisodeMessageSchema), []),
  /** First healthy run: where the condition ended. Absent while open. */
  ended: z.optional(Instant),
  /** The run that resolved it (after recoveryRuns healthy runs, or when data returned). */
  resolvedAt: z.optional(Instant),
  /** The value measured by the resolving run; null when it resolved without data. */
  resolvedValue: z.optional(z.nullable(z.number())),
});
export type Episode = z.infer<typeof EpisodeSchema>;

/** An episode that fired: what messages, the digest and curation read. */
export type FiredEpisode = Episode & Required<Pick<Episode, 'firedAt' | 'severity' | 'peak'>>;
/** An episode that fired and ended. */
export type ClosedEpisode = FiredEpisode & Required<Pick<Episode, 'ended' | 'resolvedAt' | 'resolvedValue'>>;

export const isFired = (episode: Episode): episode is FiredEpisode =>
  episode.firedAt !== undefined && episode.severity !== undefined && episode.peak !== undefined;

export const isClosed = (episode: Episode): episode is ClosedEpisode =>
  isFired(episode) && episode.ended !== undefined && episode.resolvedAt !== undefined;

/** Closed episodes are kept this long after they resolved: the digest of any of the last two weeks. */
export const EPISODE_RETENTION_DAYS = 15;
/** At most this many closed episodes (the oldest go first): bounds the state document. */
export const EPISODE_LIMIT = 200;
/** Messages kept per episode: the first and the latest. */
export const MESSAGE_LIMIT = 40;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { warn: 1, crit: 2 };

/** The worse of two readings for a rule: lower for `below`, higher for `above`; the earlier on a tie. */
export function worseOf(
  comparison: Comparison,
  current: Episode['worst'],
  candidate: Episode['worst'],
): Episode['worst'] {
  if (current === null) return candidate;
  if (candidate === null) return current;
  const worse = comparison === 'below' ? candidate.value < current.value : candidate.value > current.value;
  return worse ? candidate : current;
}

/** What a run judged: a value only when the measurement judged one. */
export const judgedValue = (measurement: Measurement, at: string): Episode['worst'] =>
  measurement.kind === 'value' ? { value: measurement.value, at } : null;

/** Opens an episode at its first breaching run. */
export const openEpisode = (
  ruleId: string,
  condition: Episode['condition'],
  began: string,
  reading: Episode['worst'],
): Episode => ({ ruleId, condition, began, worst: reading, reminders: 0, notified: [] });

/** The episode reaching a (new) severity at `at`: fired, escalated or eased. */
export function withSeverity(episode: Episode, severity: Severity, at: string): Episode {
  if (episode.severity === severity && episode.peak !== undefined) return episode;
  const peak = episode.peak;
  if (peak === undefined || SEVERITY_RANK[severity] > SEVERITY_RANK[peak.severity]) {
    const { easedAt: _cleared, ...rest } = episode;
    return { ...rest, severity, peak: { severity, at } };
  }
  if (severity === peak.severity) {
    const { easedAt: _cleared, ...rest } = episode;
    return { ...rest, severity };
  }
  return { ...episode, severity, easedAt: at };
}

/** Records a message Slack accepted; the same key twice is one message. */
export function withMessage(episode: Episode, message: EpisodeMessage, repeatNumber?: number): Episode {
  const reminders =
    repeatNumber === undefined ? episode.reminders : Math.max(episode.reminders, repeatNumber);
  if (episode.notified.some((known) => known.key === message.key)) return { ...episode, reminders };
  const notified = [...episode.notified, message];
  const kept =
    notified.length > MESSAGE_LIMIT
      ? [...notified.slice(0, 1), ...notified.slice(-(MESSAGE_LIMIT - 1))]
      : notified;
  return { ...episode, reminders, notified: kept };
}

/**
 * The closed episodes worth keeping at `at`: resolved within EPISODE_RETENTION_DAYS, at most
 * EPISODE_LIMIT of them, newest kept; an episode whose resolution Slack has not yet accepted (`owed`)
 * is always kept, so its message can still be written from it.
 */
export function retainEpisodes(
  closed: readonly ClosedEpisode[],
  at: Date,
  owed: (episode: ClosedEpisode) => boolean,
): ClosedEpisode[] {
  const oldest = at.getTime() - EPISODE_RETENTION_DAYS * 86_400_000;
  const recent = closed.filter((episode) => Date.parse(episode.resolvedAt) >= oldest || owed(episode));
  const excess = recent.length - EPISODE_LIMIT;
  let dropped = 0;
  return recent.filter((episode) => {
    if (dropped >= excess || owed(episode)) return true;
    dropped += 1;
    return false;
  });
}

/** What the episode record needs of a rule's state: a structural view of RuleState. */
export type EpisodeRuleView =
  | { readonly status: 'ok' }
  | {
      readonly status: 'pending';
      readonly condition: Episode['condition'];
      readonly breachedAt: string;
    }
  | {
      readonly status: 'firing';
      readonly condition: Episode['condition'];
      readonly breachedAt: string;
      readonly firedAt: string;
      readonly severity: Severity;
      readonly healthySince?: string;
    };

/** A rule's episode after one run: the one still open, or the one the run closed. */
export interface EpisodeStep {
  readonly open?: Episode;
  readonly closed?: ClosedEpisode;
}

/**
 * Moves a rule's open episode along with its state machine: `before` and `after` are the rule's
 * state around the run at `now` that measured `measurement`.
 */
export function stepEpisode(
  comparison: Comparison,
  ruleId: string,
  open: Episode | undefined,
  before: EpisodeRuleView | undefined,
  after: EpisodeRuleView,
  measurement: Measurement,
  now: string,
): EpisodeStep {
  const reading = judgedValue(measurement, now);
  // A fired episode ends when its rule no longer fires it: back to ok, or (no data, then data that
  // breaches at once) a new condition in the same run.
  const ends =
    open !== undefined && isFired(open) && (after.status !== 'firing' || after.firedAt !== open.firedAt);
  const closed = ends ? closeEpisode(comparison, open, before, measurement, now) : undefined;
  const carried = ends ? undefined : open;
  if (after.status === 'ok') return { closed };
  const continues =
    carried !== undefined && carried.condition === after.condition && carried.began === after.breachedAt;
  const current = continues ? carried : openEpisode(ruleId, after.condition, after.breachedAt, null);
  const read = { ...current, worst: worseOf(comparison, current.worst, reading) };
  if (after.status === 'pending') return { open: read, closed };
  // An episode first seen firing (a document from before episodes) peaked, as far as is known, when it fired.
  const reached = read.peak === undefined ? after.firedAt : now;
  return { open: withSeverity({ ...read, firedAt: after.firedAt }, after.severity, reached), closed };
}

function closeEpisode(
  comparison: Comparison,
  open: FiredEpisode,
  before: EpisodeRuleView | undefined,
  measurement: Measurement,
  now: string,
): ClosedEpisode {
  // The condition ended at the first of the healthy runs that resolved it, or at this run.
  const ended = before?.status === 'firing' && before.healthySince !== undefined ? before.healthySince : now;
  // A value that ends a no-data episode belongs to what follows, not to the episode without data.
  const worst =
    open.condition === 'threshold'
      ? worseOf(comparison, open.worst, judgedValue(measurement, now))
      : open.worst;
  return { ...open, worst, ended, resolvedAt: now, resolvedValue: measured(measurement) };
}

const measured = (measurement: Measurement): number | null =>
  'value' in measurement && measurement.value !== undefined ? measurement.value : null;
