import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInteractionsHandler, type RawRequest } from '../handler/interactions-handler';
import type { Command } from './cli-types';
import { ENV_HELP, env } from './command-help';
import { InterruptedError } from './interrupted-error';
import { parseFlags } from './parse-flags';
import { UsageError } from './usage-error';

/** Slack sends a click as a small form; a body this large is not one (and is refused before reading more). */
const MAX_BODY_BYTES = 256 * 1024;

const SLACK_APP_ENV = [
  env('SLACK_ALERT_CHANNEL', 'the channel id incidents are posted to (Slack app mode)', true),
  env(
    'SLACK_SIGNING_SECRET | MONITOR_SECRET_ARN',
    "the Slack app's signing secret, or the secret holding it",
    true,
  ),
  env('SLACK_BOT_TOKEN | MONITOR_SECRET_ARN', 'the bot token (xoxb-…), or the secret holding it', true),
  env('SLACK_OPERATORS', 'who may click: user ids (U…, W…) or user-group ids (S…), comma-separated'),
  env('SLACK_API_URL', 'the Web API base (default https://slack.com/api/; the stand-in: its /api/)'),
];

/**
 * `serve-interactions --port P`: the Slack interactions endpoint of the Lambda Function URL, served
 * on 127.0.0.1 with the same handler, for development (behind a tunnel) and tests. Runs until
 * interrupted (Ctrl-C, SIGTERM).
 */
export const serveInteractionsCommand: Command = {
  summary:
    'Serve the Slack buttons’ interactions endpoint on 127.0.0.1 (the Function URL’s handler), for development.',
  usage: 'serve-interactions [--port P]',
  flags: [{ flag: '--port P', description: 'the port on 127.0.0.1 (default 3000; 0: a free one, printed)' }],
  env: [...ENV_HELP.zone, ...ENV_HELP.archive, ...SLACK_APP_ENV, ...ENV_HELP.logs],
  json: true,
  async run(args, context) {
    const flags = parseFlags(args, { port: { type: 'string' } });
    const port = portOf(flags.port);
    const handler = createInteractionsHandler(context.wiring.interactions());
    const server = createServer((request, response) => {
      readRequest(request)
        .then((raw) =>
          raw === undefined ? { statusCode: 413, headers: {}, body: 'too large' } : handler.handle(raw),
        )
        .then(
          (answer) => {
            response.writeHead(answer.statusCode, answer.headers).end(answer.body);
          },
          (error: unknown) => {
            context.logger.error('Click failed', {
              error: context.redactor.redact(error instanceof Error ? error.message : String(error)),
            });
            response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('failed');
          },
        );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    const { port: bound } = server.address() as AddressInfo;
    context.io.stdout(
      `Serving Slack interactions on http://127.0.0.1:${bound}/ (Ctrl-C to stop). ` +
        'Point the Slack app’s Interactivity Request URL at a tunnel to it.',
    );
    const interrupted = await new Promise<boolean>((resolve) => {
      const stop = (signal?: unknown) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        context.signal?.removeEventListener('abort', stop);
        server.close(() => resolve(signal === 'SIGINT'));
        server.closeAllConnections();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (context.signal?.aborted) stop();
      else context.signal?.addEventListener('abort', stop);
    });
    context.report('Stopped.', { ok: true, url: `http://127.0.0.1:${bound}/` });
    // Ctrl-C exits 130 like every command (the exit codes table); SIGTERM is a service manager's stop: 0.
    if (interrupted) throw new InterruptedError('stopped with Ctrl-C');
  },
};

function portOf(text: string | undefined): number {
  if (text === undefined) return 3000;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new UsageError(`--port "${text}": expected a port number from 0 to 65535`);
  }
  return port;
}

/** The request's method, headers and raw body bytes (undefined when the body is too large). */
async function readRequest(request: IncomingMessage): Promise<RawRequest | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: request.method ?? 'GET', headers, body: Buffer.concat(chunks) };
}
