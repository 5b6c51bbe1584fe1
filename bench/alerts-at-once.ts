import { execFileSync } from 'node:child_process';
import { buildBundle } from './bundle-options';
import type { Measured } from './measured';
import { type DetailTable, median, ms, type SectionResult, times } from './report';

const SIZES = [512, 2048] as const;
const TARGET = 4;

/**
 * Alerts firing at once: one check in which 512, then 2,048 rules all fire (evaluation, claims, one
 * Slack message, marking each notified), through the check use case bundled like the function, on
 * the Lambda Node, against a folder archive and a notifier that accepts at once. A rules object holds
 * at most 100 rules, so the deployed handler cannot be given 2,048: the probe builds them past the
 * parser. Linear work costs 4× at 4× the rules.
 */
export async function benchAlertsAtOnce(measured: Measured, checks: number): Promise<SectionResult> {
  const probe = await buildBundle('alerts-probe', 'bench/alerts-probe.ts');
  const cpu = new Map(
    SIZES.map((count) => {
      const output = execFileSync(measured.node, [probe, String(count), String(checks)], {
        encoding: 'utf8',
      });
      return [count, median((JSON.parse(output) as { cpuMs: number[] }).cpuMs)] as const;
    }),
  );
  const ratio = (cpu.get(2048) ?? Number.NaN) / (cpu.get(512) ?? Number.NaN);
  const details: DetailTable[] = [
    {
      title: `Alerts firing at once on Node ${measured.nodeVersion}: one check, CPU median of ${checks}`,
      headers: ['Rules firing', 'CPU per check'],
      rows: SIZES.map((count) => [String(count), ms(cpu.get(count) ?? Number.NaN)]),
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
