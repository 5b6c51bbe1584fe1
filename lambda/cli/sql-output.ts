import type { SqlRow, SqlRowStream } from '../domain/curated/curated-sql';

/**
 * The three ways `sql` prints a result: an aligned table for people (numbers right-aligned, NULL
 * spelled out), one JSON array of row objects, or CSV (RFC 4180 quoting, header first). Each streams:
 * rows are written as DuckDB produces them, a block of lines at a time, so a result of millions of
 * rows needs no more memory than a block.
 *
 * The cells are AIRUDDER's text (story names, intentions): nothing in them may drive the terminal or
 * a spreadsheet. Control characters (an ESC starting a terminal escape sequence, C1 controls, bidi
 * overrides) are printed as visible escapes, and a CSV text cell that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe.
 */

type Cell = SqlRow[number];
/** Receives a block of complete lines (without a final newline). */
export type WriteLines = (lines: string) => void;

/** Lines written per block. */
export const LINES_PER_WRITE = 1_000;
/** Rows the table reads before it fixes its column widths; later, wider cells overflow their column. */
export const TABLE_SIZING_ROWS = 1_000;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|DOUBLE|DECIMAL.*)$/;
const hex = (code: number, digits: number) => code.toString(16).padStart(digits, '0');
/** A global character class of code-point ranges (as numbers: no control character in the source). */
const charClass = (ranges: ReadonlyArray<readonly [number, number]>) =>
  new RegExp(`[${ranges.map(([from, to]) => `\\u${hex(from, 4)}-\\u${hex(to, 4)}`).join('')}]`, 'g');
const C1_AND_BIDI: ReadonlyArray<readonly [number, number]> = [
  [0x7f, 0x9f], // DEL and the C1 controls (0x9b is a one-byte CSI)
  [0x202a, 0x202e], // bidirectional embeddings and overrides
  [0x2066, 0x2069], // bidirectional isolates
];
/** Every control character: C0 (ESC starts a terminal escape sequence), DEL, C1, bidi controls. */
const CONTROL = charClass([[0x00, 0x1f], ...C1_AND_BIDI]);
/** The same, less tab, LF and CR, which CSV quoting carries. */
const CONTROL_BUT_LINE_BREAKS = charClass([[0x00, 0x08], [0x0b, 0x0c], [0x0e, 0x1f], ...C1_AND_BIDI]);
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeControl = (char: string) => {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
};

/** Text safe to print on a terminal: every control character as a visible escape (ESC as \x1b). */
export const printable = (text: string): string => text.replace(CONTROL, escapeControl);

/** Collects lines and hands them on a block at a time. */
function lineWriter(write: WriteLines) {
  let block: string[] = [];
  return {
    line(text: string) {
      block.push(text);
      if (block.length >= LINES_PER_WRITE) this.flush();
    },
    flush() {
      if (block.length > 0) write(block.join('\n'));
      block = [];
    },
  };
}

/** The table for people; returns the number of rows. */
export async function writeTable(result: SqlRowStream, write: WriteLines): Promise<number> {
  const text = (cell: Cell) => (cell === null ? 'NULL' : printable(String(cell)));
  const right = result.types.map((type) => NUMERIC.test(type));
  const widths = result.columns.map((name) => printable(name).length);
  const out = lineWriter(write);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) =>
        right[index] ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
      )
      .join(' │ ')
      .trimEnd();
  let sizing: string[][] | undefined = [];
  const startPrinting = () => {
    out.line(line(result.columns.map(printable)));
    out.line(widths.map((width) => '─'.repeat(width)).join('─┼─'));
    for (const cells of sizing ?? []) out.line(line(cells));
    sizing = undefined;
  };
  let count = 0;
  for await (const batch of result.batches) {
    for (const row of batch) {
      count += 1;
      const cells = row.map(text);
      if (sizing === undefined) {
        out.line(line(cells));
        continue;
      }
      cells.forEach((cell, index) => {
        widths[index] = Math.max(widths[index] ?? 0, cell.length);
      });
      sizing.push(cells);
      if (sizing.length >= TABLE_SIZING_ROWS) startPrinting();
    }
  }
  if (sizing !== undefined) startPrinting();
  out.line(`(${count} row${count === 1 ? '' : 's'})`);
  out.flush();
  return count;
}

/**
 * One JSON array of row objects, a row per line. JSON.stringify escapes C0 controls already; DEL, C1
 * and bidi controls are escaped too (\u00XX is the same string to a JSON reader).
 */
export async function writeJson(result: SqlRowStream, write: WriteLines): Promise<number> {
  const out = lineWriter(write);
  const escapeJson = (json: string) => json.replace(CONTROL, (char) => `\\u${hex(char.charCodeAt(0), 4)}`);
  let count = 0;
  out.line('[');
  for await (const batch of result.batches) {
    for (const row of batch) {
      const object = Object.fromEntries(result.columns.map((name, index) => [name, row[index] ?? null]));
      out.line(`${count === 0 ? '' : ','}${escapeJson(JSON.stringify(object))}`);
      count += 1;
    }
  }
  out.line(']');
  out.flush();
  return count;
}

/** A spreadsheet runs a cell starting with one of these as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** CSV, header first; text cells neutralised against formulas, control characters escaped. */
export async function writeCsv(result: SqlRowStream, write: WriteLines): Promise<number> {
  const text = result.types.map((type) => !NUMERIC.test(type));
  const field = (cell: Cell | string, index: number | undefined) => {
    let value = cell === null ? '' : String(cell).replace(CONTROL_BUT_LINE_BREAKS, escapeControl);
    if (typeof cell === 'string' && (index === undefined || text[index]) && FORMULA_START.test(value)) {
      value = `'${value}`;
    }
    return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  };
  const out = lineWriter(write);
  out.line(result.columns.map((name) => field(name, undefined)).join(','));
  let count = 0;
  for await (const batch of result.batches) {
    for (const row of batch) {
      out.line(row.map((cell, index) => field(cell, index)).join(','));
      count += 1;
    }
  }
  out.flush();
  return count;
}
