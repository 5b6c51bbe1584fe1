/**
 * JSON.parse with bounded memory for AIRUDDER's open-ended label maps. Every object under a key
 * ending in `_distribution` (stories, intentions, reasons, tickets…) is read entry by entry into an
 * accumulator that keeps at most DISTRIBUTION_KEYS_KEPT labels: the largest counts (ties by name, as
 * the digest ranks them), and one `(others: N names)` entry carrying the sum of the rest. A response
 * with 200,000 story names never becomes a 200,000-key object (it cost a digest 556 MB); the sums,
 * the top labels and the number of labels stay exact. The raw bytes are archived as they came.
 *
 * A map with at most DISTRIBUTION_KEYS_KEPT labels is returned exactly as JSON.parse would. Values
 * the schema must see to refuse (negative, not a number, a rate key's value) are kept whatever
 * their rank (up to SUSPECTS_KEPT), so folding never turns an invalid response valid. The text is
 * otherwise parsed by the JSON grammar JSON.parse follows: what it refuses, this refuses.
 */

/** Labels kept per distribution; the digest lists at most DIGEST_TOP_N of them. */
export const DISTRIBUTION_KEYS_KEPT = 1_000;
/** Entries the schema must judge (not counts a rank could drop) kept per distribution. */
const SUSPECTS_KEPT = 10;

/** The label that stands for the folded labels of a distribution: their number and, as value, their sum. */
export const othersKey = (names: number): string => `(others: ${names} names)`;

/** The number of labels folded into `key`, or undefined when `key` is an ordinary label. */
export function foldedNames(key: string): number | undefined {
  const match = /^\(others: (\d+) names\)$/.exec(key);
  return match === null ? undefined : Number(match[1]);
}

/** Thrown when the text is not JSON; the message says what was found where, like JSON.parse's. */
export class JsonSyntaxError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const WHITESPACE = /[ \t\n\r]*/y;
const STRING = /"(?:[^"\\]|\\[\s\S])*"/y;
/** A backslash or a raw control character: the string needs JSON.parse's own rules. */
const needsDecoding = (raw: string): boolean => {
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (code === 0x5c || code < 0x20) return true;
  }
  return false;
};
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMERIC_STRING = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

interface Entry {
  readonly key: string;
  readonly value: unknown;
  /** The count it is ranked by; undefined for a suspect (kept whatever its rank). */
  readonly count: number | undefined;
}

