import { AspectPriority, Aspects, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A cdk-nag finding this construct accepts, in cdk-nag 3's form: `Rule` or `Rule[finding]`. */
export interface NagAcknowledgment {
  readonly id: string;
  /** Why the finding is acceptable here (cdk-nag 2 wants 10 characters at least). */
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings on `scope` so that both cdk-nag majors accept them: cdk-nag 3 reads
 * aws-cdk-lib's `Validations` acknowledgments, cdk-nag 2 reads `cdk_nag` metadata on each
 * CloudFormation resource (what its `NagSuppressions.addResourceSuppressions(scope, …, true)`
 * writes), with the finding in `applies_to`. The package depends on neither cdk-nag, so a team's
 * app may run whichever it has.
 */
export function acknowledgeNag(scope: IConstruct, ...acknowledgments: NagAcknowledgment[]): void {
  Validations.of(scope).acknowledge(...acknowledgments);
  const suppressions = acknowledgments.map(toNag2Suppression);
  // An aspect, so resources added under `scope` later (a role's default policy) get it too; it runs
  // among the mutating aspects, before cdk-nag 2's checks.
  Aspects.of(scope).add(
    {
      visit(node) {
        if (!(node instanceof CfnResource)) return;
        const existing = (node.getMetadata('cdk_nag') as { rules_to_suppress?: unknown[] } | undefined)
          ?.rules_to_suppress;
        const rules = new Set([...(existing ?? []), ...suppressions].map((rule) => JSON.stringify(rule)));
        node.addMetadata('cdk_nag', { rules_to_suppress: [...rules].map((rule) => JSON.parse(rule)) });
      },
    },
    { priority: AspectPriority.MUTATING },
  );
}

/** cdk-nag 2's metadata form: the finding moves to `applies_to`; a reason beyond Latin-1 is base64. */
function toNag2Suppression({ id, reason }: NagAcknowledgment): Record<string, unknown> {
  const match = /^([^[]+)\[(.+)\]$/.exec(id);
  const rule = match ? { id: match[1], applies_to: [match[2]] } : { id };
  // Same test as cdk-nag 2's own helper: any code point above 255 needs the encoding.
  if ([...reason].some((character) => (character.codePointAt(0) ?? 0) > 255))
    return { reason: Buffer.from(reason).toString('base64'), ...rule, is_reason_encoded: true };
  return { reason, ...rule };
}

/**
 * A resource (an ARN or an ARN pattern, tokens and all) as cdk-nag names it in a finding: the
 * resolved CloudFormation value flattened the way cdk-nag's `flattenCfnReference` does it
 * (`<Logical.Arn>` for Fn::GetAtt, `<AWS::Partition>` for a Ref, Fn::Join concatenated), so a bucket
 * the construct created and one it was given are acknowledged alike.
 */
export function nagResource(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    const cfn = node as Record<string, unknown>;
    if (Array.isArray(cfn['Fn::Join'])) {
      const [delimiter, items] = cfn['Fn::Join'] as [string, unknown[]];
      return items.map(visit).join(delimiter);
    }
    if (cfn['Fn::Sub'] !== undefined) return visit(cfn['Fn::Sub']);
    if (Array.isArray(cfn['Fn::GetAtt'])) {
      const [resource, attribute] = cfn['Fn::GetAtt'] as [unknown, unknown];
      return `<${visit(resource)}.${visit(attribute)}>`;
    }
    if (cfn['Fn::ImportValue'] !== undefined) return visit(cfn['Fn::ImportValue']);
    if (cfn.Ref !== undefined) return `<${visit(cfn.Ref)}>`;
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}
