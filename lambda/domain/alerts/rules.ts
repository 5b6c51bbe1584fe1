import * as z from '../shared/zod';
import { RATE_TRIALS } from '../statistics/metric-format';
import type { Judged } from './evidence';
import { isParsedMetric, MetricSchema, rateTrials, UnitSchema, unknownMetricNames } from './metrics';
import { countProblems, sizeProblem } from './rules-limits';

/**
 * The alert rules file. Shape (JSON):
 *
 *   { "version": 1,
 *     "reminders": { "everyMinutes": 60, "backoff": 2, "maxEveryMinutes": 480 },
 *     "rules": [ {
 *       "id": "transfer-success-rate", "title": "Transfer success rate",
 *       "metric": "transfer_success_rate", "window": { "minutes": 60 }, "comparison": "below",
 *       "warn": 0.75, "crit": 0.6, "recovery": 0.8, "pendingRuns": 2, "recoveryRuns": 2,
 *       "minCalls": 30, "noData": "ignore",
 *       "mute": [{ "days": ["sat", "sun"], "from": "22:00", "to": "06:00" }],
 *       "runbook": "https://wiki.example.com/runbooks/transfer-success" } ] }
 *
 * A rule judges either a rolling `window` ending at the check's scheduled time or a fixed `scope`.
 * Reminders are one cadence for the whole group of firing alerts (file level, like Alertmanager's
 * repeat_interval), not one clock per rule.
 *
 * Objects are strict: a misspelt field (`pendingRun`) is an error, not a silently ignored default.
 * This module is the one place rules are parsed and validated (`parseRuleSet`): the check, replay and
 * any rules command share it.
 */

export const SeveritySchema = z.enum(['warn', 'crit']);
export type Severity = z.infer<typeof SeveritySchema>;

export const ScopeSchema = z.enum(['day-so-far', 'last-complete-hour', 'latest-offline-day']);
export type Scope = z.infer<typeof ScopeSchema>;

export const ComparisonSchema = z.enum(['above', 'below']);
export type Comparison = z.infer<typeof ComparisonSchema>;

/** How values are shown; inferred from the metric when absent (`*_rate` → rate, `*duration*` → seconds…). */

/** Index = `Date#getUTCDay()` of the local calendar date, so `WEEKDAYS[weekday(clock)]` names it. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const localTime = z.string().check(z.regex(HH_MM, { error: 'expected a local time "HH:mm" (00:00–23:59)' }));
/** The end of a mute period: a local time, or "24:00", which runs it to the end of the day without crossing midnight. */
const HH_MM_OR_MIDNIGHT = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const endTime = z
  .string({ error: 'expected a local time "HH:mm" (00:00–24:00)' })
  .check(z.regex(HH_MM_OR_MIDNIGHT, { error: 'expected a local time "HH:mm" (00:00–24:00)' }));

/** A mute period in the account's zone; `from > to` crosses midnight and `days` name the day it starts. */
export const MutePeriodSchema = z
  .strictObject({
    days: z.optional(z.array(WeekdaySchema).check(z.minLength(1))),
    from: localTime,
    to: endTime,
  })
  .check(
    z.refine((window) => window.from !== window.to, {
      error: 'from and to are equal; a whole day is "00:00" to "24:00"',
      path: ['to'],
    }),
  );
export type MutePeriod = z.infer<typeof MutePeriodSchema>;

export const RepeatPolicySchema = z.pipe(
  z
    .strictObject({
      everyMinutes: z.number().check(z.int(), z.positive()),
      backoff: z._default(z.number().check(z.minimum(1)), 1),
      maxEveryMinutes: z.optional(z.number().check(z.int(), z.positive())),
    })
    .check(
      z.refine(
        (repeat) => repeat.maxEveryMinutes === undefined || repeat.maxEveryMinutes >= repeat.everyMinutes,
        {
          error: 'must be at least everyMinutes',
          path: ['maxEveryMinutes'],
        },
      ),
    ),
  // A day is the longest a firing alert stays silent when no cap is given.
  z.transform((repeat) => ({
    ...repeat,
    maxEveryMinutes: repeat.maxEveryMinutes ?? Math.max(repeat.everyMinutes, 1440),
  })),
);
export type RepeatPolicy = z.infer<typeof RepeatPolicySchema>;

export const NoDataPolicySchema = z.enum(['ignore', 'alert', 'resolve']);
export type NoDataPolicy = z.infer<typeof NoDataPolicySchema>;

/**
 * A rolling window that ends at the check's scheduled time. With `short`, the rule judges two windows
 * that must agree (the SRE Workbook's multi-window alert): it breaches only when both the long
 * `minutes` window and the `short` one do, so a severe drop is caught as soon as the short window
 * shows it and a brief dip that the long window absorbs is not; it recovers when the short one has.
 */
