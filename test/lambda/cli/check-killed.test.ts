import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { type SlackStandIn, startSlackStandIn } from '../../../dev/stand-in/slack-stand-in';
import { CLAIM_GRACE_MS } from '../../../lambda/domain/slack/claim';
import { type ConditionalS3Endpoint, startConditionalS3 } from '../../fakes/conditional-s3-proxy';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn, TEST_CREDENTIALS, TEST_ZONE } from '../../helpers/airudder';
import { runTestCli } from '../../helpers/cli';

/**
 * The delivery protocol under a real kill. `check` runs as an operator runs it, as its own process
 * (`node --import tsx lambda/cli.ts check`), against the AIRUDDER stand-in, an S3-compatible archive
 * and Slack (an incoming webhook, or the Web API in app mode), all on 127.0.0.1. A request handler of
 * Slack's or S3's kills that process with SIGKILL at a point of the protocol, so the kill is
 * deterministic (no timers):
 *
 * - before Slack answers the alert's post (Slack never accepted it): nothing may be lost, and the
 *   alert must reach Slack exactly once in the end;
 * - after Slack accepted the post, before the run could learn it (so before it records the
 *   delivery): the documented at-least-once window, so at most one more post, never a third;
 * - once S3 stored the response, or the record of the delivery, before the run heard so: once.
 *
 * The dead run's claim keeps every other run off the alert until it ends (the run's deadline and a
 * minute of grace, judged on the store's clock). Rather than wait those minutes, the S3 stand-in's
 * clock (the `Date` it answers with) is moved on past the claim's end. That is why the archive is S3
 * here and not a folder, whose clock is the file system's and cannot be moved.
 */

const CLI = fileURLToPath(new URL('../../../lambda/cli.ts', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const BUCKET = 'killed-archive';
const TOKEN = 'xoxb-killed-check';
const CHANNEL = 'C0ALERTS00';
/** The CLI's default deadline (RUN_DEADLINE_MS) and the claim's grace, and a minute to spare. */
const CLAIM_OUTLIVED_MS = 270_000 + CLAIM_GRACE_MS + 60_000;

/** Transfers fail all morning on 2025-11-12 (Jakarta, UTC+7): the transfer alert fires at 09:00. */
const INCIDENT = {
  start: '2025-11-12 00:00:00',
  end: '2025-11-12 12:00:00',
  effect: 'transfer-failure' as const,
  severity: 1,
};
/** 2025-11-12 at `hhmm` in Jakarta, as the instant `check --at` takes. */
const local = (hhmm: string) => new Date(`2025-11-12T${hhmm}:00+07:00`).toISOString();

/** When a trap's action runs on a Slack request: before Slack sees it, after Slack accepted it, or as its answer goes back. */
type Stage = 'before Slack answers' | 'after Slack accepted' | 'as Slack answers';

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
}

function startCli(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPOSITORY,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
  }));
  return { child, exited };
}

/** SIGKILL, and back once the process is gone. */
async function kill(victim: ChildProcess): Promise<void> {
  const gone = once(victim, 'exit');
  victim.kill('SIGKILL');
  await gone;
}

/**
 * Slack's front door: a loopback proxy in front of the Slack fake. Once armed, the first request to a
 * path runs an action inside its handler: before the request reaches Slack (then the connection is
 * dropped), once Slack has accepted it and before its answer goes back (dropped too), or just before
 * Slack's answer goes back (answered).
 */
interface KillSwitch {
  readonly origin: string;
  /** Resolves once the action has run, with the body of the request it caught. */
  arm(path: string, stage: Stage, action: () => Promise<void>): Promise<string>;
  close(): Promise<void>;
}

