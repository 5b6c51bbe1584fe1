import { describe, expect, it } from 'vitest';
import {
  LINES_PER_WRITE,
  printable,
  TABLE_SIZING_ROWS,
  writeCsv,
  writeJson,
  writeTable,
} from '../../../lambda/cli/sql-output';
import type { SqlRow, SqlRowStream } from '../../../lambda/domain/curated/curated-sql';

/** A result of `count` rows in batches of 2 048 (DuckDB's chunk size), noting how far it was read. */
function rowStream(
  columns: string[],
  types: string[],
  count: number,
  row: (index: number) => SqlRow,
): SqlRowStream & { produced: () => number } {
  let produced = 0;
  async function* batches() {
    for (let start = 0; start < count; start += 2_048) {
      const batch: SqlRow[] = [];
      for (let index = start; index < Math.min(count, start + 2_048); index++) batch.push(row(index));
      produced += batch.length;
      yield batch;
    }
  }
  return { columns, types, batches: batches(), produced: () => produced };
}

/** The control characters (other than line breaks) in `text`, as code points. */
const controlCharacters = (text: string) =>
  [...text]
    .map((char) => char.charCodeAt(0))
    .filter((code) => code !== 10 && (code < 0x20 || (code >= 0x7f && code <= 0x9f)));

const one = (columns: string[], types: string[], cells: SqlRow) => rowStream(columns, types, 1, () => cells);

/** Everything written, and how: the blocks and the rows produced when each block was written. */
function sink(stream?: { produced: () => number }) {
  const blocks: string[] = [];
  const producedAt: number[] = [];
  return {
    blocks,
    producedAt,
    write: (lines: string) => {
      blocks.push(lines);
      producedAt.push(stream?.produced() ?? 0);
    },
    text: () => blocks.join('\n'),
  };
}

describe('printable', () => {
  it.each([
    ['an ESC starting a colour sequence', '\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['a C1 CSI (one-byte escape sequence start)', 'a\u009b2Jb', 'a\\x9b2Jb'],
    ['a bell, a backspace and DEL', '\u0007\b\u007f', '\\x07\\x08\\x7f'],
    ['line breaks and tabs', 'a\nb\r\tc', 'a\\nb\\r\\tc'],
    ['a bidi override (text shown reversed)', 'x\u202eyz', 'x\\u202eyz'],
    ['ordinary text, accents and CJK', 'Señal 转人工 ✓', 'Señal 转人工 ✓'],
  ])('shows %s as visible text', (_name, text, shown) => {
    expect(printable(text)).toBe(shown);
  });
});

describe('writeTable', () => {
  it('prints a story name with terminal escape sequences as visible escapes, never raw', async () => {
    const out = sink();
    await writeTable(one(['story'], ['VARCHAR'], ['\u001b]0;pwned\u0007\u001b[2J']), out.write);
    expect(out.text()).toContain('\\x1b]0;pwned\\x07\\x1b[2J');
    expect(controlCharacters(out.text())).toEqual([]);
  });

  it('streams a large result: blocks of at most 1 000 lines, the first written long before the last row is read', async () => {
    // Prepare: 50 000 rows
    const stream = rowStream(['n', 'story'], ['BIGINT', 'VARCHAR'], 50_000, (index) => [
      index,
      `story-${index}`,
    ]);
    const out = sink(stream);
    // Act
    const count = await writeTable(stream, out.write);
    // Assess: held lines are bounded by the block size, and output began after the sizing rows
    expect(count).toBe(50_000);
    for (const block of out.blocks) expect(block.split('\n').length).toBeLessThanOrEqual(LINES_PER_WRITE);
    expect(out.producedAt[0]).toBeLessThanOrEqual(TABLE_SIZING_ROWS + 2_048);
    const lines = out.text().split('\n');
    expect(lines).toHaveLength(50_000 + 3);
    expect(lines[0]).toBe('  n │ story');
    expect(lines[2]).toBe('  0 │ story-0');
    expect(lines.at(-1)).toBe('(50000 rows)');
  });

  it('sizes the columns from the first rows and lets a later wider cell overflow instead of re-reading', async () => {
    const stream = rowStream(['story'], ['VARCHAR'], TABLE_SIZING_ROWS + 1, (index) => [
      index === TABLE_SIZING_ROWS ? 'a much longer story name' : 'short',
    ]);
    const out = sink();
    await writeTable(stream, out.write);
    const lines = out.text().split('\n');
    expect(lines[0]).toBe('story');
    expect(lines.at(-2)).toBe('a much longer story name');
  });

  it('says (0 rows) under the header of an empty result', async () => {
    const out = sink();
    await writeTable(
      rowStream(['a'], ['VARCHAR'], 0, () => []),
      out.write,
    );
    expect(out.text()).toBe('a\n─\n(0 rows)');
  });
});

describe('writeCsv', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+cmd|calc', "'+1+cmd|calc"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tindented', "'\tindented"],
    ['plain story', 'plain story'],
  ])('neutralises the text cell %j against spreadsheet formulas', async (cell, written) => {
    const out = sink();
    await writeCsv(one(['story'], ['VARCHAR'], [cell]), out.write);
    expect(out.text()).toBe(`story\n${written}`);
  });

  it('leaves numbers alone (a negative count is a number, not a formula) and escapes ESC in text', async () => {
    const out = sink();
    await writeCsv(one(['delta', 'story'], ['BIGINT', 'VARCHAR'], [-3, 'a\u001b[31mb\nc']), out.write);
    expect(out.text()).toBe('delta,story\n-3,"a\\x1b[31mb\nc"');
  });
});

describe('writeJson', () => {
  it('writes one array a row per line, with every control character as a JSON escape', async () => {
    const out = sink();
    const count = await writeJson(
      rowStream(['story'], ['VARCHAR'], 2, (index) => [index === 0 ? 'a\u001bb' : 'c\u009bd\u202e']),
      out.write,
    );
    expect(count).toBe(2);
    expect(out.text()).toBe('[\n{"story":"a\\u001bb"}\n,{"story":"c\\u009bd\\u202e"}\n]');
    expect(JSON.parse(out.text())).toEqual([{ story: 'a\u001bb' }, { story: 'c\u009bd\u202e' }]);
  });
});
