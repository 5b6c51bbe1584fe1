/**
 * Bounds on a rules object, so a mistake in one cannot take the monitor down: a 66 MB object cost a
 * check 615 MB of memory (a 256 MB function dies), and 120 distinct windows meant 121 AIRUDDER
 * calls and archived objects per check. Each is refused by `parseRuleSet` with a message naming the
 * limit: `rules validate` and `rules push` exit 2, and a check given such an object keeps the last
 * rules that validated (the "rules invalid" notice says why).
 */
export const RULES_LIMITS = {
  /** Bytes of the rules object (the bundled defaults are about 7 KB for 8 rules). */
  maxBytes: 256 * 1024,
  /** Rules in one object. */
  maxRules: 100,
  /** Distinct rolling-window lengths: each is one more AIRUDDER call and archived object per check. */
  maxWindows: 4,
} as const;

export type RulesLimits = { readonly [K in keyof typeof RULES_LIMITS]: number };

/** Problems with the object's size, before it is parsed. */
export const sizeProblem = (text: string, limits: RulesLimits = RULES_LIMITS): string | undefined => {
  // More characters than bytes allowed is too large whatever they are, without encoding them.
  if (text.length > limits.maxBytes)
    return `file: larger than ${limits.maxBytes} bytes; at most ${limits.maxBytes} are allowed`;
  const bytes = new TextEncoder().encode(text).byteLength;
  return bytes > limits.maxBytes ? `file: ${bytes} bytes; at most ${limits.maxBytes} are allowed` : undefined;
};

/** Problems with what the parsed object asks of every check. */
export function countProblems(
  rules: ReadonlyArray<{ readonly window?: { readonly minutes: number; readonly short?: number } }>,
  limits: RulesLimits = RULES_LIMITS,
): string[] {
  const problems: string[] = [];
  if (rules.length > limits.maxRules) {
    problems.push(`field rules: ${rules.length} rules; at most ${limits.maxRules} are allowed`);
  }
  // A two-window rule's short window is one more call too.
  const windows = new Set(
    rules.flatMap((rule) =>
      rule.window ? [rule.window.minutes, rule.window.short ?? rule.window.minutes] : [],
    ),
  );
  if (windows.size > limits.maxWindows) {
    problems.push(
      `field rules: ${windows.size} distinct window lengths (each is one more AIRUDDER call and archived object per check); at most ${limits.maxWindows} are allowed`,
    );
  }
  return problems;
}
