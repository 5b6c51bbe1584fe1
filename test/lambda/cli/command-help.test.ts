import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../lambda/cli/commands';
import { runCli } from '../../../lambda/cli/run-cli';
import packageJson from '../../../package.json';

/** The CLI with nothing configured at all: not a zone, not an archive, not a credential. */
async function runBare(argv: string[], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, {
    env,
    io: { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) },
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const NAMES = Object.keys(COMMANDS);

describe('airudder-monitor <command> --help', () => {
  it.each(NAMES)(
    'prints the usage, flags and environment of %s with an empty environment, exit 0',
    async (name) => {
      const result = await runBare([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`^Usage: airudder-monitor ${name}\\b`));
      expect(result.stdout).toMatch(/^Flags:$/m);
      expect(result.stdout).toMatch(/^ {2}--help, -h +print this help and exit$/m);
      expect(result.stdout).toMatch(/^Environment \(required ones marked \*\):$/m);
      // slack-manifest reads no archive: it prints a document from its flags.
      if (name !== 'slack-manifest') expect(result.stdout).toMatch(/^ {2}\* ARCHIVE_BUCKET \| ARCHIVE_DIR$/m);
      for (const flag of COMMANDS[name as keyof typeof COMMANDS].flags) {
        expect(result.stdout).toContain(flag.flag);
      }
    },
  );

  it('lists --json for every command (sql prints its rows as JSON), and the global flags', async () => {
    for (const name of NAMES) {
      const { stdout } = await runBare([name, '--help']);
      expect(stdout, name).toMatch(
        name === 'sql'
          ? /^ {2}--json \| --csv +rows as JSON/m
          : /^ {2}--json +print one JSON document on stdout/m,
      );
      expect(stdout, name).toMatch(/^ {2}--archive s3:\/\/BUCKET\[\/PREFIX\] \| FOLDER +the archive/m);
      expect(stdout, name).toMatch(/^ {2}--verbose +log at INFO on a terminal too/m);
      expect(stdout, name).toMatch(/^130 interrupted \(Ctrl-C\)\.$/m);
    }
    expect(NAMES.filter((name) => !COMMANDS[name as keyof typeof COMMANDS].json)).toEqual(['sql']);
  });

  it('says what exit code 1 means for each command: problems only for verify, undone days for backfill and curate', async () => {
    const exitOne = async (name: string) =>
      /^Exit codes: 0 done; 1 (.*); 2 bad usage/m.exec((await runBare([name, '--help'])).stdout)?.[1];
    expect(await exitOne('verify')).toBe('verify found problems, or failed');
    expect(await exitOne('backfill')).toBe('backfill left days undone, or failed');
    expect(await exitOne('curate')).toBe('curate left days undone, or failed');
    expect(await exitOne('snooze')).toBe('snooze failed');
    expect(await exitOne('check')).toBe('check failed');
  });

  it('lists MONITOR_NAME for the commands that send messages', async () => {
    for (const name of ['check', 'digest', 'replay']) {
      expect((await runBare([name, '--help'])).stdout, name).toMatch(/^ {4}MONITOR_NAME\n +display name/m);
    }
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
    expect(result.stdout).toMatch(/"airudder-monitor <command> --help" shows a command's flags/);
    expect(result.stdout).toMatch(/MONITOR_NAME/);
    expect(result.stdout).toMatch(/default credential chain/);
    expect(result.stdout).toMatch(/^130 interrupted \(Ctrl-C\)\.$/m);
  });

  it('on a configuration error, points to the help of the command that was run', async () => {
    const result = await runBare(['verify']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Run "airudder-monitor verify --help" for usage\./);
  });

  it('on a configuration error, says each variable that is missing, what it holds and how to set it', async () => {
    // Act
    const bare = await runBare(['verify']);
    const noArchive = await runBare(['verify'], { AIRUDDER_TIMEZONE: 'Asia/Jakarta' });
    // Assess
    expect(bare.stderr).not.toMatch(/expected string, received undefined/);
    expect(bare.stderr.split('\n')).toEqual([
      'The configuration is incomplete or wrong:',
      '  AIRUDDER_TIMEZONE is not set (the IANA time zone of the AIRUDDER account, e.g. Asia/Jakarta)',
      '',
      'Set a variable in the environment of the command, e.g. "export AIRUDDER_TIMEZONE=Asia/Jakarta".',
      '',
      'Run "airudder-monitor verify --help" for usage.',
    ]);
    expect(noArchive.stderr.split('\n').slice(0, 5)).toEqual([
      'The configuration is incomplete or wrong:',
      '  ARCHIVE_BUCKET is not set, nor ARCHIVE_DIR (set ARCHIVE_BUCKET for S3, or ARCHIVE_DIR for a local folder)',
      '',
      'Set a variable in the environment of the command, e.g. "export AIRUDDER_TIMEZONE=Asia/Jakarta".',
      'The archive can also be given as --archive s3://BUCKET/PREFIX or --archive FOLDER.',
    ]);
  });
});

describe('airudder-monitor --version', () => {
  it.each([['--version'], ['-V'], ['-v'], ['version']])(
    '%s prints the package version with an empty environment',
    async (flag) => {
      const result = await runBare([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`airudder-stats-monitor ${packageJson.version} (node ${process.version})`);
    },
  );
});
