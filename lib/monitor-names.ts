import { createHash } from 'node:crypto';
import { Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Longest monitor id: leaves room in every name derived from it (workgroup 128, alarm 255). */
const MAX_ID_LENGTH = 64;

/**
 * The names of one deployed monitor that must be unique in an account and region, all derived
 * from one id so that they cannot drift apart: the telemetry identity (the `service` dimension of
 * every metric, which the alarms and the dashboard read), the Glue database, the Athena workgroup,
 * the dashboard and the alarms.
 */
export interface MonitorNames {
  /**
   * kebab-case, unique per account and region: `airudder-stats-monitor` for this project's stack,
   * `operations-surabaya` for a construct 'Surabaya' in a team's stack 'Operations'.
   */
  readonly id: string;
  /** What people read first in an alarm: the display name with the id, or the id alone. */
  readonly label: string;
  /** Glue database names allow lower-case letters, digits and "_". */
  readonly glueDatabase: string;
  readonly workGroup: string;
  readonly dashboard: string;
  /** `<label> – <what>`: readable in an e-mail subject and in Slack, unique through the id. */
  alarm(what: string): string;
}

/**
 * Names for the monitor `construct`. The id comes from the stack's name (CloudFormation keeps
 * those unique per account and region) plus the construct's path inside the stack, so two monitors
 * in one stack, or the same app deployed as dev and prod stacks in one account, never share a
 * name. The display name is not part of it: it is a label people change, and renaming must not
 * replace the Glue database or split the metrics.
 */
export function monitorNames(construct: Construct, displayName?: string): MonitorNames {
  const stack = Stack.of(construct);
  const inStack = construct.node.scopes
    .slice(construct.node.scopes.indexOf(stack) + 1)
    .map((scope) => scope.node.id)
    // 'Default' is the id that adds nothing to logical ids; it adds nothing to names either.
    .filter((id) => id !== 'Default');
  const stackName = Token.isUnresolved(stack.stackName) ? stack.node.path : stack.stackName;
  const id = shorten(kebab([stackName, ...inStack].join('-')));
  const label = displayName === undefined ? id : `${displayName} (${id})`;
  return {
    id,
    label,
    glueDatabase: id.replace(/-/g, '_'),
    workGroup: id,
    dashboard: id,
    alarm: (what) => `${label} – ${what}`,
  };
}

/** 'OperationsStack/Monitor' → 'operations-stack-monitor'. */
function kebab(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Long ids keep their start and a hash of the whole, so they stay unique. */
function shorten(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${id.slice(0, MAX_ID_LENGTH - 9).replace(/-+$/, '')}-${hash}`;
}
