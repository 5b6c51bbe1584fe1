import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StandIn } from '../../../dev/stand-in/airudder-stand-in';
import { createHandler, type InvocationContext } from '../../../lambda/handler/create-handler';
import { createConditionalS3 } from '../../fakes/conditional-s3';
import { type SlackReceiver, startSlackReceiver } from '../../fakes/slack-receiver';
import { startTestStandIn, TEST_CREDENTIALS, TEST_ZONE } from '../../helpers/airudder';

/**
 * The monthly cost in docs/construct.md, from what one steady-state check and one digest actually do: S3 requests
 * by price tier, bytes added to the archive, EMF metrics, log bytes (Powertools' own lines and EMF, as
 * CloudWatch Logs ingests them), Secrets Manager reads. Counted here through the handler with its
 * real Powertools Logger and Metrics; priced at us-east-1 list prices; checked against docs/construct.md.
 */

/** us-east-1 list prices (AWS pricing pages for S3, CloudWatch, Lambda, Secrets Manager, KMS, EventBridge). */
const PRICES = {
  s3Tier1PerThousand: 0.005, // PUT, COPY, POST, LIST
  s3Tier2PerThousand: 0.0004, // GET and all other requests
  s3StandardGbMonth: 0.023,
  customMetricMonth: 0.3, // prorated by the hour
  logsIngestedGb: 0.5,
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  secretMonth: 0.4,
  secretsPerTenThousandCalls: 0.05,
  alarmMetricMonth: 0.1,
  schedulerPerMillion: 1,
  kmsKeyMonth: 1,
};
/** The default schedule: a check every 15 minutes, a digest a day; a 31-day month (744 hours). */
const CHECKS_PER_DAY = 96;
const DAYS = 31;
const HOURS = DAYS * 24;
/** Not measurable here: Lambda's billed duration per run (the bench's check at 50 ms a call takes about 0.5 s), at 256 MB. */
const BILLED_SECONDS = 1;
const MEMORY_GB = 0.25;
/** Lambda's own START, END and REPORT lines per invocation, about this many bytes. */
const PLATFORM_LOG_BYTES = 350;
/** Alarm metrics of the stack: errors, throttles, dead letters, near timeout, and the heartbeat's math over 3 metrics. */
const ALARM_METRICS = 7;

const TIER_1 = new Set([
  'PutObjectCommand',
  'CopyObjectCommand',
  'ListObjectsV2Command',
  'DeleteObjectCommand',
]);

interface RunUsage {
  readonly tier1: number;
  readonly tier2: number;
  readonly addedBytes: number;
  readonly logBytes: number;
  /** `metric|dimensions` published by the run. */
  readonly metrics: ReadonlySet<string>;
}

