import { formatSpan } from '../domain/alerts/snooze';
import { tooFarAhead } from '../domain/shared/scheduled-time';
import { readWatermark, resetWatermark } from '../use-cases/watermark';
import type { Command } from './cli-types';
import { ENV_HELP } from './command-help';
import { parseInstant } from './instant-flag';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

const USAGE = 'watermark [show] | watermark reset [--to INSTANT] [--yes]  [--json]';

/**
 * The alert state's evaluation watermark: shown, and moved back when a fast clock or an event from
 * the future put it ahead (then every check archives but evaluates nothing until that date).
 */
export const watermarkCommand: Command = {
  summary:
    'Show the instant the alert state was last evaluated for; move it back when a fast clock put it in the future.',
  usage: USAGE,
  flags: [
    { flag: 'show', description: 'print the watermark and whether it is ahead of this clock (the default)' },
    {
      flag: 'reset',
      description:
        'move the watermark (and every evaluation time in the alert state after it) back; snoozes are kept',
    },
    { flag: '--to INSTANT', description: 'where to move it, e.g. 2025-11-12T06:30:00Z (default now)' },
    { flag: '--yes', description: 'reset without asking (scripts; required when stdin is not a terminal)' },
  ],
  env: [...ENV_HELP.archive, ...ENV_HELP.logs],
  json: true,
  async run(args, context) {
    const [action = 'show', ...rest] = args;
    const now = context.now();
    const store = context.wiring.archive();
    if (action === 'show') {
      parseFlags(rest, {});
      const last = await readWatermark(store);
      const ahead = last === undefined ? undefined : tooFarAhead(new Date(last), now);
      context.report(
        last === undefined
          ? 'No check has been evaluated yet.'
          : `Evaluated up to ${last}${ahead === undefined ? '.' : `: ${formatSpan(ahead)} AHEAD of this clock (${now.toISOString()}); checks evaluate nothing until then. Run "watermark reset".`}`,
        { ok: true, action, watermark: last ?? null, ahead: ahead !== undefined, now: now.toISOString() },
      );
      return;
    }
    if (action !== 'reset') {
      throw new UsageError(`watermark: unknown action "${action}"; ${USAGE}`);
    }
    const flags = parseFlags(rest, { to: { type: 'string' }, yes: { type: 'boolean' } });
    const to = flags.to === undefined ? now : parseInstant('--to', flags.to, now);
    const last = await readWatermark(store);
    if (last === undefined || Date.parse(last) <= to.getTime()) {
      context.report(
        `Nothing to reset: ${last === undefined ? 'no check has been evaluated yet' : `evaluated up to ${last}, not after ${to.toISOString()}`}.`,
        { ok: true, action, reset: false, watermark: last ?? null, to: to.toISOString() },
      );
      return;
    }
    if (!flags.yes) {
      if (!context.confirm) {
        throw new UsageError(
          'watermark reset: stdin is not a terminal, so nothing can be confirmed; add --yes',
        );
      }
      if (!(await context.confirm(`Move the watermark back from ${last} to ${to.toISOString()}? [y/N] `))) {
        context.report('Not reset.', {
          ok: true,
          action,
          reset: false,
          watermark: last,
          to: to.toISOString(),
        });
        return;
      }
    }
    const reset = await resetWatermark(store, to);
    context.report(
      `Watermark moved back from ${reset.before ?? last} to ${to.toISOString()} (${reset.moved} evaluation time${reset.moved === 1 ? '' : 's'} moved). ` +
        'The next check evaluates again.',
      {
        ok: true,
        action,
        reset: true,
        watermark: reset.before ?? last,
        to: to.toISOString(),
        moved: reset.moved,
      },
    );
  },
};
