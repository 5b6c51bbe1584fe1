/**
 * A readable difference between two rules files, rule by rule and field by field, as written (not
 * as parsed: defaults the author never typed are not news). What `rules push` shows before asking.
 *
 *   ~ transfer-success-rate
 *       warn: 0.75 → 0.7
 *       repeat.everyMinutes: 60 → 120
 *   + night-volume (Night volume)
 *   - volume-drop (Volume drop)
 */

export type RuleChange =
  | { readonly kind: 'added' | 'removed'; readonly id: string; readonly title: string }
  | {
      readonly kind: 'changed';
      readonly id: string;
      readonly fields: ReadonlyArray<{
        readonly path: string;
        readonly before?: string;
        readonly after?: string;
      }>;
    };

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function rulesById(file: Json): Map<string, Record<string, Json>> {
  const rules = isRecord(file) && Array.isArray(file.rules) ? file.rules : [];
  const byId = new Map<string, Record<string, Json>>();
  rules.forEach((rule: Json, index: number) => {
    if (isRecord(rule)) byId.set(typeof rule.id === 'string' ? rule.id : `#${index}`, rule);
  });
  return byId;
}

/** Leaves of a JSON value as `path → JSON text`; arrays (mute periods) compare whole. */
function leaves(value: Json, prefix: string, into: Map<string, string>): Map<string, string> {
  if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, JSON.stringify(value));
  }
  return into;
}

const titleOf = (rule: Record<string, Json>) => (typeof rule.title === 'string' ? rule.title : '');

export function diffRules(before: Json, after: Json): RuleChange[] {
  const old = rulesById(before);
  const next = rulesById(after);
  const changes: RuleChange[] = [];
  for (const [id, rule] of next) {
    const previous = old.get(id);
    if (previous === undefined) {
      changes.push({ kind: 'added', id, title: titleOf(rule) });
      continue;
    }
    const a = leaves(previous, '', new Map());
    const b = leaves(rule, '', new Map());
    const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
    const fields = paths.flatMap((path) =>
      a.get(path) === b.get(path) ? [] : [{ path, before: a.get(path), after: b.get(path) }],
    );
    if (fields.length > 0) changes.push({ kind: 'changed', id, fields });
  }
  for (const [id, rule] of old) {
    if (!next.has(id)) changes.push({ kind: 'removed', id, title: titleOf(rule) });
  }
  return changes;
}

export function renderRuleChanges(changes: readonly RuleChange[]): string[] {
  return changes.flatMap((change) => {
    if (change.kind !== 'changed') {
      return [`  ${change.kind === 'added' ? '+' : '-'} ${change.id} (${change.title})`];
    }
    return [
      `  ~ ${change.id}`,
      ...change.fields.map(
        (field) => `      ${field.path}: ${field.before ?? '(not set)'} → ${field.after ?? '(not set)'}`,
      ),
    ];
  });
}
