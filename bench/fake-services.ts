import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAirudderStandIn } from '../dev/stand-in/airudder-stand-in';
import { asDeployedS3 } from '../test/fakes/s3-as-deployed';
import { startSlackReceiver } from '../test/fakes/slack-receiver';
import {
  BENCH_BUCKET,
  BENCH_CREDENTIALS,
  BENCH_SLACK,
  BENCH_ZONE,
  type ExternalCall,
  type FakeServicesReady,
  type Service,
  type ServiceRequest,
  STAND_IN_NOW,
} from './fake-services-client';
import { type LatencyProxy, startLatencyProxy } from './latency-proxy';

/**
 * Child process: the loopback fakes the function talks to (AIRUDDER stand-in, Slack receiver,
 * fauxqs for S3, a Secrets Manager answering GetSecretValue), each behind a latency proxy, away from
 * the process under measurement so their CPU is not counted as ours. The S3 proxy answers as S3
 * answers the deployed role (a GetObject of a missing key is 403; test/fakes/s3-as-deployed.ts).
 * Controlled over IPC (see fake-services-client.ts).
 */

async function main(): Promise<void> {
  const now = new Date(STAND_IN_NOW);
  const standIn = await startAirudderStandIn({
    appKey: BENCH_CREDENTIALS.appKey,
    appSecret: BENCH_CREDENTIALS.appSecret,
    timeZone: BENCH_ZONE,
    now: () => now,
  });
  const slack = await startSlackReceiver();
  // fauxqs is ESM-only.
  const { startFauxqs } = await import('fauxqs');
  const s3 = await startFauxqs({ port: 0, logger: false });
  s3.createBucket(BENCH_BUCKET);
  const secrets = await startSecretsManager(
    JSON.stringify({
      AIRUDDER_APP_KEY: BENCH_CREDENTIALS.appKey,
      AIRUDDER_APP_SECRET: BENCH_CREDENTIALS.appSecret,
      // Slack app mode's keys, read by the interactions function (webhook-mode checks ignore them).
      SLACK_BOT_TOKEN: BENCH_SLACK.token,
      SLACK_SIGNING_SECRET: BENCH_SLACK.signingSecret,
    }),
  );

  const latency = { ms: 0 };
  let calls: ExternalCall[] = [];
  const record = (call: ExternalCall) => calls.push(call);
  const proxy = (service: Service, target: string) =>
    startLatencyProxy({
      service,
      target,
      latency,
      record,
      // S3 as the deployed role meets it: a GetObject of a missing key is 403, not fauxqs's 404.
      ...(service === 's3' ? { asDeployed: asDeployedS3 } : {}),
    });
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
      case 'slack-posts':
        return slack.received.length;
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
