/**
 * The curated tables: the raw archive flattened into three tables that Athena (in AWS) and DuckDB
 * (on a laptop) both query under the same names. Derived from raw and rebuildable from it: raw
 * stays the source of truth, and every record names the raw object it came from and its sha256.
 *
 *   curated/<table>/date=<YYYY-MM-DD>/<table>.ndjson   one JSON object per line, keys in column order
 *
 * One object per table and local date, built from the newest valid whole-day response of that date.
 * This list is the one schema: the Glue tables, the DuckDB views and the records are all made from it.
 */

export const CURATED_PREFIX = 'curated/';
/** The tables derived from the raw whole-day responses (curateDay); verify checks them against raw. */
export const RAW_CURATED_TABLES = ['daily', 'hourly', 'distributions'] as const;
export type RawCuratedTable = (typeof RAW_CURATED_TABLES)[number];
/** Every curated table: the raw-derived ones and alert_episodes (from the alert state's episode record). */
export const CURATED_TABLES = [...RAW_CURATED_TABLES, 'alert_episodes'] as const;
export type CuratedTable = (typeof CURATED_TABLES)[number];

/** Types both engines read from JSON: Glue/Athena names; DuckDB's are in `DUCKDB_TYPES`. */
export type ColumnType = 'string' | 'bigint' | 'double' | 'boolean';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly comment: string;
}

export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};

const col = (name: string, type: ColumnType, comment: string): Column => ({ name, type, comment });

const SOURCE_COLUMNS = [
  col('source_key', 'string', 'Raw object this record was derived from (relative key raw/day/…)'),
  col('source_sha256', 'string', 'sha256 of that raw object, hex'),
];

/** The call figures AIRUDDER reports for the day, for each hour and in its realtime total. */
export const CALL_FIGURES = [
  col('total_calls', 'bigint', 'Calls'),
  col('valid_calls', 'bigint', 'Calls AIRUDDER counts as valid'),
  col('attempted_transfer_calls', 'bigint', 'Calls the robot tried to transfer to an agent'),
  col('transfer_success_calls', 'bigint', 'Transfers an agent picked up'),
  col('attempted_transfer_rate', 'double', 'Attempted transfers / valid calls, 0–1'),
  col('transfer_success_rate', 'double', 'Successful / attempted transfers, 0–1'),
  col('agent_reception_rate', 'double', 'Agent reception rate, 0–1'),
  col('avg_agent_duration', 'double', 'Average seconds with an agent'),
  col('avg_robot_duration', 'double', 'Average seconds with the robot'),
  col('avg_total_duration', 'double', 'Average call seconds'),
] as const;

/** Realtime figures beyond CALL_FIGURES (the realtime total carries them; daily rows some of them). */
export const REALTIME_EXTRA_FIGURES = [
  col('average_robot_talk_round', 'double', 'Average robot talk rounds per call'),
  col('avg_robot_score', 'double', 'Average satisfaction score, 1–5'),
  col('one_call_problem_solve_rate', 'double', 'Solved in one call, 0–1 (realtime)'),
  col('robot_evaluation_rate', 'double', 'Callers who rated the robot / valid calls, 0–1'),
  col('robot_satisfied_rate', 'double', 'Ratings of 4 or 5 / ratings, 0–1'),
  col('call_users', 'bigint', 'Distinct callers'),
  col('valid_users', 'bigint', 'Distinct callers with a valid call'),
  col('new_users', 'bigint', 'First-time callers'),
  col('old_users', 'bigint', 'Returning callers'),
  col('duplicate_call_rate', 'double', 'Repeat calls by the same caller, 0–1'),
] as const;

/** Figures of the offline (T+1) daily row; null until AIRUDDER's batch has run for the date. */
export const OFFLINE_FIGURES = [
  col('max_concurrent_call_count', 'bigint', 'Peak concurrent calls (offline)'),
  col('offline_one_call_problem_solve_rate', 'double', 'Solved in one call, 0–1 (offline)'),
  col('offline_call_users', 'bigint', 'Distinct callers (offline user_distribution)'),
  col('offline_valid_users', 'bigint', 'Distinct callers with a valid call (offline)'),
  col('offline_new_users', 'bigint', 'First-time callers (offline)'),
  col('offline_old_users', 'bigint', 'Returning callers (offline)'),
  col('fake_receipts_count', 'bigint', 'Fake-receipt reports (offline)'),
  col('daily_deduplicated_fake_receipts_count', 'bigint', 'Fake-receipt reports, repeats removed'),
  col('ticket_count', 'bigint', 'Tickets (offline total of the whole-day response)'),
  col('deduplicated_fake_receipts_count', 'bigint', 'Fake-receipt reports deduplicated (offline total)'),
] as const;