export const RollingWindowSchema = z
  .strictObject({
    minutes: z.number().check(z.int(), z.minimum(15), z.maximum(1440)),
    short: z.optional(z.number().check(z.int(), z.minimum(15), z.maximum(1440))),
  })
  .check(
    z.refine((window) => window.short === undefined || window.short < window.minutes, {
      error: 'must be shorter than minutes',
      path: ['short'],
    }),
  );
export type RollingWindow = z.infer<typeof RollingWindowSchema>;

/** The group's reminder cadence when the file sets none: hourly, then 2 h, 4 h, capped at 8 h. */
export const DEFAULT_REMINDERS = { everyMinutes: 60, backoff: 2, maxEveryMinutes: 480 } as const;

/** The confidence of `"confidence": true`: the usual 95 % interval. */
export const DEFAULT_CONFIDENCE = 0.95;

const confidenceLevel = z.number().check(z.minimum(0.5), z.maximum(0.999));

/**
 * The confidence of a rule's Wilson bounds: `true` (95 %), one level for both directions, or one per
 * direction (`{ "breach": 0.95, "recovery": 0.5 }`): strong evidence to raise an alert, weaker to end
 * it, so an alert resolves within a window of healthy calls while a handful of calls still cannot
 * raise one. At 0.5 the bound is close to the rate itself.
 */
export const ConfidenceSchema = z.pipe(
  z.union(
    [
      z.literal(true),
      confidenceLevel,
      z.strictObject({ breach: confidenceLevel, recovery: confidenceLevel }),
    ],
    { error: 'expected true (95%), a confidence from 0.5 to 0.999, or { breach, recovery } confidences' },
  ),
  z.transform((confidence) =>
    confidence === true
      ? { breach: DEFAULT_CONFIDENCE, recovery: DEFAULT_CONFIDENCE }
      : typeof confidence === 'number'
        ? { breach: confidence, recovery: confidence }
        : confidence,
  ),
);

const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const threshold = z.optional(z.number());

/** One rule as written in the file (defaults applied, `recovery` still optional). */
export const RuleFieldsSchema = z.strictObject({
  id: z.string().check(z.regex(RULE_ID, { error: 'expected 1–64 letters, digits, ".", "_" or "-"' })),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(150)),
  description: z.optional(z.string().check(z.maxLength(1000))),
  metric: MetricSchema,
  /** Admits a field name AIRUDDER may add later (unknown names are an error otherwise). */
  allowUnknownMetric: z._default(z.boolean(), false),
  scope: z.optional(ScopeSchema),
  window: z.optional(RollingWindowSchema),
  comparison: ComparisonSchema,
  warn: threshold,
  crit: threshold,
  /** Where a firing alert resolves (hysteresis); default = warn (or crit when there is no warn). */
  recovery: threshold,
  unit: z.optional(UnitSchema),
  pendingRuns: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(96)), 1),
  /** Consecutive healthy runs (back past `recovery`) before a firing alert resolves. */
  recoveryRuns: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(96)), 1),
  minCalls: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  /**
   * Judge the rate's Wilson confidence bound instead of the raw rate: breach only when even the bound
   * least in favour of an alert is beyond the threshold, recover only when the bound least in favour
   * of recovery is back past `recovery` (0.95 = a 95 % interval; `true` = 0.95). Needs a rate whose
   * count is known.
   */
  confidence: z.optional(ConfidenceSchema),
  noData: z._default(NoDataPolicySchema, 'ignore'),
  mute: z._default(z.array(MutePeriodSchema), []),
  runbook: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
});
export type RuleFields = z.infer<typeof RuleFieldsSchema>;

/** One rule, checked for consistency, with `recovery` resolved. */
export const RuleSchema = z.pipe(
  RuleFieldsSchema.check(z.superRefine(checkRuleConsistency)),
  z.transform((rule: RuleFields) => ({
    ...rule,
    recovery: rule.recovery ?? rule.warn ?? rule.crit ?? 0,
  })),
);
export type Rule = z.infer<typeof RuleSchema>;

/**
 * Threshold arithmetic for both directions. A breach is strictly beyond a threshold (a value equal
 * to warn is not a breach); a recovery is at or past `recovery`. Crit gets the same hysteresis as
 * warn: a crit alert eases to warn only once the value is `recovery − warn` back from crit, so a value
 * hovering around crit does not flap between the two.
 */

export type Thresholds = Pick<Rule, 'comparison' | 'warn' | 'crit' | 'recovery'>;

/** True when `value` is strictly beyond `threshold` in the rule's direction. */
export const isBeyond = (rule: Pick<Rule, 'comparison'>, value: number, threshold: number): boolean =>
  rule.comparison === 'below' ? value < threshold : value > threshold;

