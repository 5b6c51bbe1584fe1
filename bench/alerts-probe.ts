import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generateStatisticsBody } from '../dev/stand-in/airudder-stand-in';
import { createFolderObjectStore } from '../lambda/adapters/archive/folder-object-store';
import { parseRuleSet } from '../lambda/domain/alerts/rules';
import { parseStatistics } from '../lambda/domain/statistics/schema';
import { silentLogger } from '../lambda/shared/logger';
import { runCheck } from '../lambda/use-cases/run-check';

/**
 * Child process of alerts-at-once.ts, bundled like the function and run on the Lambda Node: one
 * check (archive, evaluate, claim, one Slack message, mark notified) in which <count> rules all fire,
 * each time on a new archive folder, so every check fires all of them. Prints the CPU of each as JSON.
 * Arguments: <count> <checks>.
 */

const [count = '512', checks = '3'] = process.argv.slice(2);
const AT = new Date('2025-11-11T07:00:00Z');
const ZONE = 'Asia/Jakarta';
// The stand-in's answer for the check's window: the local day so far.
const bytes = new TextEncoder().encode(
  JSON.stringify(
    generateStatisticsBody({
      seed: 26,
      timeZone: ZONE,
      startTime: '2025-11-11 00:00:00',
      endTime: '2025-11-11 14:00:00',
      now: AT,
    }),
  ),
);
// One rule that breaches on any day (the day's transfer success rate above -1), under N ids: a
// rules object may hold 100 rules, so the N are built past the parser, as the state machine sees them.
const [breach] = parseRuleSet(
  JSON.stringify({
    version: 1,
    rules: [
      {
        id: 'breach',
        title: 'Breach',
        metric: 'transfer_success_rate',
        scope: 'day-so-far',
        comparison: 'above',
        warn: -2,
        crit: -1,
        recovery: -3,
        noData: 'alert',
      },
    ],
  }),
  'bench rules',
).rules;
if (!breach) throw new Error('no rule parsed');
const rules = Array.from({ length: Number(count) }, (_, index) => ({
  ...breach,
  id: `breach-${index}`,
  title: `Breach ${index}`,
}));
let messages = 0;

async function once(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-alerts-'));
  try {
    const before = process.cpuUsage();
    const outcome = await runCheck(
      {
        source: {
          fetchStatistics: async () => ({
            bytes,
            httpStatus: 200,
            fetchedAt: new Date(),
            latencyMs: 0,
            attempts: 1,
            parsed: parseStatistics(bytes),
          }),
        },
        store: createFolderObjectStore(dir),
        logger: silentLogger,
        notifier: {
          send: async () => {
            messages++;
          },
        },
        rules,
        timeZone: ZONE,
        lineCapacity: undefined,
        failureThreshold: 3,
        runId: 'bench',
        now: () => new Date(),
      },
      { scheduledTime: AT, deadline: Date.now() + 600_000 },
    );
    const cpu = process.cpuUsage(before);
    if (outcome.outcome !== 'evaluated' || outcome.sent.length !== rules.length)
      throw new Error(
        `${rules.length} rules: ${outcome.outcome}, ${'sent' in outcome ? outcome.sent.length : 0} sent`,
      );
    return (cpu.user + cpu.system) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  const cpuMs: number[] = [];
  // The first check also pays the process's first run of every function: not counted.
  for (let run = 0; run <= Number(checks); run++) {
    const ms = await once();
    if (run > 0) cpuMs.push(ms);
  }
  if (messages !== Number(checks) + 1) throw new Error(`${messages} Slack messages, one per check expected`);
  process.stdout.write(JSON.stringify({ cpuMs }));
})().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
