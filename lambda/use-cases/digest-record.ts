import * as z from '../domain/shared/zod';
import { ClaimSchema } from '../domain/slack/claim';

/**
 * `digest/<date>.json`: whether the digest of a local date was posted, so repeated invocations post
 * it once. A run claims the date before it posts; a claim past its end (the claiming run's deadline
 * and a grace; domain/slack/claim.ts, shared with alerts) is taken to be a crashed run's and may be taken
 * over.
 */
export const DIGEST_RECORD_PREFIX = 'digest/';

export const DigestRecordSchema = z.object({
  date: z.string(),
  /** `missed`: never posted and too old to catch up; said once in a "never posted" message. */
  status: z.enum(['claimed', 'posted', 'failed', 'missed']),
  claim: z.optional(ClaimSchema),
  /** How many times it was accepted by Slack (more than 1 only with --force). */
  posts: z.number().check(z.int(), z.nonnegative()),
  postedAt: z.optional(z.iso.datetime()),
  rawKey: z.optional(z.string()),
  lastError: z.optional(z.string()),
});

export type DigestRecord = z.infer<typeof DigestRecordSchema>;

export const digestRecordKey = (date: string): string => `${DIGEST_RECORD_PREFIX}${date}.json`;

/**
 * `digest/missed.json`: the "never posted" message, delivered through the delivery protocol
 * (deliver-once.ts): the run claims it here, sends it, then records the dates it listed, so a run
 * killed before it marked those dates `missed` does not list them again.
 */
export const MISSED_NOTICE_KEY = `${DIGEST_RECORD_PREFIX}missed.json`;

export const MissedNoticeSchema = z.object({
  /** Dates a message Slack accepted has listed (only those still inside the look-back are kept). */
  listed: z.array(z.iso.date()),
  claim: z.optional(ClaimSchema),
  /** When Slack last accepted one. */
  sentAt: z.optional(z.iso.datetime({ offset: true })),
});

export type MissedNotice = z.infer<typeof MissedNoticeSchema>;
