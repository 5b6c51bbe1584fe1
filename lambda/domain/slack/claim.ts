import * as z from '../shared/zod';

/**
 * A claim: a run records (by compare-and-swap, in the document it is about) that it is delivering
 * something right now, so an overlapping run leaves that alone. Alerts and digests share the one
 * claim shape and the one rule for its end: a claim past its end belongs to a run that died, and
 * what it claimed is owed again.
 *
 * A claim ends when the run that made it can no longer send or record anything: its deadline (after
 * which every Slack post and S3 request is refused) plus CLAIM_GRACE_MS for what was in flight. So a
 * run with a 15-minute Lambda timeout keeps its claim as long as it lives, and one that died with the
 * default 2-minute timeout frees its claim for the next check. A claim never outlives
 * CLAIM_MAX_MS (the longest Lambda timeout and the grace); one without a deadline (written before
 * claims had one) ends CLAIM_TTL_MS after it was made.
 */

/** The end of a claim with no deadline in it. */
export const CLAIM_TTL_MS = 10 * 60_000;
/** After its deadline, a run may still finish a request that was in flight. */
export const CLAIM_GRACE_MS = 60_000;
/** Lambda's longest timeout (15 minutes) and the grace: no run lives longer. */
export const CLAIM_MAX_MS = 15 * 60_000 + CLAIM_GRACE_MS;

const Instant = z.iso.datetime({ offset: true });

export const ClaimSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  at: Instant,
  /** When the claiming run can no longer send or record: its deadline and the grace. */
  until: z.optional(Instant),
});
export type Claim = z.infer<typeof ClaimSchema>;

/** The claim `runId` makes at `now`, ending with its deadline (epoch ms) when it has one. */
export function newClaim(runId: string, now: Date, deadline: number | undefined): Claim {
  const at = now.toISOString();
  if (deadline === undefined) return { runId, at };
  const until = Math.min(deadline + CLAIM_GRACE_MS, now.getTime() + CLAIM_MAX_MS);
  return { runId, at, until: new Date(until).toISOString() };
}

/** Epoch ms at which `claim` ends. */
export const claimEnd = (claim: Claim): number => {
  const at = Date.parse(claim.at);
  if (claim.until === undefined) return at + CLAIM_TTL_MS;
  return Math.min(Date.parse(claim.until), at + CLAIM_MAX_MS);
};

/** True while `claim` keeps `runId` off: another run holds it and it has not ended. */
export const isHeldByAnother = (claim: Claim | undefined, runId: string, now: Date): boolean =>
  claim !== undefined && claim.runId !== runId && now.getTime() < claimEnd(claim);
