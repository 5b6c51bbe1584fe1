import * as z from './zod';

/**
 * A claim: a run records (by compare-and-swap, in the document it is about) that it is delivering
 * something right now, so an overlapping run leaves that alone. Alerts and digests share the one
 * claim shape and the one timeout: a claim older than CLAIM_TTL_MS belongs to a run that died, and
 * what it claimed is owed again.
 */
export const CLAIM_TTL_MS = 10 * 60_000;

export const ClaimSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  at: z.iso.datetime({ offset: true }),
});
export type Claim = z.infer<typeof ClaimSchema>;

/** True while `claim` keeps `runId` off: another run holds it and it is younger than CLAIM_TTL_MS. */
export const isHeldByAnother = (claim: Claim | undefined, runId: string, now: Date): boolean =>
  claim !== undefined && claim.runId !== runId && now.getTime() - Date.parse(claim.at) < CLAIM_TTL_MS;
