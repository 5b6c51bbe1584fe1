import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIncident, parseServeArgs, serveStandIn } from '../../../dev/stand-in/serve';
import { runCli } from '../../../lambda/cli/run-cli';
import { previousLocalDate } from '../../../lambda/domain/statistics/query-window';

const NOW = new Date('2025-11-12T03:00:00Z'); // 10:00 in Jakarta

describe('npm run stand-in: --incident', () => {
  it.each([
    [
      'transfer 08:00-14:00',
      { start: '2025-11-12 08:00:00', end: '2025-11-12 14:00:00', effect: 'transfer-failure' },
    ],
    [
      'drop 2025-11-10 10:00-11:00 0.9',
      { start: '2025-11-10 10:00:00', end: '2025-11-10 11:00:00', effect: 'volume-drop', severity: 0.9 },
    ],
    [
      'agent-no-answer 22:00-24:00',
      { start: '2025-11-12 22:00:00', end: '2025-11-12 23:59:59', effect: 'agent-no-answer' },
    ],
  ])('reads "%s" on the account-local clock (today by default)', (text, incident) => {
    expect(parseIncident(text, 'Asia/Jakarta', NOW)).toEqual(incident);
  });

  it.each([
    ['fire 08:00-14:00', /unknown effect "fire"; use transfer, agents/],
    ['transfer 8-14', /expected "<effect> \[YYYY-MM-DD\] HH:mm-HH:mm/],
    ['transfer 14:00-08:00', /14:00-08:00": 08:00 is not after 14:00/],
    ['transfer 08:00-14:00 2', /severity "2" is not a number from 0 to 1/],
  ])('refuses "%s", naming what is wrong', (text, message) => {
    expect(() => parseIncident(text, 'Asia/Jakarta', NOW)).toThrow(message);
  });

  it('names a bad flag or zone', () => {
    expect(() => parseServeArgs(['--zone', 'Mars/Base'], {}, NOW)).toThrow(
      /--zone "Mars\/Base" is not an IANA/,
    );
    expect(() => parseServeArgs(['--incidents', 'x'], {}, NOW)).toThrow(/Unknown option '--incidents'/);
  });
});

describe('npm run stand-in: the export lines', () => {
  it('point the CLI at the stand-in exactly: a shell that runs them can fetch and archive', async () => {
    // Prepare: start it as `npm run stand-in -- --incident "transfer 08:00-14:00"` would
    const dir = await mkdtemp(join(tmpdir(), 'serve-'));
    const printed: string[] = [];
    const options = parseServeArgs(
      ['--incident', 'transfer 08:00-14:00', '--archive', join(dir, "it's here")],
      { AIRUDDER_TIMEZONE: 'Asia/Jakarta' },
      new Date(),
    );
    const { standIn, exports } = await serveStandIn(options, (text) => printed.push(text));
    try {
      // Act: read the printed lines back as a POSIX shell would, then run the CLI with exactly that
      const env: Record<string, string> = {};
      for (const line of printed.join('\n').split('\n')) {
        const match = /^export ([A-Z_0-9]+)=(.*)$/.exec(line);
        if (match?.[1] && match[2] !== undefined) env[match[1]] = unquote(match[2]);
      }
      const yesterday = previousLocalDate(new Date(), 'Asia/Jakarta');
      const stdout: string[] = [];
      const code = await runCli(
        ['fetch', '--from', `${yesterday} 00:00:00`, '--to', `${yesterday} 23:59:59`, '--json'],
        { env, io: { stdout: (text) => stdout.push(text), stderr: () => {} } },
      );
      // Assess
      expect(exports.length).toBeGreaterThanOrEqual(5);
      expect(printed[0]).toMatch(/transfer-failure \d{4}-\d{2}-\d{2} 08:00:00 → \d{4}-\d{2}-\d{2} 14:00:00/);
      expect(env).toMatchObject({ AIRUDDER_BASE_URL: standIn.url, AIRUDDER_TIMEZONE: 'Asia/Jakarta' });
      expect(code).toBe(0);
      expect(JSON.parse(stdout.join('\n'))).toMatchObject({
        ok: true,
        archive: { location: expect.stringContaining(join(dir, "it's here")) },
      });
    } finally {
      await standIn.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** POSIX single-quoted words: 'a'\''b' is a'b. */
const unquote = (word: string) => (word.startsWith("'") ? word.slice(1, -1).replaceAll("'\\''", "'") : word);
