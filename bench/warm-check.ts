import * as path from 'node:path';
import { seedArchiveHistory } from './archive-history';
import type { Baseline } from './baseline';
import { REPO_ROOT } from './bench-paths';
import {
  countWarmChecks,
  type HandlerEvent,
  type HandlerHost,
  type InvocationSample,
  inParallel,
  startHandlerHost,
} from './deployed-process';
import type { ExternalCall, FakeServices } from './fake-services-client';
import type { Measured } from './measured';
import { type DetailTable, median, ms, type SectionResult, times } from './report';

const TARGET = 0.85;
/**
 * fec5def's bundled default rules in today's rules format (its per-rule `repeat` is today's
 * `reminders`): day-so-far rates, week-over-week of the last complete hour, the latest offline day.
 * Today's handler runs them as any deployment with its own rules file does (the construct's
 * `rulesFile`, DEFAULT_RULES_FILE), so the same work can be compared with fec5def's handler.
 */
export const FEC5DEF_RULES_FILE = path.join(REPO_ROOT, 'bench', 'fec5def-rules.json');
const WARMUP = 5;
/** Invocations per turn: the two containers alternate, so load on the machine hits both alike. */
const BLOCK = 2;

/**
 * Every 15 minutes from 09:00 local: after the day's digest (08:30), so the history seeded up front
 * is what the archive held at each of these instants (yesterday's whole day in it).
 */
const checkEvent = (index: number): HandlerEvent => ({
  mode: 'check',
  scheduledTime: new Date(Date.parse('2025-10-08T09:00:00+07:00') + index * 900_000).toISOString(),
});

/**
 * Warm checks: CPU per invocation of the deployed handler kept loaded in one process, as a warm
 * container keeps it, beside the baseline handler in a second process, in alternating blocks; then
 * instructions per warm check under callgrind: of one container, the `uncounted` first checks run
 * uninstrumented, the next `counted` are counted, `runs` times each. 10 and 30 are what (run of 40 −
 * run of 10) / 30 measured (#26), without paying for 50 counted checks and two counted inits;
 * `--quick` counts checks 31–40 once, a third of the counting (each counted check costs about 2 s of
 * CPU under callgrind).
 * The baseline runs as it deployed: its own bundle, the stack's environment without NODE_OPTIONS
 * (which its stack did not set).
 * Steady state, not a deployment's first weeks: before anything is measured, every measured archive
 * gets the raw/ history that four weeks and more of checks and digests leave for the instants checked
 * (archive-history.ts: today's handler runs them, raw/ is copied unlogged), so the seasonal baseline,
 * last week's check and yesterday's whole day are found as in production.
 */
