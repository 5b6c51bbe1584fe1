/**
 * Size probe, substituted for @aws-lambda-powertools/logger and /metrics when bundling a variant: the
 * part of them the function uses (a JSON log line per call, one EMF document per flush), hand-rolled.
 */

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const ORDER: Record<Level, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

export const MetricUnit = { Count: 'Count', Milliseconds: 'Milliseconds', Bytes: 'Bytes' } as const;

export class Logger {
  private readonly service: string;
  private readonly level: Level;
  constructor(options: { serviceName?: string; logLevel?: Level } = {}) {
    this.service = options.serviceName ?? 'service_undefined';
    this.level = options.logLevel ?? 'INFO';
  }
  debug(message: string, fields?: object) {
    this.write('DEBUG', message, fields);
  }
  info(message: string, fields?: object) {
    this.write('INFO', message, fields);
  }
  warn(message: string, fields?: object) {
    this.write('WARN', message, fields);
  }
  error(message: string, fields?: object) {
    this.write('ERROR', message, fields);
  }
  private write(level: Level, message: string, fields?: object) {
    if (ORDER[level] < ORDER[this.level]) return;
    const line = { level, message, timestamp: new Date().toISOString(), service: this.service, ...fields };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

export class Metrics {
  private readonly namespace: string;
  private readonly dimensions: Record<string, string>;
  private values: Record<string, { unit: string; value: number }> = {};
  constructor(options: { namespace?: string; serviceName?: string } = {}) {
    this.namespace = options.namespace ?? 'default_namespace';
    this.dimensions = { service: options.serviceName ?? 'service_undefined' };
  }
  addDimension(name: string, value: string) {
    this.dimensions[name] = value;
  }
  addMetric(name: string, unit: string, value: number) {
    this.values[name] = { unit, value };
  }
  publishStoredMetrics() {
    const metrics = Object.entries(this.values).map(([Name, { unit }]) => ({ Name, Unit: unit }));
    const values = Object.fromEntries(Object.entries(this.values).map(([name, { value }]) => [name, value]));
    const document = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          { Namespace: this.namespace, Dimensions: [Object.keys(this.dimensions)], Metrics: metrics },
        ],
      },
      ...this.dimensions,
      ...values,
    };
    process.stdout.write(`${JSON.stringify(document)}\n`);
    this.values = {};
  }
}
