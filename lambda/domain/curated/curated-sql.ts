/**
 * Port: one SQL statement over the curated tables of a folder (the one that holds curated/), its rows
 * streamed a batch at a time. DuckDB implements it (adapters/sql/duckdb-curated.ts), with Athena's
 * integer division so a query answers the same on a laptop and in AWS.
 */

/** One row of a result, JSON-ready: integers as numbers (as strings beyond 2^53), dates as 'YYYY-MM-DD'. */
export type SqlRow = ReadonlyArray<string | number | boolean | null>;

export interface SqlResult {
  readonly columns: readonly string[];
  /** The engine's type names, e.g. BIGINT, DOUBLE, VARCHAR. */
  readonly types: readonly string[];
  readonly rows: ReadonlyArray<SqlRow>;
}

/** A result as the engine produces it: the columns first, then the rows a batch at a time. */
export interface SqlRowStream {
  readonly columns: readonly string[];
  readonly types: readonly string[];
  readonly batches: AsyncIterable<readonly SqlRow[]>;
}

export interface CuratedSql {
  /**
   * Runs `sql` over the curated tables under `root` and hands its rows to `consume`, so no result
   * needs to fit in memory. Throws a SqlQueryError when the engine rejects the statement.
   */
  stream<T>(root: string, sql: string, consume: (stream: SqlRowStream) => Promise<T>): Promise<T>;
}

/** Thrown when the engine rejects the query (syntax, unknown table or column…); the message is the engine's. */
export class SqlQueryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SqlQueryError';
  }
}
