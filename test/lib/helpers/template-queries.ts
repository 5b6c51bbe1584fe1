import type { Template } from 'aws-cdk-lib/assertions';
import * as z from 'zod';

const ResourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).default({}),
});

export const StatementSchema = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown(),
  Condition: z.record(z.string(), z.unknown()).optional(),
});
export type Statement = z.infer<typeof StatementSchema>;

const PolicySchema = z.object({
  Properties: z.object({
    PolicyDocument: z.object({ Statement: z.array(StatementSchema) }),
    Roles: z.array(z.object({ Ref: z.string() })),
  }),
});

const FunctionSchema = z.object({
  Properties: z.object({
    Role: z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) }),
    Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }),
  }),
});

/** The single resource of a type, with its logical id; fails the test when there is not exactly one. */
export function onlyResource(template: Template, type: string, props: object = {}) {
  const found = Object.entries(
    template.findResources(type, Object.keys(props).length > 0 ? { Properties: props } : undefined),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}`);
  const [logicalId, resource] = found[0] as [string, unknown];
  return { logicalId, resource: ResourceSchema.parse(resource) };
}

/** The monitor function: its logical id, role logical id and environment variables. */
export function monitorFunction(template: Template) {
  const { logicalId, resource } = onlyResource(template, 'AWS::Lambda::Function');
  const fn = FunctionSchema.parse(resource);
  return {
    logicalId,
    roleLogicalId: fn.Properties.Role['Fn::GetAtt'][0],
    environment: fn.Properties.Environment.Variables,
  };
}

/** Every statement of the inline policies attached to the role. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((policy) => PolicySchema.parse(policy))
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** Every statement of every IAM policy in the template. */
export function allIdentityStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => PolicySchema.parse(policy).Properties.PolicyDocument.Statement,
  );
}

export function actionsOf(statement: Statement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

/** `arn-of-bucket + suffix` as CloudFormation renders `bucket.arnForObjects(suffix)`. */
export function objectArn(bucketLogicalId: string, suffix: string) {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketLogicalId, 'Arn'] }, suffix]] };
}