export async function benchWarmCheck(
  measured: Measured,
  fakes: FakeServices,
  baseline: Baseline,
  options: {
    readonly invocations: number;
    readonly runs: number;
    readonly uncounted: number;
    readonly counted: number;
    /** Told the setup's figures (the archive history's seeding). */
    readonly log?: (line: string) => void;
  },
): Promise<SectionResult> {
  const { node, nodeVersion } = measured;
  const handlers = [
    { name: 'as deployed now', bundle: measured.bundle, env: (prefix: string) => measured.env(prefix) },
    {
      name: `baseline ${baseline.rev}`,
      bundle: baseline.outfile,
      env: (prefix: string) => {
        const { NODE_OPTIONS: _none, ...env } = measured.env(prefix);
        return env;
      },
    },
    {
      name: `as deployed now, ${baseline.rev}'s rules`,
      bundle: measured.bundle,
      env: (prefix: string) => ({ ...measured.env(prefix), DEFAULT_RULES_FILE: FEC5DEF_RULES_FILE }),
    },
  ];
  const events = Array.from({ length: WARMUP + options.invocations }, (_, index) => checkEvent(index));
  const warmup = Array.from({ length: options.uncounted }, (_, index) => checkEvent(index));
  const counted = Array.from({ length: options.counted }, (_, index) =>
    checkEvent(options.uncounted + index),
  );
  const cgPrefix = (which: number, run: number) => `warm-cg-${which}-${run}`;

  // Steady state: every measured archive holds what four weeks and more of checks and digests left.
  const history = await seedArchiveHistory(
    measured,
    fakes,
    [...events, ...warmup, ...counted],
    handlers.flatMap((_, which) => [
      `warm-${which}`,
      ...Array.from({ length: options.runs }, (_, run) => cgPrefix(which, run)),
    ]),
  );
  const seeded =
    `${history.checks} checks and ${history.digests} digests run by today's handler, ${history.objects} raw/ ` +
    `objects copied into each of ${history.prefixes} archives, ${(history.wallMs / 1000).toFixed(1)} s, ` +
    `CPU ${(history.cpuMs / 1000).toFixed(1)} s`;
  options.log?.(`  archive history: ${seeded}`);

  const hosts: HandlerHost[] = [];
  const samples: InvocationSample[][] = handlers.map(() => []);
  const calls: ExternalCall[] = [];
  try {
    for (const [index, handler] of handlers.entries())
      hosts.push(await startHandlerHost(node, handler.bundle, handler.env(`warm-${index}`)));
    for (const host of hosts) await host.invoke(events.slice(0, WARMUP));
    await fakes.takeCalls();
    for (let start = WARMUP; start < events.length; start += BLOCK) {
      for (const [index, host] of hosts.entries())
        samples[index]?.push(...(await host.invoke(events.slice(start, start + BLOCK))));
    }
    calls.push(...(await fakes.takeCalls()));
  } finally {
    for (const host of hosts) host.stop();
  }

  const jobs = handlers.flatMap((handler, which) =>
    Array.from({ length: options.runs }, (_, run) => async () => {
      const env = handler.env(cgPrefix(which, run));
      const instructions = await countWarmChecks(node, handler.bundle, warmup, counted, env);
      return { which, perCheck: instructions / options.counted };
    }),
  );
  // Two callgrind runs at a time: counts do not depend on what else runs.
  const results = await inParallel(2, jobs);
  const perCheck = handlers.map((_, which) =>
    results.filter((result) => result.which === which).map((result) => result.perCheck),
  );

  // The calls each sampled check made: the proxies log every one, and the hosts take turns.
  const callsOf = (sample: InvocationSample) =>
    calls
      .filter((call) => call.start >= sample.start && call.start <= sample.end)
      .sort((a, b) => a.start - b.start);
  const callCounts = (index: number) => (samples[index] ?? []).map((sample) => callsOf(sample).length);
  const countRange = (index: number) => {
    const counts = callCounts(index);
    return `${Math.min(...counts)}–${Math.max(...counts)} (median ${median(counts)})`;
  };
  const checks = `${options.uncounted + 1}–${options.uncounted + options.counted}`;
  const cpu = (index: number) => median((samples[index] ?? []).map((sample) => sample.cpuMs));
  const instructions = (index: number) => median(perCheck[index] ?? []);
  const row = (measure: string, ratio: number, target = true) => ({
    section: 'Warm check',
    measure,
    value: times(ratio),
    ...(target ? { target: `≤ ${TARGET}×`, pass: ratio <= TARGET } : { target: '—' }),
    node: nodeVersion,
  });
  const details: DetailTable[] = [
    {
      title: `Warm checks on Node ${nodeVersion}: ${options.invocations} invocations per container after ${WARMUP}, blocks of ${BLOCK} alternating`,
      headers: [
        'Handler',
        'CPU median',
        'Wall median',
        'External calls per check',
        `Instructions per check, checks ${checks}, each run`,
      ],
      rows: handlers.map((handler, index) => [
        handler.name,
        ms(cpu(index), 1),
        ms(median((samples[index] ?? []).map((sample) => sample.wallMs)), 1),
        countRange(index),
        (perCheck[index] ?? []).map((count) => `${(count / 1e6).toFixed(1)} M`).join(', '),
      ]),
      note:
        `Baseline ${baseline.rev}: the previous round's handler. Today's check fetches and archives three rolling ` +
        'windows besides the day so far, and reads the 60-minute one of the four weeks before (the seasonal ' +
        `baseline). Each archive first holds the history of a deployment past its fourth week (seeded: ${seeded}), so ` +
        "every check finds the windows, last week's checks and yesterday's whole day it reads. Shown beside, " +
        `not instead: today's handler given ${baseline.rev}'s rules (bench/fec5def-rules.json), the same ` +
        'work as the baseline, so the code is compared apart from the features the default rules added.',
    },
    ...handlers.map((handler, index): DetailTable => {
      // The last check that made the median number of calls: a typical one, not the on-the-hour kind.
      const typical = median(callCounts(index));
      const shown = (samples[index] ?? []).findLast((sample) => callsOf(sample).length === typical);
      const list = shown === undefined ? [] : callsOf(shown);
      return {
        title: `External calls of one warm check, ${handler.name} (a typical one: ${list.length})`,
        headers: ['#', 'Service', 'Call'],
        rows: list.map((call, number) => [String(number + 1), call.service, describeCall(call)]),
      };
    }),
  ];
  return {
    rows: [
      row(`CPU per check, median: ours / ${baseline.rev}`, cpu(0) / cpu(1)),
      row(
        `instructions per check ${checks} (callgrind): ours / ${baseline.rev}`,
        instructions(0) / instructions(1),
      ),
      row(
        `beside: CPU per check, median, ${baseline.rev}'s rules: ours / ${baseline.rev}`,
        cpu(2) / cpu(1),
        false,
      ),
      row(
        `beside: instructions per check ${checks}, ${baseline.rev}'s rules: ours / ${baseline.rev}`,
        instructions(2) / instructions(1),
        false,
      ),
    ],
    details,
  };
}

/** A proxied call as a reader wants it: the S3 operation and key below the run's prefix, the API path and window. */
export function describeCall(call: ExternalCall): string {
  const url = new URL(call.label, 'http://proxy');
  if (call.service === 's3') {
    const listed = url.searchParams.get('prefix');
    if (listed !== null) return `ListObjectsV2 ${withoutRunPrefix(listed)}`;
    const operation = url.searchParams.get('x-id') ?? 'request';
    // /<bucket>/<prefix>/<key>: the bench gives every container a prefix of its own.
    return `${operation} ${withoutRunPrefix(decodeURIComponent(url.pathname).split('/').slice(2).join('/'))}`;
  }
  const start = url.searchParams.get('start_time');
  const end = url.searchParams.get('end_time');
  return start === null || end === null ? url.pathname : `${url.pathname} ${start} → ${end}`;
}

const withoutRunPrefix = (key: string) => key.replace(/^[^/]*\/(?=(raw|state|config|digest|curated)\/)/, '');
