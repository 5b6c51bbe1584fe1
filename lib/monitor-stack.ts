import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AirudderStatsMonitor } from './airudder-stats-monitor';
import type { StackConfig } from './config';
import { DEFAULT_HANDLER_ENTRY } from './constructs/monitor-function';

export interface MonitorStackProps extends StackProps {
  /** Validated configuration (see lib/config.ts). */
  readonly config: StackConfig;
  /**
   * Source entry of the handler, bundled with esbuild at synth time.
   * @default lambda/handler.ts
   */
  readonly handlerEntry?: string;
}

/**
 * This project's own stack: the AirudderStatsMonitor construct configured from cdk.json, bundling
 * the function from source, plus outputs for the README's next steps.
 */
export class MonitorStack extends Stack {
  /** The monitor. */
  public readonly monitor: AirudderStatsMonitor;

  constructor(scope: Construct, id: string, props: MonitorStackProps) {
    super(scope, id, props);

    // 'Default' adds nothing to logical ids: the resources keep the ids they had when they were
    // created directly in this stack, so no retained bucket or secret is ever replaced or orphaned.
    this.monitor = new AirudderStatsMonitor(this, 'Default', {
      ...props.config,
      handlerSourceEntry: props.handlerEntry ?? DEFAULT_HANDLER_ENTRY,
    });

    new CfnOutput(this, 'ArchiveBucketName', { value: this.monitor.bucket.bucketName });
    new CfnOutput(this, 'SecretId', {
      description: 'Put the AIRUDDER credentials and Slack webhook URLs into this secret',
      value: this.monitor.secretId,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitor.alarmTopic.topicArn });
    new CfnOutput(this, 'FunctionName', { value: this.monitor.function.functionName });
    new CfnOutput(this, 'LogGroupName', { value: this.monitor.logGroup.logGroupName });
    if (this.monitor.dashboard) {
      new CfnOutput(this, 'DashboardUrl', {
        value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${this.monitor.dashboard.dashboardName}`,
      });
    }
  }
}
