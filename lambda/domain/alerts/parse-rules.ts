import type * as z from 'zod';
import { type Rule, RulesFileSchema } from './rules-schema';

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

/** Parses and validates a rules file; `source` names it in errors (a path or "default rules"). */
export function parseRules(text: string, source: string): Rule[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new RulesFileError(`${source}: not valid JSON: ${detail}`, [detail], { cause });
  }
  const result = RulesFileSchema.safeParse(json);
  if (result.success) return result.data.rules;
  const problems = result.error.issues.flatMap((issue) => describeIssue(issue, [], json));
  const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more)` : '';
  throw new RulesFileError(`${source}: ${problems.slice(0, SHOWN).join('; ')}${more}`, problems, {
    cause: result.error,
  });
}

type Path = ReadonlyArray<PropertyKey>;

function describeIssue(issue: z.core.$ZodIssue, prefix: Path, json: unknown): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    // Show the branch the input was aiming at: the one that did not fail at its very root.
    const aimed = issue.errors.find((branch) => !branch.some((inner) => inner.path.length === 0));
    if (aimed) return aimed.flatMap((inner) => describeIssue(inner, path, json));
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${where([...path, key], json)}: unknown field`);
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

function ruleLabel(json: unknown, index: number): string {
  const rules = isRecord(json) && Array.isArray(json.rules) ? json.rules : [];
  const rule: unknown = rules[index];
  const id = isRecord(rule) ? rule.id : undefined;
  return typeof id === 'string' && id.trim() !== '' ? JSON.stringify(id) : `#${index}`;
}

const formatPath = (path: Path): string =>
  path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
