/** Structured logging port: the domain and use cases log through this, never through console. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

/** Writes one JSON object per line; used by the CLI (to stderr) and by tests (to an array). */
export function createJsonLogger(write: (line: string) => void, level: LogLevel = 'INFO'): Logger {
  const emit = (lineLevel: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    write(
      JSON.stringify({ level: lineLevel, time: new Date().toISOString(), message, ...fields }, errorReplacer),
    );
  };
  return {
    debug: (message, fields) => emit('DEBUG', message, fields),
    info: (message, fields) => emit('INFO', message, fields),
    warn: (message, fields) => emit('WARN', message, fields),
    error: (message, fields) => emit('ERROR', message, fields),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...(value.cause ? { cause: value.cause } : {}) };
  }
  return value;
}
