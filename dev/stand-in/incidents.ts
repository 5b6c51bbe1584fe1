import { HOUR_MS, parseLocalDateTime, wallClockToInstant } from './local-clock';

/** What an injected incident does to the hours it overlaps. */
export type IncidentEffect =
  | 'transfer-failure'
  | 'agent-no-answer'
  | 'unhappy-callers'
  | 'volume-spike'
  | 'volume-drop'
  | 'capacity';

/** An anomaly injected into the generated data. */
export interface Incident {
  /** Local wall-clock 'YYYY-MM-DD HH:mm:ss' in the stand-in's zone; the incident covers [start, end). */
  start: string;
  end: string;
  effect: IncidentEffect;
  /** 0..1, how strong; default 0.8. */
  severity?: number;
}

/** The strength (0..1) of each effect on one hour; an absent effect is 0. */
export type HourEffects = Readonly<Record<IncidentEffect, number>>;

/** An incident with its window resolved to instants. */
export interface ResolvedIncident {
  readonly from: number;
  readonly to: number;
  readonly effect: IncidentEffect;
  readonly severity: number;
}

/** Thrown when an incident's times or severity cannot be used; names the offending value. */
export class InvalidIncidentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidIncidentError';
  }
}

export const DEFAULT_SEVERITY = 0.8;

export const NO_EFFECTS: HourEffects = {
  'transfer-failure': 0,
  'agent-no-answer': 0,
  'unhappy-callers': 0,
  'volume-spike': 0,
  'volume-drop': 0,
  capacity: 0,
};

function resolveTime(text: string, timeZone: string): number {
  const clock = parseLocalDateTime(text);
  if (clock === undefined)
    throw new InvalidIncidentError(`incident time "${text}" is not YYYY-MM-DD HH:mm:ss`);
  return wallClockToInstant(clock, timeZone);
}

/** Resolves incident windows in `timeZone`; throws InvalidIncidentError on a malformed one. */
export function resolveIncidents(incidents: readonly Incident[], timeZone: string): ResolvedIncident[] {
  return incidents.map((incident) => {
    const severity = incident.severity ?? DEFAULT_SEVERITY;
    if (!(severity >= 0 && severity <= 1)) {
      throw new InvalidIncidentError(`incident severity ${severity} is outside 0..1`);
    }
    const from = resolveTime(incident.start, timeZone);
    const to = resolveTime(incident.end, timeZone);
    if (to <= from) throw new InvalidIncidentError(`incident end "${incident.end}" is not after its start`);
    return { from, to, effect: incident.effect, severity };
  });
}

/** The effects on the local hour starting at `hourStart`: the strongest overlapping incident per effect. */
export function effectsForHour(incidents: readonly ResolvedIncident[], hourStart: number): HourEffects {
  let effects = NO_EFFECTS;
  for (const incident of incidents) {
    const overlaps = incident.from < hourStart + HOUR_MS && incident.to > hourStart;
    if (overlaps && incident.severity > effects[incident.effect]) {
      effects = { ...effects, [incident.effect]: incident.severity };
    }
  }
  return effects;
}
