import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tokens the stand-in issued, each valid until its expiry on the stand-in's clock. */
export interface TokenStore {
  /** A fresh token: 64 base64 characters, so '+' and '/' occur as in real tokens. */
  issue(): string;
  isValid(token: string): boolean;
  /** Invalidates every token issued so far. */
  expireAll(): void;
  readonly issuedCount: number;
}

export function createTokenStore(ttlMs: number, now: () => Date): TokenStore {
  const expiries = new Map<string, number>();
  let issuedCount = 0;
  return {
    issue() {
      const token = randomBytes(48).toString('base64');
      expiries.set(token, now().getTime() + ttlMs);
      issuedCount++;
      return token;
    },
    isValid(token) {
      const expiry = expiries.get(token);
      if (expiry === undefined) return false;
      if (now().getTime() < expiry) return true;
      expiries.delete(token);
      return false;
    },
    expireAll() {
      expiries.clear();
    },
    get issuedCount() {
      return issuedCount;
    },
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares a presented secret with the expected one in constant time. */
export function secretsMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
