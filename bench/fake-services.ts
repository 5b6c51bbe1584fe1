import { startAirudderStandIn } from '../dev/stand-in/airudder-stand-in';
import { startSlackReceiver } from '../test/fakes/slack-receiver';
import type {
  FakeServicesOptions,
  FakeServicesReady,
  ServiceCounts,
  ServiceRequest,
} from './fake-services-protocol';

/**
 * Child process: the loopback fakes the function talks to (AIRUDDER stand-in, Slack receiver,
 * fauxqs for S3), away from the process under measurement so their CPU is not counted as ours.
 * Controlled over IPC (see fake-services-client.ts).
 */

/** Answers queued per latency change: more posts than any benchmark makes. */
const SLACK_QUEUE = 1_000;

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
  let slackDelayMs = 0;

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
        standIn.setLatency(request.ms);
        // The receiver delays queued answers only (`delayMs`), and a queue cannot be taken back.
        if (request.ms !== slackDelayMs) {
          if (request.ms < slackDelayMs) throw new Error('the Slack delay can only go up');
          slack.respondWith(
            ...Array.from({ length: SLACK_QUEUE }, () => ({ status: 200, body: 'ok', delayMs: request.ms })),
          );
          slackDelayMs = request.ms;
        }
        return undefined;
      case 'counts':
        return counts();
      case 'stop':
        await Promise.all([standIn.close(), slack.close(), s3.stop()]);
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
    standInUrl: standIn.url,
    slackUrl: slack.url,
    s3Endpoint: `http://127.0.0.1:${s3.port}`,
  };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake services failed: ${String(error)}\n`);
  process.exit(1);
});
