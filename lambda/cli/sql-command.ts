import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCuratedSql } from '../composition';
import { SqlQueryError } from '../domain/curated/curated-sql';
import { CURATED_PREFIX } from '../domain/curated/curated-tables';
import { NAMED_QUERIES, namedQuery } from '../domain/curated/named-queries';
import type { Command, CommandContext } from './cli-types';
import { ENV_HELP } from './command-help';
import { writeCsv, writeJson, writeTable } from './sql-output';
import { UsageError } from './usage-error';

const NAMES = NAMED_QUERIES.map((query) => query.name).join(', ');

export const sqlCommand: Command = {
  summary:
    'Query the curated tables (daily, hourly, distributions) of a folder archive with DuckDB, offline.',
  usage: `sql "SELECT …" | --named ${NAMES} | --list  [--json | --csv] [--dir FOLDER (holds curated/)]`,
  flags: [
    { flag: '"SELECT …"', description: 'a query over the tables daily, hourly and distributions' },
    { flag: '--named NAME', description: `a shipped query: ${NAMES}` },
    { flag: '--list', description: 'print the shipped queries' },
    { flag: '--json | --csv', description: 'rows as JSON or CSV instead of a table' },
    { flag: '--dir FOLDER', description: 'the folder holding curated/ (default: the folder archive)' },
  ],
  env: [...ENV_HELP.archive.slice(0, 2), ...ENV_HELP.zone, ...ENV_HELP.logs],
  // Its own --json (rows as JSON), handled by the command itself.
  json: false,
  // With --dir the archive and its zone are not read: a copied curated/ folder is enough.
  fillEnv: (given, args) =>
    dirFlag(args) === undefined
      ? given
      : {
          ...given,
          AIRUDDER_TIMEZONE: given.AIRUDDER_TIMEZONE || 'UTC',
          ...(given.ARCHIVE_BUCKET || given.ARCHIVE_DIR ? {} : { ARCHIVE_DIR: tmpdir() }),
        },
  async run(args, context) {
    const { values, positionals } = parseSqlArgs(args);
    if (values.list) {
      for (const query of NAMED_QUERIES) {
        context.io.stdout(`-- ${query.name}: ${query.description}\n${query.sql};\n`);
      }
      return;
    }
    if (values.json && values.csv) throw new UsageError('--json and --csv: choose one output format');
    const sql = querySql(values.named, positionals);
    const root = curatedRoot(values.dir, context);
    const writer = values.json ? writeJson : values.csv ? writeCsv : writeTable;
    try {
      // Streamed: rows go to stdout as DuckDB produces them, a block of lines at a time.
      await createCuratedSql().stream(root, sql, (result) => writer(result, context.io.stdout));
    } catch (error) {
      if (error instanceof SqlQueryError) {
        throw new SqlQueryError(
          `${error.message}\n(tables: daily, hourly, distributions under ${resolve(root, CURATED_PREFIX)})`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  },
};

function parseSqlArgs(args: ReadonlyArray<string>) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        named: { type: 'string' },
        list: { type: 'boolean' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        dir: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function querySql(named: string | undefined, positionals: string[]): string {
  if (named !== undefined) {
    if (positionals.length > 0) throw new UsageError('--named: give either a query name or SQL, not both');
    const query = namedQuery(named);
    if (query === undefined)
      throw new UsageError(`--named: no query "${named}"; the named queries are ${NAMES}`);
    return query.sql;
  }
  if (positionals.length !== 1 || positionals[0]?.trim() === '') {
    throw new UsageError(
      positionals.length > 1
        ? `expected one SQL statement in quotes, got ${positionals.length} words: sql "SELECT * FROM daily"`
        : 'expected a SQL statement in quotes (sql "SELECT * FROM daily"), or --named NAME',
    );
  }
  return positionals[0] as string;
}

/** The folder that holds curated/: --dir, or the folder archive (with its prefix). */
function curatedRoot(dir: string | undefined, context: CommandContext): string {
  if (dir !== undefined) {
    if (dir.trim() === '') throw new UsageError('--dir: expected a folder');
    const folder = resolve(dir);
    // A mistyped folder would otherwise read as empty tables: 0 rows and exit 0.
    const kind = statSync(folder, { throwIfNoEntry: false });
    if (kind === undefined) throw new UsageError(`--dir ${folder}: no such folder`);
    if (!kind.isDirectory()) throw new UsageError(`--dir ${folder}: not a folder`);
    return folder;
  }
  const { archive } = context.config;
  if (archive.kind === 'folder') return resolve(archive.dir, archive.prefix ?? '');
  throw new UsageError(
    `sql reads the curated tables from a folder, and the archive is s3://${archive.bucket}. Bring them down first ` +
      `("airudder-monitor curate --from YYYY-MM-DD --to YYYY-MM-DD --to-dir FOLDER", or aws s3 sync of curated/), ` +
      'then run sql with --dir FOLDER',
  );
}

/** The value of --dir (`--dir X` or `--dir=X`), read before the flags are parsed. */
function dirFlag(args: ReadonlyArray<string>): string | undefined {
  const at = args.indexOf('--dir');
  if (at >= 0) return args[at + 1];
  return args.find((arg) => arg.startsWith('--dir='))?.slice('--dir='.length);
}
