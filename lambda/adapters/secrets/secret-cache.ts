import { SlackDeliveryError } from '../../domain/slack/slack-delivery-error';
import { AirudderAuthError } from '../airudder/airudder-api-error';

/**
 * The monitor's secret, cached for a warm container but never for its whole life: re-read after
 * `ttlMs`, and at once (on the next read) after `invalidate`, so a rotated webhook or credential is
 * picked up within minutes. A failed read is not cached.
 */
export class SecretCache<T> {
  private entry: { readonly value: Promise<T>; readonly expiresAt: number } | undefined;

  constructor(
    private readonly load: (secretId: string) => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(secretId: string): Promise<T> {
    if (this.entry && this.now() < this.entry.expiresAt) return this.entry.value;
    const value = this.load(secretId).catch((error: unknown) => {
      if (this.entry?.value === value) this.entry = undefined;
      throw error;
    });
    this.entry = { value, expiresAt: this.now() + this.ttlMs };
    return value;
  }

  invalidate(): void {
    this.entry = undefined;
  }
}

/** Slack statuses that mean the webhook itself is refused, revoked or gone (a rotated URL). */
const WEBHOOK_GONE = new Set([403, 404, 410]);

/**
 * True when a run failed in a way a rotated secret explains: AIRUDDER refused the credentials, or
 * Slack answered 403/404/410 to the webhook. Looks through the error's causes.
 */
export function failureCallsForFreshSecret(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 6; depth++) {
    if (current instanceof AirudderAuthError) return true;
    if (
      current instanceof SlackDeliveryError &&
      current.status !== undefined &&
      WEBHOOK_GONE.has(current.status)
    )
      return true;
    current = current.cause;
  }
  return false;
}
