import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { REPO_ROOT } from './bench-paths';

/**
 * The function as Lambda runs it: its bundle `require`d by a plain Node process (no tsx) whose
 * environment is the deployed one, so it builds its own config, Powertools, SDK clients and secret.
 * Its stdout (log lines, EMF) is discarded; results come back on fd 3 or over IPC.
 */

export interface HandlerEvent {
  readonly mode: 'check' | 'digest';
  readonly scheduledTime: string;
}

export interface ColdRun {
  readonly outcome: string;
  /** CPU (user + system) of the process from its start to the end of `require` (Lambda's init). */
  readonly initCpuMs: number;
  /** CPU from its start to the result. */
  readonly cpuMs: number;
  /** spawn() → the result, as the parent saw it. */
  readonly wallMs: number;
  /** Instructions executed (callgrind). */
  readonly instructions?: number;
}

const reportOnFd3 = `
const cpuMs = () => { const cpu = process.cpuUsage(); return (cpu.user + cpu.system) / 1000; };
const report = (outcome, initCpuMs) => {
  require('node:fs').writeSync(3, JSON.stringify({ outcome, initCpuMs, cpuMs: cpuMs() }));
  process.exit(0);
};
const fail = (error) => report('error: ' + (error && error.message), 0);`;

const context = (id: string) =>
  `{ awsRequestId: ${id}, getRemainingTimeInMillis: () => 3600000, functionName: 'bench' }`;

/** Loads `bundle` (init) and runs one invocation: the cold start as Lambda's first invocation pays it. */
export const coldCheckScript = (bundle: string, event: HandlerEvent) => `${reportOnFd3}
const { handler } = require(${JSON.stringify(bundle)});
const initCpuMs = cpuMs();
handler(${JSON.stringify(event)}, ${context("'cold'")}).then((summary) => report(summary.outcome, initCpuMs), fail);`;

/** The floor for any function that must archive to S3: load the S3 SDK, send one signed PutObject. */
export const referencePutScript = `${reportOnFd3}
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const client = new S3Client({});
const initCpuMs = cpuMs();
client
  .send(new PutObjectCommand({
    Bucket: process.env.ARCHIVE_BUCKET,
    Key: 'reference/' + process.pid + '-' + Date.now() + '.json',
    Body: JSON.stringify({ reference: true }),
    ContentType: 'application/json',
  }))
  .then(() => report('put', initCpuMs), fail);`;

/**
 * A warm container under callgrind with instrumentation off (`--instr-atstart=no`): loads `bundle`,
 * runs `warmup` uncounted, then asks on fd 3 to be counted (`counting`) and waits for a line on
 * stdin; runs `counted`, says `counted` and waits again, while the parent switches instrumentation
 * on and off with callgrind_control between them. What is counted is those checks alone.
 */
export const countedChecksScript = (
  bundle: string,
  warmup: readonly HandlerEvent[],
  counted: readonly HandlerEvent[],
) => `${reportOnFd3}
const { handler } = require(${JSON.stringify(bundle)});
const say = (line) => require('node:fs').writeSync(3, line + '\\n');
const lines = require('node:readline').createInterface({ input: process.stdin });
const next = () => new Promise((resolve) => lines.once('line', resolve));
const run = async (events, tag) => {
  for (const [index, event] of events.entries()) {
    const { outcome } = await handler(event, ${context('tag + index')});
    if (outcome !== 'evaluated') throw new Error(tag + index + ' ended ' + outcome);
  }
};
(async () => {
  await run(${JSON.stringify(warmup)}, 'warm-');
  say('counting');
  await next();
  await run(${JSON.stringify(counted)}, 'counted-');
  say('counted');
  await next();
  return 'evaluated';
})().then((outcome) => report(outcome, 0), fail);`;

/**
 * Under callgrind a process runs some 50× slower, past the deployed timeouts: raised there, which
 * changes no instruction the run executes but a timer's value.
 */
const CALLGRIND_TIMEOUTS = {
  ARCHIVE_TIMEOUT_MS: '600000',
  AIRUDDER_TIMEOUT_MS: '600000',
  SLACK_TIMEOUT_MS: '600000',
  RUN_DEADLINE_MS: '3600000',
};

/**
 * Runs `node -e script` with `env` (under `valgrind --tool=callgrind` when asked) and resolves with
 * the child's fd-3 report. Rejects when the child fails or reports an error.
 */
