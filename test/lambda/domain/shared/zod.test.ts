import { describe, expect, it } from 'vitest';
import { MonitorSecretSchema } from '../../../../lambda/adapters/secrets/monitor-secret';
import { loadConfig } from '../../../../lambda/config';
import { parseRuleSet } from '../../../../lambda/domain/alerts/rules';
import { AlertStateSchema } from '../../../../lambda/domain/alerts/state';
import { parseStatistics } from '../../../../lambda/domain/statistics/schema';
import { parseSchedulerEvent } from '../../../../lambda/handler/scheduler-event';

/**
 * The messages each boundary in the function's path gives for bad input, pinned word for word: the
 * schemas run on zod/mini (smaller, quicker to load), and these prove its messages name the path and
 * the problem exactly as zod's classic API did (the strings were recorded from it).
 */

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

const BASE_ENV = { AIRUDDER_TIMEZONE: 'Asia/Jakarta', ARCHIVE_DIR: '/tmp/archive' };

describe('configuration errors name the variable and the problem', () => {
  it.each<[string, Record<string, string | undefined>, string]>([
    [
      'a timeout that is not a number',
      { AIRUDDER_TIMEOUT_MS: 'abc' },
      'Invalid configuration: AIRUDDER_TIMEOUT_MS expected number, received NaN',
    ],
    [
      'plain http to a public host',
      { AIRUDDER_BASE_URL: 'http://example.com' },
      'Invalid configuration: AIRUDDER_BASE_URL must use https (plain http is allowed only for 127.0.0.1, ::1 or localhost)',
    ],
    [
      'a webhook that is not a URL',
      { SLACK_WEBHOOK_URL: 'not a url' },
      'Invalid configuration: SLACK_WEBHOOK_URL Invalid URL; SLACK_WEBHOOK_URL must use https (plain http is allowed only for 127.0.0.1, ::1 or localhost)',
    ],
    [
      'an unknown log level',
      { LOG_LEVEL: 'TRACE' },
      'Invalid configuration: LOG_LEVEL Invalid option: expected one of "DEBUG"|"INFO"|"WARN"|"ERROR"',
    ],
    [
      'an unknown time zone',
      { AIRUDDER_TIMEZONE: 'Mars/Base' },
      'Invalid configuration: AIRUDDER_TIMEZONE must be an IANA time zone such as Asia/Jakarta or Europe/Berlin',
    ],
    [
      'a blank monitor name',
      { MONITOR_NAME: '   ' },
      'Invalid configuration: MONITOR_NAME Too small: expected string to have >=1 characters',
    ],
    [
      'zero attempts',
      { AIRUDDER_MAX_ATTEMPTS: '0' },
      'Invalid configuration: AIRUDDER_MAX_ATTEMPTS Too small: expected number to be >0',
    ],
    [
      'a timeout past the setTimeout ceiling',
      { AIRUDDER_TIMEOUT_MS: '3000000000' },
      'Invalid configuration: AIRUDDER_TIMEOUT_MS must be at most 2147483647 ms (about 24.8 days)',
    ],
    [
      'a prefix that climbs out',
      { ARCHIVE_PREFIX: 'a/../b' },
      'Invalid configuration: ARCHIVE_PREFIX must not contain ".."',
    ],
    [
      'a fractional line capacity',
      { LINE_CAPACITY: '1.5' },
      'Invalid configuration: LINE_CAPACITY expected int, received number',
    ],
    [
      'a negative secret TTL',
      { MONITOR_SECRET_TTL_MINUTES: '-1' },
      'Invalid configuration: MONITOR_SECRET_TTL_MINUTES Too small: expected number to be >=0',
    ],
    [
      'both archives',
      { ARCHIVE_BUCKET: 'archive-bucket' },
      'Invalid configuration: ARCHIVE_DIR set ARCHIVE_BUCKET or ARCHIVE_DIR, not both',
    ],
    [
      'half a credential',
      { AIRUDDER_APP_KEY: 'key' },
      'Invalid configuration: AIRUDDER_APP_SECRET is required with the other AIRUDDER credential',
    ],
    [
      'no time zone',
      { AIRUDDER_TIMEZONE: undefined },
      'Invalid configuration: AIRUDDER_TIMEZONE is not set (the IANA time zone of the AIRUDDER account, e.g. Asia/Jakarta)',
    ],
  ])('%s', (_case, env, message) => {
    expect(messageOf(() => loadConfig({ ...BASE_ENV, ...env }))).toBe(message);
  });
});

const RULE = {
  id: 'tsr',
  title: 'Transfer success',
  metric: 'transfer_success_rate',
  window: { minutes: 60 },
  comparison: 'below',
  warn: 0.7,
};
const rulesFile = (rules: object[], top: object = {}) => JSON.stringify({ rules, ...top });
const rule = (fields: object) => rulesFile([{ ...RULE, ...fields }]);

