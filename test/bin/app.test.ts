import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CDK_JSON_CONTEXT } from '../lib/helpers/synth';

const ROOT = path.resolve(__dirname, '..', '..');
const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-out-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Runs bin/app.ts as the CDK CLI would, with the given context. */
function runApp(context: Record<string, unknown>) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join('bin', 'app.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
  });
}

describe('bin/app.ts', () => {
  it('exits 1 and names the context key when a value is invalid', () => {
    // Act
    const result = runApp({ ...CDK_JSON_CONTEXT, timeZone: 'Jakarta', scheduleRetryAttempts: 500 });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('context key "timeZone"');
    expect(result.stderr).toContain('context key "scheduleRetryAttempts"');
  });
});

describe('bin/app.ts with a context key it does not read', () => {
  it('exits 1 naming the misspelt key and the closest one, instead of deploying the default', () => {
    // Act
    const result = runApp({
      ...CDK_JSON_CONTEXT,
      chekSchedule: 'cron(0/10 7-22 * * ? *)',
      alarmEmial: 'a@b.c',
    });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'context key "chekSchedule" is not one the stack reads: did you mean "checkSchedule"?',
    );
    expect(result.stderr).toContain('did you mean "alarmEmail"?');
  });

  it("accepts CDK's own keys and feature flags beside ours", () => {
    // A bad time zone stops the app right after the key check, without a slow synthesis.
    const result = runApp({
      ...CDK_JSON_CONTEXT,
      timeZone: 'Jakarta',
      'acknowledged-issue-numbers': [32775],
      'aws:cdk:enable-path-metadata': true,
      '@aws-cdk/core:newStyleStackSynthesis': true,
    });
    expect(result.stderr).not.toContain('is not one the stack reads');
    expect(result.stderr).toContain('context key "timeZone"');
  });
});
