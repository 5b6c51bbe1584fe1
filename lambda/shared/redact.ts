/**
 * Secrets (AIRUDDER key and secret, tokens, webhook URLs) must never reach a log line or an error
 * message. A Redactor knows the secret values of this process and blanks them wherever they occur.
 */
export interface Redactor {
  /** Registers another secret value (a token just issued, a URL loaded from Secrets Manager). */
  add(secret: string | undefined): void;
  redact(text: string): string;
}

const MIN_SECRET_LENGTH = 4;

export function createRedactor(initial: ReadonlyArray<string | undefined> = []): Redactor {
  const secrets = new Set<string>();
  const redactor: Redactor = {
    add(secret) {
      if (secret && secret.length >= MIN_SECRET_LENGTH) secrets.add(secret);
    },
    redact(text) {
      let result = text;
      // Longest first, so a secret that contains another is blanked whole.
      for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        result = result.split(secret).join('[REDACTED]');
        const encoded = encodeURIComponent(secret);
        if (encoded !== secret) result = result.split(encoded).join('[REDACTED]');
      }
      return result;
    },
  };
  for (const secret of initial) redactor.add(secret);
  return redactor;
}
