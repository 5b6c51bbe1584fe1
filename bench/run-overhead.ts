import { deployedEnv } from './bench-services';
import type { BuiltBundle } from './build-bundle';
import { type HandlerEvent, type InvocationSample, startHandlerHost } from './deployed-process';
import { countByService, criticalPath, type ExternalCall, type Service } from './external-calls';
import type { FakeServices } from './fake-services-client';
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
const check = (date: string, index: number): HandlerEvent => ({
  mode: 'check',
  scheduledTime: new Date(Date.parse(`${date}T06:00:00+07:00`) + index * 900_000).toISOString(),
});
/** The digest of `date` runs at 08:30 local the next morning. */
const digest = (date: string): HandlerEvent => ({
  mode: 'digest',
  scheduledTime: new Date(Date.parse(`${date}T08:30:00+07:00`) + DAY_MS).toISOString(),
});

interface RunSample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly roundTrips: number;
  /** The durations of the chain's calls as the proxies timed them: added latency + the fakes' own time. */
  readonly pathMs: number;
  readonly calls: Record<Service, number>;
}

/**
 * The deployed bundle in a warm container process (its own Powertools, clients and secret), against
 * the fakes: checks and digests in their steady state (state, last week and yesterday archived),
 * first with no added latency, then with LATENCY_MS on every external call, added by the proxies in
 * front of the fakes. The critical path is the longest chain of calls one after another, each as
 * long as the proxy saw it (latency + the fakes' own time): what is left of the wall is the function's.
 */
export async function benchRunOverhead(
  fakes: FakeServices,
  bundle: BuiltBundle,
): Promise<SectionResult<RunStats[]>> {
  const host = await startHandlerHost(bundle.outfile, deployedEnv(fakes, 'overhead'));
  const run = async (events: HandlerEvent[]): Promise<RunSample[]> => {
    await fakes.takeCalls();
    const samples = await host.invoke(events);
    const calls = await fakes.takeCalls();
    const during = (sample: InvocationSample) =>
      calls.filter((call: ExternalCall) => call.start >= sample.start && call.start <= sample.end);
    return samples.map((sample) => {
      const chain = criticalPath(during(sample));
      return {
        wallMs: sample.wallMs,
        cpuMs: sample.cpuMs,
        roundTrips: chain.length,
        pathMs: chain.reduce((sum, call) => sum + (call.end - call.start), 0),
        calls: countByService(during(sample)),
      };
    });
  };
  let checkIndex = 0;
  let digestDay = 0;
  const checks = (count: number) => run(Array.from({ length: count }, () => check(CHECK_DATE, checkIndex++)));
  const digests = (count: number) =>
    run(Array.from({ length: count }, () => digest(shiftDate(CHECK_DATE, digestDay++))));

  let quiet: { check: RunSample[]; digest: RunSample[] };
  let slow: { check: RunSample[]; digest: RunSample[] };
  let before: Awaited<ReturnType<FakeServices['counts']>>;
  let after: Awaited<ReturnType<FakeServices['counts']>>;
  try {
    // Seed: whole days archived by digests, and last week's checks at the same times.
    const firstDigest = shiftDate(CHECK_DATE, -SEED_DIGESTS);
    await run(Array.from({ length: SEED_DIGESTS }, (_, day) => digest(shiftDate(firstDigest, day))));
    const seeded = WARMUP.check + 2 * MEASURED.check;
    await run(Array.from({ length: seeded }, (_, index) => check(shiftDate(CHECK_DATE, -7), index)));
    await checks(WARMUP.check);
    await digests(WARMUP.digest);
    before = await fakes.counts();
    quiet = { check: await checks(MEASURED.check), digest: await digests(MEASURED.digest) };
    await fakes.setLatency(LATENCY_MS);
    slow = { check: await checks(MEASURED.check), digest: await digests(MEASURED.digest) };
    after = await fakes.counts();
  } finally {
    await fakes.setLatency(0);
    host.stop();
  }

  const summarise = (mode: 'check' | 'digest', latencyMs: number, samples: RunSample[]): RunStats => {
    const countOf = (service: Service) => median(samples.map((sample) => sample.calls[service]));
    return {
      mode,
      latencyMs,
      wallMs: spread(samples.map((sample) => sample.wallMs)),
      cpuMs: median(samples.map((sample) => sample.cpuMs)),
      roundTrips: median(samples.map((sample) => sample.roundTrips)),
      pathMs: median(samples.map((sample) => sample.pathMs)),
      calls: { airudder: countOf('airudder'), s3: countOf('s3'), slack: countOf('slack') },
      ...(latencyMs > 0 ? { ratio: median(samples.map((sample) => sample.wallMs / sample.pathMs)) } : {}),
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
    acceptedPosts: after.slackAccepted - before.slackAccepted,
  };
  const { rows, details } = reportRunOverhead(stats, crossCheck, MEASURED);
  return { rows, details, data: stats };
}