/** True when `value` is at or back past `threshold`, on the OK side. */
export const isBackPast = (rule: Pick<Rule, 'comparison'>, value: number, threshold: number): boolean =>
  !isBeyond(rule, value, threshold);

/** The severity a value breaches with no history: crit beyond crit, warn beyond warn, else none. */
export function breachSeverity(rule: Thresholds, value: number): Severity | undefined {
  if (rule.crit !== undefined && isBeyond(rule, value, rule.crit)) return 'crit';
  if (rule.warn !== undefined && isBeyond(rule, value, rule.warn)) return 'warn';
  return undefined;
}

/** The least severe threshold the rule has: warn, or crit for a crit-only rule. */
export const leastThreshold = (rule: Thresholds): number => rule.warn ?? rule.crit ?? rule.recovery;

/** Where a crit alert eases to warn: crit shifted by the rule's recovery margin. */
export const critRelease = (rule: Thresholds): number =>
  (rule.crit ?? leastThreshold(rule)) + (rule.recovery - leastThreshold(rule));

/** The threshold a severity is judged against. */
export const thresholdFor = (rule: Thresholds, severity: Severity): number =>
  (severity === 'crit' ? rule.crit : rule.warn) ?? leastThreshold(rule);

export const RulesFileSchema = z
  .strictObject({
    /** Lets editors attach a JSON schema; ignored. */
    $schema: z.optional(z.string()),
    version: z._default(z.literal(1), 1),
    reminders: z._default(RepeatPolicySchema, { ...DEFAULT_REMINDERS }),
    rules: z.array(RuleSchema),
  })
  .check(
    z.superRefine((file, ctx) => {
      const firstIndex = new Map<string, number>();
      file.rules.forEach((rule, index) => {
        const first = firstIndex.get(rule.id);
        if (first === undefined) firstIndex.set(rule.id, index);
        else
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, 'id'],
            message: `duplicate id, already used by rule #${first}`,
          });
      });
    }),
  );
export type RulesFile = z.infer<typeof RulesFileSchema>;

/**
 * Checks that zod's field types cannot express: a rule needs a threshold, crit lies beyond warn,
 * recovery lies on the OK side of the thresholds (or the alert could never resolve without also
 * re-breaching), and the whole-response metrics sit in the only scope where they mean something.
 */
export function checkRuleConsistency(rule: RuleFields, ctx: z.core.$RefinementCtx<RuleFields>): void {
  const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  const below = rule.comparison === 'below';
  const { warn, crit, recovery } = rule;

  if (warn === undefined && crit === undefined) issue('warn', 'a rule needs warn, crit or both');
  if (warn !== undefined && crit !== undefined && (below ? crit >= warn : crit <= warn)) {
    issue('crit', `must be ${below ? 'below' : 'above'} warn (${warn}) for a "${rule.comparison}" rule`);
  }
  const least = warn ?? crit;
  if (recovery !== undefined && least !== undefined && (below ? recovery < least : recovery > least)) {
    const name = warn !== undefined ? 'warn' : 'crit';
    issue(
      'recovery',
      `must be ${below ? 'at or above' : 'at or below'} ${name} (${least}) for a "${rule.comparison}" rule`,
    );
  }
  if ((rule.scope === undefined) === (rule.window === undefined)) {
    issue('window', 'a rule needs either a rolling "window" or a fixed "scope", not both');
  }
  if (
    rule.metric.kind === 'weekOverWeek' &&
    rule.window === undefined &&
    rule.scope !== 'last-complete-hour'
  ) {
    issue(
      'window',
      'a weekOverWeek metric compares like periods: use a "window" or scope "last-complete-hour"',
    );
  }
  // A metric that failed its own schema is left as written (its error is reported already).
  const parsed = isParsedMetric(rule.metric);
  if (parsed && !rule.allowUnknownMetric) {
    for (const unknown of unknownMetricNames(rule.metric)) {
      const hint = unknown.suggestion === undefined ? '' : `; did you mean "${unknown.suggestion}"?`;
      ctx.addIssue({
        code: 'custom',
        path: ['metric', ...unknown.path],
        message: `unknown metric "${unknown.name}"${hint} (for a field AIRUDDER added later, set "allowUnknownMetric": true)`,
      });
    }
  }
  if (parsed && rule.confidence !== undefined && rateTrials(rule.metric) === undefined) {
    issue(
      'confidence',
      `needs a rate whose count of calls is in the response (${Object.keys(RATE_TRIALS).join(', ')}, or a ratio)`,
    );
  }
  if (rule.window?.short !== undefined && rule.metric.kind === 'weekOverWeek') {
    issue('window', 'a weekOverWeek metric compares one window with its baseline: drop "short"');
  }
  if (rule.metric.kind === 'capacityUtilisation' && rule.scope !== 'latest-offline-day') {
    issue('scope', 'capacityUtilisation reads the offline daily peak: use scope "latest-offline-day"');
  }
}

