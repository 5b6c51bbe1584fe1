import { type HourCounts, sumCounts } from '../../dev/stand-in/hour-counts';
import { buildDailyRow, buildHourlyRow, buildRealtimeTotal } from '../../dev/stand-in/realtime-rows';
import { createRandom, type Random } from '../../dev/stand-in/seeded-random';
import {
  formatDate,
  formatWallClock,
  toWallClock,
  type WallClock,
} from '../../lambda/domain/shared/local-time';

/**
 * The detection benchmark's traffic: call centre days with the statistics a real one shows, down to
 * five-minute slots, so a window of any length sums the same calls and an incident starts on the
 * minute it is told to.
 *
 * How a slot is made (add a shape by adding a field to `TrafficShape` and using it here):
 * - Expected calls = the busiest hour's calls (`callsPerHourPeak`) / 12 × the daily curve (quiet
 *   nights at 4 % of the peak, a late-morning peak at 10:30 and an afternoon one at 15:00 at 85 %)
 *   × the weekday's factor (Sunday 0.45, Saturday 0.6, weekdays 0.9–1) × a day factor drawn per
 *   date (0.9–1.1) × 0.3 on a public holiday × a volume incident's factor. The slot's calls are a
 *   Poisson draw of that, so quiet hours are noisy as they are in life.
 * - Every outcome is a binomial draw over the calls it is a share of: valid calls (85 %), transfer
 *   attempts (27 % of valid), successful transfers (a per-hour base of 89–96 %, minus a transfer
 *   incident's depth), agent pick-ups (85–95 % per hour of successful transfers), ratings (50 % of
 *   valid; 74–82 % per hour satisfied), first-call resolution (53–61 % per hour of valid), distinct
 *   callers (72–80 % per hour of calls, the rest count as duplicates).
 * - Per-hour bases drift the way a real centre's do, so a threshold close to normal is crossed by
 *   chance on a quiet evening: the noise a rule must stay quiet on.
 * Draws are keyed by (seed, slot start, salt): a slot reads the same in every window and run.
 */

export const SLOT_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;

export type IncidentKind = 'transfer-failure' | 'volume-spike' | 'volume-drop';

export interface TrafficIncident {
  readonly kind: IncidentKind;
  /** Epoch ms; the incident covers [start, end). */
  readonly start: number;
  readonly end: number;
  /**
   * transfer-failure: points taken off the success rate (0.4 = 93 % → 53 %); volume-spike: extra
   * volume (1 = twice the calls); volume-drop: volume lost (0.7 = 30 % of the calls left).
   */
  readonly depth: number;
}

export interface TrafficShape {
  readonly seed: number;
  readonly timeZone: string;
  /** Calls in a weekday's busiest hour before noise. */
  readonly callsPerHourPeak: number;
  /** Local dates ('YYYY-MM-DD') that are public holidays. */
  readonly holidays?: readonly string[];
  readonly incidents?: readonly TrafficIncident[];
}

/** Sunday..Saturday. */
const WEEKDAY_FACTOR = [0.45, 1, 1, 0.97, 0.95, 0.9, 0.6] as const;
const HOLIDAY_FACTOR = 0.3;

const gauss = (x: number, centre: number, width: number): number =>
  Math.exp(-((x - centre) ** 2) / (2 * width ** 2));

/** Share of the peak volume at a local time of day (hours, fractional). */
export function dailyCurve(hour: number): number {
  return 0.04 + 0.96 * Math.max(gauss(hour, 10.5, 1.7), 0.85 * gauss(hour, 15, 2));
}

/** A Poisson draw: Knuth's method for small means, a rounded normal approximation above 30. */
function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count++;
  return count;
}

/** A binomial draw of `trials` with probability `p`. */
function binomial(random: Random, trials: number, p: number): number {
  const share = Math.min(Math.max(p, 0), 1);
  if (trials > 60) {
    const mean = trials * share;
    const sd = Math.sqrt(mean * (1 - share));
    return Math.min(trials, Math.max(0, Math.round(mean + sd * normal(random))));
  }
  let count = 0;
  for (let index = 0; index < trials; index++) if (random() < share) count++;
  return count;
}

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const between = (random: Random, low: number, high: number) => low + (high - low) * random();

/** The traffic of one shape: slots on demand, cached, and statistics envelopes for any window. */
export class Traffic {
  readonly #slots = new Map<number, HourCounts>();
  readonly #hours = new Map<number, HourCounts>();
  constructor(readonly shape: TrafficShape) {}

  /** Expected calls per hour at an instant, before noise and incidents (for classifying incidents). */
  expectedCallsPerHour(instant: number): number {
    const clock = toWallClock(new Date(instant), this.shape.timeZone);
    return this.#volume(instant, clock);
  }

