import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './bench-paths';

/**
 * Runs the CLI as an operator does (`npm run job -- <args> --json`: node --import tsx lambda/cli.ts)
 * in a fresh process on `node`, and resolves with its JSON result; rejects on a non-zero exit.
 */
export function runCli(node: string, args: readonly string[], env: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--import', 'tsx', path.join('lambda', 'cli.ts'), ...args, '--json'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout));
      else reject(new Error(`cli ${args.join(' ')} exited ${code}: ${(stdout + stderr).slice(-800)}`));
    });
  });
}
