import * as z from '../domain/shared/zod';

/**
 * What EventBridge Scheduler sends (the stack's target input): the run's mode and its scheduled
 * time. The scheduled time, not the clock, decides windows and idempotency, so a retried or
 * duplicated delivery of the same event does the same thing (or nothing) again.
 */
export const SchedulerEventSchema = z.object({
  mode: z.enum(['check', 'digest']),
  scheduledTime: z.iso.datetime({ offset: true }),
});

export type SchedulerEvent = z.infer<typeof SchedulerEventSchema>;

/** Thrown when the invocation event is not a scheduler event; names the field. */
export class InvalidEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

export function parseSchedulerEvent(event: unknown): SchedulerEvent {
  const parsed = SchedulerEventSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`)
    .join('; ');
  throw new InvalidEventError(
    `Invalid scheduler event (expected {"mode": "check"|"digest", "scheduledTime": ISO-8601}): ${problems}`,
    { cause: parsed.error },
  );
}
