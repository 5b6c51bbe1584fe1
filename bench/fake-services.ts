import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAirudderStandIn } from '../dev/stand-in/airudder-stand-in';
import { startSlackReceiver } from '../test/fakes/slack-receiver';
import type { ExternalCall, Service } from './external-calls';
import type {
  FakeServicesOptions,
  FakeServicesReady,
  ServiceCounts,
  ServiceRequest,
} from './fake-services-protocol';
import { type LatencyProxy, startLatencyProxy } from './latency-proxy';

/**
 * Child process: the loopback fakes the function talks to (AIRUDDER stand-in, Slack receiver,
 * fauxqs for S3, a Secrets Manager answering GetSecretValue), each behind a latency proxy, away from
 * the process under measurement so their CPU is not counted as ours. Controlled over IPC (see
 * fake-services-client.ts).
 */

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FakeServicesOptions;
  const now = new Date(options.standInNow);
  const standIn = await startAirudderStandIn({
    appKey: options.credentials.appKey,
    appSecret: options.credentials.appSecret,
    timeZone: options.timeZone,
    now: () => now,
  });
  const slack = await startSlackReceiver();
  // fauxqs is ESM-only.
  const { startFauxqs } = await import('fauxqs');
  const s3 = await startFauxqs({ port: 0, logger: false });
  s3.createBucket(options.bucket);
  const secrets = await startSecretsManager(options.secretString);

  const latency = { ms: 0 };
  let calls: ExternalCall[] = [];
  const record = (call: ExternalCall) => calls.push(call);
  const proxy = (service: Service, target: string) => startLatencyProxy({ service, target, latency, record });
  const proxies: LatencyProxy[] = [
    await proxy('airudder', standIn.url),
    await proxy('slack', new URL(slack.url).origin),
    await proxy('s3', `http://127.0.0.1:${s3.port}`),
    await proxy('secrets', secrets.url),
  ];
  const [airudderProxy, slackProxy, s3Proxy, secretsProxy] = proxies as [
    LatencyProxy,
    LatencyProxy,
    LatencyProxy,
    LatencyProxy,
  ];

  const counts = (): ServiceCounts => {
    const cpu = process.cpuUsage();
    return {
      airudderRequests: standIn.requests.length,
      slackPosts: slack.attempts,
      slackAccepted: slack.received.length,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };

  const handle = async (request: ServiceRequest): Promise<unknown> => {
    switch (request.op) {
      case 'latency':
        latency.ms = request.ms;
        return undefined;
      case 'calls': {
        const taken = calls;
        calls = [];
        return taken;
      }
      case 'counts':
        return counts();
      case 'stop':
        await Promise.all(proxies.map((each) => each.close()));
        await Promise.all([standIn.close(), slack.close(), s3.stop(), secrets.close()]);
        return undefined;
    }
  };

  process.on('message', (request: ServiceRequest) => {
    handle(request).then(
      (result) => process.send?.({ id: request.id, result }),
      (error: unknown) => process.send?.({ id: request.id, error: String(error) }),
    );
  });
  const ready: FakeServicesReady = {
    ready: true,
    standInUrl: airudderProxy.url,
    slackUrl: `${slackProxy.url}${new URL(slack.url).pathname}`,
    s3Endpoint: s3Proxy.url,
    secretsEndpoint: secretsProxy.url,
    s3Direct: `http://127.0.0.1:${s3.port}`,
  };
  process.send?.(ready);
}

/** Secrets Manager's GetSecretValue over its JSON protocol, for any secret id. */
async function startSecretsManager(secretString: string) {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (target !== 'secretsmanager.GetSecretValue') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'InvalidRequestException', message: `unexpected ${target}` }));
        return;
      }
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({ ARN: SecretId, Name: 'bench', SecretString: secretString, VersionId: 'v1' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`fake services failed: ${String(error)}\n`);
  process.exit(1);
});
