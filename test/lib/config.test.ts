import { describe, expect, it } from 'vitest';
import { MonitorConfigError, parseStackConfig, STACK_CONTEXT_KEYS } from '../../lib/config';
import { CDK_JSON_CONTEXT } from './helpers/synth';

/** Runs the parser and returns its error message (fails the test if it does not throw). */
function problemWith(context: Record<string, unknown>): string {
  try {
    parseStackConfig(context);
  } catch (error) {
    if (error instanceof MonitorConfigError) return error.message;
    throw error;
  }
  throw new Error('expected parseStackConfig to throw');
}

describe('parseStackConfig', () => {
  it('turns the context shipped in cdk.json into the documented defaults', () => {
    // Act
    const config = parseStackConfig(CDK_JSON_CONTEXT);

    // Assess
    expect(config).toEqual({
      timeZone: 'Asia/Jakarta',
      airudderBaseUrl: 'https://api.airudder.com',
      checkSchedule: 'cron(0/15 * * * ? *)',
      digestSchedule: 'cron(30 8 * * ? *)',
      memorySizeMb: 256,
      timeoutSeconds: 120,
      logRetentionDays: 30,
      scheduleMaxEventAgeMinutes: 60,
      scheduleRetryAttempts: 2,
      archivePrefix: '',
      archiveTransitionDays: 90,
      archiveStorageClass: 'GLACIER_INSTANT_RETRIEVAL',
      noncurrentVersionExpirationDays: 30,
      accessLogExpirationDays: 365,
      noSuccessfulCheckAlarmMinutes: 60,
      dashboard: false,
      query: true,
      removalPolicy: 'retain',
    });
  });

  it('takes removalPolicy destroy from the context for a dev stack, and names anything else', () => {
    expect(parseStackConfig({ ...CDK_JSON_CONTEXT, removalPolicy: 'destroy' }).removalPolicy).toBe('destroy');
    expect(() => parseStackConfig({ ...CDK_JSON_CONTEXT, removalPolicy: 'snapshot' })).toThrow(
      /context key "removalPolicy" must be "retain" or "destroy"/,
    );
  });

  it('lists every key it reads in cdk.json, so users can see them all', () => {
    const ownKeys = Object.keys(CDK_JSON_CONTEXT).filter((key) => !key.startsWith('@aws-cdk'));
    expect(ownKeys.sort()).toEqual([...STACK_CONTEXT_KEYS].sort());
  });

  it('applies the same defaults when only the time zone is given', () => {
    expect(parseStackConfig({ timeZone: 'Europe/Berlin' })).toEqual({
      ...parseStackConfig(CDK_JSON_CONTEXT),
      timeZone: 'Europe/Berlin',
    });
  });

  it('accepts the strings `cdk -c key=value` produces, including JSON for objectLock', () => {
    // Act
    const config = parseStackConfig({
      timeZone: 'Asia/Jakarta',
      memorySizeMb: '512',
      lineCapacity: '40',
      objectLock: '{"mode":"GOVERNANCE","days":"30"}',
    });

    // Assess
    expect(config).toMatchObject({
      memorySizeMb: 512,
      lineCapacity: 40,
      objectLock: { mode: 'GOVERNANCE', days: 30 },
    });
  });

  it('normalises the archive prefix to no leading or trailing slash', () => {
    expect(parseStackConfig({ timeZone: 'UTC', archivePrefix: '/acme/centre-1/' }).archivePrefix).toBe(
      'acme/centre-1',
    );
  });

  it.each([
    ['timeZone', { timeZone: 'Asia/Jakrta' }],
    ['timeZone', { timeZone: undefined }],
    ['airudderBaseUrl', { airudderBaseUrl: 'http://api.airudder.com' }],
    ['checkSchedule', { checkSchedule: '*/15 * * * *' }],
    ['digestSchedule', { digestSchedule: 'cron(30 8 * * ?)' }],
    ['memorySizeMb', { memorySizeMb: 64 }],
    ['timeoutSeconds', { timeoutSeconds: 'two minutes' }],
    ['logRetentionDays', { logRetentionDays: 31 }],
    ['scheduleMaxEventAgeMinutes', { scheduleMaxEventAgeMinutes: 2000 }],
    ['scheduleRetryAttempts', { scheduleRetryAttempts: -1 }],
    ['archivePrefix', { archivePrefix: 'raw/*' }],
    ['archivePrefix', { archivePrefix: 'a/../b' }],
    ['archiveStorageClass', { archiveStorageClass: 'DEEP_ARCHIVE' }],
    ['objectLock.mode', { objectLock: { mode: 'LEGAL_HOLD', days: 30 } }],
    ['objectLock.days', { objectLock: { mode: 'GOVERNANCE', days: 0 } }],
    ['secretArn', { secretArn: 'arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:monitor' }],
    ['secretName', { secretName: 'my secret' }],
    ['alarmEmail', { alarmEmail: 'ops' }],
    ['noSuccessfulCheckAlarmMinutes', { noSuccessfulCheckAlarmMinutes: 2 }],
    ['logLevel', { logLevel: 'TRACE' }],
  ])('rejects a bad %s with a message naming that key', (key, overrides) => {
    // Act
    const message = problemWith({ ...CDK_JSON_CONTEXT, ...overrides });

    // Assess
    expect(message).toContain(`context key "${key}"`);
  });

  it('names every bad key at once', () => {
    const message = problemWith({ ...CDK_JSON_CONTEXT, memorySizeMb: 1, alarmEmail: 'nobody' });
    expect(message).toContain('"memorySizeMb"');
    expect(message).toContain('"alarmEmail"');
  });

  it.each([
    [
      'secretName',
      {
        secretArn: 'arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:monitor-AbCdEf',
        secretName: 'monitor',
      },
      'not both',
    ],
    [
      'secretKmsKeyArn',
      { secretKmsKeyArn: 'arn:aws:kms:ap-southeast-3:123456789012:key/1234abcd' },
      'imported secret',
    ],
    ['archiveExpirationDays', { archiveExpirationDays: 90 }, 'greater than archiveTransitionDays'],
    [
      'airudderTimeoutMs',
      { timeoutSeconds: 60, airudderTimeoutMs: 60_000 },
      'shorter than the function timeout',
    ],
  ])('rejects an inconsistent %s', (key, overrides, reason) => {
    const message = problemWith({ ...CDK_JSON_CONTEXT, ...overrides });
    expect(message).toContain(`context key "${key}"`);
    expect(message).toContain(reason);
  });
});
