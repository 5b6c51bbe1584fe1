import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseRuleSet } from '../lambda/domain/alerts/rules';
import { ALERT_STATE_KEY } from '../lambda/domain/alerts/state';
import { OUT_DIR } from './bench-paths';
import { AWS_KEYS } from './deployed-env';
import { type HandlerEvent, startHandlerHost } from './deployed-process';
import type { FakeServices } from './fake-services-client';
import type { Measured } from './measured';
import { type DetailTable, median, ms, type SectionResult, times } from './report';

const SIZES = [512, 2048] as const;
const TARGET = 4;

/** N rules that all fire on the first check: the day's transfer success rate above -1 (crit). */
const firingRules = (count: number) =>
  JSON.stringify({
    version: 1,
    rules: Array.from({ length: count }, (_, index) => ({
      id: `breach-${index}`,
      title: `Breach ${index}`,
      metric: 'transfer_success_rate',
      scope: 'day-so-far',
      comparison: 'above',
      warn: -2,
      crit: -1,
      recovery: -3,
      noData: 'alert',
    })),
  });

const checkAt = (index: number): HandlerEvent => ({
  mode: 'check',
  scheduledTime: new Date(Date.parse('2025-10-15T14:00:00+07:00') + index * 900_000).toISOString(),
});

/**
 * Alerts firing at once: a warm container of the deployed handler whose default rules
 * (DEFAULT_RULES_FILE, as a deployment ships them) are 512, then 2,048 rules that all breach, so one
 * check fires them all: evaluation, claims, one Slack message, marking each notified. Before each
 * measured check the alert state is deleted, so every check fires all of them again. Linear work
 * costs 4× at 4× the rules.
 */
export async function benchAlertsAtOnce(
  measured: Measured,
  fakes: FakeServices,
  repetitions: number,
): Promise<SectionResult> {
  const s3 = new S3Client({
    endpoint: fakes.s3Direct,
    region: 'us-east-1',
    credentials: AWS_KEYS,
    forcePathStyle: true,
  });
  const cpu = new Map<number, number[]>();
  try {
    for (const count of SIZES) {
      const text = firingRules(count);
      parseRuleSet(text, 'bench rules');
      const file = path.join(OUT_DIR, `rules-${count}.json`);
      await writeFile(file, text);
      const prefix = `alerts-${count}`;
      const host = await startHandlerHost(measured.node, measured.bundle, {
        ...measured.env(prefix),
        DEFAULT_RULES_FILE: file,
      });
      const stateKey = `${prefix}/${ALERT_STATE_KEY}`;
      const samples: number[] = [];
      try {
        // The first check also pays the container's first invocation: not counted.
        for (let run = 0; run <= repetitions; run++) {
          await s3.send(new DeleteObjectCommand({ Bucket: fakes.bucket, Key: stateKey }));
          const posts = await fakes.slackPosts();
          const [sample] = await host.invoke([checkAt(run)]);
          const state = JSON.parse(
            (await (
              await s3.send(new GetObjectCommand({ Bucket: fakes.bucket, Key: stateKey }))
            ).Body?.transformToString()) ?? '{}',
          ) as { rules?: Record<string, { notified?: { status?: string } }> };
          const notified = Object.values(state.rules ?? {}).filter(
            (rule) => rule.notified?.status === 'firing',
          ).length;
          if (notified !== count || (await fakes.slackPosts()) !== posts + 1)
            throw new Error(
              `${count} rules: ${notified} notified as firing, expected all in one Slack message`,
            );
          if (run > 0 && sample) samples.push(sample.cpuMs);
        }
      } finally {
        host.stop();
      }
      cpu.set(count, samples);
    }
  } finally {
    s3.destroy();
  }
  const [small, large] = SIZES.map((count) => median(cpu.get(count) ?? []));
  const ratio = (large ?? Number.NaN) / (small ?? Number.NaN);
  const details: DetailTable[] = [
    {
      title: `Alerts firing at once on Node ${measured.nodeVersion}: one check, CPU median of ${repetitions}`,
      headers: ['Rules firing', 'CPU per check'],
      rows: SIZES.map((count) => [String(count), ms(median(cpu.get(count) ?? []))]),
    },
  ];
  return {
    rows: [
      {
        section: 'Alerts at once',
        measure: `${SIZES[1]} alerts firing in one check / ${SIZES[0]}, CPU median`,
        value: times(ratio),
        target: `≤ ${TARGET}×`,
        pass: ratio <= TARGET,
        node: measured.nodeVersion,
      },
    ],
    details,
  };
}
