import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../../lambda/handler/create-handler';
import { createPowertoolsLogger } from '../../../lambda/handler/powertools-logger';
import { createPowertoolsMetrics } from '../../../lambda/handler/run-metrics';
import { createRedactor } from '../../../lambda/shared/redact';

/** Powertools writes one JSON document per line to stdout: capture and parse them. */
function captureStdout() {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  return {
    documents: () => lines.map((line) => JSON.parse(line) as Record<string, any>),
    restore: () => spy.mockRestore(),
  };
}

describe('the Powertools adapters', () => {
  let stdout: ReturnType<typeof captureStdout>;
  beforeEach(() => {
    stdout = captureStdout();
  });
  afterEach(() => {
    stdout.restore();
  });

  it('logs structured JSON with the service and the fields, secrets redacted', () => {
    const redactor = createRedactor(['AS/test+secret==Xw7', 'https://hooks.slack.com/services/T0/B0/abc']);
    const logger = createPowertoolsLogger(
      new Logger({ serviceName: SERVICE_NAME, logLevel: 'INFO' }),
      redactor,
    );

    logger.info('Posting to https://hooks.slack.com/services/T0/B0/abc', {
      mode: 'check',
      error: new Error('refused AS/test+secret==Xw7'),
    });

    const [line] = stdout.documents();
    expect(line).toMatchObject({ level: 'INFO', service: SERVICE_NAME, mode: 'check' });
    expect(line?.message).toBe('Posting to [REDACTED]');
    expect(JSON.stringify(line)).not.toContain('AS/test+secret==Xw7');
    expect(line?.error).toMatchObject({ name: 'Error', message: 'refused [REDACTED]' });
  });

  it('builds no line below the current level, and follows a level changed at run time', () => {
    // Prepare: a field that counts how often it is serialized
    let serialized = 0;
    const counted = { toJSON: () => ++serialized };
    const powertools = new Logger({ serviceName: SERVICE_NAME, logLevel: 'INFO' });
    const logger = createPowertoolsLogger(powertools, createRedactor(['AS/test+secret==Xw7']));
    // Act: DEBUG at INFO, then at DEBUG (as LOG_LEVEL, Lambda's log-level control or sampling set it)
    logger.debug('HTTP request', { counted });
    const atInfo = serialized;
    powertools.setLogLevel('DEBUG');
    logger.debug('HTTP request AS/test+secret==Xw7', { counted });
    // Assess
    expect(atInfo).toBe(0);
    expect(serialized).toBe(1);
    expect(stdout.documents()).toEqual([
      expect.objectContaining({ level: 'DEBUG', message: 'HTTP request [REDACTED]', counted: 1 }),
    ]);
  });

  it('publishes EMF metrics with exactly the dimensions the no-successful-check alarm reads', () => {
    const metrics = createPowertoolsMetrics(
      new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
    );

    metrics.record('RunSucceeded', 1);
    metrics.record('AirudderApiLatency', 412);
    metrics.flush('check');

    const [emf] = stdout.documents();
    const directive = emf?._aws?.CloudWatchMetrics?.[0];
    expect(directive?.Namespace).toBe('AirudderStatsMonitor');
    expect(directive?.Dimensions).toEqual([['service', 'mode']]);
    expect(emf).toMatchObject({
      service: 'airudder-stats-monitor',
      mode: 'check',
      RunSucceeded: 1,
      AirudderApiLatency: 412,
    });
    expect(directive?.Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'RunSucceeded', Unit: 'Count' },
        { Name: 'AirudderApiLatency', Unit: 'Milliseconds' },
      ]),
    );
  });

  it('publishes nothing when a run recorded nothing', () => {
    createPowertoolsMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME })).flush(
      'digest',
    );
    expect(stdout.documents()).toEqual([]);
  });
});
