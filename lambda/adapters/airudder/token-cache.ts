import { createHash } from 'node:crypto';
import type { AirudderCredentials } from '../../config';

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * AIRUDDER tokens live 24 h and asking again does not revoke the old one, so one token per
 * credential is cached (in memory: a warm Lambda reuses it) and refreshed well before it expires.
 * Entries are keyed by a hash of the credential, never by the credential itself.
 */
export class TokenCache {
  readonly #entries = new Map<string, CachedToken>();
  readonly #inFlight = new Map<string, Promise<string>>();

  get(credentials: AirudderCredentials, now: number): string | undefined {
    const entry = this.#entries.get(credentialId(credentials));
    return entry && entry.expiresAt > now ? entry.token : undefined;
  }

  /**
   * The cached token, or the one `request` fetches. Concurrent callers without a token share one
   * request (a backfill's workers start together), and a failed request is not cached.
   */
  obtain(credentials: AirudderCredentials, now: number, request: () => Promise<string>): Promise<string> {
    const cached = this.get(credentials, now);
    if (cached !== undefined) return Promise.resolve(cached);
    const id = credentialId(credentials);
    let pending = this.#inFlight.get(id);
    if (pending === undefined) {
      pending = request().finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, pending);
    }
    return pending;
  }

  set(credentials: AirudderCredentials, token: string, expiresAt: number): void {
    this.#entries.set(credentialId(credentials), { token, expiresAt });
  }

  /** Forgets `token` if it is still the cached one (another caller may have refreshed already). */
  invalidate(credentials: AirudderCredentials, token: string): void {
    const id = credentialId(credentials);
    if (this.#entries.get(id)?.token === token) this.#entries.delete(id);
  }
}

function credentialId(credentials: AirudderCredentials): string {
  return createHash('sha256')
    .update(credentials.appKey)
    .update('\0')
    .update(credentials.appSecret)
    .digest('hex');
}
