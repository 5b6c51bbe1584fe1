import { createHmac } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startSlackStandIn } from '../dev/stand-in/slack-stand-in';
import { DEFAULT_INTERACTIONS_ENTRY, INTERACTIONS_BUNDLING } from '../lib/constructs/interactions-function';
import { buildBundle } from './bundle-options';
import { AWS_KEYS } from './deployed-env';
import { type ColdRun, inParallel, runScript } from './deployed-process';
import { BENCH_BUCKET, BENCH_SLACK } from './fake-services-client';
import type { Measured } from './measured';
import { type DetailTable, median, ms, type SectionResult, times } from './report';

/** The interactions function may cost this many times a bare signature check, cold. */
const TARGET = 8;

const FLOOR = 'floor: bare Node verifying one Slack signature';
const FUNCTION = 'interactions function as deployed: spawn → Snooze 1 h answered';
const CHANNEL = 'C0ALERTS00';
const USER = 'U0BENCH000';

const reportOnFd3 = `
const cpuMs = () => { const cpu = process.cpuUsage(); return (cpu.user + cpu.system) / 1000; };
const report = (outcome, initCpuMs) => {
  require('node:fs').writeSync(3, JSON.stringify({ outcome, initCpuMs, cpuMs: cpuMs() }));
  process.exit(0);
};
const fail = (error) => report('error: ' + (error && error.message), 0);`;

/** The floor: what any endpoint Slack calls must do at least, in a plain Node process. */
const floorScript = (event: object) => `${reportOnFd3}
const { createHmac, timingSafeEqual } = require('node:crypto');
const initCpuMs = cpuMs();
const event = ${JSON.stringify(event)};
const timestamp = event.headers['x-slack-request-timestamp'];
const expected = Buffer.from('v0=' + createHmac('sha256', process.env.SIGNING_SECRET).update('v0:' + timestamp + ':' + event.body).digest('hex'));
const given = Buffer.from(event.headers['x-slack-signature']);
const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
report(fresh && given.length === expected.length && timingSafeEqual(given, expected) ? 'verified' : 'error: refused', initCpuMs);`;

/** The function's bundle, loaded as Lambda's init loads it, then one click through its Function URL event. */
const clickScript = (bundle: string, event: object) => `${reportOnFd3}
const { handler } = require(${JSON.stringify(bundle)});
const initCpuMs = cpuMs();
handler(${JSON.stringify(event)}).then(
  (answer) => report(answer.statusCode === 200 ? 'answered' : 'error: ' + answer.statusCode + ' ' + answer.body, initCpuMs),
  fail,
);`;

/** A Function URL event (payload 2.0) carrying a signed Snooze 1 h click on the head `ts`, signed now. */
function signedClick(head: { channel: string; ts: string }, teamId: string) {
  const payload = {
    type: 'block_actions',
    team: { id: teamId },
    user: { id: USER },
    container: { type: 'message', message_ts: head.ts, channel_id: head.channel },
    message: {
      ts: head.ts,
      text: 'Transfer success rate WARN',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: '🟠 Transfer success rate WARN' } }],
    },
    actions: [{ action_id: 'incident.snooze-1h', block_id: 'incident-actions', value: 'bench' }],
  };
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', BENCH_SLACK.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    version: '2.0',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' } },
  };
}

/**
 * Slack app mode's interactions function, cold: spawn of the deployed Node with its environment
 * (the token and signing secret in the monitor's secret, the archive in S3, the Web API at the
 * Slack stand-in) → one signed Snooze 1 h click answered (secret read, auth.test, the alert state's
 * compare-and-swap, chat.update and the thread reply), against the floor of any endpoint Slack
 * calls: a bare Node process verifying the same signature. Interleaved spawns, CPU medians, then
 * callgrind instruction counts, as the check's cold start is measured.
 */
