import { quantile } from '../../lambda/domain/alerts/evidence';
import { DEPTHS, type IncidentOutcome, type RuleSetOutcome, VOLUMES } from './detection-bench';

/** The figures the README's Alerts section and the issue's targets name, per rule set. */
export interface DetectionSummary {
  readonly name: string;
  /** Detection delay (minutes) of drops of ≥ 40 points at ≥ 60 transfers an hour. */
  readonly severeMedianMin: number | undefined;
  readonly severeP90Min: number | undefined;
  /** Share of 20-point drops lasting ≥ 1 h that were detected. */
  readonly twentyPointHourShare: number;
  /** Fired alerts per 30 normal days, all rules, and how many of them between 22:00 and 06:00. */
  readonly falsePer30Days: number;
  readonly falseAtNight: number;
  /** Minutes from an incident's end to its resolution (median over resolved incidents). */
  readonly resolutionMedianMin: number | undefined;
  /** Slack messages per detected incident (median and maximum). */
  readonly messagesMedian: number | undefined;
  readonly messagesMax: number | undefined;
  readonly missed: number;
  readonly incidents: number;
}

/** Delays of the severe drops; a missed one counts as never (so it pushes the percentiles up). */
function severeDelays(incidents: readonly IncidentOutcome[]): number[] {
  return incidents
    .filter((incident) => incident.depth >= 0.4 && incident.transfersPerHour >= 60)
    .map((incident) => incident.detectionMin ?? Number.POSITIVE_INFINITY);
}

export const isNight = (hour: number): boolean => hour >= 22 || hour < 6;

export function summarise(outcome: RuleSetOutcome): DetectionSummary {
  const severe = severeDelays(outcome.incidents);
  const twentyHour = outcome.incidents.filter(
    (incident) => incident.depth === 0.2 && incident.lengthMin >= 60,
  );
  const detected = outcome.incidents.filter((incident) => incident.detectionMin !== undefined);
  const resolutions = detected.flatMap((incident) =>
    incident.resolutionMin === undefined ? [] : [incident.resolutionMin],
  );
  const messages = detected.map((incident) => incident.messages);
  return {
    name: outcome.name,
    severeMedianMin: quantile(severe, 0.5),
    severeP90Min: quantile(severe, 0.9),
    twentyPointHourShare:
      twentyHour.length === 0
        ? 0
        : twentyHour.filter((i) => i.detectionMin !== undefined).length / twentyHour.length,
    falsePer30Days: (outcome.falseAlerts.length * 30) / Math.max(1, outcome.normalDays),
    falseAtNight: outcome.falseAlerts.filter((alert) => isNight(alert.hour)).length,
    resolutionMedianMin: quantile(resolutions, 0.5),
    messagesMedian: quantile(messages, 0.5),
    messagesMax: messages.length === 0 ? undefined : Math.max(...messages),
    missed: outcome.incidents.length - detected.length,
    incidents: outcome.incidents.length,
  };
}

const minutes = (value: number | undefined): string =>
  value === undefined ? '–' : Number.isFinite(value) ? `${Math.round(value)} min` : 'missed';

