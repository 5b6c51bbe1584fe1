import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../lambda/cli/run-cli';

const URL = 'https://abcdefghij.lambda-url.ap-southeast-3.on.aws/';

/** The CLI with exactly `env` (no AIRUDDER_TIMEZONE, no archive unless given). */
async function manifest(args: string[], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(['slack-manifest', ...args], {
    env,
    io: { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) },
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('slack-manifest: the Slack app manifest to paste', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slack-manifest-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints chat:write and the interactivity URL, with an empty environment', async () => {
    const { code, stdout } = await manifest(['--url', URL]);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed.oauth_config.scopes.bot).toEqual(['chat:write']);
    expect(printed.settings.interactivity).toEqual({ is_enabled: true, request_url: URL });
    expect(printed.display_information.name).toBe('AIRUDDER stats monitor');
  });

  it('adds usergroups:read when SLACK_OPERATORS names a user group, and names the app after MONITOR_NAME (35 characters)', async () => {
    const { stdout } = await manifest(['--url', URL], {
      SLACK_OPERATORS: 'U0AMIRA00,S0OPS0001',
      SLACK_ALERT_CHANNEL: 'C0ALERTS00',
      SLACK_BOT_TOKEN: 'xoxb-1',
      MONITOR_NAME: 'Surabaya inbound voice robot — second floor',
    });
    const printed = JSON.parse(stdout);
    expect(printed.oauth_config.scopes.bot).toEqual(['chat:write', 'usergroups:read']);
    expect(printed.display_information.name).toBe('Surabaya inbound voice robot — seco');
  });

  it('reads the URL from `cdk deploy --outputs-file`', async () => {
    const file = join(dir, 'cdk-outputs.json');
    await writeFile(
      file,
      JSON.stringify({ AirudderStatsMonitor: { InteractionsUrl: URL, SecretId: 'arn:x' } }),
    );
    const { code, stdout } = await manifest(['--outputs-file', file]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).settings.interactivity.request_url).toBe(URL);
  });

  it.each([
    [[], /either --url URL or --outputs-file/],
    [['--url', 'http://example.com/x'], /over https/],
    [['--outputs-file', '/nonexistent/cdk-outputs.json'], /cannot be read \(ENOENT\)/],
  ])('refuses %j with a usage error naming what is wrong', async (args, message) => {
    const { code, stderr } = await manifest(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
