import type { Wiring } from '../composition';
import type { Config } from '../config';
import type { Logger } from '../shared/logger';
import type { Redactor } from '../shared/redact';
import type { CommandHelp } from './command-help';

/**
 * The types every command shares, in a module of their own so the command table, runCli and the
 * commands all depend on it and never on one another.
 */

export interface CliIo {
  /** What the command did, for people. */
  readonly stdout: (text: string) => void;
  /** Structured logs and errors. */
  readonly stderr: (text: string) => void;
  /** True when stdout is a terminal: a long job may then redraw one progress line instead of printing many. */
  readonly isTTY?: boolean;
  /** True when stderr (where logs go) is a terminal; defaults to `isTTY`. */
  readonly stderrIsTTY?: boolean;
  /** Writes to stdout as is, without a newline (for a progress line redrawn with `\r`). */
  readonly write?: (text: string) => void;
  /** The terminal's width in columns, when stdout is a terminal that reports it. */
  readonly columns?: () => number | undefined;
}

/** What every command gets: the parsed config and the process's edges, nothing global. */
export interface CommandContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly io: CliIo;
  /** The process's clock (injected by tests and the demo); the same one the use cases get. */
  readonly now: () => Date;
  /** Epoch ms by which the command must be done (RUN_DEADLINE_MS from start). */
  readonly deadline: number;
  /** Each use case's dependencies, from the composition root the Lambda uses too. */
  readonly wiring: Wiring;
  /** True with `--json`: `io.stdout` then goes to stderr and `report` prints the document. */
  readonly json: boolean;
  /**
   * The command's result, once: its text for people, or (with `--json`) one JSON document on
   * stdout. A command that fails after reporting (verify with problems) still exits 1.
   */
  readonly report: (text: string, document: Record<string, unknown>) => void;
  /** Asks a yes/no question on the terminal; absent when stdin is not one (then pass --yes). */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Ends a long-running command (serve-interactions) as Ctrl-C does; absent: only signals do. */
  readonly signal?: AbortSignal;
}

export interface Command extends CommandHelp {
  run(args: ReadonlyArray<string>, context: CommandContext): Promise<void>;
  /**
   * For a command that reads no archive and calls nothing (slack-manifest): fills in what the
   * configuration requires but the command does not use, so it runs in an empty environment.
   * `args` are the command's own arguments (sql --dir reads no archive).
   */
  fillEnv?(
    env: Record<string, string | undefined>,
    args: ReadonlyArray<string>,
  ): Record<string, string | undefined>;
}
