/** One line of the summary: a measured figure beside its target, and the Node it was measured on. */
export interface ResultRow {
  readonly section: string;
  readonly measure: string;
  readonly value: string;
  /** '—' when the figure is informational. */
  readonly target: string;
  /** Undefined when there is no target. */
  readonly pass?: boolean;
  /** `process.version` of the process measured. */
  readonly node: string;
}

/** Supporting figures printed above the summary. */
export interface DetailTable {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly note?: string;
}

export interface SectionResult {
  readonly rows: readonly ResultRow[];
  readonly details: readonly DetailTable[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(middle)] ?? 0) + (sorted[Math.ceil(middle)] ?? 0)) / 2;
}

export const times = (ratio: number): string => `${ratio.toFixed(2)}×`;
export const ms = (value: number, digits = 0): string => `${value.toFixed(digits)} ms`;

/** A plain-text table with columns padded to their widest cell; numbers right-aligned. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = headers.map((_, column) =>
    rows.every((row) => /^[-+≤≥<>~]?\s?[\d.,]+\s?(\S+)?$|^—?$/.test(row[column] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function formatSummary(rows: readonly ResultRow[]): string {
  const verdict = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? '✔' : '✘');
  return formatTable(
    ['Section', 'Measure', 'Value', 'Target', '', 'Node'],
    rows.map((row) => [row.section, row.measure, row.value, row.target, verdict(row.pass), row.node]),
  );
}

export function formatDetail(table: DetailTable): string {
  return [table.title, formatTable(table.headers, table.rows), ...(table.note ? [table.note] : [])].join(
    '\n',
  );
}
