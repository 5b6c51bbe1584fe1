import * as z from 'zod';
import { MetricSchema } from './metric-schema';
import { checkRuleConsistency } from './rule-consistency';

/**
 * The alert rules file. Shape (JSON):
 *
 *   { "version": 1, "rules": [ {
 *       "id": "transfer-success-rate", "title": "Transfer success rate",
 *       "metric": "transfer_success_rate", "scope": "day-so-far", "comparison": "below",
 *       "warn": 0.75, "crit": 0.6, "recovery": 0.8, "pendingRuns": 2, "minCalls": 30,
 *       "repeat": { "everyMinutes": 60, "backoff": 2, "maxEveryMinutes": 480 },
 *       "noData": "ignore", "mute": [{ "days": ["sat", "sun"], "from": "22:00", "to": "06:00" }],
 *       "runbook": "https://wiki.example.com/runbooks/transfer-success" } ] }
 *
 * Objects are strict: a misspelt field (`pendingRun`) is an error, not a silently ignored default.
 * Consistency checks (thresholds on the right side of each other…) live in `rule-consistency.ts`.
 */

export const SeveritySchema = z.enum(['warn', 'crit']);
export type Severity = z.infer<typeof SeveritySchema>;

export const ScopeSchema = z.enum(['day-so-far', 'last-complete-hour', 'latest-offline-day']);
export type Scope = z.infer<typeof ScopeSchema>;

export const ComparisonSchema = z.enum(['above', 'below']);
export type Comparison = z.infer<typeof ComparisonSchema>;

/** How values are shown; inferred from the metric when absent (`*_rate` → rate, `*duration*` → seconds…). */
export const UnitSchema = z.enum(['rate', 'change', 'seconds', 'count', 'number']);
export type Unit = z.infer<typeof UnitSchema>;

/** Index = `Date#getUTCDay()` of the local calendar date, so `WEEKDAYS[weekday(clock)]` names it. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const localTime = z.string().regex(HH_MM, { error: 'expected a local time "HH:mm" (00:00–23:59)' });

/** A mute window in the account's zone; `from > to` crosses midnight and `days` name the day it starts. */
export const MuteWindowSchema = z
  .strictObject({
    days: z.array(WeekdaySchema).min(1).optional(),
    from: localTime,
    // "24:00" lets a window run to the end of the day without crossing midnight.
    to: z.union([localTime, z.literal('24:00')], { error: 'expected a local time "HH:mm" (00:00–24:00)' }),
  })
  .refine((window) => window.from !== window.to, {
    error: 'from and to are equal; a whole day is "00:00" to "24:00"',
    path: ['to'],
  });
export type MuteWindow = z.infer<typeof MuteWindowSchema>;

export const RepeatPolicySchema = z
  .strictObject({
    everyMinutes: z.number().int().positive(),
    backoff: z.number().min(1).default(1),
    maxEveryMinutes: z.number().int().positive().optional(),
  })
  .refine((repeat) => repeat.maxEveryMinutes === undefined || repeat.maxEveryMinutes >= repeat.everyMinutes, {
    error: 'must be at least everyMinutes',
    path: ['maxEveryMinutes'],
  })
  // A day is the longest a firing alert stays silent when no cap is given.
  .transform((repeat) => ({
    ...repeat,
    maxEveryMinutes: repeat.maxEveryMinutes ?? Math.max(repeat.everyMinutes, 1440),
  }));
export type RepeatPolicy = z.infer<typeof RepeatPolicySchema>;

export const NoDataPolicySchema = z.enum(['ignore', 'alert', 'resolve']);
export type NoDataPolicy = z.infer<typeof NoDataPolicySchema>;

const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const threshold = z.number().finite().optional();

/** One rule as written in the file (defaults applied, `recovery` still optional). */
export const RuleFieldsSchema = z.strictObject({
  id: z.string().regex(RULE_ID, { error: 'expected 1–64 letters, digits, ".", "_" or "-"' }),
  title: z.string().trim().min(1).max(150),
  description: z.string().max(1000).optional(),
  metric: MetricSchema,
  scope: ScopeSchema,
  comparison: ComparisonSchema,
  warn: threshold,
  crit: threshold,
  /** Where a firing alert resolves (hysteresis); default = warn (or crit when there is no warn). */
  recovery: threshold,
  unit: UnitSchema.optional(),
  pendingRuns: z.number().int().min(1).max(96).default(1),
  minCalls: z.number().int().min(0).default(0),
  repeat: RepeatPolicySchema.optional(),
  noData: NoDataPolicySchema.default('ignore'),
  mute: z.array(MuteWindowSchema).default([]),
  runbook: z.string().trim().min(1).max(1000).optional(),
});
export type RuleFields = z.infer<typeof RuleFieldsSchema>;

/** One rule, checked for consistency, with `recovery` resolved. */
export const RuleSchema = RuleFieldsSchema.superRefine(checkRuleConsistency).transform((rule) => ({
  ...rule,
  recovery: rule.recovery ?? rule.warn ?? rule.crit ?? 0,
}));
export type Rule = z.infer<typeof RuleSchema>;

export const RulesFileSchema = z
  .strictObject({
    /** Lets editors attach a JSON schema; ignored. */
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    rules: z.array(RuleSchema),
  })
  .superRefine((file, ctx) => {
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
  });
export type RulesFile = z.infer<typeof RulesFileSchema>;