/** Largest count first, then by name: the digest's order, so the labels it lists are among those kept. */
const byRank = (a: Entry, b: Entry): number =>
  (b.count ?? 0) - (a.count ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The count a label is ranked by, or undefined when the schema has to see the value (it may refuse it). */
function rankOf(key: string, value: unknown): number | undefined {
  if (key.endsWith('_rate')) return undefined;
  if (value === null) return 0;
  const count =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && NUMERIC_STRING.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(count) && count >= 0 ? count : undefined;
}

/** One distribution read entry by entry, never holding more than twice `keep` labels. */
class DistributionAccumulator {
  private entries: Entry[] = [];
  private readonly suspects: Entry[] = [];
  private folded = false;
  private foldedNames = 0;
  private foldedSum = 0;

  constructor(private readonly keep: number) {}

  add(key: string, value: unknown): void {
    const count = rankOf(key, value);
    if (count === undefined && this.folded) {
      if (this.suspects.length < SUSPECTS_KEPT) this.suspects.push({ key, value, count });
      return;
    }
    this.entries.push({ key, value, count });
    if (this.entries.length > 2 * this.keep) this.fold();
  }

  /** Keeps the top `keep` ranked labels (and the first suspects); the rest goes into the sum. */
  private fold(): void {
    if (!this.folded) {
      this.folded = true;
      for (const entry of this.entries)
        if (entry.count === undefined && this.suspects.length < SUSPECTS_KEPT) this.suspects.push(entry);
    }
    const ranked = this.entries.filter((entry) => entry.count !== undefined).sort(byRank);
    for (const entry of ranked.slice(this.keep)) {
      const count = entry.count ?? 0;
      this.foldedSum += count;
      if (count > 0) this.foldedNames += 1;
    }
    this.entries = ranked.slice(0, this.keep);
  }

  result(): Record<string, unknown> {
    if (this.entries.length > this.keep) this.fold();
    const map: Record<string, unknown> = {};
    for (const { key, value } of this.folded ? [...this.entries, ...this.suspects] : this.entries)
      setMember(map, key, value);
    if (this.folded && this.foldedNames > 0) setMember(map, othersKey(this.foldedNames), this.foldedSum);
    return map;
  }
}

/** `map[key] = value` as JSON.parse does it: `__proto__` becomes an own key, not the prototype. */
function setMember(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

class BoundedJsonParser {
  private position = 0;

  constructor(
    private readonly text: string,
    private readonly keep: number,
  ) {}

  parse(): unknown {
    const value = this.value(undefined);
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail('after the JSON value');
    return value;
  }

  private value(key: string | undefined): unknown {
    this.skipWhitespace();
    const char = this.text[this.position];
    if (char === '{') return key?.endsWith('_distribution') ? this.distribution() : this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    if (char === 't') return this.literal('true', true);
    if (char === 'f') return this.literal('false', false);
    if (char === 'n') return this.literal('null', null);
    return this.number();
  }

  private object(): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    this.members((key) => setMember(map, key, this.value(key)));
    return map;
  }

  private distribution(): Record<string, unknown> {
    const accumulator = new DistributionAccumulator(this.keep);
    this.members((key) => accumulator.add(key, this.value(key)));
    return accumulator.result();
  }

  /** `{ "key": value, … }`: calls `member` for each key, positioned at its value. */
  private members(member: (key: string) => void): void {
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('where a property name was expected');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail("where ':' was expected");
      this.position += 1;
      member(key);
      this.skipWhitespace();
      const next = this.text[this.position];
      this.position += 1;
      if (next === '}') return;
      if (next !== ',') {
        this.position -= 1;
        this.fail("where ',' or '}' was expected");
      }
    }
  }

  private array(): unknown[] {
    const items: unknown[] = [];
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position += 1;
      return items;
    }
    for (;;) {
      items.push(this.value(undefined));
      this.skipWhitespace();
      const next = this.text[this.position];
      this.position += 1;
      if (next === ']') return items;
      if (next !== ',') {
        this.position -= 1;
        this.fail("where ',' or ']' was expected");
      }
    }
  }

  private string(): string {
    STRING.lastIndex = this.position;
    const match = STRING.exec(this.text);
    if (match === null) this.fail('where a complete string was expected');
    this.position = STRING.lastIndex;
    const raw = match[0];
    if (!needsDecoding(raw)) return raw.slice(1, -1);
    try {
      // Escapes and control characters: JSON.parse's own rules for one string.
      return JSON.parse(raw) as string;
    } catch {
      this.position -= raw.length;
      return this.fail('in a string (a bad escape or a raw control character)');
    }
  }

  private number(): number {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail('where a value was expected');
    this.position = NUMBER.lastIndex;
    return Number(match[0]);
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.position)) this.fail('where a value was expected');
    this.position += word.length;
    return value;
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.position;
    WHITESPACE.exec(this.text);
    this.position = WHITESPACE.lastIndex;
  }

  private fail(where: string): never {
    const found = this.text[this.position];
    const what = found === undefined ? 'Unexpected end of JSON input' : `Unexpected ${JSON.stringify(found)}`;
    throw new JsonSyntaxError(`${what} ${where} at position ${this.position}`);
  }
}

/**
 * Texts shorter than this are read by JSON.parse (ten times faster than the parser above) and their
 * distributions folded afterwards: the whole tree of a text this small is small.
 */
export const STREAMING_FROM_CHARS = 1 << 20;

/** Folds, in place, every `*_distribution` object of a parsed value that has more than `keep` labels. */
function foldDistributions(value: unknown, keep: number): unknown {
  if (Array.isArray(value)) {
    for (const item of value) foldDistributions(item, keep);
  } else if (typeof value === 'object' && value !== null) {
    const map = value as Record<string, unknown>;
    for (const [key, inner] of Object.entries(map)) {
      const large =
        key.endsWith('_distribution') &&
        typeof inner === 'object' &&
        inner !== null &&
        !Array.isArray(inner) &&
        Object.keys(inner).length > keep;
      if (!large) {
        foldDistributions(inner, keep);
        continue;
      }
      const accumulator = new DistributionAccumulator(keep);
      for (const [label, count] of Object.entries(inner)) accumulator.add(label, count);
      setMember(map, key, accumulator.result());
    }
  }
  return value;
}

/**
 * Parses a JSON text like JSON.parse, folding every `*_distribution` object beyond `keep` labels
 * (see the file comment): streamed from `streamingFrom` characters on, so no large map is ever
 * built. Throws JsonSyntaxError when the text is not JSON.
 */
export function parseJsonBounded(
  text: string,
  keep = DISTRIBUTION_KEYS_KEPT,
  streamingFrom = STREAMING_FROM_CHARS,
): unknown {
  if (text.length >= streamingFrom) return new BoundedJsonParser(text, keep).parse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new JsonSyntaxError(error instanceof Error ? error.message : String(error));
  }
  return foldDistributions(parsed, keep);
}
