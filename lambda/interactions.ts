import { createInteractionsLambda } from './handler/interactions-lambda';

/**
 * The Slack interactions function's entry (Slack app mode), behind a Lambda Function URL: a click
 * on an incident message's button. Built at module scope (Lambda's init phase).
 */
export const handler = createInteractionsLambda({ env: process.env });