export function runScript(
  node: string,
  script: string,
  env: Record<string, string>,
  callgrind = false,
): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const command = callgrind ? 'valgrind' : node;
    const args = [
      ...(callgrind ? ['--tool=callgrind', '--callgrind-out-file=/dev/null', node] : []),
      '-e',
      script,
    ];
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, ...(callgrind ? CALLGRIND_TIMEOUTS : {}) },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let wallMs = Number.NaN;
    let report = '';
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      if (Number.isNaN(wallMs)) wallMs = performance.now() - started;
      report += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = report ? (JSON.parse(report) as Omit<ColdRun, 'wallMs'>) : undefined;
      if (code !== 0 || !result || result.outcome.startsWith('error')) {
        reject(new Error(`run failed (exit ${code}): ${result?.outcome ?? ''} ${stderr.slice(-800)}`));
        return;
      }
      const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
      resolve({ ...result, wallMs, ...(refs ? { instructions: Number(refs.replaceAll(',', '')) } : {}) });
    });
  });
}

/**
 * Instructions of the `counted` checks of a warm container (see countedChecksScript): valgrind runs
 * the warm-up uninstrumented, several times faster than counting it and subtracting a shorter run.
 */
export function countWarmChecks(
  node: string,
  bundle: string,
  warmup: readonly HandlerEvent[],
  counted: readonly HandlerEvent[],
  env: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--instr-atstart=no',
        '--callgrind-out-file=/dev/null',
        node,
        '-e',
        countedChecksScript(bundle, warmup, counted),
      ],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', ...env, ...CALLGRIND_TIMEOUTS },
        stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
      },
    );
    const instrumentation = (state: 'on' | 'off') =>
      new Promise<void>((done, fail) =>
        execFile('callgrind_control', ['-i', state, String(child.pid)], (error) =>
          error ? fail(error) : done(),
        ),
      );
    let report = '';
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      report += chunk.toString('utf8');
      for (const [said, state] of [
        ['counting\n', 'on'],
        ['counted\n', 'off'],
      ] as const) {
        if (!report.startsWith(said)) continue;
        report = report.slice(said.length);
        instrumentation(state).then(
          () => child.stdin?.write('go\n'),
          (error: unknown) => {
            child.kill();
            reject(error);
          },
        );
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = report ? (JSON.parse(report) as { outcome: string }) : undefined;
      const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
      if (code !== 0 || result?.outcome !== 'evaluated' || refs === undefined) {
        reject(
          new Error(`counted run failed (exit ${code}): ${result?.outcome ?? ''} ${stderr.slice(-800)}`),
        );
        return;
      }
      resolve(Number(refs.replaceAll(',', '')));
    });
  });
}

/** One invocation as the host measured it: its own CPU and wall time, and when it ran (epoch ms). */
export interface InvocationSample {
  readonly outcome: string;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly start: number;
  readonly end: number;
}

const hostScript = (bundle: string) => `
const { handler } = require(${JSON.stringify(bundle)});
let invocation = 0;
process.on('message', async (request) => {
  const samples = [];
  for (const event of request.events) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let outcome;
    try {
      outcome = (await handler(event, ${context("'host-' + ++invocation")})).outcome;
    } catch (error) {
      outcome = 'error: ' + (error && error.message);
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const start = performance.timeOrigin + started;
    samples.push({ outcome, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, start, end: start + wallMs });
  }
  process.send({ id: request.id, samples });
});
process.send({ ready: true });`;

/** A warm container: one process that keeps the bundle loaded and runs invocations on request. */
export interface HandlerHost {
  /** Runs the events one after another; throws when one did not end in `expected`. */
  invoke(events: readonly HandlerEvent[], expected?: Record<string, string>): Promise<InvocationSample[]>;
  stop(): void;
}

export function startHandlerHost(
  node: string,
  bundle: string,
  env: Record<string, string>,
): Promise<HandlerHost> {
  const child: ChildProcess = spawn(node, ['-e', hostScript(bundle)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, (samples: InvocationSample[]) => void>();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`handler host exited (${code})`)));
    child.on('message', (message: { ready?: true; id?: number; samples?: InvocationSample[] }) => {
      if (message.ready) {
        resolve({
          invoke: (events, expected = { check: 'evaluated', digest: 'posted' }) =>
            new Promise((done, fail) => {
              const id = nextId++;
              waiting.set(id, (samples) => {
                const wrong = samples.findIndex(
                  (sample, index) => sample.outcome !== expected[(events[index] as HandlerEvent).mode],
                );
                if (wrong >= 0)
                  fail(new Error(`${JSON.stringify(events[wrong])}: ${samples[wrong]?.outcome}`));
                else done(samples);
              });
              child.send({ id, events });
            }),
          stop: () => {
            child.removeAllListeners('exit');
            child.kill();
          },
        });
        return;
      }
      if (message.id !== undefined) {
        waiting.get(message.id)?.(message.samples ?? []);
        waiting.delete(message.id);
      }
    });
  });
}

/** Runs `jobs` at most `width` at a time (callgrind runs: each is single-threaded and long). */
export async function inParallel<T>(width: number, jobs: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < jobs.length; index = next++)
      results[index] = await (jobs[index] as () => Promise<T>)();
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}