describe('rules file errors name the rule, the field and the problem', () => {
  it.each<[string, string, string]>([
    ['a misspelt field', rule({ pendingRun: 2 }), 'rules.json: rule "tsr" field pendingRun: unknown field'],
    [
      'a threshold given as a string',
      rule({ warn: '0.7' }),
      'rules.json: rule "tsr" field warn: expected number, received string',
    ],
    [
      'a window under 15 minutes',
      rule({ window: { minutes: 5 } }),
      'rules.json: rule "tsr" field window.minutes: Too small: expected number to be >=15',
    ],
    [
      'a misspelt metric',
      rule({ metric: 'transfer_sucess_rate' }),
      'rules.json: rule "tsr" field metric: unknown metric "transfer_sucess_rate"; did you mean "transfer_success_rate"? (for a field AIRUDDER added later, set "allowUnknownMetric": true)',
    ],
    [
      'mute times past midnight',
      rule({ mute: [{ from: '25:00', to: '26:00' }] }),
      'rules.json: rule "tsr" field mute[0].from: expected a local time "HH:mm" (00:00–23:59); rule "tsr" field mute[0].to: expected a local time "HH:mm" (00:00–24:00)',
    ],
    [
      'an empty mute period',
      rule({ mute: [{ from: '10:00', to: '10:00' }] }),
      'rules.json: rule "tsr" field mute[0].to: from and to are equal; a whole day is "00:00" to "24:00"',
    ],
    [
      'a duplicate id',
      rulesFile([RULE, RULE]),
      'rules.json: rule "tsr" field id: duplicate id, already used by rule #0',
    ],
    [
      'a reminder cap under the cadence',
      rulesFile([RULE], { reminders: { everyMinutes: 60, maxEveryMinutes: 30 } }),
      'rules.json: field reminders.maxEveryMinutes: must be at least everyMinutes',
    ],
    [
      'a per-rule repeat from an older file',
      rule({ repeat: { everyMinutes: 5 } }),
      'rules.json: rule "tsr" field repeat: unknown field (reminders are one cadence for all alerts now: set "reminders" at the top of the file)',
    ],
    [
      'a metric with two kinds',
      rule({ metric: { share: { of: 'x', key: 'y' }, ratio: { numerator: 'a', denominator: 'b' } } }),
      'rules.json: rule "tsr" field metric: expected exactly one of share, ratio, weekOverWeek, capacityUtilisation',
    ],
    [
      'an empty id',
      rule({ id: '' }),
      'rules.json: rule #0 field id: expected 1–64 letters, digits, ".", "_" or "-"',
    ],
    [
      'crit on the wrong side of warn',
      rule({ crit: 0.8 }),
      'rules.json: rule "tsr" field crit: must be below warn (0.7) for a "below" rule',
    ],
    [
      'no threshold',
      rule({ warn: undefined }),
      'rules.json: rule "tsr" field warn: a rule needs warn, crit or both',
    ],
    ['an unknown version', rulesFile([RULE], { version: 2 }), 'rules.json: field version: expected 1'],
    [
      'rules that are not a list',
      JSON.stringify({ rules: {} }),
      'rules.json: field rules: expected array, received object',
    ],
    [
      'an unknown weekday',
      rule({ mute: [{ days: ['xyz'], from: '01:00', to: '02:00' }] }),
      'rules.json: rule "tsr" field mute[0].days[0]: Invalid option: expected one of "sun"|"mon"|"tue"|"wed"|"thu"|"fri"|"sat"',
    ],
    [
      'a fractional run count',
      rule({ pendingRuns: 0.5 }),
      'rules.json: rule "tsr" field pendingRuns: expected int, received number',
    ],
  ])('%s', (_case, text, message) => {
    expect(messageOf(() => parseRuleSet(text, 'rules.json'))).toBe(message);
  });
});

const body = (json: object) => new TextEncoder().encode(JSON.stringify(json));
const statistics = (data: object) => body({ code: 0, data });