/** The side-by-side table: one column per rule set. */
export function renderDetectionTable(outcomes: readonly RuleSetOutcome[]): string {
  const summaries = outcomes.map(summarise);
  const rows: Array<[string, (s: DetectionSummary, o: RuleSetOutcome) => string]> = [
    ['≥ 40-point drop at ≥ 60 transfers/h: detection, median', (s) => minutes(s.severeMedianMin)],
    ['… 90th percentile', (s) => minutes(s.severeP90Min)],
    ...DEPTHS.map((depth): [string, (s: DetectionSummary, o: RuleSetOutcome) => string] => [
      `${depth * 100}-point drop: detection median / p90 (all volumes)`,
      (_s, o) => {
        const delays = o.incidents
          .filter((i) => i.depth === depth)
          .map((i) => i.detectionMin ?? Number.POSITIVE_INFINITY);
        return `${minutes(quantile(delays, 0.5))} / ${minutes(quantile(delays, 0.9))}`;
      },
    ]),
    ['20-point drop lasting ≥ 1 h: detected', (s) => `${(s.twentyPointHourShare * 100).toFixed(0)} %`],
    ...[30, 60].map((transfers): [string, (s: DetectionSummary, o: RuleSetOutcome) => string] => [
      `… of them at ≥ ${transfers} transfers/h`,
      (_s, o) => {
        const cases = o.incidents.filter(
          (i) => i.depth === 0.2 && i.lengthMin >= 60 && i.transfersPerHour >= transfers,
        );
        const found = cases.filter((i) => i.detectionMin !== undefined).length;
        return `${cases.length === 0 ? '–' : ((found / cases.length) * 100).toFixed(0)} % of ${cases.length}`;
      },
    ]),
    ...DEPTHS.map((depth): [string, (s: DetectionSummary, o: RuleSetOutcome) => string] => [
      `missed ${depth * 100}-point drops (of ${outcomes[0]?.incidents.filter((i) => i.depth === depth).length ?? 0})`,
      (_s, o) => String(o.incidents.filter((i) => i.depth === depth && i.detectionMin === undefined).length),
    ]),
    ...VOLUMES.map((volume): [string, (s: DetectionSummary, o: RuleSetOutcome) => string] => [
      `missed at ${volume} calls/h peak (of ${outcomesAt(outcomes, volume)})`,
      (_s, o) =>
        String(o.incidents.filter((i) => i.volume === volume && i.detectionMin === undefined).length),
    ]),
    ['false alerts per 30 normal days (all rules)', (s) => s.falsePer30Days.toFixed(1)],
    ['… of them 22:00–06:00', (s) => String(s.falseAtNight)],
    ['… by hour of day (hour × count)', (_s, o) => byHour(o)],
    ['resolution after the incident ends, median', (s) => minutes(s.resolutionMedianMin)],
    [
      'resolved while the incident went on (flaps)',
      (_s, o) => String(o.incidents.reduce((sum, i) => sum + i.resolvedEarly, 0)),
    ],
    [
      'Slack messages per detected incident, median / max',
      (s) => `${s.messagesMedian ?? '–'} / ${s.messagesMax ?? '–'}`,
    ],
  ];
  const header = ['', ...summaries.map((s) => s.name)];
  const body = rows.map(([label, cell]) => [
    label,
    ...summaries.map((s, i) => cell(s, outcomes[i] as RuleSetOutcome)),
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...body].map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

const outcomesAt = (outcomes: readonly RuleSetOutcome[], volume: number): number =>
  outcomes[0]?.incidents.filter((i) => i.volume === volume).length ?? 0;

/** Which hours the false alerts of a rule set fell in, and which rules raised them. */
export function describeFalseAlerts(outcome: RuleSetOutcome): string {
  if (outcome.falseAlerts.length === 0) return `${outcome.name}: no false alerts`;
  const byRule = new Map<string, number[]>();
  for (const alert of outcome.falseAlerts)
    byRule.set(alert.ruleId, [...(byRule.get(alert.ruleId) ?? []), alert.hour]);
  return `${outcome.name}: ${[...byRule].map(([rule, hours]) => `${rule} at ${hours.map((h) => `${String(h).padStart(2, '0')}h`).join(', ')}`).join('; ')}`;
}

function byHour(outcome: RuleSetOutcome): string {
  const counts = new Map<number, number>();
  for (const alert of outcome.falseAlerts) counts.set(alert.hour, (counts.get(alert.hour) ?? 0) + 1);
  const hours = [...counts].sort(([a], [b]) => a - b);
  return hours.length === 0
    ? 'none'
    : hours.map(([hour, count]) => `${String(hour).padStart(2, '0')}h×${count}`).join(' ');
}