export async function benchInteractionsColdStart(measured: Measured, spawns: number): Promise<SectionResult> {
  const { node, nodeVersion } = measured;
  const bundle = await buildBundle('interactions', DEFAULT_INTERACTIONS_ENTRY, INTERACTIONS_BUNDLING);
  const slack = await startSlackStandIn({ token: BENCH_SLACK.token, channels: [CHANNEL] });
  try {
    const prefix = 'bench-interactions';
    const monitorEnv = measured.env(prefix);
    const env: Record<string, string> = {
      ...monitorEnv,
      SLACK_ALERT_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.url,
    };
    delete env.SLACK_WEBHOOK_URL;
    const head = await seed(slack.url, env, prefix);
    const cases = [
      {
        label: FLOOR,
        script: () => floorScript(signedClick(head, slack.teamId)),
        env: { SIGNING_SECRET: BENCH_SLACK.signingSecret },
      },
      { label: FUNCTION, script: () => clickScript(bundle, signedClick(head, slack.teamId)), env },
    ];
    const runs = new Map<string, ColdRun[]>(cases.map(({ label }) => [label, []]));
    for (let round = 0; round <= spawns; round++) {
      for (const { label, script, env: caseEnv } of cases) {
        const run = await runScript(node, script(), caseEnv);
        if (round > 0) runs.get(label)?.push(run);
      }
    }
    const updates = slack.calls.filter(
      (call) => call.method === 'chat.update' && call.error === undefined,
    ).length;
    if (updates < spawns)
      throw new Error(
        `only ${updates} of ${spawns + 1} clicks edited the head: ${JSON.stringify(slack.calls.slice(-4))}`,
      );
    const instructions = await inParallel(
      2,
      cases.map(
        ({ script, env: caseEnv }) =>
          async () =>
            (await runScript(node, script(), caseEnv, true)).instructions ?? Number.NaN,
      ),
    );
    const of = (label: string, figure: 'cpuMs' | 'initCpuMs' | 'wallMs') =>
      median((runs.get(label) ?? []).map((run) => run[figure]));
    const row = (measure: string, ratio: number) => ({
      section: 'Interactions cold start',
      measure,
      value: times(ratio),
      target: `≤ ${TARGET}×`,
      pass: ratio <= TARGET,
      node: nodeVersion,
    });
    const details: DetailTable[] = [
      {
        title: `Interactions function cold on Node ${nodeVersion}: spawn → click answered (${spawns} spawns each, interleaved; medians)`,
        headers: ['Process', 'Init CPU', 'Invocation CPU', 'CPU', 'Wall', 'Instructions'],
        rows: cases.map(({ label }, index) => [
          label,
          ms(of(label, 'initCpuMs')),
          ms(of(label, 'cpuMs') - of(label, 'initCpuMs')),
          ms(of(label, 'cpuMs')),
          ms(of(label, 'wallMs')),
          `${((instructions[index] ?? Number.NaN) / 1e9).toFixed(2)} G`,
        ]),
        note:
          'The function reads the monitor secret and asks auth.test during init; the click then reads and writes the alert ' +
          'state (S3 compare-and-swap) and makes chat.update and the thread reply side by side. Slack waits 3 s.',
      },
    ];
    return {
      rows: [
        row(
          'interactions click / bare signature check, CPU median',
          of(FUNCTION, 'cpuMs') / of(FLOOR, 'cpuMs'),
        ),
        row(
          'interactions click / bare signature check, instructions (callgrind)',
          (instructions[1] ?? Number.NaN) / (instructions[0] ?? Number.NaN),
        ),
      ],
      details,
    };
  } finally {
    await slack.close();
  }
}

/** A head message in the Slack stand-in and an alert state whose open incident it is, in the bench bucket. */
async function seed(slackUrl: string, env: Record<string, string>, prefix: string) {
  const posted = (await fetch(`${slackUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_SLACK.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: CHANNEL, text: 'Transfer success rate WARN' }),
  }).then((response) => response.json())) as { ts: string };
  const firedAt = '2026-01-01T00:00:00.000Z';
  const state = {
    version: 1,
    rules: {},
    episodes: [],
    monitor: { status: 'ok', consecutiveFailures: 0 },
    incident: {
      channel: CHANNEL,
      ts: posted.ts,
      openedAt: firedAt,
      members: [{ id: 'transfer-success-rate', firedAt }],
      replies: 0,
      supersedes: [],
    },
  };
  const s3 = new S3Client({
    region: env.AWS_REGION ?? 'us-east-1',
    endpoint: env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true,
    credentials: AWS_KEYS,
  });
  await s3.send(
    new PutObjectCommand({
      Bucket: env.ARCHIVE_BUCKET ?? BENCH_BUCKET,
      Key: `${prefix}/state/alerts.json`,
      Body: JSON.stringify(state),
      ContentType: 'application/json',
    }),
  );
  s3.destroy();
  return { channel: CHANNEL, ts: posted.ts };
}
