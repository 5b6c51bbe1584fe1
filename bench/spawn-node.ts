import { spawn } from 'node:child_process';
import { REPO_ROOT } from './bench-paths';

/** The parent's environment without NODE_OPTIONS, so a child node starts plain (no tsx). */
export function plainEnv(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  return env;
}

export interface NodeRun {
  /** ms from spawn() to the child's first byte on stdout. */
  readonly firstOutputMs: number;
  readonly stdout: string;
}

/**
 * Runs `node [...nodeArgs]` in the repository root and resolves when it exits; rejects on a non-zero
 * exit with its stderr. The first stdout byte is timestamped, so a child can mark a moment by writing.
 */
export function runNode(nodeArgs: readonly string[]): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutputMs = Number.NaN;
    let stdout = '';
    let stderr = '';
    const child = spawn(process.execPath, nodeArgs, {
      cwd: REPO_ROOT,
      env: plainEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (Number.isNaN(firstOutputMs)) firstOutputMs = performance.now() - started;
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ firstOutputMs, stdout });
      else reject(new Error(`node ${nodeArgs.join(' ')} exited ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}
