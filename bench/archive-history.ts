import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { addDays, fromWallClock, toWallClock } from '../lambda/domain/shared/local-time';
import { forEachConcurrently } from '../lambda/use-cases/run-concurrently';
import { REPO_ROOT } from './bench-paths';
import { AWS_KEYS } from './deployed-env';
import { type HandlerEvent, startHandlerHost } from './deployed-process';
import { BENCH_ZONE, type FakeServices } from './fake-services-client';
import type { Measured } from './measured';

const WEEK_MS = 7 * 86_400_000;
const CHECK_MS = 900_000;
/** The seasonal baseline's reach: the default rules compare with the same hour 1–4 weeks before. */
const WEEKS = 4;
const SEED_PREFIX = 'history';
/** CopyObject requests in flight at a time (fauxqs answers each in well under a millisecond). */
const COPY_CONCURRENCY = 16;

/** A local time of day, as a daily schedule gives it. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

/** What the seeding did, for the section's setup line. */
export interface History {
  readonly checks: number;
  readonly digests: number;
  /** raw/ objects copied into each prefix. */
  readonly objects: number;
  readonly prefixes: number;
  readonly wallMs: number;
  /** The seeding handler's own CPU (its invocations) and the bench process's (the copies). */
  readonly cpuMs: number;
}

/**
 * The raw archive of a deployment that has run for four weeks and more, as it stands when the bench
 * checks at `events` (all after that day's digest): produced by today's bundled handler itself, run
 * in one warm container under a prefix of its own, then `raw/` alone (never `state/`, `config/` or
 * `curated/`: each measured handler keeps its own, fec5def in its own format) copied server-side into
 * each of `prefixes`, straight to fauxqs, so none of it is in the proxies' call lists.
 *
 * What it runs, as the schedules would have: every check of the local day a week before each event's
 * date (96: a week-ago folder `raw/check/<date>/` holds the whole day, which a listing of it returns),
 * the checks at each event's instant 2, 3 and 4 weeks before (their `raw/window/…` is the seasonal
 * baseline; a week before is among the whole day), and the digests of the two days before each
 * event's date at the deployed digest time (`raw/day/<yesterday>/`, the latest offline day, and the
 * day before's). The checks run newest first: the archive is written before the alert state is read,
 * so every earlier one archives exactly what it would have and stops at "already evaluated", without
 * reading history of its own or posting.
 */
export async function seedArchiveHistory(
  measured: Measured,
  fakes: FakeServices,
  events: readonly HandlerEvent[],
  prefixes: readonly string[],
): Promise<History> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const { checks, digests } = historyOf(events, deployedDigestTime());
  // Errors only: each earlier check warns that the state was evaluated for a later instant.
  const host = await startHandlerHost(measured.node, measured.bundle, {
    ...measured.env(SEED_PREFIX),
    LOG_LEVEL: 'ERROR',
  });
  let handlerCpuMs = 0;
  try {
    const [newest, ...earlier] = checks;
    const runs = [
      await host.invoke(digests),
      await host.invoke(newest ? [newest] : []),
      await host.invoke(earlier, { check: 'already-evaluated' }),
    ];
    handlerCpuMs = runs.flat().reduce((sum, sample) => sum + sample.cpuMs, 0);
  } finally {
    host.stop();
  }
  const objects = await copyRaw(fakes, SEED_PREFIX, prefixes);
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    checks: checks.length,
    digests: digests.length,
    objects,
    prefixes: prefixes.length,
    wallMs: performance.now() - started,
    cpuMs: handlerCpuMs + (cpu.user + cpu.system) / 1000,
  };
}

/** The check and digest events whose archive the checks at `events` read, checks newest first. */
export function historyOf(
  events: readonly HandlerEvent[],
  digestTime: TimeOfDay,
): { checks: HandlerEvent[]; digests: HandlerEvent[] } {
  const checkTimes = new Set<number>();
  const digestTimes = new Set<number>();
  for (const event of events) {
    const at = new Date(event.scheduledTime);
    const clock = toWallClock(at, BENCH_ZONE);
    const midnight = { ...clock, hour: 0, minute: 0, second: 0 };
    const digestToday = fromWallClock({ ...midnight, ...digestTime }, BENCH_ZONE);
    if (at < digestToday)
      throw new Error(
        `${event.scheduledTime} is before its day's digest (${digestToday.toISOString()}): the history copied ` +
          "up front would hold yesterday's whole day before the deployment did",
      );
    const weekAgoMidnight = fromWallClock(addDays(midnight, -7), BENCH_ZONE).getTime();
    const weekAgoEnd = fromWallClock(addDays(midnight, -6), BENCH_ZONE).getTime();
    for (let time = weekAgoMidnight; time < weekAgoEnd; time += CHECK_MS) checkTimes.add(time);
    for (let week = 2; week <= WEEKS; week++) checkTimes.add(at.getTime() - week * WEEK_MS);
    for (const days of [0, -1])
      digestTimes.add(fromWallClock(addDays({ ...midnight, ...digestTime }, days), BENCH_ZONE).getTime());
  }
  const event = (mode: HandlerEvent['mode']) => (time: number) => ({
    mode,
    scheduledTime: new Date(time).toISOString(),
  });
  return {
    checks: [...checkTimes].sort((a, b) => b - a).map(event('check')),
    digests: [...digestTimes].sort((a, b) => a - b).map(event('digest')),
  };
}

/** The time of day of the deployed digest schedule (cdk.json's `digestSchedule`, a daily cron). */
export function deployedDigestTime(): TimeOfDay {
  const { context } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: { digestSchedule?: unknown };
  };
  const schedule = String(context.digestSchedule);
  const match = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/.exec(schedule);
  const [minute, hour] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || hour > 23 || minute > 59)
    throw new Error(
      `the bench seeds the digests of a daily cron(M H * * ? *) digestSchedule, not ${schedule}`,
    );
  return { hour, minute };
}

/** Copies every object under `<from>/raw/` to `<to>/raw/` for each prefix; returns how many per prefix. */
async function copyRaw(fakes: FakeServices, from: string, prefixes: readonly string[]): Promise<number> {
  const direct = new S3Client({
    endpoint: fakes.s3Direct,
    region: 'us-east-1',
    credentials: AWS_KEYS,
    forcePathStyle: true,
  });
  try {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: direct },
      { Bucket: fakes.bucket, Prefix: `${from}/raw/` },
    ))
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(from.length + 1));
    const copies = prefixes.flatMap((prefix) => keys.map((key) => ({ prefix, key })));
    // A bare CopyObject (fauxqs checks no signature): the SDK's request path would cost the bench more
    // CPU than the seeding's own checks.
    await forEachConcurrently(copies, COPY_CONCURRENCY, async ({ prefix, key }) => {
      const response = await fetch(`${fakes.s3Direct}/${fakes.bucket}/${prefix}/${key}`, {
        method: 'PUT',
        headers: {
          'x-amz-copy-source': `/${fakes.bucket}/${from}/${key}`,
          'x-amz-metadata-directive': 'COPY',
        },
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`copying ${key} into ${prefix}/: HTTP ${response.status}`);
    });
    return keys.length;
  } finally {
    direct.destroy();
  }
}
