import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { MONITOR_RUNTIME, toEsbuildOptions } from '../../../bench/bundle-options';
import {
  DEFAULT_INTERACTIONS_ENTRY,
  INTERACTIONS_BUNDLING,
} from '../../../lib/constructs/interactions-function';
import { synthMonitorStack } from '../helpers/synth';
import { actionsOf, statementsOfRole } from '../helpers/template-queries';

/** The stack with Slack app mode on: the interactions function behind its Function URL. */
describe('Slack app mode: the interactions function and its Function URL', () => {
  const { app, template } = synthMonitorStack({
    slackAlertChannel: 'C0ALERTS00',
    slackDigestChannel: 'C0DIGEST00',
    slackOperators: 'U0AMIRA00, S0OPS0001',
  });
  const functions = template.findResources('AWS::Lambda::Function');
  const entry = (description: string) => {
    const found = Object.entries(functions).find(([, resource]) =>
      String((resource as { Properties: { Description?: string } }).Properties.Description).startsWith(
        description,
      ),
    );
    if (!found) throw new Error(`no function described "${description}"`);
    const [logicalId, resource] = found as [string, { Properties: Record<string, any> }];
    return { logicalId, properties: resource.Properties };
  };
  const interactions = entry('Slack app mode');
  const monitor = entry('Checks AIRUDDER');

  it('serves the URL with auth NONE, and grants both lambda:InvokeFunctionUrl and lambda:InvokeFunction to it', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [interactions.logicalId, 'Arn'] },
    });
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map(
      (resource) => (resource as { Properties: Record<string, unknown> }).Properties,
    );
    const onInteractions = permissions.filter(
      (permission) =>
        JSON.stringify(permission.FunctionName) ===
        JSON.stringify({ 'Fn::GetAtt': [interactions.logicalId, 'Arn'] }),
    );
    expect(onInteractions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 'lambda:InvokeFunctionUrl',
          Principal: '*',
          FunctionUrlAuthType: 'NONE',
        }),
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Principal: '*',
          InvokedViaFunctionUrl: true,
        }),
      ]),
    );
    // Nothing else may invoke it: exactly those two public grants, both tied to the URL.
    expect(onInteractions).toHaveLength(2);
  });

  it('outputs the URL for the Slack app manifest', () => {
    template.hasOutput('*', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('SlackInteractions.*Url'), 'FunctionUrl'] },
    });
    expect(Object.keys(template.findOutputs('*')).some((key) => key.endsWith('InteractionsUrl'))).toBe(true);
  });

  it('sets the app-mode variables on both functions, and no secret', () => {
    for (const fn of [interactions, monitor]) {
      expect(fn.properties.Environment.Variables).toMatchObject({
        SLACK_ALERT_CHANNEL: 'C0ALERTS00',
        SLACK_DIGEST_CHANNEL: 'C0DIGEST00',
        SLACK_OPERATORS: 'U0AMIRA00,S0OPS0001',
      });
      const variables = JSON.stringify(fn.properties.Environment.Variables);
      expect(variables).not.toMatch(/SLACK_BOT_TOKEN|SLACK_SIGNING_SECRET/);
    }
    expect(interactions.properties.Environment.Variables.MONITOR_SECRET_ARN).toBeDefined();
    expect(interactions.properties.Timeout).toBe(10);
  });

  it('lets the interactions function write only the alert state, and read the rules', () => {
    const roleId = interactions.properties.Role['Fn::GetAtt'][0];
    const s3 = statementsOfRole(template, roleId).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );
    const writes = s3.filter((statement) => actionsOf(statement).includes('s3:PutObject'));
    expect(JSON.stringify(writes.map((statement) => statement.Resource))).toMatch(/state\/alerts\.json"\]/);
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(s3)).not.toMatch(/raw\/|digest\/|curated\//);
  });

  it('alarms on its errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: interactions.logicalId } }],
      Threshold: 1,
      AlarmActions: Match.anyValue(),
    });
  });

  it('is cdk-nag clean', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});

describe('the interactions bundle, built with INTERACTIONS_BUNDLING', () => {
  it('carries its own AWS SDK, tree-shaken to the operations a click sends (a cold start loads no other)', async () => {
    const options = toEsbuildOptions(
      INTERACTIONS_BUNDLING,
      MONITOR_RUNTIME,
      DEFAULT_INTERACTIONS_ENTRY,
      'index.js',
    );
    const result = await build({ ...options, write: false, metafile: true });
    const bundle = Object.values(result.metafile.outputs).find((output) => output.entryPoint !== undefined);
    const external = (bundle?.imports ?? []).filter((entry) => entry.external).map((entry) => entry.path);
    expect(external.filter((path) => path.startsWith('@aws-sdk/'))).toEqual([]);
    const text = result.outputFiles.find((file) => file.path.endsWith('index.js'))?.text ?? '';
    // The secret read is in; Secrets Manager's other operations, which the runtime's package defines, are not.
    expect(text).toContain('"GetSecretValue"');
    for (const unused of ['"CreateSecret"', '"DeleteSecret"', '"RotateSecret"', '"PutSecretValue"'])
      expect(text, unused).not.toContain(unused);
  });
});
