import { readFile } from 'node:fs/promises';
import { parseRules, type Rule, RulesFileError } from '../domain/alerts/rules';
import { diffRules, renderRuleChanges } from '../domain/alerts/rules-diff';
import { RULES_KEY } from '../domain/alerts/rules-status';
import { silentRuleProblems } from '../domain/alerts/silent-rules';
import { localDate } from '../domain/shared/local-time';
import { rulesVersion } from '../use-cases/active-rules';
import {
  checkRulesAgainstHistory,
  HISTORY_DAYS,
  type HistoryCheck,
  pushRules,
  readStoredRules,
} from '../use-cases/rules-admin';
import type { Command, CommandContext } from './cli-types';
import { ENV_HELP } from './command-help';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

const USAGE = 'rules validate FILE | rules push FILE [--yes] | rules show  [--json]';

export const rulesCommand: Command = {
  summary:
    'Operate the alert rules without a deploy: validate a file, push it to the archive (config/rules.json), show the active rules.',
  usage: USAGE,
  flags: [
    {
      flag: 'validate FILE',
      description: `check FILE against the schema, and its metrics against the responses archived in the last ${HISTORY_DAYS} days`,
    },
    {
      flag: 'push FILE',
      description: `validate, show the diff against the active rules, ask, then write ${RULES_KEY} (conditional: a concurrent push loses)`,
    },
    { flag: '--yes', description: 'push without asking (scripts; required when stdin is not a terminal)' },
    {
      flag: '--allow-silent',
      description:
        'accept a set that can never fire (no rules, a rule muted all week, thresholds no data can reach); the next check tells Slack',
    },
    { flag: 'show', description: 'print the active rules, their version and where they come from' },
  ],
  env: [...ENV_HELP.zone, ...ENV_HELP.archive, ...ENV_HELP.logs],
  json: true,
  async run(args, context) {
    const [action, ...rest] = args;
    switch (action) {
      case 'validate': {
        const { file, allowSilent } = fileArgument(rest, action, { 'allow-silent': { type: 'boolean' } });
        const candidate = await readCandidate(file, allowSilent);
        const history = await historyOf(context, candidate.rules);
        context.report([describeCandidate(candidate), ...describeHistory(history)].join('\n'), {
          ok: true,
          action,
          ...candidateDocument(candidate),
          history,
        });
        return;
      }
      case 'push':
        return push(rest, context);
      case 'show':
        parseFlags(rest, {});
        return show(context);
      default:
        throw new UsageError(
          action === undefined
            ? `rules: say what to do: ${USAGE}`
            : `rules: unknown action "${action}"; expected validate, push or show`,
        );
    }
  },
};

function fileArgument(
  args: readonly string[],
  action: string,
  flags: { yes?: { type: 'boolean' }; 'allow-silent'?: { type: 'boolean' } },
) {
  const files = args.filter((arg) => !arg.startsWith('-'));
  const values = parseFlags(
    args.filter((arg) => arg.startsWith('-')),
    flags,
  ) as { yes?: boolean; 'allow-silent'?: boolean };
  const [file, ...extra] = files;
  if (file === undefined) throw new UsageError(`rules ${action}: FILE is required (a rules JSON file)`);
  if (extra.length > 0)
    throw new UsageError(`rules ${action}: one FILE only, got also "${extra.join('", "')}"`);
  return { file, yes: values.yes === true, allowSilent: values['allow-silent'] === true };
}

interface Candidate {
  readonly file: string;
  readonly text: string;
  readonly rules: Rule[];
  readonly version: string;
  /** Why the set can never fire, accepted with --allow-silent (empty: it can). */
  readonly silent: readonly string[];
}

