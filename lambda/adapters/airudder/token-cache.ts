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

  get(credentials: AirudderCredentials, now: number): string | undefined {
    const entry = this.#entries.get(credentialId(credentials));
    return entry && entry.expiresAt > now ? entry.token : undefined;
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
