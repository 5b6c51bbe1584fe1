/**
 * Saved queries over the curated tables: the stack installs them as Athena named queries, and
 * `airudder-monitor sql --named <name>` runs the same text in DuckDB. They keep to SQL both engines
 * accept (tests run each in DuckDB): identifiers that are also keywords in double quotes, dates
 * compared as 'YYYY-MM-DD' strings, casts spelled out, no engine-specific functions. A division
 * that should give a fraction casts to DOUBLE and guards the divisor with NULLIF: Athena divides
 * integers as integers and fails on zero (`sql` divides like Athena too, but the text should not
 * depend on that); a test runs every query under both rules and compares.
 */

export interface NamedQuery {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

export const NAMED_QUERIES = [
  {
    name: 'daily-trend',
    description: 'Headline figures per day, oldest first (add WHERE "date" BETWEEN … to limit the scan).',
    sql: `SELECT "date",
       total_calls,
       valid_calls,
       transfer_success_calls,
       transfer_success_rate,
       agent_reception_rate,
       robot_satisfied_rate,
       duplicate_call_rate,
       max_concurrent_call_count
FROM daily
ORDER BY "date"`,
  },
  {
    name: 'busiest-hours',
    description: 'Calls per local hour of the day over every archived day, busiest first.',
    sql: `SELECT "hour",
       SUM(total_calls) AS total_calls,
       ROUND(AVG(total_calls), 1) AS avg_calls_per_day,
       MAX(total_calls) AS max_calls,
       COUNT(DISTINCT "date") AS days
FROM hourly
GROUP BY "hour"
ORDER BY total_calls DESC, "hour"`,
  },
  {
    name: 'top-stories-per-week',
    description: 'The five most frequent stories of each week (weeks start on Monday).',
    sql: `SELECT week_start, story, calls, story_rank
FROM (
  SELECT CAST(CAST(date_trunc('week', CAST("date" AS DATE)) AS DATE) AS VARCHAR) AS week_start,
         "key" AS story,
         SUM("count") AS calls,
         ROW_NUMBER() OVER (
           PARTITION BY CAST(CAST(date_trunc('week', CAST("date" AS DATE)) AS DATE) AS VARCHAR)
           ORDER BY SUM("count") DESC, "key"
         ) AS story_rank
  FROM distributions
  WHERE kind = 'story'
  GROUP BY CAST(CAST(date_trunc('week', CAST("date" AS DATE)) AS DATE) AS VARCHAR), "key"
) ranked
WHERE story_rank <= 5
ORDER BY week_start, story_rank`,
  },
  {
    name: 'transfer-success-per-week',
    description:
      'Transfers attempted and picked up per week, and the share picked up (a fraction in both engines: the division is cast).',
    sql: `SELECT CAST(CAST(date_trunc('week', CAST("date" AS DATE)) AS DATE) AS VARCHAR) AS week_start,
       SUM(attempted_transfer_calls) AS attempted,
       SUM(transfer_success_calls) AS succeeded,
       ROUND(CAST(SUM(transfer_success_calls) AS DOUBLE) / NULLIF(SUM(attempted_transfer_calls), 0), 4) AS success_rate
FROM daily
GROUP BY CAST(CAST(date_trunc('week', CAST("date" AS DATE)) AS DATE) AS VARCHAR)
ORDER BY week_start`,
  },
  {
    name: 'time-to-resolve-per-week',
    description:
      'Alert episodes per rule and week (by the day they began): how many, how many resolved, minutes from firing to resolved, how many reached crit.',
    sql: `SELECT rule_id,
       CAST(CAST(date_trunc('week', CAST("date" AS DATE)) AS DATE) AS VARCHAR) AS week_start,
       COUNT(*) AS episodes,
       COUNT(resolved_at) AS resolved,
       ROUND(AVG(minutes_to_resolve), 1) AS avg_minutes_to_resolve,
       MAX(minutes_to_resolve) AS max_minutes_to_resolve,
       SUM(CASE WHEN peak_severity = 'crit' THEN 1 ELSE 0 END) AS reached_crit
FROM alert_episodes
GROUP BY rule_id, CAST(CAST(date_trunc('week', CAST("date" AS DATE)) AS DATE) AS VARCHAR)
ORDER BY week_start, rule_id`,
  },
] as const satisfies readonly NamedQuery[];

export type NamedQueryName = (typeof NAMED_QUERIES)[number]['name'];

export const namedQuery = (name: string): NamedQuery | undefined =>
  NAMED_QUERIES.find((query) => query.name === name);