async function startKillSwitch(upstream: string): Promise<KillSwitch> {
  let trap:
    | { path: string; stage: Stage; action: () => Promise<void>; sprung: (body: string) => void }
    | undefined;
  const readBody = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      const caught = trap !== undefined && request.url === trap.path ? trap : undefined;
      if (caught) trap = undefined;
      if (caught?.stage === 'before Slack answers') {
        await caught.action();
        response.destroy();
        return caught.sprung(body);
      }
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(`${upstream}${request.url ?? '/'}`, {
        method: request.method ?? 'POST',
        headers,
        ...(request.method === 'GET' ? {} : { body }),
      });
      const text = await answer.text();
      if (caught) await caught.action();
      if (caught?.stage === 'after Slack accepted') {
        response.destroy();
        return caught.sprung(body);
      }
      const answered: Record<string, string> = {};
      for (const name of ['content-type', 'retry-after']) {
        const value = answer.headers.get(name);
        if (value !== null) answered[name] = value;
      }
      response.writeHead(answer.status, answered);
      response.end(text);
      caught?.sprung(body);
    } catch {
      response.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm(path, stage, action) {
      return new Promise((sprung) => {
        trap = { path, stage, action, sprung };
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What `check --explain` says of the alert while the dead run's claim lives. */
const HELD_BY_THE_DEAD_RUN =
  /^ {2}transfer-success-rate +held fired: another run \(.+\) is delivering it since/m;

/** What `verify` says of an archive the kills left whole. */
const ARCHIVE_VERIFIED = new RegExp(
  `^Verified \\d+ raw objects in s3://${BUCKET}/raw/ \\(dates 2025-11-12 → 2025-11-12\\): no problems`,
  'm',
);

/** The transfer alert's announcements as Slack kept them (not its escalations or reminders). */
const isTransferAnnouncement = (text: string) =>
  /Transfer success rate/.test(text) && !/Escalated|Reminder|Resolved|Recovered/i.test(text);

interface SlackSide {
  /** Where the CLI is pointed (through the kill switch) and the path of the alert's post. */
  readonly env: (front: string) => Record<string, string>;
  readonly upstream: string;
  readonly alertPath: string;
  /** Every transfer alert announcement Slack accepted, in order. */
  readonly announcements: () => string[];
  close(): Promise<void>;
}

const SLACK_MODES: Record<'webhook' | 'Slack app mode', () => Promise<SlackSide>> = {
  webhook: async () => {
    const receiver: SlackReceiver = await startSlackReceiver();
    const url = new URL(receiver.url);
    return {
      env: (front) => ({ SLACK_WEBHOOK_URL: `${front}${url.pathname}` }),
      upstream: url.origin,
      alertPath: url.pathname,
      announcements: () => receiver.received.map((message) => message.text).filter(isTransferAnnouncement),
      close: () => receiver.close(),
    };
  },
  'Slack app mode': async () => {
    const slack: SlackStandIn = await startSlackStandIn({ token: TOKEN });
    const url = new URL(slack.url);
    return {
      env: (front) => ({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_ALERT_CHANNEL: CHANNEL,
        SLACK_API_URL: `${front}${url.pathname}`,
      }),
      upstream: url.origin,
      alertPath: `${url.pathname}chat.postMessage`,
      announcements: () =>
        slack
          .heads(CHANNEL)
          .map((message) => message.text)
          .filter(isTransferAnnouncement),
      close: () => slack.close(),
    };
  },
};

/**
 * One monitor per test: the AIRUDDER stand-in (shared), an empty S3 archive, Slack in `mode` behind
 * a kill switch, and `check` run as its own process against them.
 */
function monitorUnderTest(mode: keyof typeof SLACK_MODES) {
  const world = {} as {
    airudder: StandIn;
    s3: ConditionalS3Endpoint;
    slack: SlackSide;
    killSwitch: KillSwitch;
    env: Record<string, string>;
  };
  beforeAll(async () => {
    world.airudder = await startTestStandIn({
      now: () => new Date('2025-11-12T16:00:00Z'),
      incidents: [INCIDENT],
    });
  });
  afterAll(async () => {
    await world.airudder.close();
  });
  beforeEach(async () => {
    world.s3 = await startConditionalS3({ bucket: BUCKET });
    world.slack = await SLACK_MODES[mode]();
    world.killSwitch = await startKillSwitch(world.slack.upstream);
    world.env = {
      AIRUDDER_BASE_URL: world.airudder.url,
      AIRUDDER_APP_KEY: TEST_CREDENTIALS.appKey,
      AIRUDDER_APP_SECRET: TEST_CREDENTIALS.appSecret,
      AIRUDDER_TIMEZONE: TEST_ZONE,
      ARCHIVE_BUCKET: BUCKET,
      AWS_ENDPOINT_URL_S3: world.s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      LOG_LEVEL: 'ERROR',
      ...world.slack.env(world.killSwitch.origin),
    };
  });
  afterEach(async () => {
    await world.killSwitch.close();
    await world.slack.close();
    await world.s3.close();
  });

  /** `check --at hhmm --explain`, which must succeed; its output. */
  const check = async (hhmm: string) => {
    const exit = await startCli(['check', '--at', local(hhmm), '--explain'], world.env).exited;
    expect(exit.code, `check --at ${hhmm}: ${exit.stdout}${exit.stderr}`).toBe(0);
    return exit.stdout;
  };

  /**
   * Starts `check --at 09:00` and has `trap` kill it (returning what the trap caught); fails if the
   * run ended by itself, as only the trap kills.
   */
  const killedCheck = async <T>(trap: (victim: ChildProcess) => Promise<T>): Promise<T> => {
    const run = startCli(['check', '--at', local('09:00')], world.env);
    const caught = trap(run.child);
    const exit = await run.exited;
    expect(exit.signal, `check ended by itself: ${exit.stdout}${exit.stderr}`).toBe('SIGKILL');
    return caught;
  };

  /** `verify` on the archive (in this process: it is not what is killed). */
  const verify = () =>
    runTestCli(['verify'], {
      baseUrl: world.airudder.url,
      env: { ARCHIVE_BUCKET: BUCKET },
      s3Client: world.s3.client,
    });

  return { world, check, killedCheck, verify };
}

describe.each(Object.keys(SLACK_MODES) as Array<keyof typeof SLACK_MODES>)(
  'check killed with SIGKILL while Slack takes its alert (%s)',
  (mode) => {
    const { world, check, killedCheck, verify } = monitorUnderTest(mode);

    /** `check --at 09:00`, killed at `stage` of its alert's post. */
    const killedWhilePosting = async (stage: Stage) => {
      const caught = await killedCheck((victim) =>
        world.killSwitch.arm(world.slack.alertPath, stage, () => kill(victim)),
      );
      expect(isTransferAnnouncement(caught), caught).toBe(true);
    };

    /** The rest of the morning: one check inside the dead run's claim, two after it ended. */
    const recover = async () => {
      const held = await check('09:15');
      const afterHeld = world.slack.announcements().length;
      world.s3.advanceClock(CLAIM_OUTLIVED_MS);
      await check('09:30');
      const afterClaim = world.slack.announcements().length;
      await check('09:45');
      return { held, afterHeld, afterClaim, verified: await verify() };
    };

    it('killed before Slack answers the post: the alert is kept owed and reaches Slack exactly once', async () => {
      // Act
      await killedWhilePosting('before Slack answers');
      const posted = world.slack.announcements().length;
      const { held, afterHeld, afterClaim, verified } = await recover();
      // Assess: nothing reached Slack from the dead run; once its claim ended, one announcement
      expect(posted).toBe(0);
      expect(afterHeld).toBe(0);
      expect(afterClaim).toBe(1);
      expect(world.slack.announcements()).toHaveLength(1);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(ARCHIVE_VERIFIED);
      expect(held).toMatch(HELD_BY_THE_DEAD_RUN);
    });

    it('killed after Slack accepted the post, before recording it: posted once more when its claim ends, never a third time', async () => {
      // Act
      await killedWhilePosting('after Slack accepted');
      const posted = world.slack.announcements().length;
      const { held, afterHeld, afterClaim, verified } = await recover();
      // Assess: Slack has it from the dead run; nothing more while its claim lives; one repeat after
      expect(posted).toBe(1);
      expect(afterHeld).toBe(1);
      expect(afterClaim).toBe(2);
      expect(world.slack.announcements()).toHaveLength(2);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(ARCHIVE_VERIFIED);
      expect(held).toMatch(HELD_BY_THE_DEAD_RUN);
    });
  },
);

describe('check killed with SIGKILL once S3 stored a write, before the run heard so (webhook)', () => {
  const { world, check, killedCheck, verify } = monitorUnderTest('webhook');

  it('killed once its archive copy is stored: checking the same instant again alerts once', async () => {
    // Act: killed as S3 stores the response; the scheduler's retry checks the same instant
    await killedCheck(
      (victim) =>
        new Promise<void>((killed) => world.s3.afterNextPut('raw/check/', () => kill(victim).then(killed))),
    );
    const posted = world.slack.announcements().length;
    const retried = await check('09:00');
    await check('09:15');
    const verified = await verify();
    // Assess: nothing reached Slack before the kill; the retry alerted from the stored copy, once
    expect(posted).toBe(0);
    expect(retried).toMatch(/^Sent: .*Transfer success rate/m);
    expect(world.slack.announcements()).toHaveLength(1);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(ARCHIVE_VERIFIED);
  });

  it('killed once S3 stored the delivery record: never posted again', async () => {
    // Act: the post goes through; as Slack answers, S3 is set to kill the run once the next write
    // of the alert state (the record of that delivery) is stored
    await killedCheck(
      (victim) =>
        new Promise<void>((killed) => {
          void world.killSwitch.arm(world.slack.alertPath, 'as Slack answers', async () => {
            world.s3.afterNextPut('state/alerts.json', () => kill(victim).then(killed));
          });
        }),
    );
    const posted = world.slack.announcements().length;
    await check('09:15');
    world.s3.advanceClock(CLAIM_OUTLIVED_MS);
    await check('09:30');
    const verified = await verify();
    // Assess: the dead run's post is the only one, before and after any claim could have ended
    expect(posted).toBe(1);
    expect(world.slack.announcements()).toHaveLength(1);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(ARCHIVE_VERIFIED);
  });
});
