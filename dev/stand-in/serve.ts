import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { localDate } from '../../lambda/domain/shared/local-time';
import { type Incident, type IncidentEffect, type StandIn, startAirudderStandIn } from './airudder-stand-in';

/**
 * `npm run stand-in`: the AIRUDDER stand-in on its own, on a free loopback port, for trying every
 * CLI command by hand. It prints the exact `export` lines that point the CLI at it.
 *
 *   npm run stand-in -- --incident "transfer 08:00-14:00" --incident "drop 2025-11-12 10:00-11:00 0.9"
 */

/** Short names people type, and the stand-in's own names. */
const EFFECTS: Readonly<Record<string, IncidentEffect>> = {
  transfer: 'transfer-failure',
  'transfer-failure': 'transfer-failure',
  agents: 'agent-no-answer',
  'agent-no-answer': 'agent-no-answer',
  unhappy: 'unhappy-callers',
  'unhappy-callers': 'unhappy-callers',
  spike: 'volume-spike',
  'volume-spike': 'volume-spike',
  drop: 'volume-drop',
  'volume-drop': 'volume-drop',
  capacity: 'capacity',
};

export const INCIDENT_FORM = '"<effect> [YYYY-MM-DD] HH:mm-HH:mm [severity 0-1]"';

/** Thrown for a command line the stand-in cannot use; names the flag or value. */
export class ServeUsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServeUsageError';
  }
}

export interface ServeOptions {
  readonly timeZone: string;
  readonly port: number;
  readonly archiveDir: string;
  readonly incidents: readonly Incident[];
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "transfer 08:00-14:00" (today, in the zone), "drop 2025-11-12 10:00-11:00 0.9". */
export function parseIncident(text: string, timeZone: string, now: Date): Incident {
  const parts = text.trim().split(/\s+/);
  const [name, ...rest] = parts;
  const effect = name === undefined ? undefined : EFFECTS[name];
  if (effect === undefined) {
    throw new ServeUsageError(
      `--incident "${text}": unknown effect "${name ?? ''}"; use transfer, agents, unhappy, spike, drop or capacity (form ${INCIDENT_FORM})`,
    );
  }
  const date =
    rest[0] !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(rest[0]) ? rest.shift() : localDate(now, timeZone);
  const [span, severityText, ...extra] = rest;
  const [from, to] = span?.split('-') ?? [];
  if (!from || !to || !HH_MM.test(from) || !(HH_MM.test(to) || to === '24:00') || extra.length > 0) {
    throw new ServeUsageError(`--incident "${text}": expected ${INCIDENT_FORM}`);
  }
  const severity = severityText === undefined ? undefined : Number(severityText);
  if (severity !== undefined && !(severity >= 0 && severity <= 1)) {
    throw new ServeUsageError(`--incident "${text}": severity "${severityText}" is not a number from 0 to 1`);
  }
  if (to !== '24:00' && to <= from) {
    throw new ServeUsageError(`--incident "${text}": ${to} is not after ${from}`);
  }
  return {
    start: `${date} ${from}:00`,
    end: to === '24:00' ? `${date} 23:59:59` : `${date} ${to}:00`,
    effect,
    ...(severity === undefined ? {} : { severity }),
  };
}

export function parseServeArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  now: Date,
): ServeOptions {
  let values: { incident?: string[]; zone?: string; port?: string; archive?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        incident: { type: 'string', multiple: true },
        zone: { type: 'string' },
        port: { type: 'string' },
        archive: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ServeUsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const timeZone = values.zone ?? env.AIRUDDER_TIMEZONE ?? 'Asia/Jakarta';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch (error) {
    throw new ServeUsageError(`--zone "${timeZone}" is not an IANA time zone`, { cause: error });
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new ServeUsageError(`--port "${values.port}" is not a port number (0 picks a free one)`);
  }
  return {
    timeZone,
    port,
    archiveDir: values.archive ?? '.data/try-archive',
    incidents: (values.incident ?? []).map((text) => parseIncident(text, timeZone, now)),
  };
}

const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** The lines a shell needs to point `npm run job` at the stand-in. */
export function exportLines(
  url: string,
  credentials: { appKey: string; appSecret: string },
  options: ServeOptions,
) {
  return [
    `export AIRUDDER_BASE_URL=${url}`,
    `export AIRUDDER_APP_KEY=${quote(credentials.appKey)}`,
    `export AIRUDDER_APP_SECRET=${quote(credentials.appSecret)}`,
    `export AIRUDDER_TIMEZONE=${options.timeZone}`,
    `export ARCHIVE_DIR=${quote(options.archiveDir)}`,
    'unset ARCHIVE_BUCKET MONITOR_SECRET_ARN SLACK_WEBHOOK_URL SLACK_DIGEST_WEBHOOK_URL RULES_FILE',
  ];
}

/** Starts the stand-in and prints where it is, its incidents and the export lines. */
export async function serveStandIn(
  options: ServeOptions,
  print: (text: string) => void,
): Promise<{ standIn: StandIn; exports: string[] }> {
  // Throwaway credentials: the stand-in accepts exactly these, and they die with it.
  const credentials = {
    appKey: randomBytes(18).toString('base64'),
    appSecret: randomBytes(24).toString('base64'),
  };
  const standIn = await startAirudderStandIn({
    ...credentials,
    timeZone: options.timeZone,
    port: options.port,
    incidents: [...options.incidents],
  });
  const exports = exportLines(standIn.url, credentials, options);
  const incidents =
    options.incidents.length === 0
      ? 'no incidents'
      : options.incidents
          .map((incident) => `${incident.effect} ${incident.start} → ${incident.end} (${options.timeZone})`)
          .join('; ');
  print(
    [
      `AIRUDDER stand-in on ${standIn.url} (${options.timeZone}), ${incidents}.`,
      'Point the CLI at it, in another terminal:',
      '',
      ...exports,
      '',
      'Then try: npm run job -- check · npm run job -- --help · npm run job -- rules show',
      'Ctrl-C stops the stand-in.',
    ].join('\n'),
  );
  return { standIn, exports };
}
