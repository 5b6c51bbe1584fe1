import type * as z from 'zod';
import type { RuleFields } from './rules-schema';

/**
 * Checks that zod's field types cannot express: a rule needs a threshold, crit lies beyond warn,
 * recovery lies on the OK side of the thresholds (or the alert could never resolve without also
 * re-breaching), and the whole-response metrics sit in the only scope where they mean something.
 */
export function checkRuleConsistency(rule: RuleFields, ctx: z.RefinementCtx): void {
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
  if (rule.metric.kind === 'weekOverWeek' && rule.scope !== 'last-complete-hour') {
    issue('scope', 'a weekOverWeek metric compares hours: use scope "last-complete-hour"');
  }
  if (rule.metric.kind === 'capacityUtilisation' && rule.scope !== 'latest-offline-day') {
    issue('scope', 'capacityUtilisation reads the offline daily peak: use scope "latest-offline-day"');
  }
}
