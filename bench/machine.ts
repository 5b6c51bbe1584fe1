import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { version as esbuildVersion } from 'esbuild';

export interface MachineFacts {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly esbuild: string;
  readonly platform: string;
  /** 1-minute load average when the run started: other work on a shared machine shows here. */
  readonly loadAtStart: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    if (line) return line.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export const machineFacts = (): MachineFacts => ({
  cpus: os.availableParallelism(),
  cpuModel: cpuModel(),
  memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  node: process.version,
  esbuild: esbuildVersion,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  loadAtStart: os.loadavg()[0] ?? 0,
});

export const describeMachine = (facts: MachineFacts): string =>
  `${facts.cpus} CPUs (${facts.cpuModel}), ${facts.memoryGb} GB, Node ${facts.node}, esbuild ${facts.esbuild}, ` +
  `${facts.platform}; load average ${facts.loadAtStart.toFixed(2)} at start`;
