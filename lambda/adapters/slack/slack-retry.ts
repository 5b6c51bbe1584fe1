import type { RetryDecision, RetryOptions } from '../../shared/retry';

/** The retry settings both Slack adapters (webhook, Web API) take from their options. */
export interface SlackRetrySettings {
  readonly maxAttempts: number;
  readonly deadline?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** First backoff step in ms. @default 500 */
  readonly baseDelayMs?: number;
  /** Cap of one backoff step in ms. @default 8000 */
  readonly maxDelayMs?: number;
}

/** shared/retry.ts options for a Slack call: the same backoff and deadline for webhook and Web API. */
export function slackRetryOptions(
  settings: SlackRetrySettings,
  classify: (error: unknown) => RetryDecision,
  now: () => number,
  onRetry: RetryOptions['onRetry'],
): RetryOptions {
  return {
    attempts: settings.maxAttempts,
    baseDelayMs: settings.baseDelayMs ?? 500,
    maxDelayMs: settings.maxDelayMs ?? 8000,
    ...(settings.deadline === undefined ? {} : { deadline: settings.deadline }),
    classify,
    now,
    ...(settings.sleep ? { sleep: settings.sleep } : {}),
    ...(settings.random ? { random: settings.random } : {}),
    ...(onRetry ? { onRetry } : {}),
  };
}
