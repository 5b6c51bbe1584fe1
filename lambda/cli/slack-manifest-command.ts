import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { buildSlackAppManifest } from '../domain/slack/slack-app-manifest';
import { isLoopbackUrl } from '../shared/loopback';
import type { Command } from './cli-types';
import { env } from './command-help';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

/** The stack output naming the interactions function's URL (AirudderStatsMonitor.addOutputs). */
const OUTPUT_KEY = 'InteractionsUrl';

/**
 * `slack-manifest (--url URL | --outputs-file FILE)`: the Slack app manifest to paste into
 * api.slack.com/apps (From a manifest): bot scopes and the interactivity request URL, which comes
 * from the deployed stack's output (`cdk deploy --outputs-file cdk-outputs.json`) or a flag.
 */
export const slackManifestCommand: Command = {
  summary: 'Print the Slack app manifest (scopes, interactivity URL) to paste into the Slack app settings.',
  usage: 'slack-manifest (--url URL | --outputs-file cdk-outputs.json) [--json]',
  flags: [
    { flag: '--url URL', description: 'the interactivity request URL (the stack output InteractionsUrl)' },
    {
      flag: '--outputs-file FILE',
      description:
        'read it from `cdk deploy --outputs-file FILE` (the output whose key ends in InteractionsUrl)',
    },
  ],
  env: [
    env(
      'MONITOR_NAME',
      'the app and bot name (default "AIRUDDER stats monitor"; at most 35 characters kept)',
    ),
    env('SLACK_OPERATORS', 'a user-group id (S…) among them adds the usergroups:read scope'),
  ],
  json: true,
  fillEnv: (given) => ({
    ...given,
    AIRUDDER_TIMEZONE: given.AIRUDDER_TIMEZONE || 'UTC',
    ...(given.ARCHIVE_BUCKET || given.ARCHIVE_DIR ? {} : { ARCHIVE_DIR: tmpdir() }),
  }),
  async run(args, context) {
    const flags = parseFlags(args, { url: { type: 'string' }, 'outputs-file': { type: 'string' } });
    const outputsFile = flags['outputs-file'];
    if ((flags.url === undefined) === (outputsFile === undefined)) {
      throw new UsageError(
        'slack-manifest: give the interactivity URL, either --url URL or --outputs-file cdk-outputs.json',
      );
    }
    const url = flags.url ?? (await urlFromOutputs(outputsFile ?? ''));
    if (!url.startsWith('https://') && !isLoopbackUrl(url)) {
      throw new UsageError(`--url "${url}": Slack calls the interactivity URL over https`);
    }
    const manifest = buildSlackAppManifest({
      name: context.config.monitorName,
      interactivityUrl: url,
      operators: context.config.slack.app?.operators ?? [],
    });
    context.report(JSON.stringify(manifest, null, 2), { ok: true, manifest });
  },
};

/** The one InteractionsUrl output in a `cdk deploy --outputs-file` document. */
async function urlFromOutputs(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--outputs-file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch {
    throw new UsageError(
      `--outputs-file ${file}: not JSON (write it with cdk deploy --outputs-file ${file})`,
    );
  }
  const found: Array<{ where: string; url: string }> = [];
  if (typeof outputs === 'object' && outputs !== null) {
    for (const [stack, values] of Object.entries(outputs)) {
      if (typeof values !== 'object' || values === null) continue;
      for (const [key, value] of Object.entries(values)) {
        if (key.endsWith(OUTPUT_KEY) && typeof value === 'string')
          found.push({ where: `${stack}.${key}`, url: value });
      }
    }
  }
  if (found.length === 1 && found[0]) return found[0].url;
  if (found.length === 0) {
    throw new UsageError(
      `--outputs-file ${file}: no output ending in ${OUTPUT_KEY} (deploy with slackAlertChannel set, or pass --url)`,
    );
  }
  throw new UsageError(
    `--outputs-file ${file}: ${found.length} monitors have an ${OUTPUT_KEY} (${found.map((f) => f.where).join(', ')}); pass the one you mean with --url`,
  );
}