  #volume(instant: number, clock: WallClock): number {
    const date = formatDate(clock);
    const dayRandom = createRandom(this.shape.seed, Date.parse(`${date}T00:00:00Z`) / 86_400_000, 0xda7);
    const holiday = this.shape.holidays?.includes(date) ? HOLIDAY_FACTOR : 1;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return (
      this.shape.callsPerHourPeak *
      dailyCurve(clock.hour + clock.minute / 60) *
      (WEEKDAY_FACTOR[weekday] ?? 1) *
      between(dayRandom, 0.9, 1.1) *
      holiday *
      this.#effect(instant, 'volume')
    );
  }

  #effect(instant: number, what: 'volume' | 'transfer'): number {
    let factor = what === 'volume' ? 1 : 0;
    for (const incident of this.shape.incidents ?? []) {
      if (instant < incident.start || instant >= incident.end) continue;
      if (what === 'transfer' && incident.kind === 'transfer-failure')
        factor = Math.max(factor, incident.depth);
      if (what === 'volume' && incident.kind === 'volume-spike') factor *= 1 + incident.depth;
      if (what === 'volume' && incident.kind === 'volume-drop') factor *= 1 - incident.depth;
    }
    return factor;
  }

  slot(start: number): HourCounts {
    const cached = this.#slots.get(start);
    if (cached !== undefined) return cached;
    const { seed, timeZone } = this.shape;
    const clock = toWallClock(new Date(start), timeZone);
    const random = createRandom(seed, start / 60_000, 0x51);
    const hourRandom = createRandom(seed, Math.floor(start / HOUR_MS), 0x40);
    const successBase = between(hourRandom, 0.89, 0.96);
    const pickUp = between(hourRandom, 0.85, 0.95);
    const satisfied = between(hourRandom, 0.74, 0.82);
    const solved = between(hourRandom, 0.53, 0.61);
    const distinct = between(hourRandom, 0.72, 0.8);

    const totalCalls = poisson(random, this.#volume(start + SLOT_MS / 2, clock) / 12);
    const validCalls = binomial(random, totalCalls, 0.85);
    const attemptedTransfers = binomial(random, validCalls, 0.27);
    const successShare = Math.max(0.02, successBase - this.#effect(start, 'transfer'));
    const transferSuccesses = binomial(random, attemptedTransfers, successShare);
    const agentAnswered = binomial(random, transferSuccesses, pickUp);
    const evaluations = binomial(random, validCalls, 0.5);
    const happy = binomial(random, evaluations, satisfied);
    const solvedCalls = binomial(random, validCalls, solved);
    const callUsers = binomial(random, totalCalls, distinct);
    const newUsers = binomial(random, callUsers, 0.6);
    const unhappy = evaluations - happy;
    const counts: HourCounts = {
      totalCalls,
      validCalls,
      attemptedTransfers,
      transferSuccesses,
      agentAnswered,
      agentSeconds: agentAnswered * 90,
      robotSeconds: validCalls * 35 + (totalCalls - validCalls) * 6,
      robotTalkRounds: validCalls * 5,
      evaluations,
      solvedCalls,
      callUsers,
      newUsers,
      validUsers: Math.min(validCalls, Math.round(callUsers * 0.9)),
      fakeReceipts: 0,
      scores: {
        '1': Math.ceil(unhappy / 2),
        '2': Math.floor(unhappy / 2),
        '3': 0,
        '4': Math.ceil(happy / 2),
        '5': Math.floor(happy / 2),
      },
      stories: { greeting: validCalls },
      intentions: { A: validCalls },
      transferReasons: { entrance: attemptedTransfers },
      tickets: {},
      hangups: { by_agent: agentAnswered, by_robot: 0, by_user: totalCalls - agentAnswered },
      peakConcurrent: Math.ceil(totalCalls / 3),
    };
    this.#slots.set(start, counts);
    return counts;
  }

  /** The counts of the slots from `start` (a slot boundary) up to `end`; a whole hour is summed once. */
  #span(start: number, end: number): HourCounts {
    const whole = end - start === HOUR_MS;
    const cached = whole ? this.#hours.get(start) : undefined;
    if (cached !== undefined) return cached;
    const slots: HourCounts[] = [];
    for (let at = start; at < end; at += SLOT_MS) slots.push(this.slot(at));
    const summed = sumCounts(slots);
    if (whole) this.#hours.set(start, summed);
    return summed;
  }

  /** The statistics envelope AIRUDDER would answer for [from, to) (epoch ms, whole slots). */
  envelope(from: number, to: number, startTime: string, endTime: string): unknown {
    // Rows per local hour and date, each summed from its hour's slots in the window (hours are
    // whole hours of the zone's clock here: the benchmark's zone has whole-hour offsets).
    const byHour = new Map<string, HourCounts>();
    const byDate = new Map<string, HourCounts[]>();
    const first = Math.floor(from / SLOT_MS) * SLOT_MS;
    for (let start = first; start < to; ) {
      const clock = toWallClock(new Date(start), this.shape.timeZone);
      const hourEnd = Math.min(to, start + HOUR_MS - (clock.minute * 60_000 + clock.second * 1000));
      const counts = this.#span(start, Math.max(hourEnd, start + SLOT_MS));
      const hour = formatWallClock({ ...clock, minute: 0, second: 0 });
      const date = formatDate(clock);
      const sameHour = byHour.get(hour); // a fall-back hour shows twice on the clock: one row
      byHour.set(hour, sameHour === undefined ? counts : sumCounts([sameHour, counts]));
      const ofDate = byDate.get(date);
      if (ofDate === undefined) byDate.set(date, [counts]);
      else ofDate.push(counts);
      start = Math.max(hourEnd, start + SLOT_MS);
    }
    const hourly = [...byHour].map(([time, counts]) => buildHourlyRow(time, counts));
    const daily = [...byDate].map(([date, hours]) => buildDailyRow(date, sumCounts(hours)));
    const all = [...byHour.values()];
    const window = { start_time: startTime, end_time: endTime };
    return {
      code: 200,
      status: 'OK',
      request_params: window,
      data: {
        offline: null,
        realtime: {
          time_range: window,
          total: buildRealtimeTotal(sumCounts(all)),
          daily: { total_count: daily.length, data_list: daily },
          hourly: { total_count: hourly.length, data_list: hourly },
        },
      },
    };
  }
}
