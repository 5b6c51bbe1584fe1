import type { SqlResult } from '../adapters/sql/duckdb-curated';

/**
 * The three ways `sql` prints a result: an aligned table for people (numbers right-aligned, NULL
 * spelled out), one JSON array of row objects, or CSV (RFC 4180 quoting, header first).
 */

type Cell = SqlResult['rows'][number][number];

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|DOUBLE|DECIMAL.*)$/;

export function formatTable(result: SqlResult): string {
  const text = (cell: Cell) => (cell === null ? 'NULL' : String(cell));
  const widths = result.columns.map((name, index) =>
    Math.max(name.length, ...result.rows.map((row) => text(row[index] ?? null).length)),
  );
  const right = result.types.map((type) => NUMERIC.test(type));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) =>
        right[index] ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
      )
      .join(' │ ')
      .trimEnd();
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
  return [
    line([...result.columns]),
    widths.map((width) => '─'.repeat(width)).join('─┼─'),
    ...result.rows.map((row) => line(row.map(text))),
    count,
  ].join('\n');
}

export function formatJson(result: SqlResult): string {
  return JSON.stringify(
    result.rows.map((row) => Object.fromEntries(result.columns.map((name, index) => [name, row[index]]))),
  );
}

export function formatCsv(result: SqlResult): string {
  const field = (cell: Cell | string) => {
    const value = cell === null ? '' : String(cell);
    return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  };
  return [result.columns, ...result.rows].map((row) => row.map(field).join(',')).join('\n');
}
