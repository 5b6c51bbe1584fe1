/**
 * Lambda's asynchronous invocation as EventBridge Scheduler uses it, with the stack's settings: a
 * run that throws is retried twice (MaximumRetryAttempts 2), then its event goes to the on-failure
 * destination, the dead-letter queue. A run that returns is done: no retry, no dead letter.
 */
export async function invokeAsync<T>(
  handler: (
    event: unknown,
    context: { awsRequestId: string; getRemainingTimeInMillis(): number },
  ) => Promise<T>,
  event: unknown,
  maxRetryAttempts = 2,
): Promise<{ attempts: number; deadLetters: unknown[]; result?: T }> {
  for (let attempt = 1; attempt <= maxRetryAttempts + 1; attempt++) {
    try {
      const result = await handler(event, {
        awsRequestId: `async-${attempt}`,
        getRemainingTimeInMillis: () => 110_000,
      });
      return { attempts: attempt, deadLetters: [], result };
    } catch {
      // retried by Lambda
    }
  }
  return { attempts: maxRetryAttempts + 1, deadLetters: [event] };
}
