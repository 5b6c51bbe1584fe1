/** One line of the summary table: a measured figure beside its target. */
export interface ResultRow {
  readonly section: string;
  readonly measure: string;
  readonly value: string;
  /** '—' when the figure is informational. */
  readonly target: string;
  /** Undefined when there is no target. */
  readonly pass?: boolean;
}

/** A table of supporting figures printed under the summary (breakdowns, options, per size). */
export interface DetailTable {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly note?: string;
}

/** What each benchmark returns: its summary rows, its detail tables and raw data for results.json. */
export interface SectionResult<Data = unknown> {
  readonly rows: readonly ResultRow[];
  readonly details: readonly DetailTable[];
  readonly data: Data;
}

export const verdict = (pass: boolean | undefined): string => (pass === undefined ? '' : pass ? '✔' : '✘');

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
  return formatTable(
    ['Section', 'Measure', 'Value', 'Target', ''],
    rows.map((row) => [row.section, row.measure, row.value, row.target, verdict(row.pass)]),
  );
}

export function formatDetail(table: DetailTable): string {
  const body = formatTable(table.headers, table.rows);
  return [`${table.title}`, body, ...(table.note ? [table.note] : [])].join('\n');
}
