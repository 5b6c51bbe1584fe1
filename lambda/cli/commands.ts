import type { RunDeps } from '../composition';
import type { Config } from '../config';
import type { Logger } from '../shared/logger';
import type { Redactor } from '../shared/redact';
import { checkCommand } from './check-command';
import { digestCommand } from './digest-command';
import { fetchCommand } from './fetch-command';
import type { CliIo } from './run-cli';

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
} satisfies Record<string, Command>;
