import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from '../../domain/shared/zod';
import type { Logger } from '../../shared/logger';
import { isLoopbackUrl } from '../../shared/loopback';
import { awsStatusOf, logRequest } from '../../shared/request-log';

const webhookUrl = z.optional(
  z.url().check(
    z.refine((url) => url.startsWith('https://') || isLoopbackUrl(url), {
      message: 'must be an https URL',
    }),
  ),
);

/** The one Secrets Manager secret (JSON) that holds every credential the monitor uses. */
export const MonitorSecretSchema = z.object({
  AIRUDDER_APP_KEY: z.string().check(z.minLength(1)),
  AIRUDDER_APP_SECRET: z.string().check(z.minLength(1)),
  SLACK_WEBHOOK_URL: webhookUrl,
  SLACK_DIGEST_WEBHOOK_URL: webhookUrl,
  /** Slack app mode: the bot token (xoxb-…) and the app's signing secret (interactions). */
  SLACK_BOT_TOKEN: z.optional(
    z.string().check(
      z.refine((token) => token.startsWith('xoxb-') || token.startsWith('xoxe.xoxb-'), {
        message: 'must be a bot token (xoxb-…)',
      }),
    ),
  ),
  SLACK_SIGNING_SECRET: z.optional(z.string().check(z.minLength(1))),
});

export type MonitorSecret = z.infer<typeof MonitorSecretSchema>;

/** Thrown when the secret cannot be read or its JSON lacks what the monitor needs; never quotes values. */
export class MonitorSecretError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MonitorSecretError';
  }
}

/**
 * Thrown when the secret has no value yet (the stack creates it empty) or does not exist: the
 * monitor is not configured. No retry can help, so the handler reports it once and stops quietly.
 */
export class MonitorSecretNotSetError extends MonitorSecretError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MonitorSecretNotSetError';
  }
}

export async function loadMonitorSecret(
  client: SecretsManagerClient,
  secretId: string,
  logger?: Logger,
): Promise<MonitorSecret> {
  let text: string | undefined;
  try {
    const send = () => client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const facts = {
      service: 'secrets-manager',
      method: 'POST',
      path: '/',
      operation: 'GetSecretValue',
    } as const;
    text = (logger ? await logRequest(logger, facts, send, awsStatusOf) : await send()).SecretString;
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'unknown error';
    // The stack creates the secret without a value: until the user puts one, GetSecretValue
    // answers ResourceNotFoundException (no AWSCURRENT version), as it does for a wrong id.
    if (reason === 'ResourceNotFoundException')
      throw new MonitorSecretNotSetError(
        `cannot read secret ${secretId}: ${reason} (no such secret, or no value put yet: see README, Deploy step 3)`,
        { cause: error },
      );
    throw new MonitorSecretError(`cannot read secret ${secretId}: ${reason}`, { cause: error });
  }
  if (!text)
    throw new MonitorSecretNotSetError(
      `secret ${secretId} has no value yet: set it (see README, Deploy step 3)`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // No cause: a JSON.parse error quotes the text, which is the secret.
    throw new MonitorSecretError(`secret ${secretId} is not JSON`);
  }
  const parsed = MonitorSecretSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ');
    throw new MonitorSecretError(`secret ${secretId} is incomplete: ${fields}`);
  }
  return parsed.data;
}
