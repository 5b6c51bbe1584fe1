import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogFields, Logger } from '../shared/logger';
import type { Redactor } from '../shared/redact';

/**
 * The Logger port over Powertools Logger (structured JSON for CloudWatch), with every line passed
 * through the redactor first: the secret's values and issued tokens never reach the logs.
 */
export function createPowertoolsLogger(logger: PowertoolsLogger, redactor: Redactor): Logger {
  const clean = (fields?: LogFields): LogFields =>
    fields ? (JSON.parse(redactor.redact(JSON.stringify(fields, errorReplacer))) as LogFields) : {};
  return {
    debug: (message, fields) => logger.debug(redactor.redact(message), clean(fields)),
    info: (message, fields) => logger.info(redactor.redact(message), clean(fields)),
    warn: (message, fields) => logger.warn(redactor.redact(message), clean(fields)),
    error: (message, fields) => logger.error(redactor.redact(message), clean(fields)),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
