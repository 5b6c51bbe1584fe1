import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import packageJson from '../../../package.json';
import {
  type CuratedSql,
  SqlQueryError,
  type SqlResult,
  type SqlRow,
  type SqlRowStream,
} from '../../domain/curated/curated-sql';
import {
  CURATED_PREFIX,
  CURATED_TABLES,
  type CuratedTable,
  DUCKDB_TYPES,
  TABLE_COLUMNS,
} from '../../domain/curated/curated-tables';

/**
 * The curated tables of a folder archive loaded into DuckDB under the Glue tables' names (daily,
 * hourly, distributions), for `airudder-monitor sql`, with Athena's integer division: the same SQL
 * gives the same answer here and in Athena (DuckDB alone divides 7 / 2 into 3.5, Athena into 3).
 * One difference stays: dividing by zero is NULL here and an error in Athena (use NULLIF). Offline by construction: DuckDB may neither
 * install nor auto-load an extension (JSON reading is built into the bindings). The tables are read
 * into memory first (a year is about 30 000 small records; only the tables the statement names) and
 * then the session may touch no file, so a query cannot write into or read around the archive.
 */

/** The DuckDB the package was tested with, for the install hint. */
const duckDbVersion = (): string => packageJson.optionalDependencies['@duckdb/node-api'];

/**
 * The module name, passed in rather than written into `import()`: the composition root (which the
 * Lambda handler imports too) names this adapter, and a bundler follows a literal `import()` into
 * DuckDB's native bindings. This way the handler's bundle never looks for them and tree-shaking
 * drops the adapter from it, while the CLI (which keeps @duckdb/node-api external) loads it at run time.
 */
const DUCKDB_MODULE = '@duckdb/node-api';

export interface CuratedQueryOptions {
  /**
   * Divide integers as Athena (Trino) does: 7 / 2 = 3, truncated toward zero. On by default, so a
   * query answers here what it answers in Athena; tests turn it off to show a query means the same
   * under both rules (it casts where it wants a fraction).
   * @default true
   */
  readonly athenaIntegerDivision?: boolean;
  /** Where DuckDB would keep extensions; tests point it at an empty folder to prove none arrives. */
  readonly extensionDirectory?: string;
}

/** Thrown when DuckDB is not installed: it is an optional dependency of the package (a native library). */
export class SqlEngineMissingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SqlEngineMissingError';
  }
}

/**
 * DuckDB, loaded on first use: the native library is large and only `sql` needs it. It is an
 * optional dependency, so an install may lack it (`--omit=optional`, or a platform DuckDB ships no
 * binary for): then say so and how to get it, instead of a module-resolution stack.
 */
async function loadDuckDb(module = DUCKDB_MODULE): Promise<typeof import('@duckdb/node-api')> {
  try {
    return await import(module);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_DLOPEN_FAILED') {
      throw error;
    }
    throw new SqlEngineMissingError(
      `sql needs DuckDB (@duckdb/node-api ${duckDbVersion()}), an optional dependency that is not installed here ` +
        `(${code}). Install it beside the package: npm install @duckdb/node-api@${duckDbVersion()} ` +
        `(DuckDB ships binaries for Linux, macOS and Windows on x64 and arm64). Athena answers the same queries in AWS.`,
      { cause: error },
    );
  }
}

/**
 * Runs one SQL statement over the curated tables under `root` (the folder that holds curated/) and
 * hands its rows to `consume` a batch at a time, so no result needs to fit in memory; the session is
 * closed once `consume` is done.
 */
export async function streamCurated<T>(
  root: string,
  sql: string,
  consume: (stream: SqlRowStream) => Promise<T>,
  options: CuratedQueryOptions = {},
): Promise<T> {
  const { DuckDBInstance } = await loadDuckDb();
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    // A year is a few MB of small files: one thread starts fastest, and leaves the laptop alone.
    threads: '1',
    ...(options.extensionDirectory ? { extension_directory: options.extensionDirectory } : {}),
  });
  const connection = await instance.connect();
  try {
    // Only the tables the statement names: a reference always contains the table's name as a word.
    for (const table of CURATED_TABLES.filter((name) => new RegExp(`\\b${name}\\b`, 'i').test(sql))) {
      await connection.run(await loadSql(root, table));
    }
    if (options.athenaIntegerDivision ?? true) await connection.run('SET integer_division = true');
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
    const result = await connection.stream(sql).catch((error: unknown) => {
      throw new SqlQueryError(error instanceof Error ? error.message : String(error), { cause: error });
    });
    const types = result.columnTypes().map(String);
    async function* batches(): AsyncGenerator<readonly SqlRow[]> {
      const chunks = result.yieldRowsJson();
      for (;;) {
        // A statement can still fail while it runs (a cast, a division): DuckDB's message, as a query error.
        const next = await chunks.next().catch((error: unknown) => {
          throw new SqlQueryError(error instanceof Error ? error.message : String(error), { cause: error });
        });
        if (next.done) return;
        yield next.value.map((row) => row.map((value, index) => jsonCell(value, types[index])));
      }
    }
    return await consume({ columns: result.columnNames(), types, batches: batches() });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The whole result in memory: for small results (tests, the bench); `sql` streams instead. */
export function queryCurated(
  root: string,
  sql: string,
  options: CuratedQueryOptions = {},
): Promise<SqlResult> {
  return streamCurated(
    root,
    sql,
    async ({ columns, types, batches }) => {
      const rows: SqlRow[] = [];
      for await (const batch of batches) for (const row of batch) rows.push(row);
      return { columns, types, rows };
    },
    options,
  );
}

/** `curated/<table>/date=*\/<table>.ndjson` as a table typed from the one column list; empty when none. */
async function loadSql(root: string, table: CuratedTable): Promise<string> {
  const columns = TABLE_COLUMNS[table];
  if (!(await hasPartitions(join(root, CURATED_PREFIX, table), table))) {
    const nulls = columns.map((c) => `CAST(NULL AS ${DUCKDB_TYPES[c.type]}) AS "${c.name}"`).join(', ');
    return `CREATE TABLE ${table} AS SELECT ${nulls} WHERE false`;
  }
  const glob = join(root, CURATED_PREFIX, table, 'date=*', `${table}.ndjson`);
  const struct = columns.map((c) => `"${c.name}": '${DUCKDB_TYPES[c.type]}'`).join(', ');
  return `CREATE TABLE ${table} AS SELECT * FROM read_json(${literal(glob)}, format = 'newline_delimited', columns = {${struct}}, hive_partitioning = false)`;
}

async function hasPartitions(dir: string, table: CuratedTable): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (!entry.startsWith('date=')) continue;
    const files: string[] = await readdir(join(dir, entry)).catch(() => []);
    if (files.includes(`${table}.ndjson`)) return true;
  }
  return false;
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

const INTEGER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
]);

/** DuckDB's JSON form writes big integers as strings; those that fit a double exactly become numbers. */
function jsonCell(value: unknown, type: string | undefined): string | number | boolean | null {
  if (typeof value === 'string' && type !== undefined && INTEGER_TYPES.has(type)) {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value;
  }
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  return JSON.stringify(value);
}

/** The CuratedSql port over DuckDB, with the default options (Athena's integer division). */
export const createDuckDbCuratedSql = (): CuratedSql => ({
  stream: (root, sql, consume) => streamCurated(root, sql, consume),
});
