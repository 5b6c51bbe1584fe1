import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CACHE_DIR, REPO_ROOT } from './bench-paths';
import type { FakeServices } from './fake-services-client';

export const BENCH_CREDENTIALS = { appKey: 'bench+app/key==', appSecret: 'bench/app+secret==' };
export const BENCH_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-monitor';
const REGION = 'us-east-1';
export const AWS_KEYS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/** The function's variables as `cdk deploy` sets them from cdk.json's context; resources as tokens. */
export type StackEnvironment = Readonly<Record<string, unknown>>;

/**
 * The monitor function's environment as the stack sets it from cdk.json's context (NODE_OPTIONS, the
 * deadline, Powertools' names and whatever is added later), so the bench runs with what deploys
 * rather than a copy of it. Synthesizing takes long on a loaded machine: the answer is kept in the
 * cache, keyed by the contents of lib/, cdk.json and the lock file.
 */
export async function stackEnvironment(): Promise<StackEnvironment> {
  const file = path.join(CACHE_DIR, `stack-environment-${infrastructureHash()}.json`);
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as StackEnvironment;
  const environment = await synthesizedEnvironment();
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(file, JSON.stringify(environment));
  return environment;
}

async function synthesizedEnvironment(): Promise<StackEnvironment> {
  const [{ App }, { Template }, { parseStackConfig }, { MonitorStack }] = await Promise.all([
    import('aws-cdk-lib'),
    import('aws-cdk-lib/assertions'),
    import('../lib/config'),
    import('../lib/monitor-stack'),
  ]);
  const { context } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new MonitorStack(app, 'Bench', { config: parseStackConfig(context) });
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  const variables = functions
    .map((resource) => resource.Properties?.Environment?.Variables as Record<string, unknown> | undefined)
    .filter((each) => each?.AIRUDDER_TIMEZONE !== undefined);
  if (variables.length !== 1 || !variables[0]) throw new Error('the stack has no single monitor function');
  return variables[0];
}

function infrastructureHash(): string {
  const hash = createHash('sha256');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
  for (const file of [...files(path.join(REPO_ROOT, 'lib')).sort(), 'cdk.json', 'package-lock.json']) {
    hash.update(file).update(readFileSync(path.resolve(REPO_ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Variables whose value is a deployed resource (a CloudFormation token), as the bench supplies them. */
const resources = (fakes: FakeServices): Record<string, string> => ({
  ARCHIVE_BUCKET: fakes.bucket,
  MONITOR_SECRET_ARN: BENCH_SECRET_ARN,
});

/**
 * The stack's environment pointed at the fakes: AIRUDDER at the stand-in, the archive and the secret
 * at fauxqs and the Secrets Manager fake (through the SDK's own endpoint variables), plus what Lambda
 * itself provides (region, credentials). The alert webhook is in the environment, so the secret
 * fake stays generic. Fails on a resource variable it does not know, rather than measure without it.
 */
export function deployedEnv(
  stack: StackEnvironment,
  fakes: FakeServices,
  prefix: string,
): Record<string, string> {
  const supplied = resources(fakes);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(stack)) {
    if (typeof value === 'string') env[key] = value;
    else if (supplied[key] !== undefined) env[key] = supplied[key];
    else
      throw new Error(`the bench has no value for the deployed variable ${key} (${JSON.stringify(value)})`);
  }
  return {
    ...env,
    AIRUDDER_BASE_URL: fakes.standInUrl,
    ARCHIVE_PREFIX: prefix,
    SLACK_WEBHOOK_URL: fakes.slackUrl,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: AWS_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_KEYS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: fakes.s3Endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: fakes.secretsEndpoint,
  };
}

/** The environment of the CLI as an operator runs it against the same archive and API. */
export function cliEnv(fakes: FakeServices, prefix: string, timeZone: string): Record<string, string> {
  return {
    AIRUDDER_BASE_URL: fakes.standInUrl,
    AIRUDDER_TIMEZONE: timeZone,
    AIRUDDER_APP_KEY: BENCH_CREDENTIALS.appKey,
    AIRUDDER_APP_SECRET: BENCH_CREDENTIALS.appSecret,
    ARCHIVE_BUCKET: fakes.bucket,
    ARCHIVE_PREFIX: prefix,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: AWS_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_KEYS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: fakes.s3Endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The CLI's default deadline is the Lambda's (270 s): a replay of 90 days on a loaded machine
    // outlives it, and the bench measures throughput, not where a deadline cuts a run off.
    RUN_DEADLINE_MS: String(60 * 60_000),
  };
}