describe('the monthly cost in docs/construct.md', () => {
  let standIn: StandIn;
  let slack: SlackReceiver;
  let s3: ReturnType<typeof createConditionalS3>;
  let secrets: ReturnType<typeof mockClient>;
  let clock = new Date('2025-11-03T05:00:00Z');
  beforeAll(async () => {
    standIn = await startTestStandIn({ now: () => clock });
    slack = await startSlackReceiver();
    // As deployed: S3 refuses a GetObject of a missing key (403), and the store lists the key.
    s3 = createConditionalS3({ asDeployed: true });
    secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        AIRUDDER_APP_KEY: TEST_CREDENTIALS.appKey,
        AIRUDDER_APP_SECRET: TEST_CREDENTIALS.appSecret,
        SLACK_WEBHOOK_URL: slack.url,
      }),
    });
  });
  afterAll(async () => {
    s3.restore();
    secrets.restore();
    await Promise.all([standIn.close(), slack.close()]);
  });

  /** Runs one invocation and counts what it did; stdout is what CloudWatch Logs would ingest. */
  async function usageOf(run: () => Promise<unknown>): Promise<RunUsage> {
    const calls = s3.mock.calls().length;
    const sizes = new Map([...s3.objects].map(([key, object]) => [key, object.bytes.byteLength]));
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await run();
    } finally {
      write.mockRestore();
    }
    const commands = s3.mock
      .calls()
      .slice(calls)
      .map((call) => call.args[0].constructor.name);
    const metrics = new Set<string>();
    for (const line of lines
      .join('')
      .split('\n')
      .filter((text) => text.includes('"_aws"'))) {
      const emf = JSON.parse(line) as {
        _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
        [field: string]: unknown;
      };
      for (const directive of emf._aws.CloudWatchMetrics)
        for (const metric of directive.Metrics)
          for (const dimensions of directive.Dimensions)
            metrics.add(`${metric.Name}|${dimensions.map((name) => `${name}=${emf[name]}`).join(',')}`);
    }
    return {
      tier1: commands.filter((name) => TIER_1.has(name)).length,
      tier2: commands.filter((name) => !TIER_1.has(name)).length,
      addedBytes: [...s3.objects]
        .filter(([key]) => !sizes.has(key))
        .reduce((sum, [, object]) => sum + object.bytes.byteLength, 0),
      logBytes: Buffer.byteLength(lines.join('')) + PLATFORM_LOG_BYTES,
      metrics,
    };
  }

  it('is what one check and one digest cost, at the default schedule and list prices', async () => {
    // Prepare: one warm container with Powertools as deployed, in its steady state (the checks of
    // the four weeks before at the same time, the earlier days' digests and the state archived)
    const handler = createHandler({
      env: {
        AIRUDDER_BASE_URL: standIn.url,
        AIRUDDER_TIMEZONE: TEST_ZONE,
        ARCHIVE_BUCKET: 'cost',
        MONITOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cost',
        RUN_DEADLINE_MS: '100000',
        POWERTOOLS_METRICS_NAMESPACE: 'Cost',
      },
      s3Client: s3.client,
    });
    const context = (id: string): InvocationContext => ({
      awsRequestId: id,
      getRemainingTimeInMillis: () => 110_000,
    });
    const invoke = (mode: 'check' | 'digest', at: string) => () => {
      clock = new Date(at);
      return handler({ mode, scheduledTime: at }, context(`${mode}-${at}`));
    };
    for (const date of ['2025-10-13', '2025-10-20', '2025-10-27', '2025-11-03'])
      await usageOf(invoke('check', `${date}T05:30:00Z`));
    for (let day = 2; day <= 9; day++)
      await usageOf(invoke('digest', `2025-11-${String(day + 1).padStart(2, '0')}T01:30:00Z`));
    await usageOf(invoke('check', '2025-11-10T05:00:00Z'));
    await usageOf(invoke('check', '2025-11-10T05:15:00Z'));
    // Act
    const check = await usageOf(invoke('check', '2025-11-10T05:30:00Z'));
    const digest = await usageOf(invoke('digest', '2025-11-11T01:30:00Z'));
    // Assess: the table in docs/construct.md is this arithmetic (a change in what a run does changes the cost)
    const rows = monthlyCost(check, digest);
    const readme = costTable();
    for (const [item, dollars] of Object.entries(rows))
      expect([item, readme.get(item)]).toEqual([item, dollars]);
    expect(readme.get('total')).toBe(
      Object.values(rows)
        .reduce((sum, dollars) => sum + Number(dollars), 0)
        .toFixed(2),
    );
  });
});

/** $/month per item, to the cent, from one check and one digest. */
function monthlyCost(check: RunUsage, digest: RunUsage): Record<string, string> {
  const runs = CHECKS_PER_DAY * DAYS + DAYS;
  const perMonth = (figure: (usage: RunUsage) => number) =>
    figure(check) * CHECKS_PER_DAY * DAYS + figure(digest) * DAYS;
  // A metric costs for the hours in which it is published: a check's every hour, a digest's one a day.
  const metricHours =
    [...check.metrics].length * HOURS +
    [...digest.metrics].filter((m) => !check.metrics.has(m)).length * DAYS;
  const gb = (bytes: number) => bytes / 1024 ** 3;
  const cost = {
    lambda:
      runs * BILLED_SECONDS * MEMORY_GB * PRICES.lambdaArmGbSecond +
      (runs / 1e6) * PRICES.lambdaPerMillionRequests,
    's3 requests':
      (perMonth((usage) => usage.tier1) / 1000) * PRICES.s3Tier1PerThousand +
      (perMonth((usage) => usage.tier2) / 1000) * PRICES.s3Tier2PerThousand,
    's3 storage': gb(perMonth((usage) => usage.addedBytes)) * PRICES.s3StandardGbMonth,
    'custom metrics': (metricHours / HOURS) * PRICES.customMetricMonth,
    'cloudwatch logs': gb(perMonth((usage) => usage.logBytes)) * PRICES.logsIngestedGb,
    'secrets manager': PRICES.secretMonth + ((24 * DAYS) / 10_000) * PRICES.secretsPerTenThousandCalls,
    'eventbridge scheduler': (runs / 1e6) * PRICES.schedulerPerMillion,
    alarms: ALARM_METRICS * PRICES.alarmMetricMonth,
    'kms key': PRICES.kmsKeyMonth,
  };
  return Object.fromEntries(Object.entries(cost).map(([item, dollars]) => [item, dollars.toFixed(2)]));
}

/** The cost table of docs/construct.md: item (lower case, first cell) → dollars (last cell), and the total. */
function costTable(): Map<string, string> {
  const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'construct.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Estimated monthly cost'));
  const table = new Map<string, string>();
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    const item = cells[1]?.replaceAll('*', '').toLowerCase();
    const dollars = /\$?(\d+\.\d\d)/.exec(cells.at(-2) ?? '')?.[1];
    if (item && dollars) table.set(item, dollars);
  }
  return table;
}