describe('statistics responses that do not fit name the path and the problem', () => {
  it.each<[string, Uint8Array, string]>([
    [
      'a count that is not a number',
      statistics({ realtime: { total: { total_calls: 'abc' } } }),
      'Statistics response does not match the schema: data.realtime.total.total_calls: Invalid input: expected number, received string',
    ],
    [
      'a negative count',
      statistics({ realtime: { total: { total_calls: -1 } } }),
      'Statistics response does not match the schema: data.realtime.total.total_calls: -1 is negative: a count cannot be',
    ],
    [
      'a rate over 1',
      statistics({ realtime: { total: { transfer_success_rate: 1.5 } } }),
      'Statistics response does not match the schema: data.realtime.total.transfer_success_rate: 1.5 is outside 0–1: a rate is a fraction between 0 and 1',
    ],
    [
      'no body code',
      body({ data: {} }),
      'Statistics response does not match the schema: code: Invalid input: expected number, received undefined',
    ],
    [
      'no data',
      body({ code: 0 }),
      'Statistics response does not match the schema: data: Invalid input: expected object, received undefined',
    ],
    [
      'an hour row whose time is a number',
      statistics({ realtime: { hourly: { total_count: 1, data_list: [{ time: 5 }] } } }),
      'Statistics response does not match the schema: data.realtime.hourly.data_list[0].time: Invalid input: expected string, received number',
    ],
    [
      'more successful transfers than attempts',
      statistics({
        realtime: {
          daily: {
            data_list: [{ date: '2026-11-30', attempted_transfer_calls: 1, transfer_success_calls: 2 }],
          },
        },
      }),
      'Statistics response does not match the schema: data.realtime.daily.data_list[0].transfer_success_calls: 2 successful transfers exceed the 1 attempted',
    ],
    [
      'a negative distribution count',
      statistics({ offline: { total: { transfer_reason_distribution: { busy: -1 } } } }),
      'Statistics response does not match the schema: data.offline.total.transfer_reason_distribution.busy: -1 is negative: a count cannot be',
    ],
    [
      'a caller rating over 5',
      statistics({ realtime: { total: { avg_robot_score: 7 } } }),
      'Statistics response does not match the schema: data.realtime.total.avg_robot_score: 7 is outside 0–5: a caller rating is 1–5 (0 without ratings)',
    ],
    [
      'a numeric string that overflows',
      statistics({ realtime: { total: { total_calls: '1e999' } } }),
      'Statistics response does not match the schema: data.realtime.total.total_calls: Invalid input: expected number, received Infinity',
    ],
  ])('%s', (_case, bytes, message) => {
    const parsed = parseStatistics(bytes);
    expect(parsed.verdict).toBe('invalid');
    expect(parsed.verdict === 'valid' ? undefined : parsed.error.message).toBe(message);
  });
});

describe('scheduler events that do not fit name the field', () => {
  it.each<[string, unknown, string]>([
    [
      'an unknown mode',
      { mode: 'x', scheduledTime: '2026-01-01T00:00:00Z' },
      'Invalid scheduler event (expected {"mode": "check"|"digest", "scheduledTime": ISO-8601}): mode: Invalid option: expected one of "check"|"digest"',
    ],
    [
      'a time that is not ISO 8601',
      { mode: 'check', scheduledTime: 'yesterday' },
      'Invalid scheduler event (expected {"mode": "check"|"digest", "scheduledTime": ISO-8601}): scheduledTime: Invalid ISO datetime',
    ],
    [
      'no event at all',
      null,
      'Invalid scheduler event (expected {"mode": "check"|"digest", "scheduledTime": ISO-8601}): event: Invalid input: expected object, received null',
    ],
  ])('%s', (_case, event, message) => {
    expect(messageOf(() => parseSchedulerEvent(event))).toBe(message);
  });
});

type Parsed =
  | { success: true }
  | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
const issuesOf = (result: Parsed): string[] =>
  result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('stored documents and the secret name every field that does not fit', () => {
  it('a corrupt alert state names an unknown status, each field its status needs, and the monitor fields', () => {
    const corrupt = {
      version: 1,
      rules: {
        a: { status: 'x', since: '2026-01-01T00:00:00Z' },
        b: {
          status: 'firing',
          since: 'now',
          pendingCount: -1,
          lastValue: 'a',
          lastEvaluatedAt: '2026-01-01T00:00:00Z',
          notified: { status: 'firing' },
        },
      },
      monitor: {},
    };
    expect(issuesOf(AlertStateSchema.safeParse(corrupt))).toEqual([
      "rules.a.status: Invalid discriminator value. Expected 'ok' | 'pending' | 'firing'",
      'rules.b.since: Invalid ISO datetime',
      'rules.b.pendingCount: Too small: expected number to be >=0',
      'rules.b.lastValue: Invalid input: expected number, received string',
      'rules.b.notified.severity: Invalid option: expected one of "warn"|"crit"',
      'rules.b.notified.condition: Invalid option: expected one of "threshold"|"no-data"',
      'rules.b.notified.firedAt: Invalid input: expected string, received undefined',
      'rules.b.notified.at: Invalid input: expected string, received undefined',
      'rules.b.severity: Invalid option: expected one of "warn"|"crit"',
      'rules.b.condition: Invalid option: expected one of "threshold"|"no-data"',
      'rules.b.firedAt: Invalid input: expected string, received undefined',
      'monitor.status: Invalid option: expected one of "ok"|"degraded"',
      'monitor.consecutiveFailures: Invalid input: expected number, received undefined',
    ]);
  });

  it('an incomplete secret names the missing and the unsafe fields', () => {
    const secret = { AIRUDDER_APP_KEY: '', SLACK_WEBHOOK_URL: 'http://example.com/hook' };
    expect(issuesOf(MonitorSecretSchema.safeParse(secret))).toEqual([
      'AIRUDDER_APP_KEY: Too small: expected string to have >=1 characters',
      'AIRUDDER_APP_SECRET: Invalid input: expected string, received undefined',
      'SLACK_WEBHOOK_URL: must be an https URL',
    ]);
  });
});
