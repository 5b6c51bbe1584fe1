import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { REPO_ROOT } from './bench-paths';
import { plainEnv } from './spawn-node';

/**
 * The function as Lambda runs it: its bundle `require`d by a plain Node process (no tsx) whose
 * environment is the deployed one, so it builds its own config, Powertools logger and metrics, SDK
 * clients and secret. Its stdout (log lines, EMF) is discarded after it is written; results come
 * back on fd 3 or over IPC, never mixed with its output.
 */

export interface HandlerEvent {
  readonly mode: 'check' | 'digest';
  readonly scheduledTime: string;
}

/** What a cold process reports on fd 3 when its first result is in. */
export interface ColdResult {
  readonly outcome: string;
  /** CPU (user + system) the process used from its start to the result, ms. */
  readonly cpuMs: number;
}

export interface ColdRun extends ColdResult {
  /** spawn() → the result on fd 3, as the parent saw it. */
  readonly wallMs: number;
  /** Instructions executed, when run under callgrind. */
  readonly instructions?: number;
}

const reportOnFd3 = `
const report = (outcome) => {
  const cpu = process.cpuUsage();
  require('node:fs').writeSync(3, JSON.stringify({ outcome, cpuMs: (cpu.user + cpu.system) / 1000 }));
  process.exit(0);
};
const fail = (error) => { report('error: ' + (error && error.message)); };`;

/** Loads `bundle` and runs one invocation: the cold start as Lambda's first invocation pays it. */
export const coldCheckScript = (bundle: string, event: HandlerEvent) => `${reportOnFd3}
const { handler } = require(${JSON.stringify(bundle)});
handler(${JSON.stringify(event)}, { awsRequestId: 'cold', getRemainingTimeInMillis: () => 900000 })
  .then((summary) => report(summary.outcome), fail);`;

/**
 * Loads `bundle` and runs `events` one after another, as a warm container would: under callgrind, the
 * difference between two lengths of this run is the instruction count of the invocations between.
 */
export const warmChecksScript = (bundle: string, events: readonly HandlerEvent[]) => `${reportOnFd3}
const { handler } = require(${JSON.stringify(bundle)});
(async () => {
  let outcome = 'none';
  for (const [index, event] of ${JSON.stringify(events)}.entries()) {
    outcome = (await handler(event, { awsRequestId: 'warm-' + index, getRemainingTimeInMillis: () => 900000 })).outcome;
    if (outcome !== 'evaluated') throw new Error('invocation ' + index + ' ended ' + outcome);
  }
  return outcome;
})().then(report, fail);`;

/** True when `valgrind` runs here (instruction counts hold still on a loaded machine). */
export function valgrindAvailable(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The floor for any function that must archive to S3: load the S3 SDK, send one signed PutObject. */
export const referencePutScript = `${reportOnFd3}
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
new S3Client({})
  .send(new PutObjectCommand({
    Bucket: process.env.ARCHIVE_BUCKET,
    Key: 'reference/' + process.pid + '-' + Date.now() + '.json',
    Body: JSON.stringify({ reference: true }),
    ContentType: 'application/json',
  }))
  .then(() => report('put'), fail);`;

/**
 * Runs `node -e script` (under callgrind when `callgrind` is set) with `env` and resolves with the
 * child's fd-3 report, timed from spawn to its arrival. Rejects when the child fails or reports an error.
 */
export function runCold(script: string, env: Record<string, string>, callgrind = false): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '-e', script];
    const [command, ...args] = callgrind
      ? ['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null', ...node]
      : node;
    const started = performance.now();
    const child = spawn(command as string, args, {
      cwd: REPO_ROOT,
      env: { ...plainEnv(), ...env },
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
      const result = report ? (JSON.parse(report) as ColdResult) : undefined;
      if (code !== 0 || !result || result.outcome.startsWith('error')) {
        reject(new Error(`cold run failed (exit ${code}): ${result?.outcome ?? ''} ${stderr.slice(-800)}`));
        return;
      }
      const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
      resolve({
        ...result,
        wallMs,
        ...(refs ? { instructions: Number(refs.replaceAll(',', '')) } : {}),
      });
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
      const context = { awsRequestId: 'bench-' + ++invocation, getRemainingTimeInMillis: () => 900000 };
      outcome = (await handler(event, context)).outcome;
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

export function startHandlerHost(bundle: string, env: Record<string, string>): Promise<HandlerHost> {
  const child: ChildProcess = spawn(process.execPath, ['-e', hostScript(bundle)], {
    cwd: REPO_ROOT,
    env: { ...plainEnv(), ...env },
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
                const wrong = samples.findIndex((sample, index) => {
                  const event = events[index] as HandlerEvent;
                  return sample.outcome !== expected[event.mode];
                });
                if (wrong >= 0) {
                  fail(new Error(`${JSON.stringify(events[wrong])}: ${samples[wrong]?.outcome}`));
                } else done(samples);
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
