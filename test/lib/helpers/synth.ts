import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../../cdk.json';
import { parseStackConfig } from '../../../lib/config';
import { MonitorStack } from '../../../lib/monitor-stack';

/** The context cdk.json ships: the defaults users deploy with. */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = cdkJson.context;

/** The feature flags cdk.json sets, so tests see the template `cdk deploy` would. */
const FEATURE_FLAGS = Object.fromEntries(
  Object.entries(CDK_JSON_CONTEXT).filter(([key]) => key.startsWith('@aws-cdk')),
);

const STUB_HANDLER = path.join(__dirname, '..', 'fixtures', 'stub-handler.ts');

export interface SynthesizedStack {
  readonly app: App;
  readonly stack: MonitorStack;
  readonly template: Template;
}

/** Synthesizes the stack from cdk.json's context plus overrides, without bundling the function. */
export function synthMonitorStack(overrides: Readonly<Record<string, unknown>> = {}): SynthesizedStack {
  const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } });
  const stack = new MonitorStack(app, 'AirudderStatsMonitor', {
    config: parseStackConfig({ ...CDK_JSON_CONTEXT, ...overrides }),
    handlerEntry: STUB_HANDLER,
  });
  return { app, stack, template: Template.fromStack(stack) };
}
