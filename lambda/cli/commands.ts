import type { RunDeps } from '../composition';
import type { Config } from '../config';
import type { ObjectStore } from '../domain/object-store';
import type { Logger } from '../shared/logger';
import type { Redactor } from '../shared/redact';
import { backfillCommand } from './backfill-command';
import { checkCommand } from './check-command';
import { curateCommand } from './curate-command';
import { digestCommand } from './digest-command';
import { fetchCommand } from './fetch-command';
import { replayCommand } from './replay-command';
import type { CliIo } from './run-cli';
import { sqlCommand } from './sql-command';
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
}

export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: ReadonlyArray<string>, context: CommandContext): Promise<void>;
}

export const COMMANDS = {
  fetch: fetchCommand,
  check: checkCommand,
  digest: digestCommand,
  backfill: backfillCommand,
  replay: replayCommand,
  verify: verifyCommand,
  curate: curateCommand,
  sql: sqlCommand,
} satisfies Record<string, Command>;
