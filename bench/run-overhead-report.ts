import type { Service } from './external-calls';
import type { DetailTable, ResultRow } from './report';
import { round, type Spread } from './stats';

export const LATENCY_MS = 50;
const TARGET_RATIO = 1.2;

export interface RunStats {
  readonly mode: 'check' | 'digest';
  readonly latencyMs: number;
  readonly wallMs: Spread;
  readonly cpuMs: number;
  readonly roundTrips: number;
  /** Median time waited on the critical path's calls. */
  readonly pathMs: number;
  readonly calls: Record<Exclude<Service, 'secrets'>, number>;
  /** Median over runs of wall / critical path; undefined without latency. */
  readonly ratio?: number;
}

/** What the fakes saw beside what the proxies recorded, over the measured runs. */
export interface CrossCheck {
  readonly fakesAirudder: number;
  readonly fakesSlack: number;
  readonly recordedAirudder: number;
  readonly recordedSlack: number;
  /** Slack posts the receiver validated (Block Kit limits included) and accepted, of `fakesSlack`. */
  readonly acceptedPosts: number;
}

const ms = (value: number) => `${round(value, 0)} ms`;

/** The summary rows and the detail table of the run-overhead benchmark. */
export function reportRunOverhead(
  stats: readonly RunStats[],
  check: CrossCheck,
  measured: { readonly check: number; readonly digest: number },
): { rows: ResultRow[]; details: DetailTable[] } {
  const find = (mode: RunStats['mode'], latencyMs: number) =>
    stats.find((run) => run.mode === mode && run.latencyMs === latencyMs) as RunStats;
  const quietRow = (run: RunStats): ResultRow => ({
    section: 'Run overhead',
    measure: `${run.mode}, no added latency: wall (CPU), median`,
    value: `${ms(run.wallMs.median)} (CPU ${ms(run.cpuMs)})`,
    target: '—',
  });
  const ratioRow = (run: RunStats, target: boolean): ResultRow => ({
    section: 'Run overhead',
    measure: `${run.mode} @${run.latencyMs} ms: wall / critical path (${run.roundTrips} round trips, ${ms(run.pathMs)})`,
    value: `${round(run.ratio ?? Number.NaN, 2).toFixed(2)}×`,
    target: target ? `≤ ${TARGET_RATIO}×` : '—',
    ...(target ? { pass: (run.ratio ?? Number.POSITIVE_INFINITY) <= TARGET_RATIO } : {}),
  });
  const rows = [
    quietRow(find('check', 0)),
    quietRow(find('digest', 0)),
    ratioRow(find('check', LATENCY_MS), true),
    ratioRow(find('digest', LATENCY_MS), false),
  ];
  const details: DetailTable[] = [
    {
      title: `Run overhead: the deployed bundle in a warm process against loopback fakes (${measured.check} checks, ${measured.digest} digests per latency)`,
      headers: [
        'Run',
        'Added latency',
        'Calls A/S3/Slack',
        'Round trips',
        'Critical path',
        'Wall median',
        'Wall p90',
        'CPU median',
        'Wall / path',
      ],
      rows: stats.map((run) => [
        run.mode,
        `${run.latencyMs} ms`,
        `${run.calls.airudder}/${run.calls.s3}/${run.calls.slack}`,
        String(run.roundTrips),
        ms(run.pathMs),
        ms(run.wallMs.median),
        ms(run.wallMs.p90),
        ms(run.cpuMs),
        run.ratio === undefined ? '—' : `${round(run.ratio, 2).toFixed(2)}×`,
      ]),
      note:
        'Critical path: the longest chain of external calls each starting after the previous ended, from the ' +
        `latency proxies' log of each invocation, each as long as the proxy saw it (latency + the fakes' time). ` +
        `Cross-check: the fakes saw ${check.fakesAirudder} AIRUDDER ` +
        `requests and ${check.fakesSlack} Slack posts; the proxies recorded ${check.recordedAirudder} and ` +
        `${check.recordedSlack}; the receiver validated and accepted ${check.acceptedPosts} posts. CPU is the ` +
        "container process's own; logs and EMF are written to its stdout (discarded).",
    },
  ];
  return { rows, details };
}
