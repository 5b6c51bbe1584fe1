/** What every section measures against: the deployed Node, the deployed bundle, the deployed environment. */
export interface Measured {
  /** The pinned Node of the Lambda runtime. */
  readonly node: string;
  readonly nodeVersion: string;
  /** The handler bundled with the stack's own props. */
  readonly bundle: string;
  /** The stack's environment pointed at the fakes, under an archive prefix of its own. */
  readonly env: (prefix: string) => Record<string, string>;
}
