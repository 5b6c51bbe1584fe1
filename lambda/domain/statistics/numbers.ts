/**
 * The one number reader: how a figure is read out of a statistics response, for alerts, the digest
 * and the curated tables alike. AIRUDDER's numbers may arrive as strings, be null or be absent, and
 * the loose schema keeps keys it does not know without coercing them; so a finite number or a
 * numeric string counts, anything else is no figure. One reader, so a value reads the same in an
 * alert, a digest and a curated table.
 */

/** A response row (or total, or distribution) as a plain record, so any field can be named. */
export type Row = Readonly<Record<string, unknown>>;

/** A usable number, or undefined for null, absent, blank and garbage; a numeric string counts. */
export function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** The first usable number among `values`, in order. */
export function firstNumber(...values: readonly unknown[]): number | undefined {
  for (const value of values) {
    const number = numberOf(value);
    if (number !== undefined) return number;
  }
  return undefined;
}

/** The first usable number at `path` ("a" or "a.b") in `rows`. */
export const readNumber = (rows: readonly Row[], path: string): number | undefined =>
  firstNumber(...rows.map((row) => readPath(row, path)));

/** The first object at `path` in `rows` (a distribution). */
export function readObject(rows: readonly Row[], path: string): Row | undefined {
  for (const row of rows) {
    const value = readPath(row, path);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Row;
  }
  return undefined;
}

function readPath(row: Row, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Row)[key];
  }
  return value;
}
