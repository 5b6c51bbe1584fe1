import { createHandler } from './handler/create-handler';

/** The Lambda entry (EventBridge Scheduler input: {"mode": "check"|"digest", "scheduledTime": "…"}). */
export const handler = createHandler({ env: process.env });
