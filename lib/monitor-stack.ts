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
    const { monitor } = this;

    new CfnOutput(this, 'ArchiveBucketName', { value: monitor.bucket.bucketName });
    if (monitor.query) {
      new CfnOutput(this, 'AthenaWorkGroup', { value: monitor.query.workGroup.ref });
      new CfnOutput(this, 'GlueDatabase', { value: monitor.query.databaseName });
      new CfnOutput(this, 'AnalystsPolicyArn', {
        description: 'Attach to analysts: Athena in the workgroup, read-only over the curated tables',
        value: monitor.query.analystsPolicy.managedPolicyArn,
        exportName: `${this.stackName}-AnalystsPolicyArn`,
      });
    }
    new CfnOutput(this, 'SecretId', {
      description: 'Put the AIRUDDER credentials and Slack webhook URLs into this secret',
      value: monitor.secretId,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitor.alarmTopic.topicArn });
    new CfnOutput(this, 'FunctionName', { value: monitor.function.functionName });
    new CfnOutput(this, 'LogGroupName', { value: monitor.logGroup.logGroupName });
    if (monitor.dashboard) {
      new CfnOutput(this, 'DashboardUrl', {
        value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${monitor.dashboard.dashboardName}`,
      });
    }
  }
}
