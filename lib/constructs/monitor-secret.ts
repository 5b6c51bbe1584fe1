import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag-acknowledgments';

/** The JSON keys the function reads from the secret (the two AIRUDDER ones are required). */
export const SECRET_KEYS = [
  'AIRUDDER_APP_KEY',
  'AIRUDDER_APP_SECRET',
  'SLACK_WEBHOOK_URL',
  'SLACK_DIGEST_WEBHOOK_URL',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
] as const;

export interface MonitorSecretProps {
  /**
   * An existing secret object; its `encryptionKey`, when set, is the key the function may decrypt
   * with (through Secrets Manager only).
   * @default - see secretArn
   */
  readonly secret?: secretsmanager.ISecret;
  /**
   * Complete ARN of an existing secret to use instead of creating one.
   * @default - see secretName
   */
  readonly secretArn?: string;
  /**
   * Name of an existing secret to use instead of creating one.
   * @default - a new secret without any value is created
   */
  readonly secretName?: string;
  /**
   * Customer-managed KMS key that encrypts an imported secret; the function may decrypt with it
   * only through Secrets Manager.
   * @default - the secret uses the AWS-managed key aws/secretsmanager (no grant needed)
   */
  readonly kmsKeyArn?: string;
}

/**
 * The one secret holding the AIRUDDER credentials and Slack webhook URLs. The template never holds
 * a value: a created secret has neither SecretString nor GenerateSecretString, so it starts with no
 * version at all, the user puts the JSON in after deploy, and no later template change can
 * overwrite what they stored.
 */
export class MonitorSecret extends Construct {
  /** The secret (created or imported). */
  public readonly secret: secretsmanager.ISecret;
  /** The identifier the function passes to GetSecretValue: the ARN, or the name when imported by name. */
  public readonly secretId: string;
  /** What IAM statements name: the ARN, or for a name import the ARN pattern with its 6-character suffix. */
  private readonly policyArn: string;
  private readonly kmsKeyArn: string | undefined;

  constructor(scope: Construct, id: string, props: MonitorSecretProps = {}) {
    super(scope, id);
    this.kmsKeyArn = props.kmsKeyArn ?? props.secret?.encryptionKey?.keyArn;

    if (props.secret !== undefined) {
      this.secret = props.secret;
      // Known when the secret is in this app or was imported by complete ARN; imported by name
      // (or partial ARN), GetSecretValue takes the name and IAM needs the 6-character suffix pattern.
      const fullArn = props.secret.secretFullArn;
      this.secretId = fullArn ?? props.secret.secretName;
      this.policyArn = fullArn ?? `${props.secret.secretArn}-??????`;
    } else if (props.secretArn !== undefined) {
      this.secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'Imported', props.secretArn);
      this.secretId = props.secretArn;
      this.policyArn = props.secretArn;
    } else if (props.secretName !== undefined) {
      this.secret = secretsmanager.Secret.fromSecretNameV2(this, 'Imported', props.secretName);
      // GetSecretValue takes the name; IAM needs the ARN, whose random suffix is unknown here.
      this.secretId = props.secretName;
      this.policyArn = `${this.secret.secretArn}-??????`;
    } else {
      const created = new secretsmanager.Secret(this, 'Secret', {
        description: `AIRUDDER credentials and Slack webhook URLs for airudder-stats-monitor: put a JSON object with ${SECRET_KEYS.join(', ')} after deploy.`,
        // The values are copies of credentials issued by AIRUDDER and Slack; no data is lost with them.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // The L2 Secret asks CloudFormation to generate a password when given no value; without
      // either property the secret is created empty, and the template never owns its value.
      (created.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride(
        'GenerateSecretString',
      );
      acknowledgeNag(created, {
        id: 'AwsSolutions-SMG4',
        reason:
          'Holds an AIRUDDER app key/secret and Slack webhook URLs issued by third parties; no rotation Lambda can renew them, so they are rotated by hand.',
      });
      this.secret = created;
      this.secretId = created.secretArn;
      this.policyArn = created.secretArn;
    }
  }

  /** Lets the function read exactly this secret and sets MONITOR_SECRET_ARN in the same call. */
  public grantTo(fn: lambda.Function): void {
    fn.addEnvironment('MONITOR_SECRET_ARN', this.secretId);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadMonitorSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.policyArn],
      }),
    );
    if (this.kmsKeyArn !== undefined) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'DecryptMonitorSecret',
          actions: ['kms:Decrypt'],
          resources: [this.kmsKeyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
  }
}
