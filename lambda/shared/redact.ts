/**
 * Secrets (AIRUDDER key and secret, tokens, webhook URLs) must never reach a log line or an error
 * message. A Redactor knows the secret values of this process and blanks them wherever they occur;
 * for a URL, that includes every part after the host, wherever it turns up on its own.
 */
export interface Redactor {
  /** Registers another secret value (a token just issued, a URL loaded from Secrets Manager). */
  add(secret: string | undefined): void;
  redact(text: string): string;
}

const MIN_SECRET_LENGTH = 4;

/**
 * The parts of a URL that may hold a secret: everything after the host (the path with its query,
 * and each path segment and query value on its own), since Slack or a proxy may echo any of them.
 * Empty for a string that is not an http(s) URL.
 */
export function urlSecretParts(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [];
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return [];
  const afterHost = `${url.pathname}${url.search}${url.hash}`;
  const segments = url.pathname.split('/').filter(Boolean);
  const decoded = segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  const queryValues = [...url.searchParams.values()];
  return [afterHost, url.pathname, ...segments, ...decoded, ...queryValues].filter((part) => part !== '/');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function createRedactor(initial: ReadonlyArray<string | undefined> = []): Redactor {
  /** The values given to `add`, so a warm container adding its secret again each run does nothing. */
  const added = new Set<string>();
  const secrets = new Set<string>();
  // Every line logged passes through here: one pattern, built at the first redaction after a secret
  // was added (not per line, and not at all by a run that redacts nothing).
  let pattern: RegExp | undefined;
  let stale = false;
  const redactor: Redactor = {
    add(secret) {
      if (!secret || added.has(secret)) return;
      added.add(secret);
      const before = secrets.size;
      for (const part of [secret, ...urlSecretParts(secret)]) {
        if (part.length < MIN_SECRET_LENGTH) continue;
        secrets.add(part);
        secrets.add(encodeURIComponent(part));
      }
      if (secrets.size !== before) stale = true;
    },
    redact(text) {
      if (stale) {
        // Longest first: where two secrets start at one place, the longer is blanked whole.
        const alternatives = [...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
        pattern = new RegExp(alternatives.join('|'), 'g');
        stale = false;
      }
      return pattern === undefined ? text : text.replace(pattern, '[REDACTED]');
    },
  };
  for (const secret of initial) redactor.add(secret);
  return redactor;
}

/**
 * Characters past the cut that are redacted with the quoted piece: more than any secret held (keys,
 * tokens and webhook URLs are well under 1 KiB), so a secret that starts before the cut is whole.
 */
const REDACT_LOOKAHEAD = 4096;

/**
 * A piece of an external body (an API's error page, Slack's answer) fit to quote in an error, a log
 * or a record: redacted first, then cut to `max` characters. Cutting first would leave the start of
 * a secret that straddles the cut, which no longer matches it.
 */
export function quoteRedacted(text: string, redactor: Redactor, max: number): string {
  const redacted = redactor.redact(text.slice(0, max + REDACT_LOOKAHEAD));
  return redacted.length > max ? `${redacted.slice(0, max)}…` : redacted;
}