/** The file, parsed; every problem on its own line (exit 2), a set that can never fire too unless allowed. */
async function readCandidate(file: string, allowSilent: boolean): Promise<Candidate> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`, {
      cause: error,
    });
  }
  let rules: Rule[];
  try {
    rules = parseRules(text, file);
  } catch (error) {
    if (!(error instanceof RulesFileError)) throw error;
    const count = error.problems.length;
    throw new RulesFileError(
      `${file} is not a valid rules file (${count} problem${count === 1 ? '' : 's'}):\n${error.problems.map((problem) => `  ${problem}`).join('\n')}`,
      error.problems,
      { cause: error },
    );
  }
  const silent = silentRuleProblems(rules);
  if (silent.length > 0 && !allowSilent) {
    throw new UsageError(
      `${file} would silence the monitor:\n${silent.map((problem) => `  ${problem}`).join('\n')}\n` +
        'Fix it, or add --allow-silent if that is what you mean (the next check then tells Slack).',
    );
  }
  return { file, text, rules, version: rulesVersion(text), silent };
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const candidateDocument = (candidate: Candidate) => ({
  file: candidate.file,
  version: candidate.version,
  rules: candidate.rules.map((rule) => rule.id),
});

const describeCandidate = (candidate: Candidate) =>
  [
    `${candidate.file}: valid, ${plural(candidate.rules.length, 'rule')} (${candidate.version}).`,
    ...(candidate.silent.length === 0
      ? []
      : [
          'WARNING (allowed by --allow-silent): this set would silence the monitor:',
          ...candidate.silent.map((problem) => `  ${problem}`),
        ]),
  ].join('\n');

async function historyOf(context: CommandContext, rules: readonly Rule[]): Promise<HistoryCheck> {
  const today = localDate(context.now(), context.config.airudder.timeZone);
  return checkRulesAgainstHistory(context.wiring.archive(), rules, today);
}

function describeHistory(history: HistoryCheck): string[] {
  const span = `${history.from} → ${history.to}`;
  if (history.responses === 0) {
    return [`History: no archived responses ${span}; the metrics could not be checked against history.`];
  }
  const head = `History ${span} (${plural(history.responses, 'archived response')})`;
  if (history.unseen.length === 0) return [`${head}: every rule's metric appeared.`];
  return [
    `${head}: WARNING, ${plural(history.unseen.length, 'rule')} measure something that never appeared:`,
    ...history.unseen.map((unseen) => `  rule "${unseen.ruleId}": ${unseen.fields} never appeared`),
    '  (a misspelt field, or one AIRUDDER does not send for this account: such a rule never fires)',
  ];
}

async function push(args: readonly string[], context: CommandContext): Promise<void> {
  const { file, yes, allowSilent } = fileArgument(args, 'push', {
    yes: { type: 'boolean' },
    'allow-silent': { type: 'boolean' },
  });
  const { io } = context;
  const candidate = await readCandidate(file, allowSilent);
  const store = context.wiring.archive();
  const location = store.describe(RULES_KEY);
  const history = await historyOf(context, candidate.rules);
  const lines = [describeCandidate(candidate), ...describeHistory(history)];
  const document = { action: 'push', ...candidateDocument(candidate), history, location };

  const stored = await readStoredRules(store);
  const base = stored?.text ?? context.wiring.bundledRules().text;
  const baseName =
    stored === undefined ? `bundled defaults (${rulesVersion(base)})` : `${location} (${stored.version})`;
  const changes = diffRules(jsonOrUndefined(base), JSON.parse(candidate.text));
  if (changes.length === 0 && (stored !== undefined || candidate.version === rulesVersion(base))) {
    context.report(
      [...lines, `No change: the active rules, ${baseName}, already say this. Nothing written.`].join('\n'),
      { ok: true, ...document, pushed: false, reason: 'no-change', changes },
    );
    return;
  }
  lines.push(
    changes.length === 0
      ? `Against ${baseName}: the same rules, written differently.`
      : `Changes against the active rules, ${baseName}:`,
    ...renderRuleChanges(changes),
  );
  io.stdout(lines.join('\n'));
  if (!yes) {
    if (!context.confirm) {
      throw new UsageError(
        'rules push: stdin is not a terminal, so nothing can be confirmed; add --yes to push',
      );
    }
    if (!(await context.confirm(`Push ${candidate.version} to ${location}? [y/N] `))) {
      context.report('Not pushed.', { ok: true, ...document, pushed: false, reason: 'declined', changes });
      return;
    }
  }
  const written = await pushRules(store, candidate.text, stored);
  const versionId = written.versionId === undefined ? '' : `, S3 version id ${written.versionId}`;
  context.report(`Pushed ${written.version}${versionId} to ${location}. The next check uses it.`, {
    ok: true,
    ...document,
    pushed: true,
    changes,
    ...(written.versionId === undefined ? {} : { versionId: written.versionId }),
  });
}

const jsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

async function show(context: CommandContext): Promise<void> {
  const active = await context.wiring.rules();
  const versionId = active.versionId === undefined ? '' : `, S3 version id ${active.versionId}`;
  const lines = [
    `Active rules: ${active.source} (${active.version}${versionId}), ${plural(active.rules.length, 'rule')}.`,
  ];
  if (active.invalid) {
    lines.push(
      `WARNING: ${context.wiring.archive().describe(RULES_KEY)} (${active.invalid.version}) is invalid, so the rules above are in use:`,
      ...active.invalid.problems.map((problem) => `  ${problem}`),
    );
  }
  if (active.origin === 'file') lines.push('(RULES_FILE is set: it overrides the rules in the archive.)');
  lines.push(active.text.trimEnd());
  context.report(lines.join('\n'), {
    ok: true,
    action: 'show',
    source: active.source,
    origin: active.origin,
    version: active.version,
    ...(active.versionId === undefined ? {} : { versionId: active.versionId }),
    ...(active.invalid ? { invalid: active.invalid } : {}),
    rules: JSON.parse(active.text) as unknown,
  });
}
