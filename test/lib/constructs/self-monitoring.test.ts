import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AirudderStatsMonitor, type AirudderStatsMonitorProps, MonitorConfigError } from '../../../lib';
import { type AlarmQuery, evaluateAlarm } from '../helpers/metric-math';
import { onlyResource } from '../helpers/template-queries';

const STUB_HANDLER = path.join(__dirname, '..', 'fixtures', 'stub-handler.ts');

function synth(props: Partial<AirudderStatsMonitorProps>) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Operations', { env: { account: '123456789012', region: 'ap-southeast-3' } });
  new AirudderStatsMonitor(stack, 'Surabaya', {
    timeZone: 'Asia/Jakarta',
    handlerSourceEntry: STUB_HANDLER,
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

function heartbeat(template: Template) {
  return onlyResource(template, 'AWS::CloudWatch::Alarm', {
    AlarmName: Match.stringLikeRegexp('no successful check'),
  }).resource.Properties;
}

/** What the "no successful check" alarm sees at a local time: `breaching` when it would fire. */
function heartbeatAt(template: Template, utc: string, successfulChecks: number | undefined) {
  const alarm = heartbeat(template);
  // Without metric math the alarm reads the metric itself.
  const queries = (alarm.Metrics as AlarmQuery[] | undefined) ?? [{ Id: 'metric', MetricStat: {} }];
  const runsId = queries.find((query) => query.MetricStat !== undefined)?.Id ?? '';
  const value = evaluateAlarm(queries, new Date(utc), { [runsId]: successfulChecks });
  // Threshold 1, LessThanThreshold, missing data breaching.
  return value === undefined || value < 1 ? 'breaching' : 'ok';
}

describe('the "no successful check" alarm', () => {
  it("counts only this monitor's checks, and with a round-the-clock schedule expects one every window", () => {
    const { template } = synth({});
    expect(heartbeat(template)).toMatchObject({
      Namespace: 'AirudderStatsMonitor',
      MetricName: 'RunSucceeded',
      Dimensions: expect.arrayContaining([
        { Name: 'mode', Value: 'check' },
        { Name: 'service', Value: 'operations-surabaya' },
      ]),
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  describe("with the README's schedule cron(0/10 7-22 * * ? *) in Asia/Jakarta (UTC+7)", () => {
    const { template } = synth({ checkSchedule: 'cron(0/10 7-22 * * ? *)' });

    it('watches the hours 07–22 local (00–15 UTC) only, on the gap-free clock series', () => {
      const queries = heartbeat(template).Metrics as AlarmQuery[];
      const returned = queries.find((query) => query.ReturnData !== false);
      expect(returned?.Expression).toBe('IF((HOUR(clock) >= 0 && HOUR(clock) <= 15), FILL(runs, 0), 1)');
      expect(queries).toContainEqual(expect.objectContaining({ Id: 'clock', Expression: 'TIME_SERIES(0)' }));
      expect(queries).toContainEqual(
        expect.objectContaining({
          Id: 'runs',
          MetricStat: expect.objectContaining({
            Metric: expect.objectContaining({ MetricName: 'RunSucceeded' }),
            Period: 3600,
            Stat: 'Sum',
          }),
        }),
      );
    });

    it.each([
      ['02:00', '2025-11-11T19:00:00Z'],
      ['00:00', '2025-11-11T17:00:00Z'],
      ['06:00', '2025-11-11T23:00:00Z'],
      ['23:00', '2025-11-11T16:00:00Z'],
    ])('cannot fire at %s local, when no check runs', (_local, utc) => {
      expect(heartbeatAt(template, utc, undefined)).toBe('ok');
    });

    it.each([
      ['07:00', '2025-11-11T00:00:00Z'],
      ['12:00', '2025-11-11T05:00:00Z'],
      ['22:00', '2025-11-11T15:00:00Z'],
    ])('fires at %s local when no check succeeded, and not when one did', (_local, utc) => {
      expect(heartbeatAt(template, utc, undefined)).toBe('breaching');
      expect(heartbeatAt(template, utc, 0)).toBe('breaching');
      expect(heartbeatAt(template, utc, 6)).toBe('ok');
    });
  });

  describe('with weekday office hours in a zone with daylight saving time (Europe/Berlin)', () => {
    const { template } = synth({ timeZone: 'Europe/Berlin', checkSchedule: 'cron(0/15 8-17 ? * MON-FRI *)' });

    it.each([
      ['Saturday 12:00 CET', '2025-11-15T11:00:00Z'],
      ['Sunday 12:00 CEST', '2025-07-13T10:00:00Z'],
      ['Monday 02:00 CET', '2025-11-17T01:00:00Z'],
      ['Monday 02:00 CEST', '2025-07-14T00:00:00Z'],
      ['Friday 19:00 CEST', '2025-07-18T17:00:00Z'],
    ])('stays quiet on %s', (_local, utc) => {
      expect(heartbeatAt(template, utc, undefined)).toBe('ok');
    });

    it.each([
      ['Monday 12:00 CET', '2025-11-17T11:00:00Z'],
      ['Monday 12:00 CEST', '2025-07-14T10:00:00Z'],
      ['Friday 16:00 CET', '2025-11-21T15:00:00Z'],
    ])('fires on %s without a successful check', (_local, utc) => {
      expect(heartbeatAt(template, utc, undefined)).toBe('breaching');
      expect(heartbeatAt(template, utc, 4)).toBe('ok');
    });
  });

  it('watches a once-a-day check with a day-long window', () => {
    const { template } = synth({ checkSchedule: 'cron(0 9 * * ? *)', noSuccessfulCheckAlarmMinutes: 1440 });
    expect(heartbeat(template)).toMatchObject({ Period: 86_400 });
    expect(heartbeatAt(template, '2025-11-11T00:00:00Z', undefined)).toBe('breaching');
    expect(heartbeatAt(template, '2025-11-11T00:00:00Z', 1)).toBe('ok');
  });

  it.each([
    [
      { checkSchedule: 'cron(0/15 * * * ? *)', noSuccessfulCheckAlarmMinutes: 10 },
      /no run between minute 20 and 30/,
    ],
    [
      { checkSchedule: 'cron(0 9 * * ? *)', noSuccessfulCheckAlarmMinutes: 60, timeZone: 'Europe/Berlin' },
      /no hour is sure/,
    ],
    [
      { checkSchedule: 'rate(2 hours)', noSuccessfulCheckAlarmMinutes: 60 },
      /shorter than the check schedule's 120/,
    ],
    [
      { checkSchedule: 'cron(0/10 7-22 * * ? *)', noSuccessfulCheckAlarmMinutes: 90 },
      /multiple of 60, not 90/,
    ],
  ])('refuses a window the schedule cannot fill (%o)', (props, message) => {
    const attempt = () => synth(props);
    expect(attempt).toThrow(MonitorConfigError);
    expect(attempt).toThrow(message);
  });

  it('warns at synth when the schedule has fields it cannot follow', () => {
    const { stack } = synth({ checkSchedule: 'cron(0 9 1 * ? *)', noSuccessfulCheckAlarmMinutes: 1440 });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('day-of-month field \\(1\\)'));
  });
});

describe('the other alarms', () => {
  const { template } = synth({ displayName: 'Surabaya inbound' });

  it('fire on each new dead letter, counted as sent, so a queue nobody purged hides no later failure', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarm when Lambda throttles the function', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('carry names that say which monitor and what happened', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => alarm.Properties.AlarmName as string)
      .sort();
    expect(names).toEqual([
      'Surabaya inbound (operations-surabaya) – function errors',
      'Surabaya inbound (operations-surabaya) – function throttled',
      'Surabaya inbound (operations-surabaya) – no successful check',
      'Surabaya inbound (operations-surabaya) – run dead-lettered',
      'Surabaya inbound (operations-surabaya) – run near timeout',
    ]);
  });
});
