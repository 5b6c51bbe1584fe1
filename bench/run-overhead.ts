import { createHandler, type RunSummary } from '../lambda/handler/create-handler';
import type { RunMetrics } from '../lambda/handler/run-metrics';
import { createJsonLogger } from '../lambda/shared/logger';
import { BENCH_CREDENTIALS, BENCH_ZONE, type BenchServices } from './bench-services';
import { countByService, type Service, sequentialRoundTrips } from './external-calls';
import type { SectionResult } from './report';
import { type CrossCheck, LATENCY_MS, type RunStats, reportRunOverhead } from './run-overhead-report';
import { median, spread } from './stats';

const CHECK_DATE = '2025-11-20';
const WARMUP = { check: 3, digest: 2 };
const MEASURED = { check: 12, digest: 8 };
/** Digests posted before measuring, so each measured run finds yesterday and a week ago archived. */
const SEED_DIGESTS = 9;

const DAY_MS = 86_400_000;
const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** A check every 15 minutes from 06:00 local (Asia/Jakarta is UTC+7 all year). */
const checkTime = (date: string, index: number) =>
  new Date(Date.parse(`${date}T06:00:00+07:00`) + index * 900_000).toISOString();
/** The digest of `date` runs at 08:30 local the next morning. */
const digestTime = (date: string) => new Date(Date.parse(`${date}T08:30:00+07:00`) + DAY_MS).toISOString();

interface RunSample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly roundTrips: number;
  readonly calls: Record<Service, number>;
}

/**
 * The real handler (createHandler) against the fakes: checks and digests in their steady state
 * (state, last week and yesterday archived), first with no added latency, then with LATENCY_MS on
 * every external call. CPU is the handler process's own; the fakes run in another process.
 */
export async function benchRunOverhead(services: BenchServices): Promise<SectionResult<RunStats[]>> {
  const { fakes } = services;
  let lines = 0;
  const metrics: RunMetrics = { record() {}, flush() {} };
  const handler = createHandler({
    env: {
      AIRUDDER_BASE_URL: fakes.standInUrl,
      AIRUDDER_APP_KEY: BENCH_CREDENTIALS.appKey,
      AIRUDDER_APP_SECRET: BENCH_CREDENTIALS.appSecret,
      AIRUDDER_TIMEZONE: BENCH_ZONE,
      ARCHIVE_BUCKET: fakes.bucket,
      ARCHIVE_PREFIX: 'runs',
      SLACK_WEBHOOK_URL: fakes.slackUrl,
      RUN_DEADLINE_MS: '100000',
    },
    s3Client: services.s3Client,
    fetch: services.fetch,
    // Log lines are serialised as in Lambda, then counted instead of printed.
    logger: createJsonLogger(() => {
      lines += 1;
    }, 'INFO'),
    metrics,
  });
  let invocation = 0;
  const invoke = async (mode: 'check' | 'digest', scheduledTime: string): Promise<RunSample> => {
    const context = { awsRequestId: `bench-${++invocation}`, getRemainingTimeInMillis: () => 110_000 };
    services.log.take();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const summary: RunSummary = await handler({ mode, scheduledTime }, context);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const expected = mode === 'check' ? 'evaluated' : 'posted';
    if (summary.outcome !== expected) throw new Error(`${mode} at ${scheduledTime}: ${summary.outcome}`);
    const calls = services.log.take();
    return {
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      roundTrips: sequentialRoundTrips(calls),
      calls: countByService(calls),
    };
  };

  // Seed: whole days archived by digests, and last week's checks at the same times.
  const firstDigest = shiftDate(CHECK_DATE, -SEED_DIGESTS);
  for (let day = 0; day < SEED_DIGESTS; day++)
    await invoke('digest', digestTime(shiftDate(firstDigest, day)));
  const checks = WARMUP.check + 2 * MEASURED.check;
  for (let index = 0; index < checks; index++)
    await invoke('check', checkTime(shiftDate(CHECK_DATE, -7), index));

  let checkIndex = 0;
  let digestDay = 0;
  const runChecks = async (count: number) => {
    const samples: RunSample[] = [];
    for (let run = 0; run < count; run++)
      samples.push(await invoke('check', checkTime(CHECK_DATE, checkIndex++)));
    return samples;
  };
  const runDigests = async (count: number) => {
    const samples: RunSample[] = [];
    for (let run = 0; run < count; run++) {
      samples.push(await invoke('digest', digestTime(shiftDate(CHECK_DATE, digestDay++))));
    }
    return samples;
  };
  await runChecks(WARMUP.check);
  await runDigests(WARMUP.digest);
  const before = await fakes.counts();
  const quiet = { check: await runChecks(MEASURED.check), digest: await runDigests(MEASURED.digest) };
  const between = await fakes.counts();
  await services.setLatency(LATENCY_MS);
  const slow = { check: await runChecks(MEASURED.check), digest: await runDigests(MEASURED.digest) };
  const after = await fakes.counts();

  const summarise = (mode: 'check' | 'digest', latencyMs: number, samples: RunSample[]): RunStats => {
    const countOf = (service: Service) => median(samples.map((sample) => sample.calls[service]));
    return {
      mode,
      latencyMs,
      wallMs: spread(samples.map((sample) => sample.wallMs)),
      cpuMs: median(samples.map((sample) => sample.cpuMs)),
      roundTrips: median(samples.map((sample) => sample.roundTrips)),
      calls: { airudder: countOf('airudder'), s3: countOf('s3'), slack: countOf('slack') },
      ...(latencyMs > 0
        ? { ratio: median(samples.map((sample) => sample.wallMs / (sample.roundTrips * latencyMs))) }
        : {}),
    };
  };
  const stats = [
    summarise('check', 0, quiet.check),
    summarise('digest', 0, quiet.digest),
    summarise('check', LATENCY_MS, slow.check),
    summarise('digest', LATENCY_MS, slow.digest),
  ];
  const recorded = [...quiet.check, ...quiet.digest, ...slow.check, ...slow.digest];
  const crossCheck: CrossCheck = {
    fakesAirudder: after.airudderRequests - before.airudderRequests,
    fakesSlack: after.slackPosts - before.slackPosts,
    recordedAirudder: recorded.reduce((sum, sample) => sum + sample.calls.airudder, 0),
    recordedSlack: recorded.reduce((sum, sample) => sum + sample.calls.slack, 0),
    validatedPosts: between.slackAccepted - before.slackAccepted,
    quietPosts: between.slackPosts - before.slackPosts,
    logLines: lines,
  };
  const { rows, details } = reportRunOverhead(stats, crossCheck, MEASURED);
  return { rows, details, data: stats };
}
