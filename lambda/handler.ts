import { createHandler } from './handler/create-handler';

/**
 * The Lambda entry (EventBridge Scheduler input: {"mode": "check"|"digest", "scheduledTime": "…"}).
 * Built at module scope, which is Lambda's init phase: configuration, Powertools, the SDK clients
 * and the secret read start here, so the first invocation does only its own work.
 */
export const handler = createHandler({ env: process.env });
