import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../lambda/cli/commands';
import { GLOBAL_FLAGS } from '../../lambda/cli/global-flags';
import { ENV_KEYS } from '../../lambda/config';
import { STACK_CONTEXT_KEYS } from '../../lib/config';
import packageJson from '../../package.json';

/**
 * The README and docs/ say what the tool does; these checks keep the cheap part of that true: the
 * README stays short, every link lands, every command, flag, npm script, environment variable,
 * context key and repository path the documents name exists.
 */

const ROOT = join(__dirname, '..', '..');
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((file) => `docs/${file}`)].filter(
  (file) => file.endsWith('.md'),
);
/** Folders .gitignore names (build output, caches): documented, absent from a fresh clone. */
const IGNORED = readFileSync(join(ROOT, '.gitignore'), 'utf8')
  .split('\n')
  .filter((line) => line.endsWith('/'));
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');

/** The document without its fenced code blocks (a `#` line in a shell block is no heading). */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '');

const anchorsOf = (file: string) =>
  new Set(
    prose(text(file))
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => slug(line.replace(/^#+ /, ''))),
  );

/** Each documented invocation, continuation lines joined: `airudder-monitor <command> …` or `npm run job -- <command> …`. */
function invocations(markdown: string): Array<{ command: string; rest: string }> {
  const joined = markdown.replace(/\\\n\s*/g, ' ');
  const found: Array<{ command: string; rest: string }> = [];
  for (const match of joined.matchAll(/(?:airudder-monitor|npm run job --)\s+([a-z][a-z-]*)([^\n`|]*)/g)) {
    found.push({ command: match[1] ?? '', rest: match[2] ?? '' });
  }
  return found;
}

/** The first cells of the README's command table: `snooze … · unsnooze … · snoozes …`. */
function commandTableEntries(readme: string): Array<{ command: string; rest: string }> {
  const section = readme.slice(
    readme.indexOf('| command '),
    readme.indexOf('## ', readme.indexOf('| command ')),
  );
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => (line.split(/(?<!\\)\|/)[1] ?? '').split(' · '))
    .map((cell) => /`([a-z]+)([^`]*)`/.exec(cell))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ command: match[1] ?? '', rest: match[2] ?? '' }));
}

const flagsOf = (command: keyof typeof COMMANDS) =>
  new Set(
    [...COMMANDS[command].flags, ...GLOBAL_FLAGS, { flag: '--json' }, { flag: '--help, -h' }].flatMap(
      (help) => help.flag.match(/--[a-z][a-z-]*/g) ?? [],
    ),
  );

describe('the README', () => {
  it('is short enough to read in ten minutes: at most 350 lines', () => {
    expect(text('README.md').split('\n').length).toBeLessThanOrEqual(350);
  });

  it('links every document in docs/', () => {
    const readme = text('README.md');
    const unlinked = DOCUMENTS.filter((file) => file.startsWith('docs/') && !readme.includes(`](${file})`));
    expect(unlinked).toEqual([]);
  });
});

describe.each(DOCUMENTS)('%s', (file) => {
  const markdown = text(file);

  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const match of prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z]+:/.test(target)) continue;
      const [path = '', anchor] = target.split('#');
      const resolved = path === '' ? file : relative(ROOT, join(ROOT, dirname(file), path));
      if (!existsSync(join(ROOT, resolved))) broken.push(`${target}: no file ${resolved}`);
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
        broken.push(`${target}: no heading #${anchor} in ${resolved}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only commands and flags the CLI has', () => {
    const entries = [
      ...invocations(markdown),
      ...(file === 'README.md' ? commandTableEntries(markdown) : []),
    ];
    const wrong: string[] = [];
    for (const { command, rest } of entries) {
      if (!(command in COMMANDS)) {
        wrong.push(`${command}: no such command`);
        continue;
      }
      const known = flagsOf(command as keyof typeof COMMANDS);
      for (const flag of rest.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? []) {
        if (!known.has(flag)) wrong.push(`${command} ${flag}: no such flag`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names only npm scripts package.json has', () => {
    const scripts = Object.keys(packageJson.scripts);
    const named = [...markdown.matchAll(/npm run ([a-z][\w:-]*)/g)].map((match) => match[1] ?? '');
    expect(named.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const paths = [...markdown.matchAll(/`((?:lambda|lib|bin|dev|bench|test|scripts|\.ci)\/[\w./-]*)`/g)]
      .map((match) => match[1] ?? '')
      .filter((path) => !/[<*…]/.test(path) && !IGNORED.some((ignored) => path.startsWith(ignored)));
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});

describe('docs/configuration.md', () => {
  const table = text('docs/configuration.md')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) =>
      [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]),
    );

  it('lists every variable lambda/config.ts reads, and no other', () => {
    expect([...new Set(table)].sort()).toEqual([...ENV_KEYS].sort());
  });
});

describe('docs/construct.md', () => {
  const markdown = text('docs/construct.md');
  const section = markdown.slice(
    markdown.indexOf('## Context keys'),
    markdown.indexOf('## What the stack builds'),
  );
  const table = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) =>
      [...(line.split('|')[1] ?? '').matchAll(/`([a-z][A-Za-z0-9]+)`/g)].map((match) => match[1]),
    );

  it('lists every context key the stack reads, and no other', () => {
    expect([...new Set(table)].sort()).toEqual([...STACK_CONTEXT_KEYS].sort());
  });
});

describe('docs/digest.md', () => {
  it('shows the golden digest of the fixture day, as the digest tests pin it', () => {
    const golden = text('test/fixtures/digest/golden-digest.txt').trimEnd();
    const indented = golden
      .split('\n')
      .map((line) => (line === '' ? '' : `    ${line}`))
      .join('\n');
    expect(text('docs/digest.md')).toContain(indented);
  });
});