export const DISTRIBUTION_KINDS = [
  'story',
  'intention',
  'hangup',
  'satisfaction',
  'transfer_reason',
  'ticket',
] as const;
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

export const TABLE_COLUMNS: Readonly<Record<CuratedTable, readonly Column[]>> = {
  daily: [
    col('date', 'string', 'Account-local date, YYYY-MM-DD'),
    col('time_zone', 'string', 'IANA time zone of the account'),
    ...CALL_FIGURES,
    ...REALTIME_EXTRA_FIGURES,
    ...OFFLINE_FIGURES,
    col('realtime_in', 'boolean', 'The response had realtime figures for the date'),
    col('offline_in', 'boolean', 'The offline (T+1) row for the date was in'),
    ...SOURCE_COLUMNS,
  ],
  hourly: [
    col('date', 'string', 'Account-local date, YYYY-MM-DD'),
    col('hour', 'bigint', 'Local hour 0–23 (twice the same on the day clocks go back: see hour_start_utc)'),
    col('time', 'string', "AIRUDDER's label, 'YYYY-MM-DD HH:00:00' local"),
    col(
      'hour_start_utc',
      'string',
      "Start of the hour as a UTC instant, 'YYYY-MM-DDTHH:mm:ssZ': distinct for the two hours of a fall-back day; null for an hour the clocks skipped",
    ),
    col('utc_offset', 'string', "The account zone's UTC offset in that hour, e.g. '+07:00', '-04:00'"),
    ...CALL_FIGURES,
    ...SOURCE_COLUMNS,
  ],
  distributions: [
    col('date', 'string', 'Account-local date, YYYY-MM-DD'),
    col('kind', 'string', DISTRIBUTION_KINDS.join(', ')),
    col('key', 'string', 'Label as AIRUDDER sends it (story name, intention, reason, 1–5…)'),
    col('count', 'bigint', 'Calls with that label on the date'),
    ...SOURCE_COLUMNS,
  ],
  alert_episodes: [
    col('date', 'string', 'Account-local date the condition began, YYYY-MM-DD'),
    col('time_zone', 'string', 'IANA time zone of the account'),
    col('rule_id', 'string', 'The rule'),
    col('rule_title', 'string', 'Its title in the rules in use at curation; null for a rule since removed'),
    col('condition', 'string', 'threshold (the value crossed it) or no-data'),
    col('began', 'string', 'First breaching run, ISO 8601 instant (what the alert messages show)'),
    col('fired_at', 'string', 'The run at which it fired (after the rule’s pendingRuns)'),
    col('ended', 'string', 'First healthy run; null while it still fires'),
    col('resolved_at', 'string', 'The run that resolved it (after recoveryRuns); null while it still fires'),
    col('minutes_breaching', 'double', 'ended − began, minutes; null while open'),
    col(
      'minutes_to_resolve',
      'double',
      'resolved_at − fired_at, minutes: how long the alert stood; null while open',
    ),
    col('peak_severity', 'string', 'warn or crit: the highest it reached'),
    col('peak_at', 'string', 'The run that first reached the peak'),
    col('worst_value', 'double', 'The worst value any check judged during the episode; null when none was'),
    col('worst_at', 'string', 'The run that measured it'),
    col(
      'messages',
      'bigint',
      'Messages about it Slack accepted (fired, escalated, eased, reminders, resolved)',
    ),
    col('reminders', 'bigint', 'Reminders among them'),
    col(
      'acknowledged_by',
      'string',
      'Who acknowledged its incident with the Slack Acknowledge button (a Slack user id); null when unknown (webhook mode, or not acknowledged)',
    ),
    col('acknowledged_at', 'string', 'When (ISO instant); null as acknowledged_by'),
  ],
};

/** The partition column: a folder level in the key (`date=…`) and also a field of every record. */
export const PARTITION_COLUMN = 'date';

/** `curated/<table>/date=<date>/<table>.ndjson` */
export const curatedKey = (table: CuratedTable, date: string): string =>
  `${CURATED_PREFIX}${table}/${PARTITION_COLUMN}=${date}/${table}.ndjson`;

const KEY_PATTERN =
  /^curated\/(daily|hourly|distributions|alert_episodes)\/date=(\d{4}-\d{2}-\d{2})\/(\w+)\.ndjson$/;

/** Table and date of a curated key; undefined for anything else. */
export function parseCuratedKey(key: string): { table: CuratedTable; date: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match || match[1] !== match[3]) return undefined;
  return { table: match[1] as CuratedTable, date: match[2] as string };
}
