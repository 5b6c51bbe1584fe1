import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_KEYS, loadConfig } from '../../lambda/config';

const base = {
  AIRUDDER_TIMEZONE: 'Asia/Jakarta',
  ARCHIVE_DIR: '/tmp/archive',
  AIRUDDER_APP_KEY: 'key+/abc==',
  AIRUDDER_APP_SECRET: 'secret/+xyz==',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.airudder).toMatchObject({
      baseUrl: 'https://api.airudder.com',
      timeoutMs: 30_000,
      maxAttempts: 3,
      tokenTtlMs: 23 * 3_600_000,
      credentials: { appKey: 'key+/abc==', appSecret: 'secret/+xyz==' },
    });
    expect(config.archive).toEqual({ kind: 'folder', dir: '/tmp/archive', prefix: '' });
  });

  it('keeps base64 credentials exactly as given', () => {
    const config = loadConfig({ ...base, AIRUDDER_APP_KEY: ' a+b/c= ' });
    expect(config.airudder.credentials?.appKey).toBe(' a+b/c= ');
  });

  it('chooses S3 when ARCHIVE_BUCKET is set and trims slashes from the prefix', () => {
    const config = loadConfig({
      ...base,
      ARCHIVE_DIR: undefined,
      ARCHIVE_BUCKET: 'audit',
      ARCHIVE_PREFIX: '/airudder/',
    });
    expect(config.archive).toEqual({ kind: 's3', bucket: 'audit', prefix: 'airudder', timeoutMs: 10_000 });
  });

  it('accepts credentials from a secret instead of the environment', () => {
    const config = loadConfig({
      ...base,
      AIRUDDER_APP_KEY: '',
      AIRUDDER_APP_SECRET: undefined,
      MONITOR_SECRET_ARN: 'arn:aws:secretsmanager:x',
    });
    expect(config.airudder.credentials).toBeUndefined();
    expect(config.secretArn).toBe('arn:aws:secretsmanager:x');
  });

  it.each([
    [{ AIRUDDER_TIMEZONE: 'Mars/Olympus' }, 'AIRUDDER_TIMEZONE'],
    [{ AIRUDDER_TIMEZONE: undefined }, 'AIRUDDER_TIMEZONE'],
    [{ AIRUDDER_BASE_URL: 'http://api.example.com' }, 'AIRUDDER_BASE_URL'],
    [{ AIRUDDER_TIMEOUT_MS: '-5' }, 'AIRUDDER_TIMEOUT_MS'],
    [{ AIRUDDER_MAX_ATTEMPTS: 'three' }, 'AIRUDDER_MAX_ATTEMPTS'],
    [{ ARCHIVE_DIR: undefined }, 'ARCHIVE_BUCKET'],
    [{ ARCHIVE_BUCKET: 'b' }, 'ARCHIVE_DIR'],
    [{ AIRUDDER_APP_SECRET: '' }, 'AIRUDDER_APP_SECRET'],
    [{ AIRUDDER_APP_KEY: undefined }, 'AIRUDDER_APP_KEY'],
    [{ SLACK_WEBHOOK_URL: 'http://hooks.example.com/x' }, 'SLACK_WEBHOOK_URL'],
    [{ ARCHIVE_PREFIX: 'a/../b' }, 'ARCHIVE_PREFIX'],
    // Above setTimeout's ceiling a timeout fires at once and breaks every request
    [{ AIRUDDER_TIMEOUT_MS: '2147483648' }, 'AIRUDDER_TIMEOUT_MS must be at most 2147483647 ms'],
    [{ SLACK_TIMEOUT_MS: '99999999999' }, 'SLACK_TIMEOUT_MS must be at most 2147483647 ms'],
    [{ RUN_DEADLINE_MS: '3000000000' }, 'RUN_DEADLINE_MS must be at most 2147483647 ms'],
    [{ ARCHIVE_TIMEOUT_MS: '2147483648' }, 'ARCHIVE_TIMEOUT_MS must be at most 2147483647 ms'],
    [
      { AIRUDDER_TOKEN_TTL_MINUTES: '1441' },
      "AIRUDDER_TOKEN_TTL_MINUTES must be at most 1440 (a token's 24 h life)",
    ],
    [{ MONITOR_SECRET_TTL_MINUTES: '-1' }, 'MONITOR_SECRET_TTL_MINUTES'],
    [{ AIRUDDER_MAX_RESPONSE_BYTES: '0' }, 'AIRUDDER_MAX_RESPONSE_BYTES'],
  ])('rejects %o naming %s', (change, name) => {
    const error = (() => {
      try {
        loadConfig({ ...base, ...change });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
  });

  it('accepts the largest timeouts that still work, a token TTL of 24 h, and defaults the secret TTL to 60 minutes', () => {
    const config = loadConfig({
      ...base,
      AIRUDDER_TIMEOUT_MS: '2147483647',
      RUN_DEADLINE_MS: '2147483647',
      AIRUDDER_TOKEN_TTL_MINUTES: '1440',
    });
    expect(config.airudder.timeoutMs).toBe(2_147_483_647);
    expect(config.airudder.tokenTtlMs).toBe(24 * 3_600_000);
    expect(config.secretTtlMs).toBe(60 * 60_000);
    expect(config.airudder.maxResponseBytes).toBe(16 * 1024 * 1024);
  });

  it('accepts no credentials at all, for commands that only read the archive', () => {
    expect(
      loadConfig({ ...base, AIRUDDER_APP_KEY: undefined, AIRUDDER_APP_SECRET: undefined }).airudder
        .credentials,
    ).toBeUndefined();
  });

  it('allows plain http only for loopback hosts', () => {
    expect(loadConfig({ ...base, AIRUDDER_BASE_URL: 'http://127.0.0.1:8080' }).airudder.baseUrl).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('never echoes a rejected value, which may be a secret', () => {
    const webhook = 'http://hooks.example.com/services/T1/B2/very-secret';
    expect(() => loadConfig({ ...base, SLACK_WEBHOOK_URL: webhook })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('very-secret') }),
    );
  });

  it('declares every variable name once', () => {
    expect(new Set(ENV_KEYS).size).toBe(ENV_KEYS.length);
    expect(ENV_KEYS).toEqual(
      expect.arrayContaining([
        'AIRUDDER_BASE_URL',
        'AIRUDDER_TIMEZONE',
        'ARCHIVE_BUCKET',
        'ARCHIVE_DIR',
        'ARCHIVE_PREFIX',
      ]),
    );
  });
});

describe('Slack app mode configuration', () => {
  const app = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_ALERT_CHANNEL: 'C0123456789' };

  it('is off with only webhooks: the config is what it was', () => {
    const config = loadConfig({ ...base, SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X' });
    expect(config.slack.app).toBeUndefined();
    expect(config.slack.alertWebhookUrl).toBe('https://hooks.slack.com/services/T/B/X');
  });

  it('reads the token, channels, operators and API base, the digest channel defaulting to the alert one', () => {
    const config = loadConfig({ ...base, ...app, SLACK_OPERATORS: ' U01ABC, S02GROUP ,W03X ' });
    expect(config.slack.app).toEqual({
      botToken: 'xoxb-1-2-abc',
      signingSecret: undefined,
      alertChannel: 'C0123456789',
      digestChannel: 'C0123456789',
      operators: ['U01ABC', 'S02GROUP', 'W03X'],
      apiUrl: 'https://slack.com/api/',
    });
    const local = loadConfig({
      ...base,
      ...app,
      SLACK_DIGEST_CHANNEL: 'C0DIGEST00',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(local.slack.app).toMatchObject({ digestChannel: 'C0DIGEST00', apiUrl: 'http://127.0.0.1:9/api/' });
  });

  it('takes the token from the monitor secret when MONITOR_SECRET_ARN is set', () => {
    const config = loadConfig({ ...base, SLACK_ALERT_CHANNEL: 'C0123456789', MONITOR_SECRET_ARN: 'arn:x' });
    expect(config.slack.app?.botToken).toBeUndefined();
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' }, 'SLACK_ALERT_CHANNEL is required with SLACK_BOT_TOKEN'],
    [{ SLACK_ALERT_CHANNEL: 'C0123456789' }, 'SLACK_BOT_TOKEN is required with SLACK_ALERT_CHANNEL'],
    [{ ...app, SLACK_ALERT_CHANNEL: '#alerts' }, 'SLACK_ALERT_CHANNEL must be a Slack channel id'],
    [{ ...app, SLACK_BOT_TOKEN: 'xoxp-user-token' }, 'SLACK_BOT_TOKEN must be a bot token'],
    [{ ...app, SLACK_OPERATORS: 'amira' }, 'SLACK_OPERATORS must be comma-separated Slack user ids'],
    [{ ...app, SLACK_API_URL: 'http://slack.example.com/api/' }, 'SLACK_API_URL must use https'],
    [{ SLACK_DIGEST_CHANNEL: 'C0DIGEST00' }, 'SLACK_ALERT_CHANNEL is required with SLACK_DIGEST_CHANNEL'],
  ])('names the variable that is wrong: %o', (env, expected) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(expected);
  });

  it('never echoes the token in a configuration error', () => {
    const error = (() => {
      try {
        loadConfig({ ...base, SLACK_BOT_TOKEN: 'xoxp-secret-value-123', SLACK_ALERT_CHANNEL: 'C0123456789' });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(JSON.stringify({ message: error?.message, problems: error?.problems })).not.toContain(
      'secret-value',
    );
  });
});
