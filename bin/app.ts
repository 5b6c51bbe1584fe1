import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkContextKeys, MonitorConfigError, parseStackConfig, STACK_CONTEXT_KEYS } from '../lib/config';
import { MonitorStack } from '../lib/monitor-stack';

// The only place that reads CDK context (cdk.json, `-c key=value`).
const app = new App();
const context = Object.fromEntries(STACK_CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)]));

try {
  checkContextKeys(Object.keys(app.node.getAllContext()));
  const config = parseStackConfig(context);
  new MonitorStack(app, 'AirudderStatsMonitor', {
    description: 'airudder-stats-monitor: AIRUDDER inbound statistics → S3 archive, Slack alerts and digest',
    config,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (error) {
  if (!(error instanceof MonitorConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
