import type { ObjectStore } from '../domain/archive/object-store';
import type * as z from '../domain/shared/zod';
import { updateDocument, type VersionedDocument } from './json-document';

/**
 * The one delivery protocol: alerts, digests and the rules notice reach Slack through it.
 *
 *   1. claim    — one compare-and-swap on the document the delivery is about records that this run
 *                 is delivering it (a `Claim`: run id, when, until when; domain/slack/claim.ts). A live
 *                 claim of another run means "leave it alone"; a claim past its end belongs to a run
 *                 that died, and what it claimed is owed again.
 *   2. send     — the message goes out (Slack). It may return data the confirm stores (a digest's
 *                 archived key today; a Slack app's message `ts` for later edits and thread replies).
 *   3. confirm  — a second compare-and-swap records what was delivered and drops the claim.
 *      release  — if `send` throws (Slack refused, the message could not be built), the claim is
 *                 dropped instead and the thing stays owed; the error is rethrown.
 *
 * Guarantee: at least once, never twice while a claim lives. Overlapping runs cannot both send,
 * because only one compare-and-swap wins the claim. A run that dies after Slack accepted but before
 * `confirm` was written leaves its claim behind: once the claim ends (the run's deadline plus a
 * grace; domain/slack/claim.ts) the next run sends the same thing again. That gap, between Slack's
 * answer and one S3 write, is the only way a message is sent twice; a run that dies anywhere else
 * loses nothing and duplicates nothing.
 *
 * Claims are made and judged on the store's clock (`StoreClock`), never on the claimer's: a run
 * whose host is minutes slow still sees another run's claim as live.
 *
 * Each step is a pure function of the document as it stands (`claim`, `confirm` and `release` are
 * re-applied to the newer document on a compare-and-swap conflict), so they must not have side
 * effects; `send` runs once.
 */

/** What `claim` decided: the document to write (undefined: leave it) and the work to deliver. */
export interface ClaimStep<T, W, R> {
  readonly value: T | undefined;
  /** What this run now delivers; undefined: nothing to send (another run holds it, or none owed). */
  readonly work?: W;
  /** Anything the caller wants back from the claim step (e.g. the evaluation it made). */
  readonly result: R;
}

export interface DeliverySteps<T, W, D, R> {
  readonly store: ObjectStore;
  readonly key: string;
  readonly schema: z.ZodMiniType<T>;
  /** The store's time (`StoreClock.now`): claims are stamped and judged with it. */
  readonly now: () => Date;
  /** The document as the caller just read it (null: found absent), to save the claim step's read. */
  readonly alreadyRead?: VersionedDocument<T> | null;
  readonly claim: (current: T | undefined, now: Date) => ClaimStep<T, W, R>;
  readonly send: (work: W) => Promise<D>;
  /** The document once `send` succeeded: what was delivered recorded, the claim dropped. */
  readonly confirm: (current: T | undefined, work: W, sent: D, now: Date) => T | undefined;
  /** The document once `send` failed: the claim dropped, the thing still owed. */
  readonly release: (current: T | undefined, work: W, error: unknown, now: Date) => T | undefined;
}

/** What `deliverOnce` did. */
export interface Delivery<T, W, D, R> {
  readonly result: R;
  /** Set when this run claimed work and Slack accepted it. */
  readonly delivered?: { readonly work: W; readonly sent: D };
  /** The document as it now stands (after the last write of this run). */
  readonly document: VersionedDocument<T> | undefined;
}

/** Claim → send → confirm, or release; see above. Throws what `send` threw, after releasing. */
export async function deliverOnce<T, W, D, R>(
  steps: DeliverySteps<T, W, D, R>,
): Promise<Delivery<T, W, D, R>> {
  const { store, key, schema } = steps;
  const claimed = await updateDocument<T, ClaimStep<T, W, R>>(
    store,
    key,
    schema,
    (current) => {
      const step = steps.claim(current, steps.now());
      return { value: step.value, result: step };
    },
    { alreadyRead: steps.alreadyRead },
  );
  const { work, result } = claimed.result;
  if (work === undefined) return { result, document: claimed.document };
  // Later writes start from the document as this run claimed it (a conflict re-reads it).
  const alreadyRead = claimed.document ?? null;
  let sent: D;
  try {
    sent = await steps.send(work);
  } catch (error) {
    await updateDocument(
      store,
      key,
      schema,
      (current) => ({ value: steps.release(current, work, error, steps.now()), result: undefined }),
      { alreadyRead },
    );
    throw error;
  }
  const confirmed = await updateDocument(
    store,
    key,
    schema,
    (current) => ({ value: steps.confirm(current, work, sent, steps.now()), result: undefined }),
    { alreadyRead },
  );
  return { result, delivered: { work, sent }, document: confirmed.document };
}

/** The store's clock, as claims need it. */
export interface StoreClock {
  /** The store's time now; this host's clock when the store tells none. */
  readonly now: () => Date;
  /** A deadline on this host's clock (epoch ms), moved onto the store's. */
  readonly deadline: (deadline: number | undefined) => number | undefined;
}

export function storeClock(store: ObjectStore, localNow: () => Date): StoreClock {
  const now = () => store.now?.() ?? localNow();
  return {
    now,
    deadline: (deadline) =>
      deadline === undefined ? undefined : deadline - localNow().getTime() + now().getTime(),
  };
}
