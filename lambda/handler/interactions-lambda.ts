import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FetchFn } from '../adapters/http/http-request';
import type { MonitorSecret } from '../adapters/secrets/monitor-secret';
import { createInteractionsEdges } from '../composition';
import { loadConfig } from '../config';
import type { Logger } from '../shared/logger';
import { createRedactor } from '../shared/redact';
import {
  createInteractionsHandler,
  type FunctionUrlEvent,
  fromFunctionUrlEvent,
  type InteractionsHandler,
  type RawAnswer,
} from './interactions-handler';
import { createPowertoolsLogger } from './powertools-logger';

export interface InteractionsLambdaDeps {
  readonly env: Record<string, string | undefined>;
  readonly logger?: Logger;
  readonly fetch?: FetchFn;
  readonly s3Client?: S3Client;
  readonly loadSecret?: (secretId: string) => Promise<MonitorSecret>;
  readonly clock?: () => Date;
}

/**
 * The interactions function's Lambda edge (Function URL, payload format 2.0). Init (module scope)
 * parses the configuration, builds the edges and starts the secret read and auth.test, so the first
 * click pays only its own work. An invalid configuration is reported by each invocation; an
 * unexpected failure is thrown (the function's Errors alarm) after it is logged, redacted.
 */
export function createInteractionsLambda(deps: InteractionsLambdaDeps) {
  const redactor = createRedactor();
  let handler: InteractionsHandler | undefined;
  let logger: Logger | undefined = deps.logger;
  let initError: unknown;
  try {
    const config = loadConfig(deps.env);
    logger ??= createPowertoolsLogger(
      new PowertoolsLogger({
        serviceName: `${config.serviceName}-interactions`,
        logLevel: config.lambdaLogLevel === 'FATAL' ? 'CRITICAL' : (config.lambdaLogLevel ?? config.logLevel),
      }),
      redactor,
    );
    const edges = createInteractionsEdges({
      config,
      logger,
      redactor,
      now: deps.clock ?? (() => new Date()),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.s3Client ? { s3Client: deps.s3Client } : {}),
      ...(deps.loadSecret ? { loadSecret: deps.loadSecret } : {}),
    });
    handler = createInteractionsHandler(edges);
    // Warm: the signing secret (and with it the token) and the workspace's id, during init.
    edges.signingSecret().catch(() => {});
    handler.warm().catch(() => {});
  } catch (error) {
    initError = error;
  }

  return async function lambdaHandler(event: FunctionUrlEvent): Promise<RawAnswer> {
    if (handler === undefined) throw initError;
    try {
      return await handler.handle(fromFunctionUrlEvent(event));
    } catch (error) {
      const message = redactor.redact(error instanceof Error ? error.message : String(error));
      logger?.error('Click failed', {
        error: message,
        errorName: error instanceof Error ? error.name : 'Error',
      });
      throw error instanceof Error ? Object.assign(error, { message, stack: undefined }) : new Error(message);
    }
  };
}
