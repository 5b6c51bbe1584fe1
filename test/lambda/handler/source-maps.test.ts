import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandler } from '../../../scripts/build';

/**
 * The bundle as Lambda runs it: built by `npm run build`'s own function, loaded by a separate Node
 * process with the NODE_OPTIONS the stack sets, logging through the real Powertools Logger.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'airudder-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const INVOKE = `
const { handler } = require(process.env.BUNDLE);
const context = (awsRequestId) => ({
  awsRequestId,
  functionName: 'airudder-monitor',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-3:123456789012:function:airudder-monitor',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 100000,
});
const event = { mode: 'check', scheduledTime: '2025-11-11T03:00:00Z' };
// Two invocations of one container: a cold start, then a warm one. Both fail (no credentials).
handler(event, context('req-1'))
  .then(() => process.exit(3), () => handler(event, context('req-2')))
  .then(() => process.exit(3), () => process.exit(0));
`;

let lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  await buildHandler(work);
  const result = spawnSync(process.execPath, ['-e', INVOKE], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      BUNDLE: path.join(work, 'index.js'),
      // The SDK is external to the bundle, as on Lambda, where the runtime provides it.
      NODE_PATH: path.join(ROOT, 'node_modules'),
      NODE_OPTIONS: '--enable-source-maps',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: 'ap-southeast-3',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      // A complete configuration except the AIRUDDER credentials: the run fails inside the handler.
      AIRUDDER_TIMEZONE: 'Asia/Jakarta',
      // The function archives to S3 only; the run fails on the credentials before any request.
      ARCHIVE_BUCKET: 'archive',
    },
  });
  expect(result.status, result.stderr).toBe(0);
  // Powertools writes ERROR lines to stderr, the rest (and EMF metrics) to stdout.
  lines = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}, 60_000);

describe('the bundled handler', () => {
  it('logs a failed run with a stack whose frames name the TypeScript sources', () => {
    const failed = lines.find((line) => line.message === 'Run failed');
    const stack = String(failed?.stack);
    expect(stack).toMatch(/lambda\/composition\.ts:\d+:\d+/);
    expect(stack).toMatch(/lambda\/handler\/create-handler\.ts:\d+:\d+/);
    expect(stack).not.toMatch(/index\.js:\d+:\d+/);
  });

  it('adds the Lambda context to every line: cold start, request id, function name', () => {
    const logLines = lines.filter((line) => typeof line.message === 'string');
    // Every line of the first invocation says cold start, every line of the second does not.
    const pairs = new Set(
      logLines.map((line) => JSON.stringify([line.function_request_id, line.cold_start])),
    );
    expect(pairs).toEqual(new Set(['["req-1",true]', '["req-2",false]']));
    for (const line of logLines) {
      expect(line).toMatchObject({
        service: 'airudder-stats-monitor',
        function_name: 'airudder-monitor',
        function_memory_size: '256',
        function_arn: 'arn:aws:lambda:ap-southeast-3:123456789012:function:airudder-monitor',
      });
    }
  });
});
