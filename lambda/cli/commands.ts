import { backfillCommand } from './backfill-command';
import { checkCommand } from './check-command';
import type { Command } from './cli-types';
import { curateCommand } from './curate-command';
import { digestCommand } from './digest-command';
import { fetchCommand } from './fetch-command';
import { replayCommand } from './replay-command';
import { rulesCommand } from './rules-command';
import { serveInteractionsCommand } from './serve-interactions-command';
import { slackManifestCommand } from './slack-manifest-command';
import { snoozeCommand, snoozesCommand, unsnoozeCommand } from './snooze-command';
import { sqlCommand } from './sql-command';
import { verifyCommand } from './verify-command';
import { watermarkCommand } from './watermark-command';

/** The commands, by the name typed on the command line. */
export const COMMANDS = {
  fetch: fetchCommand,
  check: checkCommand,
  digest: digestCommand,
  backfill: backfillCommand,
  replay: replayCommand,
  verify: verifyCommand,
  curate: curateCommand,
  sql: sqlCommand,
  rules: rulesCommand,
  snooze: snoozeCommand,
  unsnooze: unsnoozeCommand,
  snoozes: snoozesCommand,
  watermark: watermarkCommand,
  'serve-interactions': serveInteractionsCommand,
  'slack-manifest': slackManifestCommand,
} satisfies Record<string, Command>;
