import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AirudderStatsMonitor } from './airudder-stats-monitor';
import type { StackConfig } from './config';
import { DEFAULT_INTERACTIONS_ENTRY } from './constructs/interactions-function';
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
 * the function from source, plus the analysts' policy as a stack export.
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
      interactionsSourceEntry: DEFAULT_INTERACTIONS_ENTRY,
    });
    const { monitor } = this;

    // The construct adds the other outputs; the export is this stack's, named after it.
    if (monitor.query) {
      new CfnOutput(this, 'AnalystsPolicyArn', {
        description: 'Attach to analysts: Athena in the workgroup, read-only over the curated tables',
        value: monitor.query.analystsPolicy.managedPolicyArn,
        exportName: `${this.stackName}-AnalystsPolicyArn`,
      });
    }
  }
}
