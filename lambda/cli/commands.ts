import type { RunDeps } from '../composition';
import type { Config } from '../config';
import type { ObjectStore } from '../domain/object-store';
import type { Logger } from '../shared/logger';
import type { Redactor } from '../shared/redact';
import { backfillCommand } from './backfill-command';
import { checkCommand } from './check-command';
import type { CommandHelp } from './command-help';
import { digestCommand } from './digest-command';
import { fetchCommand } from './fetch-command';
import { replayCommand } from './replay-command';
import type { CliIo } from './run-cli';
import { verifyCommand } from './verify-command';

/** What every command gets: the parsed config and the process's edges, nothing global. */
export interface CommandContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly io: CliIo;
  readonly now: () => Date;
  /** Epoch ms by which the command must be done (RUN_DEADLINE_MS from start). */
  readonly deadline: number;
  /** Builds the adapters (and reads the secret, when configured) on first use. */
  readonly runDeps: () => Promise<RunDeps>;
  /** The archive alone, for commands that never call AIRUDDER or Slack (no secret is read). */
  readonly archive: () => ObjectStore;
  /** True with `--json`: `io.stdout` then goes to stderr and `report` prints the document. */
  readonly json: boolean;
  /**
   * The command's result, once: its text for people, or (with `--json`) one JSON document on
   * stdout. A command that fails after reporting (verify with problems) still exits 1.
   */
  readonly report: (text: string, document: Record<string, unknown>) => void;
}

export interface Command extends CommandHelp {
  run(args: ReadonlyArray<string>, context: CommandContext): Promise<void>;
}

export const COMMANDS = {
  fetch: fetchCommand,
  check: checkCommand,
  digest: digestCommand,
  backfill: backfillCommand,
  replay: replayCommand,
  verify: verifyCommand,
} satisfies Record<string, Command>;