/**
 * Thrown by `parseRules` when the rules file is not JSON or breaks the schema. The message names the
 * source, and for each problem the rule (by id, or by index when the id is unusable) and the field,
 * e.g. `rules.json: rule "transfer-success" field warn: expected number, received string`.
 */
export class RulesFileError extends Error {
  /** Every problem found, one readable line each (the message shows the first few). */
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[], options?: ErrorOptions) {
    super(message, options);
    this.name = 'RulesFileError';
    this.problems = problems;
  }
}

const SHOWN = 5;

/** A parsed rules file: the rules and the group's reminder cadence. */
export interface RuleSet {
  readonly rules: Rule[];
  readonly reminders: RepeatPolicy;
}

/** Parses and validates a rules file's rules (see `parseRuleSet`). */
export const parseRules = (text: string, source: string): Rule[] => parseRuleSet(text, source).rules;

/** Parses and validates a rules file; `source` names it in errors (a path or "default rules"). */
export function parseRuleSet(text: string, source: string): RuleSet {
  // Before JSON.parse: an oversized object must not cost the memory it would take to parse.
  const tooLarge = sizeProblem(text);
  if (tooLarge !== undefined) throw new RulesFileError(`${source}: ${tooLarge}`, [tooLarge]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new RulesFileError(`${source}: not valid JSON: ${detail}`, [detail], { cause });
  }
  const result = RulesFileSchema.safeParse(json);
  if (result.success) {
    const overLimit = countProblems(result.data.rules);
    if (overLimit.length > 0) throw new RulesFileError(`${source}: ${overLimit.join('; ')}`, overLimit);
    return { rules: result.data.rules, reminders: result.data.reminders };
  }
  const problems = result.error.issues.flatMap((issue) => describeIssue(issue, [], json));
  const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more)` : '';
  throw new RulesFileError(`${source}: ${problems.slice(0, SHOWN).join('; ')}${more}`, problems, {
    cause: result.error,
  });
}

type Path = ReadonlyArray<PropertyKey>;

/** Fields an older rules file may still carry, with where they went. */
const MOVED: Readonly<Record<string, string>> = {
  repeat: ' (reminders are one cadence for all alerts now: set "reminders" at the top of the file)',
};

function describeIssue(issue: z.core.$ZodIssue, prefix: Path, json: unknown): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    // Show the branch the input was aiming at: one with a problem below its root (so its type
    // matched), even beside one at the root such as an unknown key.
    const aimed = issue.errors.find((branch) => branch.some((inner) => inner.path.length > 0));
    if (aimed) return aimed.flatMap((inner) => describeIssue(inner, path, json));
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${where([...path, key], json)}: unknown field${MOVED[key] ?? ''}`);
  }
  return [`${where(path, json)}: ${issue.message.replace(/^Invalid input: /, '')}`];
}

/** `rule "id" field repeat.everyMinutes`, `rule #3 field id`, `field rules` or `file`. */
function where(path: Path, json: unknown): string {
  if (path[0] !== 'rules' || typeof path[1] !== 'number') {
    return path.length === 0 ? 'file' : `field ${formatPath(path)}`;
  }
  const rule = `rule ${ruleLabel(json, path[1])}`;
  const field = path.slice(2);
  return field.length === 0 ? rule : `${rule} field ${formatPath(field)}`;
}

/**
 * The rule's id as written, or its index. Zod names a path into `rules[index]` only when the file is
 * an object whose `rules` is an array, and `?.id` of any JSON value (null, a number…) is undefined
 * or the value.
 */
function ruleLabel(json: unknown, index: number): string {
  const { rules } = json as { readonly rules: ReadonlyArray<{ readonly id?: unknown } | null> };
  const id = rules[index]?.id;
  return typeof id === 'string' && id.trim() !== '' ? JSON.stringify(id) : `#${index}`;
}

const formatPath = (path: Path): string =>
  path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');

/**
 * The next severity of a firing alert, or 'resolved'. Escalation is immediate (worse news should
 * not wait); easing and resolving need the value back past the hysteresis points. With judged
 * figures (confidence bounds, two windows) escalation judges `breach` and easing `recovery`.
 */
export function nextFiringSeverity(
  rule: Thresholds,
  value: number | Judged,
  current: Severity,
): Severity | 'resolved' {
  const { breach, recovery } = typeof value === 'number' ? { breach: value, recovery: value } : value;
  if (isBackPast(rule, recovery, rule.recovery)) return 'resolved';
  if (rule.crit !== undefined && isBeyond(rule, breach, rule.crit)) return 'crit';
  if (current === 'crit' && !isBackPast(rule, recovery, critRelease(rule))) return 'crit';
  return rule.warn !== undefined ? 'warn' : 'crit';
}
