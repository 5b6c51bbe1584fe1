import { readFileSync } from 'node:fs';
import { evaluateRules } from '../lambda/domain/alerts/evaluate';
import { parseRules } from '../lambda/domain/alerts/rules';
import { emptyAlertState } from '../lambda/domain/alerts/state';
import { buildDigest } from '../lambda/domain/digest/build-digest';
import { parseStatistics } from '../lambda/domain/statistics/schema';
import defaultRules from '../lambda/rules/default-rules.json';

/**
 * Child process of size-scaling.ts, bundled like the function and run by plain node with a heap
 * limit: parses one archived response, evaluates the default rules on it and builds its digest,
 * once cold and then warm, and prints the timings and its memory high-water mark after the first run as JSON.
 * Arguments: <response file> <digest date> <time zone> <evaluation instant> <warm iterations>.
 */

const [file = '', date = '', timeZone = '', at = '', iterations = '10'] = process.argv.slice(2);
const bytes = readFileSync(file);
const rules = parseRules(JSON.stringify(defaultRules), 'default-rules.json');

/** What the function does with a response: parse, evaluate, build the digest; ms. */
function processOnce(): number {
  const started = performance.now();
  const parsed = parseStatistics(bytes);
  if (parsed.verdict !== 'valid') throw parsed.error;
  const statistics = parsed.value;
  const evaluation = evaluateRules({
    rules,
    state: emptyAlertState(),
    statistics,
    lastWeek: statistics,
    latestOffline: statistics,
    at: new Date(at),
    timeZone,
    lineCapacity: 100,
  });
  const digest = buildDigest({
    date,
    timeZone,
    day: statistics,
    previousDay: statistics,
    weekAgo: statistics,
    alertsFired: [],
    archiveLocation: 's3://archive/raw/day/example.json',
    topN: 5,
  });
  if (evaluation.results.length === 0 || digest.blocks.length === 0) throw new Error('nothing processed');
  return performance.now() - started;
}

/**
 * This process's RSS high-water mark, MB: VmHWM of its own address space. Not getrusage's maxRSS,
 * which Linux carries over from the parent through fork and exec: spawned by the bench after its
 * verify section, the probe read the bench's 180 MB instead of its own 84 MB.
 */
function peakRss(): number {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (kb === undefined) throw new Error('no VmHWM in /proc/self/status (the bench measures memory on Linux)');
  return Number(kb) / 1024;
}

const firstMs = processOnce();
// The high-water mark of one run, as the function makes one per invocation.
const peakRssMb = peakRss();
const warmMs = Array.from({ length: Number(iterations) }, processOnce);
process.stdout.write(JSON.stringify({ bytes: bytes.byteLength, peakRssMb, firstMs, warmMs }));
