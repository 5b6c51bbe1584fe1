import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { startTestStandIn } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';

describe('npm run job -- check / digest', () => {
  let standIn: StandIn;
  let dir: string;
  const clock = new Date('2025-11-12T01:30:00Z');
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => clock });
    dir = await mkdtemp(join(tmpdir(), 'cli-check-'));
  });
  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (argv: string[], env: Record<string, string> = {}) =>
    runTestCli(argv, {
      baseUrl: standIn.url,
      archiveDir: join(dir, 'archive'),
      env: { LOG_LEVEL: 'WARN', ...env },
      now: () => clock,
    });

  it('check evaluates every rule for the given instant and prints one line per rule', async () => {
    const result = await run(['check', '--at', '2025-11-11T03:00:00Z']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2025-11-11 00:00:00 → 2025-11-11 10:00:00 \(Asia\/Jakarta\)/);
    expect(result.stdout).toMatch(/^ {2}transfer-success-rate +ok/m);
    expect(result.stdout).toMatch(/^ {2}peak-concurrency +ok +skipped: lineCapacity is not configured/m);
    const again = await run(['check', '--at', '2025-11-11T03:00:00Z']);
    expect(again.stdout).toMatch(/Already evaluated for this time: nothing changed, nothing sent\./);
  });

  it('digest without a webhook prints the message as text with a Block Kit Builder link, once per date', async () => {
    const first = await run(['digest', '--date', '2025-11-10']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Robot digest · Mon 10 Nov 2025/);
    expect(first.stdout).toMatch(
      /Preview in Block Kit Builder: https:\/\/app\.slack\.com\/block-kit-builder#/,
    );
    expect(first.stdout).toMatch(/Digest for 2025-11-10 posted/);
    const second = await run(['digest', '--date', '2025-11-10']);
    expect(second.stdout).toMatch(/already posted; nothing sent \(use --force/);
    const forced = await run(['digest', '--date', '2025-11-10', '--force']);
    expect(forced.stdout).toMatch(/Digest for 2025-11-10 posted/);
  });

  it('digest on the console shows the full figure table after the first screen', async () => {
    const result = await run(['digest', '--date', '2025-11-09']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\*Transfer success\* \d+(\.\d)?% · /m);
    expect(result.stdout).toMatch(/^\*What callers wanted\* · \d+/m);
  });

  it.each([
    ['2025-11-12', 'today'],
    ['2025-11-13', 'a future date'],
  ])('digest --date %s (%s) exits 2 like backfill, archiving and recording nothing', async (date) => {
    const result = await run(['digest', '--date', date]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--date: ${date} is not over yet in Asia/Jakarta (today is 2025-11-12); a digest covers a whole day that has ended`,
    );
    const files = await readdir(join(dir, 'archive'), { recursive: true }).catch(() => []);
    expect(files.filter((file) => file.includes(date))).toEqual([]);
  });

  it.each([
    [['check', '--at', 'noon'], /--at "noon" is not an ISO-8601 instant/],
    [['digest', '--date', '2025-02-30'], /--date: "2025-02-30" is not a date/],
    [['digest', '--yesterday'], /Unknown option '--yesterday'/],
  ])('exits 2 on %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 on a malformed rules file, naming the rule id and the field', async () => {
    const rulesFile = join(dir, 'rules.json');
    await writeFile(
      rulesFile,
      JSON.stringify({
        version: 1,
        rules: [
          {
            id: 'transfer-ok',
            title: 'T',
            metric: 'transfer_success_rate',
            scope: 'day-so-far',
            comparison: 'below',
            warn: 0.7,
          },
          {
            id: 'agents-gone',
            title: 'A',
            metric: 'agent_reception_rate',
            scope: 'day-so-far',
            comparison: 'below',
            warn: 'low',
          },
        ],
      }),
    );
    const result = await run(['check', '--at', '2025-11-11T04:00:00Z'], { RULES_FILE: rulesFile });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rule "agents-gone" field warn/);
    expect(
      standIn.requests.filter((request) => request.query.end_time === '2025-11-11 11:00:00'),
    ).toHaveLength(0);
  });

  it('exits 2 when RULES_FILE does not exist', async () => {
    const result = await run(['check'], { RULES_FILE: join(dir, 'missing.json') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/RULES_FILE .*missing\.json cannot be read \(ENOENT\)/);
  });
});
