import { LogLevelThreshold, type Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogFields, Logger } from '../shared/logger';
import type { Redactor } from '../shared/redact';

/**
 * The Logger port over Powertools Logger (structured JSON for CloudWatch), with every line passed
 * through the redactor first: the secret's values and issued tokens never reach the logs.
 *
 * A line below Powertools' current level (its `level`, which LOG_LEVEL, Lambda's log-level control
 * and debug sampling set, read per line) is dropped before it is redacted and serialized: every S3
 * and HTTP request logs a DEBUG line, which at INFO was serialized, redacted and parsed for nothing.
 */
export function createPowertoolsLogger(logger: PowertoolsLogger, redactor: Redactor): Logger {
  const clean = (fields?: LogFields): LogFields =>
    fields ? (JSON.parse(redactor.redact(JSON.stringify(fields, errorReplacer))) as LogFields) : {};
  const shown = (threshold: number) => threshold >= logger.level;
  return {
    debug: (message, fields) => {
      if (shown(LogLevelThreshold.DEBUG)) logger.debug(redactor.redact(message), clean(fields));
    },
    info: (message, fields) => {
      if (shown(LogLevelThreshold.INFO)) logger.info(redactor.redact(message), clean(fields));
    },
    warn: (message, fields) => {
      if (shown(LogLevelThreshold.WARN)) logger.warn(redactor.redact(message), clean(fields));
    },
    error: (message, fields) => {
      if (shown(LogLevelThreshold.ERROR)) logger.error(redactor.redact(message), clean(fields));
    },
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
