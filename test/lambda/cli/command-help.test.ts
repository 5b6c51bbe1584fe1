import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../lambda/cli/commands';
import { runCli } from '../../../lambda/cli/run-cli';
import packageJson from '../../../package.json';

/** The CLI with nothing configured at all: not a zone, not an archive, not a credential. */
async function runBare(argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, {
    env: {},
    io: { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) },
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const NAMES = Object.keys(COMMANDS);

describe('npm run job -- <command> --help', () => {
  it.each(NAMES)(
    'prints the usage, flags and environment of %s with an empty environment, exit 0',
    async (name) => {
      const result = await runBare([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`^Usage: npm run job -- ${name}\\b`));
      expect(result.stdout).toMatch(/^Flags:$/m);
      expect(result.stdout).toMatch(/^ {2}--help, -h +print this help and exit$/m);
      expect(result.stdout).toMatch(/^Environment \(required ones marked \*\):$/m);
      expect(result.stdout).toMatch(/^ {2}\* ARCHIVE_BUCKET \| ARCHIVE_DIR$/m);
      for (const flag of COMMANDS[name as keyof typeof COMMANDS].flags) {
        expect(result.stdout).toContain(flag.flag);
      }
    },
  );

  it('lists --json exactly for the commands that accept it', async () => {
    const withJson = [];
    for (const name of NAMES) {
      if (/^ {2}--json +print one JSON document on stdout/m.test((await runBare([name, '--help'])).stdout))
        withJson.push(name);
    }
    expect(withJson.sort()).toEqual(
      NAMES.filter((name) => COMMANDS[name as keyof typeof COMMANDS].json).sort(),
    );
    expect(withJson).toEqual(expect.arrayContaining(['check', 'fetch', 'verify', 'backfill', 'replay']));
  });

  it('names the credentials a command that calls AIRUDDER needs, and not for one that only reads the archive', async () => {
    expect((await runBare(['fetch', '--help'])).stdout).toMatch(
      /\* AIRUDDER_APP_KEY \+ AIRUDDER_APP_SECRET \| MONITOR_SECRET_ARN/,
    );
    expect((await runBare(['verify', '--help'])).stdout).not.toMatch(/AIRUDDER_APP_KEY/);
  });

  it('answers -h after other flags, and "help <command>", the same way', async () => {
    const direct = await runBare(['backfill', '--help']);
    expect((await runBare(['backfill', '--from', 'nonsense', '-h'])).stdout).toBe(direct.stdout);
    expect((await runBare(['help', 'backfill'])).stdout).toBe(direct.stdout);
  });

  it('prints the overview for --help and points to the per-command help', async () => {
    const result = await runBare(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/"npm run job -- <command> --help" shows a command's flags/);
  });

  it('on a configuration error, points to the help of the command that was run', async () => {
    const result = await runBare(['verify']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/AIRUDDER_TIMEZONE/);
    expect(result.stderr).toMatch(/Run "npm run job -- verify --help" for usage\./);
  });
});

describe('npm run job -- --version', () => {
  it.each([['--version'], ['-v'], ['version']])(
    '%s prints the package version with an empty environment',
    async (flag) => {
      const result = await runBare([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`airudder-stats-monitor ${packageJson.version} (node ${process.version})`);
    },
  );
});
